// A getstats value parsed into StatsValues: members as views of the line,
// format 3's codes decompressed, the derived and bookkeeping members left
// out; the plain parse gives up (leaving nothing behind) where the JSON
// cursor must read, and the cursor's parse says what is wrong.
#include "ingest/rtcstats_stats.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "json/json_cursor.h"

using namespace callsight;
using namespace callsight::ingest;

namespace {

const StatsMember* FindMember(const StatsValues& v, const StatsObjectDelta& o,
                              std::string_view key) {
  for (size_t i = o.first; i < o.first + o.count; ++i) {
    if (v.members[i].key == key) return &v.members[i];
  }
  return nullptr;
}

bool Within(std::string_view view, const std::string& text) {
  return view.data() >= text.data() && view.data() + view.size() <= text.data() + text.size();
}

}  // namespace

TEST_CASE("A plain getstats value becomes objects and members viewing the line",
          "[rtcstats_stats]") {
  const std::string line =
      R"({"timestamp":1000,"OT1":{"type":"outbound-rtp","id":"OT1","timestamp":990,)"
      R"("bytesSent":1200,"rid":"q","active":true,"[bytesSent_in_bits/s]":9600,)"
      R"("qualityLimitationDurations":{"none": 1.5},"x":null},"gone":null})";
  StatsValues values;
  StatsValue value;
  const size_t end = ParsePlainStatsValue(line, 0, 0, 32, /*v3=*/false, &values, &value);
  REQUIRE(end == line.size());
  CHECK(value.has_top);
  CHECK(value.top == 1000);
  REQUIRE(value.object_count == 2);
  const StatsObjectDelta& o = values.objects[value.first_object];
  CHECK(o.id == "OT1");
  CHECK(o.type == "outbound-rtp");
  CHECK(o.has_time);
  CHECK(o.time == 990);
  CHECK(o.count == 5);  // type, id, timestamp and the derived member are not members
  CHECK(FindMember(values, o, "[bytesSent_in_bits/s]") == nullptr);
  REQUIRE(FindMember(values, o, "bytesSent"));
  CHECK(FindMember(values, o, "bytesSent")->number == 1200);
  const StatsMember* rid = FindMember(values, o, "rid");
  REQUIRE(rid);
  CHECK(rid->type == StatsMember::Type::kText);
  CHECK(rid->text == "q");
  CHECK(Within(rid->text, line));  // a view, not a copy
  CHECK(FindMember(values, o, "active")->text == "true");
  const StatsMember* q = FindMember(values, o, "qualityLimitationDurations");
  CHECK(q->type == StatsMember::Type::kObject);
  CHECK(q->text == R"({"none":1.5})");  // compact JSON
  CHECK(FindMember(values, o, "x")->type == StatsMember::Type::kNull);
  CHECK(values.objects[value.first_object + 1].removed);
}

TEST_CASE("Format 3 keys and type codes are decompressed", "[rtcstats_stats]") {
  const std::string line = R"({"t":5,"IT1":{"type":1,"4":111,"t":7}})";
  StatsValues values;
  StatsValue value;
  REQUIRE(ParsePlainStatsValue(line, 0, 0, 32, /*v3=*/true, &values, &value) == line.size());
  CHECK(value.top == 5);
  const StatsObjectDelta& o = values.objects[0];
  CHECK(o.type == "inbound-rtp");
  CHECK(o.time == 7);
  REQUIRE(o.count == 1);
  CHECK(values.members[o.first].key == "payloadType");
}

TEST_CASE("The plain parse gives up on escapes and leaves its values as they were",
          "[rtcstats_stats]") {
  StatsValues values;
  StatsValue value;
  const std::string good = R"({"A":{"n":1}})";
  REQUIRE(ParsePlainStatsValue(good, 0, 0, 32, false, &values, &value) > 0);
  const std::string escaped = R"({"B":{"n":2,"s":"a\"b"}})";
  CHECK(ParsePlainStatsValue(escaped, 0, 0, 32, false, &values, &value) == 0);
  CHECK(values.objects.size() == 1);
  CHECK(values.members.size() == 1);
  // The cursor reads it, decoding the string into text the values keep.
  json::JsonCursor c(escaped, 32);
  std::vector<InputMessage> messages;
  REQUIRE(ParseStatsValue(&c, escaped, false, 4, &values, &value, &messages));
  CHECK(messages.empty());
  const StatsObjectDelta& b = values.objects[value.first_object];
  REQUIRE(FindMember(values, b, "s"));
  CHECK(FindMember(values, b, "s")->text == "a\"b");
}

TEST_CASE("The cursor's parse names the line and what is wrong", "[rtcstats_stats]") {
  StatsValues values;
  StatsValue value;
  std::vector<InputMessage> messages;
  const std::string not_object = "[1,2]";
  json::JsonCursor c1(not_object, 32);
  CHECK_FALSE(ParseStatsValue(&c1, not_object, false, 7, &values, &value, &messages));
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].line == 7);
  CHECK(messages[0].pointer == "/2");
  CHECK(messages[0].text == "line 7: the getstats value should be an object of stats objects");
  const std::string bad_object = R"({"A":3})";
  json::JsonCursor c2(bad_object, 32);
  CHECK_FALSE(ParseStatsValue(&c2, bad_object, false, 8, &values, &value, &messages));
  REQUIRE(messages.size() == 2);
  CHECK(messages[1].pointer == "/2/A");
  CHECK(messages[1].text == "line 8: stats object A should be a JSON object");
}

TEST_CASE("A whole getstats line: its connection, value and time element", "[rtcstats_stats]") {
  StatsValues values;
  PlainStatsLine line;
  // Jitsi: the 4th element is the time; a 5th (a sequence number) follows.
  REQUIRE(ParsePlainStatsLine(R"(["getstats","PC_0",{"A":{"n":1}},1700000000000,12])", false, 32,
                              &values, &line));
  CHECK(line.connection == "PC_0");
  CHECK(line.has_time);
  CHECK(line.time == 1700000000000.0);
  CHECK(line.value.object_count == 1);
  // Format 3: method code 1, the last element is the time since the line before.
  REQUIRE(ParsePlainStatsLine(R"([1,"0-1",{"A":{"n":2}},"x",1000])", true, 32, &values, &line));
  CHECK(line.time == 1000);
  // Not a getstats line, a null connection, a null value, trailing text, a
  // text time: left to the reader.
  const size_t objects = values.objects.size();
  CHECK_FALSE(ParsePlainStatsLine(R"(["create","PC_0",{},1])", false, 32, &values, &line));
  CHECK_FALSE(ParsePlainStatsLine(R"(["getstats",null,{"A":{}},1])", false, 32, &values, &line));
  CHECK_FALSE(ParsePlainStatsLine(R"(["getstats","PC_0",null,1])", false, 32, &values, &line));
  CHECK_FALSE(
      ParsePlainStatsLine(R"(["getstats","PC_0",{"A":{}},1] x)", false, 32, &values, &line));
  CHECK(values.objects.size() == objects);
  REQUIRE(ParsePlainStatsLine(R"(["getstats","PC_0",{"A":{}},"late"])", false, 32, &values, &line));
  CHECK_FALSE(line.has_time);
}
