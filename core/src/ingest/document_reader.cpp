// Readers for the small documents: session, session list, analytics events
// page, webhook-history page, webhook event. These are kilobytes, read whole into a JsonTree and
// then looked up by member name (members come in any order).
#include "ingest/document_reader.h"

#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/rfc3339.h"
#include "json/json_tree.h"
#include "util/ascii.h"

namespace callsight::ingest {

using json::EscapePointerToken;
using json::JsonCursor;
using json::JsonTree;
using json::JsonValue;

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

bool EndsWith(const std::string& s, std::string_view end) {
  return s.size() >= end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0;
}

// What a failure event says failed, from its lower-case type.
FailedOperation FailedOperationOf(const std::string& lower, bool has_error_code) {
  if (lower == "client.connect.failed") return FailedOperation::kConnect;
  if (lower == "client.join.failed" || lower == "peer.join.failure") return FailedOperation::kJoin;
  if (lower == "client.publish.failed") return FailedOperation::kPublish;
  if (lower == "client.subscribe.failed") return FailedOperation::kSubscribe;
  if (lower == "client.disconnected") return FailedOperation::kConnection;
  if (EndsWith(lower, ".failed") || EndsWith(lower, ".failure") || has_error_code) {
    return FailedOperation::kOther;
  }
  return FailedOperation::kNone;
}

// The event types callsight draws facts or findings from (lower case).
bool Interpreted(const std::string& lower) {
  static const char* const kTypes[] = {
      "session.open.success", "session.close.success", "peer.join.success",
      "peer.leave.success",   "peer.join.failure",     "track.add.success",
      "track.remove.success", "track.update.success",  "client.disconnected"};
  for (const char* t : kTypes) {
    if (lower == t) return true;
  }
  return lower.rfind("client.", 0) == 0 && EndsWith(lower, ".failed");
}

// 100ms's dotted event type ("peer.join.success"): words of lower-case
// letters, digits and '_' joined by dots, the first one a documented family.
bool IsPlatformEventType(const std::string& lower) {
  static const char* const kFamilies[] = {"peer",   "session", "room",          "track",
                                          "client", "role",    "recording",     "beam",
                                          "hls",    "stream",  "transcription", "ingest"};
  const size_t dot = lower.find('.');
  if (dot == std::string::npos || dot + 1 == lower.size()) return false;
  bool family = false;
  for (const char* f : kFamilies) family = family || lower.compare(0, dot, f) == 0;
  if (!family) return false;
  char prev = '.';
  for (char c : lower) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!word && !(c == '.' && prev != '.')) return false;
    prev = c;
  }
  return prev != '.';
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
    // device_model is "<Browser>_<version>" for web SDKs on desktops, with the
    // device in front on phones ("Samsung_mobile/Chrome_125.0.6422.113"), and a
    // device name for the native SDKs.
    std::string browser = Str(agent, "browser", at);
    if (browser.empty() && !info->device_model.empty()) {
      const size_t slash = info->device_model.rfind('/');
      const std::string last =
          slash == std::string::npos ? info->device_model : info->device_model.substr(slash + 1);
      const size_t us = last.find('_');
      const std::string sdk = LowerAscii(info->sdk);
      bool web = sdk.empty() || sdk == "web" || sdk == "js";
      if (us != std::string::npos && us > 0 && web) {
        browser = last.substr(0, us);
        info->browser_version = last.substr(us + 1);
      }
    }
    info->browser = browser;
    if (info->browser_version.empty()) info->browser_version = Str(agent, "browser_version", at);
  }

  // One event, from an analytics events page or a webhook. Its vocabulary
  // (type, reason, source, track type) is matched case-insensitively; the
  // event keeps what it says as written.
  void ReadEvent(const JsonValue& ev, const std::string& at, FactSource source) {
    if (!ev.is_object())
      return Error(at, std::string("an event must be an object, not ") + TypeWord(ev));
    const std::string type = Str(ev, "type", at);
    if (type.empty()) return Error(at, "the event has no type");
    const std::string lower = LowerAscii(type);
    JsonValue data = ev.Find("data");
    if (!data.is_object()) data = JsonValue();  // missing: no members, as an empty object
    const std::string dat = at + "/data";
    const std::string session_id = Str(data, "session_id", dat);
    const std::string peer_id = Str(data, "peer_id", dat);
    const std::string room_id = Str(data, "room_id", dat);
    // Only for the fleet tables: taken when it is text, never an error.
    const JsonValue room_name_value = data.Find("room_name");
    const std::string room_name =
        room_name_value.is_string() ? std::string(room_name_value.text()) : std::string();
    std::optional<int64_t> time = Time(ev, "timestamp", at);
    if (failed_) return;

    // Session-level facts.
    if (lower == "session.open.success" || lower == "session.close.success") {
      SessionFact sf;
      sf.session_id = session_id;
      sf.room_id = room_id;
      sf.room_name = room_name;
      sf.start_ms = Time(data, "session_started_at", dat);
      if (lower == "session.close.success") sf.end_ms = Time(data, "session_stopped_at", dat);
      if (!sf.session_id.empty()) out_->sessions.push_back(sf);
      if (!time) time = lower == "session.open.success" ? sf.start_ms : sf.end_ms;
    } else if (!session_id.empty()) {
      out_->sessions.push_back(
          SessionFact{session_id, room_id, std::nullopt, std::nullopt, room_name});
    }

    const LeaveReason reason = lower == "peer.leave.success"
                                   ? LeaveReasonFromText(Str(data, "reason", dat))
                                   : LeaveReason::kNone;
    if (!peer_id.empty()) {
      ReadEventPeer(ev, data, lower, {session_id, room_id, peer_id, source}, at, &time);
    }

    std::string track_id = Str(data, "track_id", dat);
    if (!session_id.empty() && !track_id.empty() && !peer_id.empty() &&
        lower.rfind("track.", 0) == 0) {
      out_->track_owners.push_back({session_id, track_id, peer_id});
    }
    if (failed_) return;
    if (!time) {
      Warning(at, "event " + type + " has no usable timestamp and was left out of the event log");
      return;
    }

    StagedEvent se;
    se.session_id = session_id;
    se.room_id = room_id;
    se.event_id = Str(ev, "id", at);
    Event& e = se.event;
    e.time_ms = *time;
    e.peer_id = peer_id;
    e.type = type;
    e.track_id = std::move(track_id);
    e.source = source_;
    e.failed = FailedOperationOf(lower, data.Has("error_code"));
    e.is_error = e.failed != FailedOperation::kNone;
    if (e.is_error) {
      e.error_code = Str(data, "error_code", dat);
      e.error_name = Str(data, "error_name", dat);
      e.error_message = Str(data, "error_message", dat);
      if (e.error_message.empty()) e.error_message = Str(data, "error_description", dat);
      e.is_terminal = Bool(data, "is_terminal");
      e.action = Str(data, "action", dat);
    }
    e.leave_reason = reason;
    if (reason != LeaveReason::kNone) e.leave_reason_raw = Str(data, "reason", dat);
    e.uninterpreted = !Interpreted(lower);
    if (e.uninterpreted) NoteUninterpreted(type, at);
    ReadEventFacts(lower, data, dat, &e);
    out_->events.push_back(std::move(se));
  }

  // Who an event is about, and where it comes from.
  struct EventWho {
    const std::string& session_id;
    const std::string& room_id;
    const std::string& peer_id;
    FactSource source;
  };

  // The peer facts of an event with a peer_id (kept without a session when
  // the event has none: Finish gives them the session its event joins).
  void ReadEventPeer(const JsonValue& ev, const JsonValue& data, const std::string& lower,
                     const EventWho& who, const std::string& at, std::optional<int64_t>* time) {
    const std::string dat = at + "/data";
    PeerFact pf;
    pf.session_id = who.session_id;
    if (who.session_id.empty()) pf.room_id = who.room_id;
    pf.peer_id = who.peer_id;
    pf.source = who.source;
    pf.info.name = Str(data, "user_name", dat);
    if (pf.info.name.empty()) pf.info.name = Str(data, "name", dat);
    pf.info.user_id = Str(data, "user_id", dat);
    pf.info.role = Str(data, "role", dat);
    const bool join = lower == "peer.join.success";
    const bool leave = lower == "peer.leave.success";
    if (join || leave) pf.info.joined_ms = Time(data, "joined_at", dat);
    if (leave) {
      pf.info.left_ms = Time(data, "left_at", dat);
      pf.info.end_reason = Str(data, "reason", dat);
      pf.info.end_reason_kind = LeaveReasonFromText(pf.info.end_reason);
      if (!*time) *time = pf.info.left_ms;
    }
    if (join && !*time) *time = pf.info.joined_ms;
    // The agent object usually sits in data, sometimes beside it.
    JsonValue agent = data.Find("agent");
    if (agent.missing()) agent = ev.Find("agent");
    ReadAgent(agent, &pf.info, at + "/data/agent");
    out_->peers.push_back(std::move(pf));
  }

  // One entry of a webhook-history page (GET /v2/analytics/webhooks): a
  // delivery record in its session's log. It infers no presence and no peer.
  void ReadDelivery(const JsonValue& ev, const std::string& at) {
    if (!ev.is_object())
      return Error(at,
                   std::string("a webhook-history entry must be an object, not ") + TypeWord(ev));
    const std::string name = Str(ev, "event_name", at);
    if (name.empty()) return Error(at, "the webhook-history entry has no event_name");
    std::optional<int64_t> time = Time(ev, "event_timestamp", at);
    JsonValue payload = ev.Find("payload");
    if (!payload.is_object()) payload = JsonValue();
    const std::string pat = at + "/payload";
    JsonValue ids = payload.Find("event_data");
    if (!ids.is_object()) ids = JsonValue();
    const std::string ida = pat + "/event_data";
    StagedEvent se;
    se.session_id = Str(ids, "session_id", ida);
    se.room_id = Str(ev, "room_id", at);
    if (se.room_id.empty()) se.room_id = Str(ids, "room_id", ida);
    se.event_id = Str(ev, "event_id", at);
    Event& e = se.event;
    e.peer_id = Str(ids, "peer_id", ida);
    e.type = name;
    e.source = source_;
    WebhookDelivery d;
    d.original_type = Str(payload, "original_event_name", pat);
    d.error_reason = Str(payload, "error_reason", pat);
    d.webhook_url = Str(payload, "webhook_url", pat);
    const std::string lower = LowerAscii(name);
    d.failed = EndsWith(lower, ".failed") || EndsWith(lower, ".failure") || !d.error_reason.empty();
    if (failed_) return;
    if (!time) {
      Warning(at, "webhook delivery " + name +
                      " has no usable event_timestamp and was left out of the event log");
      return;
    }
    e.time_ms = *time;
    e.delivery = std::move(d);
    if (!se.session_id.empty()) {
      out_->sessions.push_back(
          SessionFact{se.session_id, se.room_id, std::nullopt, std::nullopt, {}});
    }
    out_->events.push_back(std::move(se));
  }

  // What the report says of an event, as typed facts (the words are the
  // report's): a track's type, source and mute; the role joined as; whether a
  // failure said if it was terminal.
  void ReadEventFacts(const std::string& lower, const JsonValue& data, const std::string& dat,
                      Event* e) {
    if (lower.rfind("track.", 0) == 0) {
      e->track_type = Str(data, "type", dat);
      e->track_source = Str(data, "source", dat);
      const JsonValue mute = data.Find("mute");
      if (lower == "track.update.success" && mute.is_bool()) e->mute = mute.is_true();
    }
    if (lower == "peer.join.success") e->role = Str(data, "role", dat);
    if (e->is_error) e->terminal_given = data.Has("is_terminal");
  }

  // One info message per event type this document holds that callsight
  // keeps without interpreting, at its first event.
  void NoteUninterpreted(const std::string& type, const std::string& at) {
    const std::string lower = LowerAscii(type);
    for (const std::string& seen : uninterpreted_) {
      if (seen == lower) return;
    }
    uninterpreted_.push_back(lower);
    messages_->push_back({InputMessage::Level::kInfo, 0, at,
                          "event type " + type +
                              " is kept in the event log as it is; callsight draws no "
                              "finding from it"});
  }

  // Whether the document is a 100ms event by its envelope: version, id and
  // timestamp present, a dotted type of a 100ms event family, a data object.
  static bool IsEventEnvelope(const JsonValue& doc) {
    const JsonValue type = doc.Find("type");
    return doc.Has("version") && doc.Has("id") && doc.Has("timestamp") && type.is_string() &&
           doc.Find("data").is_object() &&
           IsPlatformEventType(LowerAscii(std::string(type.text())));
  }

 private:
  std::string source_;
  Fragment* out_;
  std::vector<InputMessage>* messages_;
  bool failed_ = false;
  std::vector<std::string> uninterpreted_;  // lower-case types already noted
};

// A webhook-history page (GET /v2/analytics/webhooks): its entries have
// event_name and payload, or the page has pagination and no entry has a type.
bool IsWebhookHistory(const JsonValue& doc, const JsonValue& events) {
  const std::vector<JsonValue> list = events.Elements();
  if (list.empty()) return doc.Has("pagination") && !doc.Has("limit");
  const JsonValue first = list.front();
  return first.is_object() && first.Has("event_name") && !first.Has("type");
}

std::string MemberList(const JsonValue& doc) {
  const auto members = doc.Members();
  std::string keys;
  for (size_t n = 0; n < members.size() && n < 6; ++n) {
    keys += (n ? ", " : "") + std::string(members[n].first);
  }
  if (members.size() > 6) keys += ", ...";
  return keys.empty() ? std::string("none") : keys;
}

// Why an object is not a 100ms document, naming what it looks like when it
// is a known foreign format.
std::string NotA100msDocument(const JsonValue& doc) {
  std::string what;
  if (doc.Has("PeerConnections") || doc.Has("getUserMedia") || doc.Has("UserAgent")) {
    what = "a Chrome webrtc-internals dump";
  } else if (doc.Has("statsSessionId")) {
    what = "Jitsi server stats (statsSessionId, type, data)";
  } else if (doc.Has("eventName") && (doc.Has("conferenceId") || doc.Has("peerId") ||
                                      doc.Has("connectionId") || doc.Has("participant"))) {
    what = "peermetrics events";
  } else if (doc.Find("type").is_string() || doc.Has("data")) {
    const JsonValue type = doc.Find("type");
    what = std::string("an event without 100ms's webhook envelope (version, id, timestamp, a ") +
           "dotted type of a 100ms event family, a data object)" +
           (type.is_string() ? "; its type is \"" + std::string(type.text()) + "\"" : "");
  }
  if (!what.empty()) return "this is " + what + ", not a 100ms export; " + kWhatCallsightReads;
  return "not a 100ms export callsight knows (an object with keys: " + MemberList(doc) + "); " +
         kWhatCallsightReads;
}

}  // namespace

const char kWhatCallsightReads[] =
    "callsight reads 100ms exports (JSON): peer-stats, a session, a session list, an analytics "
    "events page, a webhook-history page or webhook events; and browsers' stats dumps "
    "(chrome://webrtc-internals, rtcstats)";

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
  const JsonValue events = doc.Find("events");
  if (events.is_array() && IsWebhookHistory(doc, events)) {
    result.kind = InputKind::kWebhookHistory;
    const std::vector<JsonValue> list = events.Elements();
    for (size_t i = 0; i < list.size() && !r.failed(); ++i) {
      r.ReadDelivery(list[i], prefix + "/events/" + std::to_string(i));
    }
  } else if (events.is_array()) {
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
  } else if (DocReader::IsEventEnvelope(doc)) {
    result.kind = InputKind::kWebhookEvents;
    r.ReadEvent(doc, prefix, FactSource::kWebhook);
  } else {
    r.Error(prefix, NotA100msDocument(doc));
  }
  return result;
}

}  // namespace callsight::ingest
