// The report's time formats (core/src/report/format.cpp).
#include "report/format.h"

#include <catch2/catch.hpp>

using namespace callsight::report;

TEST_CASE("format: one duration style, rounded to the second", "[format]") {
  CHECK(FormatDuration(0) == "0 s");
  CHECK(FormatDuration(-5000) == "0 s");
  CHECK(FormatDuration(44499) == "44 s");
  CHECK(FormatDuration(59500) == "1 min 0 s");
  CHECK(FormatDuration(110000) == "1 min 50 s");
  CHECK(FormatDuration(3600000 + 2 * 60000 + 3000) == "1 h 2 min");
}

TEST_CASE("format: clock and date in UTC, before 1970 too", "[format]") {
  CHECK(FormatClock(0) == "00:00:00");
  CHECK(FormatClock(1718119862480) == "15:31:02");
  CHECK(FormatClock(-1) == "23:59:59");
  CHECK(FormatDateTime(1718119862480) == "2024-06-11 15:31:02 UTC");
  CHECK(FormatDateTime(-86400000) == "1969-12-31 00:00:00 UTC");
}

TEST_CASE("format: a clock at a fixed offset from UTC names its zone", "[format][zone]") {
  CHECK(Clock().Zone() == "UTC");
  CHECK(Clock().Time(1718119862480) == "15:31:02");
  CHECK(Clock().DateTime(1718119862480) == "2024-06-11 15:31:02 UTC");
  CHECK(Clock(120).Zone() == "UTC+02:00");
  CHECK(Clock(120).Time(1718119862480) == "17:31:02");
  CHECK(Clock(-330).Zone() == "UTC-05:30");
  CHECK(Clock(-330).Time(1718119862480) == "10:01:02");
  // Across midnight the date moves too.
  CHECK(Clock(540).DateTime(1718119862480) == "2024-06-12 00:31:02 UTC+09:00");
  CHECK(Clock(-840).DateTime(0) == "1969-12-31 10:00:00 UTC-14:00");
}

TEST_CASE("format: the JSON duration field and numbers", "[format]") {
  CHECK(FormatHms(3661000) == "01:01:01");
  CHECK(FormatHms(100 * 3600000LL) == "100:00:00");
  CHECK(FormatHms(-1) == "00:00:00");
  CHECK(FormatNumber(9, 1) == "9.0");
  CHECK(FormatNumber(0.1234, 2) == "0.12");
}

TEST_CASE("addresses are masked: the last IPv4 octet, IPv6 after three groups", "[format]") {
  CHECK(MaskAddress("192.0.2.17") == "192.0.2.x");
  CHECK(MaskAddress("2001:db8:85a3::8a2e:370:7334") == "2001:db8:85a3:x:x:x:x:x");
  CHECK(MaskAddress("fd00::2") == "fd00:0:0:x:x:x:x:x");
  CHECK(MaskAddress("abcd-1234.local") == "abcd-1234.local");  // mDNS: no address
  CHECK(MaskAddress("x.x.x.x") == "x.x.x.x");                  // already masked
  CHECK(MaskAddress("") == "");
}
