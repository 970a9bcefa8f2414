// Readers for the small documents: session, session list, analytics events
// page, webhook event. These are kilobytes, read whole into a JsonTree and
// then looked up by member name (members come in any order).
#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/fragment.h"
#include "ingest/json_tree.h"

namespace callsight::ingest {
namespace {

const char* TypeWord(const JsonValue& v) {
  if (v.is_object()) return "an object";
  if (v.is_array()) return "an array";
  if (v.is_string()) return "a string";
  if (v.is_bool()) return "a boolean";
  if (v.is_null()) return "null";
  return "a number";
}

// The text of an integer that fits 64 bits, as written without a leading
// minus on zero ("12", "-3", "0" for "-0"); nothing for other numbers.
std::optional<std::string> IntegerText(std::string_view number) {
  if (number.find_first_of(".eE") != std::string_view::npos) return std::nullopt;
  const char* first = number.data();
  const char* last = first + number.size();
  if (number.front() == '-') {
    int64_t v;
    auto [end, ec] = std::from_chars(first, last, v);
    if (ec != std::errc() || end != last) return std::nullopt;
    return std::to_string(v);
  }
  uint64_t v;
  auto [end, ec] = std::from_chars(first, last, v);
  if (ec != std::errc() || end != last) return std::nullopt;
  return std::to_string(v);
}

// Collects messages while reading one document.
class DocReader {
 public:
  DocReader(std::string source, Fragment* out, std::vector<InputMessage>* messages)
      : source_(std::move(source)), out_(out), messages_(messages) {}

  bool failed() const { return failed_; }

  void Error(const std::string& pointer, std::string text) {
    messages_->push_back({InputMessage::Level::kError, 0, pointer, std::move(text)});
    failed_ = true;
  }
  void Warning(const std::string& pointer, std::string text) {
    messages_->push_back({InputMessage::Level::kWarning, 0, pointer, std::move(text)});
  }

  // A string field: missing or null -> "". Numbers are accepted as their text
  // (ids and error codes are sometimes numeric). Anything else is an error.
  std::string Str(const JsonValue& obj, const char* key, const std::string& at) {
    const JsonValue v = obj.Find(key);
    if (v.missing() || v.is_null()) return std::string();
    if (v.is_string()) return std::string(v.text());
    if (v.is_number()) {
      if (auto integer = IntegerText(v.text())) return *std::move(integer);
    }
    Error(at + "/" + EscapePointerToken(key),
          std::string(key) + " must be a string, not " + TypeWord(v));
    return std::string();
  }

  // An RFC 3339 time field: missing, null, "" or the zero time -> nullopt.
  std::optional<int64_t> Time(const JsonValue& obj, const char* key, const std::string& at) {
    const JsonValue v = obj.Find(key);
    if (v.missing() || v.is_null()) return std::nullopt;
    if (!v.is_string()) {
      Error(at + "/" + EscapePointerToken(key),
            std::string(key) + " must be an RFC 3339 time string, not " + TypeWord(v));
      return std::nullopt;
    }
    const std::string_view s = v.text();
    if (s.empty() || s.rfind("0001-01-01", 0) == 0) return std::nullopt;
    auto t = ParseRfc3339(s);
    if (!t) {
      Error(at + "/" + EscapePointerToken(key),
            std::string(key) + " \"" + std::string(s) + "\" is not an RFC 3339 time");
    }
    return t;
  }

  bool Bool(const JsonValue& obj, const char* key) { return obj.Find(key).is_true(); }

  void ReadSession(const JsonValue& s, const std::string& at) {
    if (!s.is_object())
      return Error(at, std::string("a session must be an object, not ") + TypeWord(s));
    SessionFact fact;
    fact.session_id = Str(s, "id", at);
    fact.room_id = Str(s, "room_id", at);
    fact.start_ms = Time(s, "created_at", at);
    if (fact.session_id.empty()) return Error(at, "the session has no id");
    const JsonValue peers = s.Find("peers");
    if (!peers.missing() && !peers.is_null()) {
      if (peers.is_object()) {
        for (const auto& [key, peer] : peers.Members()) {
          ReadSessionPeer(fact.session_id, key, peer, at + "/peers/" + EscapePointerToken(key));
        }
      } else if (peers.is_array()) {
        const std::vector<JsonValue> list = peers.Elements();
        for (size_t i = 0; i < list.size(); ++i) {
          ReadSessionPeer(fact.session_id, "", list[i], at + "/peers/" + std::to_string(i));
        }
      } else {
        Error(at + "/peers",
              std::string("peers must be an object or an array, not ") + TypeWord(peers));
      }
    }
    out_->sessions.push_back(std::move(fact));
  }

  void ReadSessionPeer(const std::string& session_id, std::string_view key, const JsonValue& p,
                       const std::string& at) {
    if (!p.is_object())
      return Error(at, std::string("a peer must be an object, not ") + TypeWord(p));
    PeerFact f;
    f.session_id = session_id;
    f.source = FactSource::kSession;
    f.peer_id = Str(p, "id", at);
    if (f.peer_id.empty()) f.peer_id = Str(p, "peer_id", at);
    if (f.peer_id.empty()) f.peer_id = std::string(key);
    if (f.peer_id.empty()) return Error(at, "the peer has no id");
    f.info.name = Str(p, "name", at);
    f.info.role = Str(p, "role", at);
    f.info.user_id = Str(p, "user_id", at);
    if (f.info.user_id.empty()) f.info.user_id = Str(p, "user", at);
    f.info.joined_ms = Time(p, "joined_at", at);
    f.info.left_ms = Time(p, "left_at", at);
    out_->peers.push_back(std::move(f));
  }

  void ReadAgent(const JsonValue& agent, PeerInfo* info, const std::string& at) {
    if (!agent.is_object()) return;
    info->sdk = Str(agent, "sdk", at);
    info->sdk_version = Str(agent, "sdk_version", at);
    info->os = Str(agent, "os", at);
    info->os_version = Str(agent, "os_version", at);
    info->framework = Str(agent, "framework", at);
    info->device_model = Str(agent, "device_model", at);
    info->platform = Str(agent, "platform", at);
    if (info->platform.empty()) info->platform = info->sdk;
    // device_model is "<Browser>_<version>" for web SDKs, a device name otherwise.
    std::string browser = Str(agent, "browser", at);
    if (browser.empty() && !info->device_model.empty()) {
      size_t us = info->device_model.find('_');
      bool web = info->sdk.empty() || info->sdk == "web" || info->sdk == "js";
      if (us != std::string::npos && web) {
        browser = info->device_model.substr(0, us);
        info->browser_version = info->device_model.substr(us + 1);
      }
    }
    info->browser = browser;
    if (info->browser_version.empty()) info->browser_version = Str(agent, "browser_version", at);
  }

  // One event, from an analytics events page or a webhook.
  void ReadEvent(const JsonValue& ev, const std::string& at, FactSource source) {
    if (!ev.is_object())
      return Error(at, std::string("an event must be an object, not ") + TypeWord(ev));
    std::string type = Str(ev, "type", at);
    if (type.empty()) return Error(at, "the event has no type");
    JsonValue data = ev.Find("data");
    if (!data.is_object()) data = JsonValue();  // missing: no members, as an empty object
    std::string dat = at + "/data";
    std::string session_id = Str(data, "session_id", dat);
    std::string peer_id = Str(data, "peer_id", dat);
    std::optional<int64_t> time = Time(ev, "timestamp", at);
    if (failed_) return;

    // Session-level facts.
    if (type == "session.open.success" || type == "session.close.success") {
      SessionFact sf;
      sf.session_id = session_id;
      sf.room_id = Str(data, "room_id", dat);
      sf.start_ms = Time(data, "session_started_at", dat);
      if (type == "session.close.success") sf.end_ms = Time(data, "session_stopped_at", dat);
      if (!sf.session_id.empty()) out_->sessions.push_back(sf);
      if (!time) time = type == "session.open.success" ? sf.start_ms : sf.end_ms;
    } else if (!session_id.empty()) {
      SessionFact sf;
      sf.session_id = session_id;
      sf.room_id = Str(data, "room_id", dat);
      out_->sessions.push_back(sf);
    }
    if (session_id.empty()) {
      ++ignored_;  // room- or account-level events say nothing about a session
      return;
    }

    // Peer facts.
    if (!peer_id.empty()) {
      PeerFact pf;
      pf.session_id = session_id;
      pf.peer_id = peer_id;
      pf.source = source;
      pf.info.name = Str(data, "user_name", dat);
      if (pf.info.name.empty()) pf.info.name = Str(data, "name", dat);
      pf.info.user_id = Str(data, "user_id", dat);
      pf.info.role = Str(data, "role", dat);
      if (type == "peer.join.success" || type == "peer.leave.success") {
        pf.info.joined_ms = Time(data, "joined_at", dat);
      }
      if (type == "peer.leave.success") {
        pf.info.left_ms = Time(data, "left_at", dat);
        pf.info.end_reason = Str(data, "reason", dat);
        if (!time) time = pf.info.left_ms;
      }
      if (type == "peer.join.success" && !time) time = pf.info.joined_ms;
      // The agent object usually sits in data, sometimes beside it.
      JsonValue agent = data.Find("agent");
      if (agent.missing()) agent = ev.Find("agent");
      ReadAgent(agent, &pf.info, at + "/data/agent");
      out_->peers.push_back(std::move(pf));
    }

    std::string track_id = Str(data, "track_id", dat);
    if (!track_id.empty() && !peer_id.empty() && type.rfind("track.", 0) == 0) {
      out_->track_owners.push_back({session_id, track_id, peer_id});
    }
    if (failed_) return;
    if (!time) {
      Warning(at, "event " + type + " has no usable timestamp and was left out of the event log");
      return;
    }

    StagedEvent se;
    se.session_id = session_id;
    se.event_id = Str(ev, "id", at);
    Event& e = se.event;
    e.time_ms = *time;
    e.peer_id = peer_id;
    e.type = type;
    e.track_id = track_id;
    e.source = source_;
    bool failure = type.size() > 7 && (type.compare(type.size() - 7, 7, ".failed") == 0 ||
                                       type.compare(type.size() - 8, 8, ".failure") == 0);
    e.is_error = failure || type == "client.disconnected" || data.Has("error_code");
    if (e.is_error) {
      e.error_code = Str(data, "error_code", dat);
      e.error_name = Str(data, "error_name", dat);
      e.error_message = Str(data, "error_message", dat);
      if (e.error_message.empty()) e.error_message = Str(data, "error_description", dat);
      e.is_terminal = Bool(data, "is_terminal");
      e.action = Str(data, "action", dat);
      if (e.action.empty()) {
        // client.connect.failed -> connect; peer.join.failure -> join
        size_t a = type.find('.');
        size_t b = type.find('.', a + 1);
        if (a != std::string::npos && b != std::string::npos)
          e.action = type.substr(a + 1, b - a - 1);
        if (e.action == "disconnected") e.action = "connection";
      }
      if (e.action.empty()) e.action = type;
    }
    e.detail = Describe(type, data, e, dat);
    out_->events.push_back(std::move(se));
  }

  std::string Describe(const std::string& type, const JsonValue& data, const Event& e,
                       const std::string& dat) {
    std::string kind = Str(data, "type", dat);
    std::string src = Str(data, "source", dat);
    std::string what = (src.empty() || src == "regular" ? "" : src + " ") +
                       (kind.empty() ? "" : kind + " ") + "track";
    if (type == "peer.join.success") {
      std::string role = Str(data, "role", dat);
      return role.empty() ? "joined" : "joined as " + role;
    }
    if (type == "peer.leave.success") {
      std::string reason = Str(data, "reason", dat);
      return reason.empty() ? "left" : "left: " + reason;
    }
    if (type == "session.open.success") return "session started";
    if (type == "session.close.success") return "session ended";
    if (type == "track.add.success") return "started " + what;
    if (type == "track.remove.success") return "stopped " + what;
    if (type == "track.update.success") {
      const JsonValue mute = data.Find("mute");
      if (mute.is_bool()) return (mute.is_true() ? "muted " : "unmuted ") + what;
      return "updated " + what;
    }
    if (e.is_error) {
      std::string s = e.action + " failed";
      if (type == "client.disconnected") s = "disconnected";
      if (!e.error_name.empty()) s += ": " + e.error_name;
      if (!e.error_code.empty()) s += " (" + e.error_code + ")";
      if (!e.error_message.empty()) s += " " + e.error_message;
      s += e.is_terminal ? " [terminal]" : " [retried]";
      return s;
    }
    return type;
  }

  size_t ignored() const { return ignored_; }

 private:
  std::string source_;
  Fragment* out_;
  std::vector<InputMessage>* messages_;
  bool failed_ = false;
  size_t ignored_ = 0;
};

}  // namespace

DocumentResult ReadSmallDocument(std::string_view bytes, int max_depth, const std::string& prefix,
                                 const std::string& source, Fragment* out) {
  DocumentResult result;
  DocReader r(source, out, &result.messages);
  JsonCursor cursor(bytes, max_depth);
  JsonTree tree;
  if (!tree.Read(&cursor) || !cursor.AtEnd()) {
    r.Error(
        prefix + cursor.error_pointer(),
        "the document is not valid JSON: " + (cursor.failed() ? cursor.error() : "text after it"));
    return result;
  }
  const JsonValue doc = tree.root();
  if (!doc.is_object()) {
    r.Error(prefix, std::string("expected an object, found ") + TypeWord(doc));
    return result;
  }
  const JsonValue data = doc.Find("data");
  if (const JsonValue events = doc.Find("events"); events.is_array()) {
    result.kind = InputKind::kAnalyticsEvents;
    const std::vector<JsonValue> list = events.Elements();
    for (size_t i = 0; i < list.size() && !r.failed(); ++i) {
      r.ReadEvent(list[i], prefix + "/events/" + std::to_string(i), FactSource::kEvent);
    }
  } else if ((data.is_array() || data.is_null()) &&
             (doc.Has("limit") || doc.Has("last") || data.is_array())) {
    result.kind = InputKind::kSessionList;
    const std::vector<JsonValue> list = data.Elements();
    for (size_t i = 0; i < list.size() && !r.failed(); ++i) {
      r.ReadSession(list[i], prefix + "/data/" + std::to_string(i));
    }
    if (list.empty()) r.Warning(prefix + "/data", "the session list is empty");
  } else if (doc.Has("id") && doc.Has("peers")) {
    result.kind = InputKind::kSession;
    r.ReadSession(doc, prefix);
  } else if (doc.Find("type").is_string() && data.is_object()) {
    result.kind = InputKind::kWebhookEvents;
    r.ReadEvent(doc, prefix, FactSource::kWebhook);
  } else {
    const auto members = doc.Members();
    std::string keys;
    for (size_t n = 0; n < members.size() && n < 6; ++n) {
      keys += (n ? ", " : "") + std::string(members[n].first);
    }
    if (members.size() > 6) keys += ", ...";
    r.Error(prefix, "not a 100ms export callsight knows (an object with keys: " +
                        (keys.empty() ? std::string("none") : keys) +
                        "); expected peer-stats, a session, a session list, an analytics "
                        "events page or a webhook event");
  }
  return result;
}

}  // namespace callsight::ingest
