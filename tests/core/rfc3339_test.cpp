// RFC 3339 timestamps (core/src/ingest/rfc3339.cpp): the form 100ms writes
// times in, to epoch milliseconds.
#include "ingest/rfc3339.h"

#include <catch2/catch.hpp>

using callsight::ParseRfc3339;

TEST_CASE("RFC 3339 timestamps with 0 to 9 fraction digits", "[rfc3339]") {
  CHECK(ParseRfc3339("1970-01-01T00:00:00Z") == 0);
  CHECK(ParseRfc3339("2023-11-14T22:13:20Z") == 1700000000000LL);
  CHECK(ParseRfc3339("2023-11-14T22:13:20.5Z") == 1700000000500LL);
  CHECK(ParseRfc3339("2023-11-14T22:13:20.65Z") == 1700000000650LL);
  CHECK(ParseRfc3339("2023-11-14T22:13:20.123Z") == 1700000000123LL);
  CHECK(ParseRfc3339("2023-11-14T22:13:20.736511342Z") == 1700000000736LL);
  CHECK(ParseRfc3339("2023-11-14T23:13:20+01:00") == 1700000000000LL);
  CHECK(ParseRfc3339("2024-02-29T00:00:00Z").has_value());
  CHECK_FALSE(ParseRfc3339("2023-02-29T00:00:00Z").has_value());
  CHECK_FALSE(ParseRfc3339("0001-01-01T00:00:00Z").has_value());  // "not set"
  CHECK_FALSE(ParseRfc3339("2023-11-14T22:13:20.1234567890Z").has_value());
  CHECK_FALSE(ParseRfc3339("2023-11-14T22:13:20").has_value());
  CHECK_FALSE(ParseRfc3339("2023-13-14T22:13:20Z").has_value());
  CHECK_FALSE(ParseRfc3339("yesterday").has_value());
  CHECK_FALSE(ParseRfc3339("").has_value());
}

TEST_CASE("RFC 3339: offsets either way, lower-case and space separators", "[rfc3339]") {
  CHECK(ParseRfc3339("2023-11-14T21:13:20-01:00") == 1700000000000LL);
  CHECK(ParseRfc3339("2023-11-15T03:43:20+05:30") == 1700000000000LL);
  CHECK(ParseRfc3339("2023-11-14t22:13:20z") == 1700000000000LL);
  CHECK(ParseRfc3339("2023-11-14 22:13:20Z") == 1700000000000LL);
  CHECK_FALSE(ParseRfc3339("2023-11-14T22:13:20+0100").has_value());  // the colon is required
  CHECK_FALSE(ParseRfc3339("2023-11-14T22:13:20+24:00").has_value());
  CHECK_FALSE(ParseRfc3339("2023-11-14T22:13:20+01:60").has_value());
}

TEST_CASE("RFC 3339: fields out of range, a leap second, text around it", "[rfc3339]") {
  CHECK_FALSE(ParseRfc3339("2023-04-31T00:00:00Z").has_value());
  CHECK_FALSE(ParseRfc3339("2023-11-00T00:00:00Z").has_value());
  CHECK_FALSE(ParseRfc3339("2023-11-14T24:00:00Z").has_value());
  CHECK_FALSE(ParseRfc3339("2023-11-14T22:60:00Z").has_value());
  CHECK_FALSE(ParseRfc3339("1900-02-29T00:00:00Z").has_value());  // a century is no leap year
  CHECK(ParseRfc3339("2000-02-29T00:00:00Z").has_value());        // but every 400th is
  // A leap second counts as the second before it.
  CHECK(ParseRfc3339("2016-12-31T23:59:60Z") == ParseRfc3339("2016-12-31T23:59:59Z"));
  CHECK_FALSE(ParseRfc3339("2023-11-14T22:13:20.Z").has_value());  // a dot needs digits
  CHECK_FALSE(ParseRfc3339("2023-11-14T22:13:20Z ").has_value());
  CHECK_FALSE(ParseRfc3339(" 2023-11-14T22:13:20Z").has_value());
  CHECK_FALSE(ParseRfc3339("2023/11/14T22:13:20Z").has_value());
}

TEST_CASE("RFC 3339: dates before 1970 and only Go's zero time means unset", "[rfc3339]") {
  CHECK(ParseRfc3339("1969-12-31T23:59:59Z") == -1000);
  CHECK(ParseRfc3339("0001-01-01T00:00:01Z").has_value());
  CHECK(*ParseRfc3339("0001-01-01T00:00:01Z") < 0);
}
