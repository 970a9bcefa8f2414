// Helpers shared by the test files: reading files and generated scenarios
// (scripts/gen, CALLSIGHT_GEN_DIR), running the ingestor, and building
// sessions by hand. Each test file names the ones it uses (using-declarations).
#pragma once

#include <dirent.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "callsight/config.h"
#include "callsight/engine.h"
#include "callsight/ingest.h"
#include "callsight/model.h"

namespace callsight::testing {

// ----------------------------------------------------- files and scenarios --

// The whole file, or "" when it cannot be read.
inline std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// The names in a directory (without "." and ".."), sorted; none when it cannot be read.
inline std::vector<std::string> ListDir(const std::string& dir) {
  std::vector<std::string> out;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n != "." && n != "..") out.push_back(n);
    }
    closedir(d);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// An engine that has read every input file of generated scenario `name` and run.
inline std::unique_ptr<Engine> LoadScenario(const std::string& name) {
  const std::string dir = std::string(CALLSIGHT_GEN_DIR) + "/" + name + "/input";
  auto engine = std::make_unique<Engine>();
  for (const auto& f : ListDir(dir)) engine->AddFile({f, ReadFile(dir + "/" + f)});
  engine->Run(Config());
  return engine;
}

// ---------------------------------------------------------------- ingest --

// What the ingestor made of some files: a report per file and the model.
struct Run {
  std::vector<InputReport> reports;
  SessionSet model;
};

// (name, text) files through one Ingestor.
inline Run Ingest(const std::vector<std::pair<std::string, std::string>>& files) {
  Ingestor in;
  for (const auto& [name, text] : files) in.Add({name, text});
  Run r;
  r.reports = in.inputs();
  r.model = in.Finish();
  return r;
}

// An input's messages, one formatted line each.
inline std::string Messages(const InputReport& r) {
  std::string s;
  for (const auto& m : r.messages) s += FormatMessage(r.name, m) + "\n";
  return s;
}

// ------------------------------------------------------ hand-built sessions --

constexpr int64_t kT0 = 1700000000000LL;  // the first sample
constexpr int64_t kStep = 10000;          // between samples

using Cols = std::vector<std::pair<Metric, std::vector<double>>>;

inline std::vector<double> Const(double v, size_t n = 12) { return std::vector<double>(n, v); }

// base with samples [from, to) set to v.
inline std::vector<double> With(std::vector<double> base, size_t from, size_t to, double v) {
  for (size_t i = from; i < to && i < base.size(); ++i) base[i] = v;
  return base;
}

// The columns' samples every kStep from kT0.
inline Series MakeSeries(const Cols& cols) {
  Series s;
  const size_t n = cols.front().second.size();
  for (size_t i = 0; i < n; ++i) s.timestamps_ms.push_back(kT0 + static_cast<int64_t>(i) * kStep);
  for (const auto& [m, v] : cols) s.column(m).assign(v.begin(), v.end());
  return s;
}

inline Track MakeTrack(std::string id, Direction d, MediaKind k, std::string remote,
                       const Cols& cols) {
  return Track{std::move(id), d, k, std::move(remote), {Layer{"", MakeSeries(cols)}}};
}

// Session "s" from kT0 for `minutes`, with no peers.
inline Session EmptySession(int64_t minutes = 2) {
  Session s;
  s.session_id = "s";
  s.start_ms = kT0;
  s.end_ms = kT0 + minutes * 60000;
  return s;
}

inline std::string Id(int i) { return "p" + std::to_string(i); }

// Peer `id` of user `user_id`, present over `presence`.
inline Peer UserPeer(std::string id, std::string user_id, Interval presence) {
  Peer p;
  p.peer_id = std::move(id);
  p.info.user_id = std::move(user_id);
  p.presence.push_back(presence);
  return p;
}

// An error event of `peer` at `t`: `type` failed `op`.
inline Event FailedEvent(std::string peer, int64_t t, std::string type, FailedOperation op) {
  Event e;
  e.time_ms = t;
  e.peer_id = std::move(peer);
  e.type = std::move(type);
  e.failed = op;
  e.is_error = true;
  return e;
}

// n peers "p<i>" named "Name<i>"; each publishes a `kind` track "<a|v><i>"
// with pub(i) and receives every other peer's with rx(receiver, sender).
inline Session Call(int n, MediaKind kind, const std::function<Cols(int)>& pub,
                    const std::function<Cols(int, int)>& rx) {
  Session s = EmptySession();
  const std::string letter = kind == MediaKind::kAudio ? "a" : "v";
  for (int i = 0; i < n; ++i) {
    Peer p;
    p.peer_id = Id(i);
    p.info.name = "Name" + std::to_string(i);
    p.tracks.push_back(
        MakeTrack(letter + std::to_string(i), Direction::kPublisher, kind, "", pub(i)));
    for (int j = 0; j < n; ++j) {
      if (j == i) continue;
      p.tracks.push_back(
          MakeTrack(letter + std::to_string(j), Direction::kSubscriber, kind, Id(j), rx(i, j)));
    }
    s.peers.push_back(std::move(p));
  }
  return s;
}

}  // namespace callsight::testing
