// callsight: the native command-line tool (SPEC §4).
//
//   callsight analyze [--config FILE] [--format json|text] [--fail-on warning|critical]
//                     [--pretty] [--threads N] [--tables DIR] FILE_OR_DIR...
//   callsight analyze --session SESSION_ID [--out DIR] [--api URL] [analyze options]
//   callsight fetch (--session SESSION_ID | --room ROOM_ID [--since DATE] [--until DATE])
//                   [--out DIR] [--api URL] [--timeout SECONDS] [--parallel N]
//   callsight fleet TABLES_DIR [--since YYYY-MM-DD] [--format text|json]
//   callsight emodel --ta MS [--t MS] [--tr MS] [--ppl PCT] [--ie X] [--bpl X] [--burstr X]
//   callsight --help | --version
//
// Exit status: 0 success; 1 --fail-on: a session's verdict is at or above that
// level (an issue of that severity, or an error event: terminal = critical);
// 2 misuse, a bad config file, or an input file that was rejected or unreadable
// (the report of the other files still goes to stdout), or (fetch, analyze
// --session) a file that could not be fetched.
#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "callsight/config.h"
#include "callsight/engine.h"
#include "callsight/fleet.h"
#include "callsight/scoring.h"
#include "fetch.h"
#include "fleet/session_index.h"
#include "gunzip.h"
#include "http_client.h"
#include "json/json_writer.h"
#include "util/parallel.h"

#ifndef CALLSIGHT_VERSION
#define CALLSIGHT_VERSION "0.0.0"
#endif

namespace callsight {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailOn = 1;
constexpr int kExitMisuse = 2;

constexpr const char kUsage[] =
    "usage: callsight analyze [--config FILE] [--format json|text]\n"
    "                         [--fail-on warning|critical] [--pretty] [--show-addresses]\n"
    "                         [--utc-offset +HH:MM | --local-time]\n"
    "                         [--threads N] [--tables DIR] FILE...\n"
    "       callsight analyze --session SESSION_ID [--out DIR] [--api URL] [options]\n"
    "       callsight fetch (--session SESSION_ID | --room ROOM_ID [--since DATE]\n"
    "                       [--until DATE]) [--out DIR] [--api URL] [--timeout SECONDS]\n"
    "                       [--parallel N]\n"
    "       callsight fleet TABLES_DIR [--since YYYY-MM-DD] [--format text|json]\n"
    "       callsight emodel --ta MS [--t MS] [--tr MS] [--ppl PCT] [--ie X] [--bpl X]\n"
    "                        [--burstr X]\n"
    "       callsight --help | --version\n";

constexpr const char kHelp[] =
    "callsight: post-call quality analyzer for WebRTC calls: 100ms exports and\n"
    "browsers' stats dumps.\n"
    "\n"
    "Commands:\n"
    "  analyze FILE...   Read 100ms peer-stats, session, analytics-event and webhook\n"
    "                    JSON files and Chrome webrtc-internals or rtcstats dumps\n"
    "                    (any mix, detected by content; gzip-compressed ones are\n"
    "                    decompressed first) and print the report.\n"
    "      --config FILE      thresholds and tunables as JSON (docs/CONFIG.md)\n"
    "      --format json|text json report (default) or a readable diagnosis\n"
    "      --fail-on warning|critical\n"
    "                         exit 1 when the verdict is that level or worse (an issue\n"
    "                         of that severity; a failure event is critical when terminal,\n"
    "                         else a warning)\n"
    "      --pretty           indent the JSON report\n"
    "      --show-addresses   show browser dumps' IP addresses as written (masked by\n"
    "                         default: the last IPv4 octet, IPv6 after three groups)\n"
    "      --utc-offset +HH:MM write times of day at this offset from UTC (-14:00 to\n"
    "                         +14:00; default UTC; the config's utc_offset_minutes)\n"
    "      --local-time       the same with this machine's offset from UTC now\n"
    "      --threads N        read and analyze on N threads (default: one per core, at\n"
    "                         most 8); the report is the same for any N\n"
    "      --tables DIR       write the fleet tables (sessions, participants, issues,\n"
    "                         breaches, errors .ndjson; docs/TABLES.md) into DIR,\n"
    "                         created if missing; a session already in them has its\n"
    "                         rows replaced. FILEs may then be folders, read whole\n"
    "                         (sorted by path; names starting with '.' skipped):\n"
    "                         first indexed (which file holds which sessions), then\n"
    "                         analyzed one session at a time, so memory is that of\n"
    "                         the largest session. The report (of everything, read\n"
    "                         at once) is printed only when --format is given.\n"
    "      --session ID       fetch the session from the 100ms API first (as fetch does)\n"
    "                         into the cache ($XDG_CACHE_HOME/callsight/ID, else\n"
    "                         ~/.cache/callsight/ID; --out DIR instead), then analyze it\n"
    "  fetch             Download a session's files from the 100ms REST API: the\n"
    "                    session, every peer's peer-stats, every page of analytics\n"
    "                    events and of the webhook delivery history, each as the API\n"
    "                    sent it, and a manifest (.callsight-fetch.json). Requests go 4\n"
    "                    at a time; 429, 5xx and no answer are retried with backoff;\n"
    "                    a re-run skips complete files. docs/FETCH.md.\n"
    "                    Token: HMS_MANAGEMENT_TOKEN, else one is made from\n"
    "                    HMS_ACCESS_KEY and HMS_APP_SECRET. Secrets are never printed.\n"
    "      --session ID       one session, into DIR (default: ./ID)\n"
    "      --room ID          every ended session of the room, one folder each in DIR\n"
    "                         (default: ./ID)\n"
    "      --since DATE, --until DATE\n"
    "                         with --room: sessions started in that period (YYYY-MM-DD,\n"
    "                         UTC, whole days; or RFC 3339)\n"
    "      --out DIR          where the files go\n"
    "      --api URL          the API's base URL (default https://api.100ms.live)\n"
    "      --timeout SECONDS  the most one request may take (default 30)\n"
    "      --parallel N       requests at a time (default 4)\n"
    "  fleet TABLES_DIR  Summarize the tables of many sessions: the most common\n"
    "                    issues, by browser, OS, SDK version, role and room, failure\n"
    "                    rates, the worst sessions and rooms, a per-day trend.\n"
    "      --since DAY        only sessions that started on DAY (YYYY-MM-DD, UTC) or later\n"
    "      --format text|json readable text (default) or JSON (docs/TABLES.md)\n"
    "  emodel            Print {\"r\", \"mos\"} of the ITU-T G.107 E-model.\n"
    "      --ta MS            absolute one-way delay (required)\n"
    "      --t MS             mean one-way delay of the echo path (default: Ta)\n"
    "      --tr MS            round-trip delay in a 4-wire loop (default: 2*Ta)\n"
    "      --ppl PCT          random packet loss in percent (default 0)\n"
    "      --ie X             equipment impairment factor (default 0)\n"
    "      --bpl X            packet-loss robustness factor (default 4.3)\n"
    "      --burstr X         burst ratio (default 1)\n"
    "\n"
    "Exit status: 0 ok; 1 --fail-on matched; 2 misuse, an input file was rejected, or a\n"
    "file could not be fetched.\n";

int Misuse(const std::string& message) {
  std::cerr << "callsight: " << message << "\n" << kUsage;
  return kExitMisuse;
}

// Reads a whole file into *out with one allocation when its size is known
// (regular files); pipes and the like are read in chunks. Returns "" on
// success, else the reason. Files larger than max_bytes are not read at all.
std::string ReadFile(const std::string& path, std::string* out,
                     size_t max_bytes = IngestOptions{}.max_file_bytes) {
  out->clear();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return "is a directory";
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) return errno ? std::strerror(errno) : "cannot open";
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size > 0 && in) {
    if (static_cast<unsigned long long>(size) > max_bytes) {
      return "the file has " + std::to_string(size) + " bytes, more than the limit of " +
             std::to_string(max_bytes);
    }
    in.seekg(0, std::ios::beg);
    out->resize(static_cast<size_t>(size));
    if (size > 0 && !in.read(out->data(), size)) {
      const int err = errno;
      out->clear();
      out->shrink_to_fit();
      return err ? std::strerror(err) : "read error";
    }
    return "";
  }
  // Not seekable (a pipe), or no size known (procfs): read to the end in chunks.
  in.clear();
  in.seekg(0, std::ios::beg);  // fails harmlessly on a pipe
  in.clear();
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    out->append(chunk, static_cast<size_t>(in.gcount()));
    if (out->size() > max_bytes) {
      out->clear();
      out->shrink_to_fit();
      return "the input has more than " + std::to_string(max_bytes) + " bytes, the limit";
    }
  }
  if (in.bad()) {
    out->clear();
    return errno ? std::strerror(errno) : "read error";
  }
  return "";
}

// Parses a finite number that makes up the whole of `text`.
std::optional<double> ParseNumber(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

// Splits "--name=value" into name and value; plain "--name" gives no value.
void SplitOption(const std::string& arg, std::string* name, std::optional<std::string>* value) {
  const size_t eq = arg.find('=');
  if (arg.rfind("--", 0) == 0 && eq != std::string::npos) {
    *name = arg.substr(0, eq);
    *value = arg.substr(eq + 1);
  } else {
    *name = arg;
    value->reset();
  }
}

// Command-line options with a value: takes it from "--x=v" or the next argument.
class Args {
 public:
  Args(int argc, char** argv, int first) {
    for (int i = first; i < argc; ++i) args_.emplace_back(argv[i]);
  }
  bool Done() const { return pos_ >= args_.size(); }
  // The next argument, split; returns false at the end.
  bool Next(std::string* name, std::optional<std::string>* value) {
    if (Done()) return false;
    SplitOption(args_[pos_++], name, value);
    return true;
  }
  // The value of option `name`: the inline one or the next argument.
  std::optional<std::string> Value(const std::optional<std::string>& inline_value) {
    if (inline_value) return inline_value;
    if (Done()) return std::nullopt;
    return args_[pos_++];
  }

 private:
  std::vector<std::string> args_;
  size_t pos_ = 0;
};

bool IsHelp(const std::string& arg) { return arg == "--help" || arg == "-h"; }

// "+02:00", "-05:30", "+0530", "+2", "0", "Z" -> minutes from UTC; nullopt
// for anything else or beyond +-14:00.
std::optional<int> ParseUtcOffset(const std::string& text) {
  if (text == "Z" || text == "UTC" || text == "0") return 0;
  if (text.size() < 2 || (text[0] != '+' && text[0] != '-')) return std::nullopt;
  std::string digits;
  for (size_t i = 1; i < text.size(); ++i) {
    if (text[i] == ':' && i == 3 && text.size() == 6) continue;
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    digits += text[i];
  }
  int hours = 0, minutes = 0;
  if (digits.size() <= 2) {
    hours = std::stoi(digits);
  } else if (digits.size() == 4) {
    hours = std::stoi(digits.substr(0, 2));
    minutes = std::stoi(digits.substr(2));
  } else {
    return std::nullopt;
  }
  const int total = hours * 60 + minutes;
  if (minutes >= 60 || total > 14 * 60) return std::nullopt;
  return text[0] == '-' ? -total : total;
}

// This machine's offset from UTC now, in minutes.
int LocalUtcOffsetMinutes() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return static_cast<int>(local.tm_gmtoff / 60);
}

// ---------------------------------------------------------------- analyze --

struct AnalyzeOptions {
  std::optional<std::string> config_path;
  bool text = false;
  bool pretty = false;
  bool show_addresses = false;
  std::optional<int> utc_offset_minutes;  // --utc-offset, --local-time
  std::optional<Severity> fail_on;
  int threads = 0;  // 0: one per core
  std::vector<std::string> files;
  std::optional<std::string> tables_dir;  // --tables
  bool format_given = false;
  // --all-at-once (hidden, for tests): --tables reads every file into one
  // model, as before the session index.
  bool all_at_once = false;
  std::optional<std::string> session_id;  // --session: fetch it first
  std::optional<std::string> out_dir;     // --out: where --session's files go
  std::optional<std::string> api;         // --api
};

// Returns kExitOk and fills *opts, or prints what is wrong and returns kExitMisuse.
// A --help prints the help and sets *help.
int ParseAnalyze(Args args, AnalyzeOptions* opts, bool* help) {
  std::string name;
  std::optional<std::string> inline_value;
  bool only_files = false;
  while (args.Next(&name, &inline_value)) {
    if (only_files || name == "-" || name.empty() || name[0] != '-') {
      opts->files.push_back(inline_value ? name + "=" + *inline_value : name);
      continue;
    }
    if (name == "--") {
      only_files = true;
    } else if (IsHelp(name)) {
      *help = true;
      return kExitOk;
    } else if (name == "--pretty") {
      if (inline_value) return Misuse("--pretty takes no value");
      opts->pretty = true;
    } else if (name == "--show-addresses") {
      if (inline_value) return Misuse("--show-addresses takes no value");
      opts->show_addresses = true;
    } else if (name == "--local-time") {
      if (inline_value) return Misuse("--local-time takes no value");
      if (opts->utc_offset_minutes) return Misuse("give --utc-offset or --local-time, not both");
      opts->utc_offset_minutes = LocalUtcOffsetMinutes();
    } else if (name == "--all-at-once") {
      if (inline_value) return Misuse("--all-at-once takes no value");
      opts->all_at_once = true;
    } else if (name == "--config" || name == "--format" || name == "--fail-on" ||
               name == "--threads" || name == "--tables" || name == "--session" ||
               name == "--out" || name == "--api" || name == "--utc-offset") {
      const std::optional<std::string> v = args.Value(inline_value);
      if (!v || v->empty()) return Misuse(name + " needs a value");
      if (name == "--session") {
        opts->session_id = *v;
      } else if (name == "--out") {
        opts->out_dir = *v;
      } else if (name == "--api") {
        opts->api = *v;
      } else if (name == "--threads") {
        char* end = nullptr;
        errno = 0;
        const long n = std::strtol(v->c_str(), &end, 10);
        if (*end != '\0' || errno != 0 || n < 1 || n > 256) {
          return Misuse("--threads must be a whole number from 1 to 256, not '" + *v + "'");
        }
        opts->threads = static_cast<int>(n);
      } else if (name == "--config") {
        opts->config_path = *v;
      } else if (name == "--tables") {
        opts->tables_dir = *v;
      } else if (name == "--utc-offset") {
        if (opts->utc_offset_minutes) return Misuse("give --utc-offset or --local-time, not both");
        opts->utc_offset_minutes = ParseUtcOffset(*v);
        if (!opts->utc_offset_minutes) {
          return Misuse("--utc-offset must be +HH:MM or -HH:MM from -14:00 to +14:00, not '" + *v +
                        "'");
        }
      } else if (name == "--format") {
        if (*v != "json" && *v != "text") {
          return Misuse("--format must be json or text, not '" + *v + "'");
        }
        opts->text = *v == "text";
        opts->format_given = true;
      } else if (*v == "warning" || *v == "critical") {
        opts->fail_on = *v == "warning" ? Severity::kWarning : Severity::kCritical;
      } else {
        return Misuse("--fail-on must be warning or critical, not '" + *v + "'");
      }
    } else {
      return Misuse("unknown option " + name + " for analyze");
    }
  }
  if ((opts->out_dir || opts->api) && !opts->session_id) {
    return Misuse("--out and --api go with --session");
  }
  if (opts->files.empty() && !opts->session_id) {
    return Misuse("analyze needs at least one input FILE (or --session)");
  }
  return kExitOk;
}

// Loads the --config file; prints what and where on failure.
bool LoadConfig(const std::optional<std::string>& path, Config* config) {
  if (!path) return true;
  std::string text;
  const std::string error = ReadFile(*path, &text);
  if (!error.empty()) {
    std::cerr << "callsight: config " << *path << ": cannot read: " << error << "\n";
    return false;
  }
  Result<Config> parsed = ParseConfig(text);
  if (!parsed.ok()) {
    std::cerr << "callsight: config " << *path << ": " << parsed.status().message() << "\n";
    return false;
  }
  *config = std::move(parsed).value();
  return true;
}

// Writes text to stdout, ending it with a newline unless it has one.
bool WriteStdout(const std::string& text) {
  const bool newline = text.empty() || text.back() != '\n';
  const bool ok = std::fwrite(text.data(), 1, text.size(), stdout) == text.size() &&
                  (!newline || std::fputc('\n', stdout) != EOF) && std::fflush(stdout) == 0;
  if (!ok) std::cerr << "callsight: cannot write the report to standard output\n";
  return ok;
}

// Gives the engine one loaded file: decompressed first when it is gzip data
// (the engine reads plain bytes only); a file that does not decompress is
// listed as rejected, saying why.
Status QueueLoaded(const std::string& path, std::shared_ptr<std::string> bytes, Engine* engine) {
  if (!cli::IsGzip(*bytes)) {
    return engine->QueueFile(InputFile{path, *bytes}, [bytes] { std::string().swap(*bytes); });
  }
  const size_t max_bytes = IngestOptions{}.max_file_bytes;
  Result<std::string> plain = cli::Gunzip(*bytes, cli::GunzipCap(bytes->size(), max_bytes));
  if (!plain.ok()) {  // out of memory too: as the engine rejects a file it runs out on
    return engine->AddUnread(path, bytes->size(), plain.status().message(), Compression::kGzip);
  }
  *bytes = std::move(plain).value();  // the compressed bytes go now
  return engine->QueueFile(InputFile{path, *bytes, Compression::kGzip},
                           [bytes] { std::string().swap(*bytes); });
}

// Loads each file and gives it to the engine, which reads it on its threads
// and drops the bytes once merged. A file that cannot be loaded (or is over
// the size limit, never loaded) is still listed in the report, as rejected,
// in its place, as the npm package lists it.
// With `progress`, says on stderr how many files were loaded every
// kProgressFiles files.
Status QueueFiles(const std::vector<std::string>& paths, Engine* engine, bool progress = false) {
  constexpr size_t kProgressFiles = 1000;
  const size_t max_bytes = IngestOptions{}.max_file_bytes;
  for (size_t i = 0; i < paths.size(); ++i) {
    const std::string& path = paths[i];
    if (progress && i > 0 && i % kProgressFiles == 0) {
      std::cerr << "callsight: " << i << " of " << paths.size() << " files loaded\n";
    }
    std::error_code ec;
    const uintmax_t size = std::filesystem::file_size(path, ec);
    const bool too_large = !ec && size > max_bytes;
    auto bytes = std::make_shared<std::string>();
    const std::string error = too_large ? std::string() : ReadFile(path, bytes.get(), max_bytes);
    Status status;
    if (too_large || !error.empty()) {
      status =
          engine->AddUnread(path, too_large ? static_cast<size_t>(size) : bytes->size(), error);
    } else {
      status = QueueLoaded(path, std::move(bytes), engine);
    }
    if (!status.ok()) return status;
  }
  return Status::Ok();
}

// ----------------------------------------------------------------- tables --

// The files to read: each FILE as given, and for a folder every regular file
// under it (names starting with '.' skipped), sorted by path. An unreadable
// folder is listed as it is, so the engine names it rejected.
std::vector<std::string> ExpandFolders(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (!std::filesystem::is_directory(path, ec)) {
      files.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    namespace fs = std::filesystem;
    fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (!name.empty() && name[0] == '.') {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(ec)) found.push_back(it->path().string());
    }
    if (ec) {
      files.push_back(path);  // read as a file: rejected, naming why
      continue;
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

std::string TablePath(const std::string& dir, FleetTable t) {
  return (std::filesystem::path(dir) / (std::string(FleetTableName(t)) + ".ndjson")).string();
}

// Reads the tables already in `dir` (a missing one is empty); prints what is
// wrong and returns false on a bad one.
bool ReadOldTables(const std::string& dir, FleetTables* old) {
  for (int i = 0; i < kFleetTableCount; ++i) {
    const FleetTable t = static_cast<FleetTable>(i);
    const std::string path = TablePath(dir, t);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) continue;
    std::string text;
    const std::string error = ReadFile(path, &text, size_t{1} << 34);
    if (!error.empty()) {
      std::cerr << "callsight: " << path << ": cannot read: " << error << "\n";
      return false;
    }
    Result<std::vector<TableRow>> rows = ReadTableRows(t, text, path);
    if (!rows.ok()) {
      std::cerr << "callsight: " << rows.status().message() << "\n";
      return false;
    }
    old->of(t) = std::move(rows).value();
  }
  return true;
}

// Writes the rows (TableText, row by row: the table's text is never held
// whole) to path through a temporary file renamed over it.
bool WriteReplacing(const std::string& path, const std::vector<TableRow>& rows) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    for (const TableRow& r : rows) {
      if (!out) break;
      out.write(r.json.data(), static_cast<std::streamsize>(r.json.size())).put('\n');
    }
    if (!out || !out.flush()) {
      std::cerr << "callsight: cannot write " << tmp << "\n";
      return false;
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::cerr << "callsight: cannot rename " << tmp << " to " << path << ": " << ec.message()
              << "\n";
    return false;
  }
  return true;
}

// Writes `fresh` (the rows of the sessions analyzed) into the tables in
// `dir`, each session replacing its old rows.
bool WriteTables(const std::string& dir, FleetTables fresh) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::cerr << "callsight: cannot create " << dir << ": " << ec.message() << "\n";
    return false;
  }
  FleetTables old;
  if (!ReadOldTables(dir, &old)) return false;
  std::vector<std::string> replaced;
  for (const TableRow& r : fresh.of(FleetTable::kSessions)) replaced.push_back(r.session_id);
  size_t total_sessions = 0;
  for (int i = 0; i < kFleetTableCount; ++i) {
    const FleetTable t = static_cast<FleetTable>(i);
    std::vector<TableRow> rows =
        MergeTableRows(std::move(old.of(t)), std::move(fresh.of(t)), replaced);
    if (t == FleetTable::kSessions) total_sessions = rows.size();
    if (!WriteReplacing(TablePath(dir, t), rows)) return false;
  }
  std::cerr << "callsight: wrote " << replaced.size() << " sessions to the tables in " << dir
            << " (" << total_sessions << " sessions in them)\n";
  return true;
}

// Prints the messages of every file that is not "ok", once per file name
// (a file holding several sessions is read once per session).
void PrintInputMessages(const Engine& engine, std::set<std::string>* printed) {
  for (const InputReport& input : engine.inputs()) {
    if (input.status == InputStatus::kOk) continue;
    if (printed && !printed->insert(input.name).second) continue;
    for (const InputMessage& m : input.messages) {
      std::cerr << FormatMessage(input.name, m) << "\n";
    }
  }
}

// ------------------------------------------------- tables, session by session --

// The plain bytes of a file for the index (gzip decompressed); false when it
// cannot be loaded (the engine then lists it as rejected, saying why).
bool LoadPlain(const std::string& path, std::string* bytes) {
  const size_t max_bytes = IngestOptions{}.max_file_bytes;
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (!ec && size > max_bytes) return false;
  if (!ReadFile(path, bytes, max_bytes).empty()) return false;
  if (!cli::IsGzip(*bytes)) return true;
  Result<std::string> plain = cli::Gunzip(*bytes, cli::GunzipCap(bytes->size(), max_bytes));
  if (!plain.ok()) return false;
  *bytes = std::move(plain).value();
  return true;
}

// The first pass: which file holds which sessions (core/src/fleet/session_index.h),
// files loaded and scanned on `threads` threads, added in order.
SessionIndex IndexFiles(const std::vector<std::string>& files, int threads) {
  std::cerr << "callsight: indexing " << files.size() << " files\n";
  SessionIndex index;
  const auto scan = [&files](size_t i) {
    std::string bytes;
    if (!LoadPlain(files[i], &bytes)) return SessionIndex::FileScan();
    return SessionIndex::Scan(bytes, files[i]);
  };
  const auto add = [&index](size_t, SessionIndex::FileScan s) { index.Add(std::move(s)); };
  ParallelOrdered<SessionIndex::FileScan>(files.size(), threads, 2 * static_cast<size_t>(threads),
                                          scan, add);
  return index;
}

// What the analyses of the session groups add up to.
struct TablesRun {
  FleetTables rows;
  size_t sessions = 0;
  bool any_rejected = false;
  std::optional<Severity> worst;
  std::set<std::string> printed;  // files whose messages were printed
};

// Analyzes the files `which` of `files` for `sessions` only (every session
// when empty) and adds the rows to `run`; the model and analysis go when it
// returns. False (said on stderr) when memory ran out.
bool AnalyzeGroup(const std::vector<std::string>& files, const std::vector<size_t>& which,
                  std::vector<std::string> sessions, const Config& config, int threads,
                  TablesRun* run) {
  IngestOptions options;
  options.only_sessions = std::move(sessions);
  Engine engine(options, threads);
  std::vector<std::string> paths;
  for (size_t f : which) paths.push_back(files[f]);
  Status status = QueueFiles(paths, &engine);
  if (status.ok()) status = engine.Run(config);
  if (!status.ok()) {
    std::cerr << "callsight: " << status.message() << "\n";
    return false;
  }
  PrintInputMessages(engine, &run->printed);
  run->any_rejected = run->any_rejected || engine.any_rejected();
  const std::optional<Severity> worst = engine.worst_severity();
  if (worst && (!run->worst || static_cast<int>(*worst) > static_cast<int>(*run->worst))) {
    run->worst = worst;
  }
  FleetTables rows = MakeTableRows(engine.model(), engine.analysis());
  for (int i = 0; i < kFleetTableCount; ++i) {
    std::vector<TableRow>& to = run->rows.rows[i];
    for (TableRow& r : rows.rows[i]) to.push_back(std::move(r));
  }
  run->sessions += engine.model().sessions.size();
  return true;
}

// Gives the memory the last group freed back to the system (glibc keeps
// freed pages between the rows kept, which the next session's larger blocks
// may not fit in); elsewhere a no-op.
void ReturnFreedMemory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

// analyze --tables without a report: an index of the files first, then the
// sessions one group at a time (only the rows kept), then the tables
// written. Returns the exit status.
int WriteTablesBySession(const AnalyzeOptions& opts, const Config& config, int threads) {
  const std::vector<std::string> files = ExpandFolders(opts.files);
  const SessionIndex index = IndexFiles(files, threads);
  const std::vector<SessionGroup> groups = index.Groups();
  TablesRun run;
  for (size_t k = 0; k < groups.size(); ++k) {
    const SessionGroup& g = groups[k];
    std::cerr << "callsight: session " << k + 1 << "/" << groups.size() << ": "
              << g.session_ids.front();
    if (g.session_ids.size() > 1) {
      std::cerr << " and " << g.session_ids.size() - 1 << " more that must be read with it";
    }
    std::cerr << " (" << g.files.size() << " files)\n";
    if (!AnalyzeGroup(files, g.files, g.session_ids, config, threads, &run)) return kExitMisuse;
    ReturnFreedMemory();
  }
  const std::vector<size_t> ungrouped = index.Ungrouped();
  if (!ungrouped.empty()) {
    std::cerr << "callsight: " << ungrouped.size() << " files of no session, read on their own\n";
    if (!AnalyzeGroup(files, ungrouped, {}, config, threads, &run)) return kExitMisuse;
  }
  std::cerr << "callsight: read " << files.size() << " files, " << run.sessions << " sessions\n";
  if (!WriteTables(*opts.tables_dir, std::move(run.rows))) return kExitMisuse;
  if (run.any_rejected) return kExitMisuse;
  if (opts.fail_on && run.worst &&
      static_cast<int>(*run.worst) >= static_cast<int>(*opts.fail_on)) {
    return kExitFailOn;
  }
  return kExitOk;
}

// ------------------------------------------------------------------ fetch --

// The options fetch and analyze --session share: --api, the token from the
// environment, the hidden backoff. Prints what is wrong and returns false.
bool MakeFetchOptions(const std::optional<std::string>& api, cli::FetchOptions* options) {
  if (api) options->api = *api;
  while (!options->api.empty() && options->api.back() == '/') options->api.pop_back();
  if (options->api.rfind("http://", 0) != 0 && options->api.rfind("https://", 0) != 0) {
    Misuse("--api must be an http:// or https:// URL");
    return false;
  }
  const bool local = options->api.rfind("http://127.0.0.1", 0) == 0 ||
                     options->api.rfind("http://localhost", 0) == 0;
  if (options->api.rfind("http://", 0) == 0 && !local) {
    std::cerr << "callsight: warning: --api is plain http: the management token is sent "
                 "unencrypted\n";
  }
  // Hidden, for tests (tests/fetch): the first retry's wait in seconds.
  if (const char* base = std::getenv("CALLSIGHT_FETCH_BACKOFF_SECONDS")) {
    if (std::optional<double> v = ParseNumber(base); v && *v >= 0) {
      options->retry.base_seconds = *v;
    }
  }
  Result<std::string> token = cli::TokenFromEnvironment();
  if (!token.ok()) {
    std::cerr << "callsight: " << token.status().message() << "\n";
    return false;
  }
  options->token = std::move(token).value();
  return cli::HttpGlobalInit() || (std::cerr << "callsight: libcurl failed to start\n", false);
}

// analyze --session: fetches into the cache (or --out) and returns the folder;
// *fetched_all says whether every file came. nullopt: nothing to analyze.
std::optional<std::string> FetchForAnalyze(const AnalyzeOptions& opts, bool* fetched_all) {
  cli::FetchOptions options;
  if (!MakeFetchOptions(opts.api, &options)) return std::nullopt;
  std::string folder;
  if (opts.out_dir) {
    folder = *opts.out_dir;
  } else {
    const std::string root = cli::CacheRoot();
    if (root.empty()) {
      std::cerr << "callsight: no cache folder (set XDG_CACHE_HOME or HOME), or give --out\n";
      return std::nullopt;
    }
    folder = (std::filesystem::path(root) / cli::SafeName(*opts.session_id)).string();
  }
  *fetched_all = cli::FetchSession(options, *opts.session_id, folder);
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::path(folder) / cli::kSessionFile, ec)) {
    std::cerr << "callsight: the session could not be fetched; nothing to analyze\n";
    return std::nullopt;
  }
  return folder;
}

int RunFetch(int argc, char** argv) {
  std::optional<std::string> session, room, since, until, out, api;
  cli::FetchOptions options;
  Args args(argc, argv, 2);
  std::string name;
  std::optional<std::string> inline_value;
  while (args.Next(&name, &inline_value)) {
    if (IsHelp(name)) {
      std::cout << kHelp;
      return kExitOk;
    }
    std::optional<std::string>* target = name == "--session" ? &session
                                         : name == "--room"  ? &room
                                         : name == "--since" ? &since
                                         : name == "--until" ? &until
                                         : name == "--out"   ? &out
                                         : name == "--api"   ? &api
                                                             : nullptr;
    if (name != "--timeout" && name != "--parallel" && target == nullptr) {
      return Misuse("unknown option " + name + " for fetch");
    }
    const std::optional<std::string> v = args.Value(inline_value);
    if (!v || v->empty()) return Misuse(name + " needs a value");
    if (target != nullptr) {
      *target = *v;
    } else if (name == "--timeout") {
      const std::optional<double> t = ParseNumber(*v);
      if (!t || *t <= 0 || *t > 3600) return Misuse("--timeout must be seconds from 0 to 3600");
      options.timeout_seconds = *t;
    } else {
      const std::optional<double> n = ParseNumber(*v);
      if (!n || *n < 1 || *n > 32 || *n != std::floor(*n)) {
        return Misuse("--parallel must be a whole number from 1 to 32");
      }
      options.parallel = static_cast<int>(*n);
    }
  }
  if (session.has_value() == room.has_value()) return Misuse("fetch needs --session or --room");
  if ((since || until) && !room) return Misuse("--since and --until go with --room");
  std::string after, before;
  if (since) {
    const std::optional<std::string> t = cli::ListTime(*since, false);
    if (!t) return Misuse("--since must be YYYY-MM-DD or an RFC 3339 time");
    after = *t;
  }
  if (until) {
    const std::optional<std::string> t = cli::ListTime(*until, true);
    if (!t) return Misuse("--until must be YYYY-MM-DD or an RFC 3339 time");
    before = *t;
  }
  if (!MakeFetchOptions(api, &options)) return kExitMisuse;
  const std::string& id = session ? *session : *room;
  const std::string folder = out ? *out : cli::SafeName(id);
  const bool ok = session ? cli::FetchSession(options, id, folder)
                          : cli::FetchRoom(options, id, after, before, folder);
  if (ok) std::cerr << "callsight: fetched into " << folder << "\n";
  return ok ? kExitOk : kExitMisuse;
}

int RunAnalyze(int argc, char** argv) {
  AnalyzeOptions opts;
  bool help = false;
  if (int rc = ParseAnalyze(Args(argc, argv, 2), &opts, &help); rc != kExitOk) return rc;
  if (help) {
    std::cout << kHelp;
    return kExitOk;
  }
  Config config;
  if (!LoadConfig(opts.config_path, &config)) return kExitMisuse;
  if (opts.show_addresses) config.show_addresses = true;
  if (opts.utc_offset_minutes) config.utc_offset_minutes = *opts.utc_offset_minutes;

  bool fetched_all = true;
  if (opts.session_id) {
    const std::optional<std::string> folder = FetchForAnalyze(opts, &fetched_all);
    if (!folder) return kExitMisuse;
    const std::vector<std::string> files = ExpandFolders({*folder});
    opts.files.insert(opts.files.end(), files.begin(), files.end());
  }
  const int threads = opts.threads > 0
                          ? opts.threads
                          : std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, 8);
  if (opts.tables_dir && !opts.format_given && !opts.all_at_once) {
    const int rc = WriteTablesBySession(opts, config, threads);
    return fetched_all ? rc : kExitMisuse;
  }
  Engine engine(IngestOptions{}, threads);
  if (opts.tables_dir) {
    opts.files = ExpandFolders(opts.files);
    std::cerr << "callsight: reading " << opts.files.size() << " files\n";
  }
  Status analyzed = QueueFiles(opts.files, &engine, opts.tables_dir.has_value());
  if (analyzed.ok()) analyzed = engine.Run(config);
  if (!analyzed.ok()) {
    std::cerr << "callsight: " << analyzed.message() << "\n";
    return kExitMisuse;
  }

  PrintInputMessages(engine, nullptr);
  if (opts.tables_dir) {
    std::cerr << "callsight: read " << engine.inputs().size() << " files, "
              << engine.model().sessions.size() << " sessions\n";
    if (!WriteTables(*opts.tables_dir, MakeTableRows(engine.model(), engine.analysis()))) {
      return kExitMisuse;
    }
  }
  if (opts.tables_dir && !opts.format_given) {
    // The tables are the output; no report unless asked for.
  } else if (opts.text) {
    if (!WriteStdout(engine.ReportText())) return kExitMisuse;
  } else {
    // Streamed to stdout as it is written: the report is never held whole.
    bool written = true;
    const Status status = engine.WriteReportJson(
        [&](std::string_view piece) {
          written = written && std::fwrite(piece.data(), 1, piece.size(), stdout) == piece.size();
        },
        opts.pretty ? 2 : -1);
    if (!status.ok()) {
      std::cerr << "callsight: " << status.message() << "\n";
      return kExitMisuse;
    }
    if (!written) {
      std::cerr << "callsight: cannot write the report to standard output\n";
      return kExitMisuse;
    }
    if (!WriteStdout("\n")) return kExitMisuse;
  }
  if (engine.any_rejected() || !fetched_all) return kExitMisuse;
  const std::optional<Severity> worst = engine.worst_severity();
  if (opts.fail_on && worst && static_cast<int>(*worst) >= static_cast<int>(*opts.fail_on)) {
    return kExitFailOn;
  }
  return kExitOk;
}

// ------------------------------------------------------------------ fleet --

int RunFleet(int argc, char** argv) {
  std::optional<std::string> dir, since;
  bool json = false;
  Args args(argc, argv, 2);
  std::string name;
  std::optional<std::string> inline_value;
  while (args.Next(&name, &inline_value)) {
    if (IsHelp(name)) {
      std::cout << kHelp;
      return kExitOk;
    }
    if (name == "--since" || name == "--format") {
      const std::optional<std::string> v = args.Value(inline_value);
      if (!v || v->empty()) return Misuse(name + " needs a value");
      if (name == "--since") {
        since = *v;
      } else if (*v == "json" || *v == "text") {
        json = *v == "json";
      } else {
        return Misuse("--format must be text or json, not '" + *v + "'");
      }
    } else if (!name.empty() && name[0] == '-') {
      return Misuse("unknown option " + name + " for fleet");
    } else if (dir) {
      return Misuse("fleet takes one TABLES_DIR");
    } else {
      dir = inline_value ? name + "=" + *inline_value : name;
    }
  }
  if (!dir) return Misuse("fleet needs a TABLES_DIR");
  std::array<std::string, kFleetTableCount> tables;
  for (int i = 0; i < kFleetTableCount; ++i) {
    const std::string path = TablePath(*dir, static_cast<FleetTable>(i));
    std::error_code ec;
    if (i != 0 && !std::filesystem::exists(path, ec)) continue;  // no rows of that kind
    const std::string error = ReadFile(path, &tables[i], size_t{1} << 34);
    if (!error.empty()) {
      std::cerr << "callsight: " << path << ": cannot read: " << error << "\n";
      return kExitMisuse;
    }
  }
  Result<FleetSummary> summary = SummarizeFleet(tables, since.value_or(""));
  if (!summary.ok()) {
    std::cerr << "callsight: " << *dir << ": " << summary.status().message() << "\n";
    return kExitMisuse;
  }
  const std::string out =
      json ? FleetSummaryJson(summary.value(), 2) : FleetSummaryText(summary.value());
  return WriteStdout(out) ? kExitOk : kExitMisuse;
}

// ----------------------------------------------------------------- emodel --

int RunEModel(int argc, char** argv) {
  std::optional<double> ta, t, tr;
  EModelParams p;
  Args args(argc, argv, 2);
  std::string name;
  std::optional<std::string> inline_value;
  while (args.Next(&name, &inline_value)) {
    if (IsHelp(name)) {
      std::cout << kHelp;
      return kExitOk;
    }
    double* target = nullptr;
    if (name == "--ta" || name == "--t" || name == "--tr") {
      // Delays are resolved after all options are read (defaults depend on Ta).
    } else if (name == "--ppl") {
      target = &p.ppl;
    } else if (name == "--ie") {
      target = &p.ie;
    } else if (name == "--bpl") {
      target = &p.bpl;
    } else if (name == "--burstr") {
      target = &p.burst_r;
    } else {
      return Misuse("unknown option " + name + " for emodel");
    }
    const std::optional<std::string> text = args.Value(inline_value);
    if (!text) return Misuse(name + " needs a value");
    const std::optional<double> v = ParseNumber(*text);
    if (!v) return Misuse(name + " must be a number, not '" + *text + "'");
    if (target) {
      *target = *v;
    } else {
      (name == "--ta" ? ta : name == "--t" ? t : tr) = *v;
    }
  }
  if (!ta) return Misuse("emodel needs --ta MS");
  p.t_a = *ta;
  p.t = t ? *t : *ta;
  p.t_r = tr ? *tr : 2 * *ta;
  const EModelResult r = ComputeEModel(p);
  const auto round2 = [](double v) { return std::isfinite(v) ? std::round(v * 100) / 100 : v; };
  json::JsonWriter out;
  out.BeginObject().Key("r").Double(round2(r.r)).Key("mos").Double(round2(r.mos)).EndObject();
  return WriteStdout(out.Take()) ? kExitOk : kExitMisuse;
}

int Main(int argc, char** argv) {
  if (argc < 2) return Misuse("missing command");
  const std::string command = argv[1];
  if (IsHelp(command)) {
    std::cout << kUsage << "\n" << kHelp;
    return kExitOk;
  }
  if (command == "--version" || command == "-V") {
    std::cout << "callsight " << CALLSIGHT_VERSION << "\n";
    return kExitOk;
  }
  if (command == "analyze") return RunAnalyze(argc, argv);
  if (command == "emodel") return RunEModel(argc, argv);
  if (command == "fetch") return RunFetch(argc, argv);
  if (command == "fleet") return RunFleet(argc, argv);
  return Misuse("unknown command '" + command + "'");
}

}  // namespace
}  // namespace callsight

int main(int argc, char** argv) {
  try {
    return callsight::Main(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "callsight: internal error: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "callsight: internal error\n";
  }
  return 2;
}
