// The report's time and number formats: one clock and one duration format for
// every text the report writes (the text report and the issue texts), and the
// JSON report's HH:MM:SS duration field.
#ifndef CALLSIGHT_REPORT_FORMAT_H_
#define CALLSIGHT_REPORT_FORMAT_H_

#include <cstdint>
#include <string>

namespace callsight::report {

// Writes times of day in one zone: UTC, or UTC shifted by a whole number of
// minutes (Config::utc_offset_minutes: the page passes the browser's offset,
// the CLI --utc-offset or --local-time). A fixed offset: a call that spans a
// daylight-saving change keeps the offset it started with.
class Clock {
 public:
  explicit Clock(int utc_offset_minutes = 0) : offset_ms_(utc_offset_minutes * int64_t{60000}) {}
  // "10:03:20": the time of day in this zone.
  std::string Time(int64_t epoch_ms) const;
  // "2024-05-24 10:03:20 UTC", "2024-05-24 12:03:20 UTC+02:00".
  std::string DateTime(int64_t epoch_ms) const;
  // "UTC", "UTC+02:00", "UTC-05:30".
  std::string Zone() const;

 private:
  int64_t offset_ms_;
};

// "10:03:20": the UTC time of day.
std::string FormatClock(int64_t epoch_ms);
// "2024-05-24 10:03:20 UTC".
std::string FormatDateTime(int64_t epoch_ms);
// "2024-05-24T10:03:20.000Z": RFC 3339 in UTC with milliseconds (the fleet
// tables' time columns).
std::string FormatRfc3339(int64_t epoch_ms);
// "2024-05-24": the UTC day.
std::string FormatDay(int64_t epoch_ms);
// "45 s", "2 min 50 s", "1 h 2 min" (rounded to the second; negative is 0 s).
std::string FormatDuration(int64_t ms);
// "01:02:03": a duration as the JSON report's `duration` field writes it (a
// documented data format, not prose; hours may exceed 24; negative is 0).
std::string FormatHms(int64_t ms);
// v with `decimals` decimals, as printf's "%.*f".
std::string FormatNumber(double v, int decimals);
// An IP address as reports show it by default: an IPv4 address's last octet
// and all but an IPv6 address's first three groups as "x" ("192.0.2.x",
// "2001:db8:85a3:x:x:x:x:x"); anything else (a host name, "") unchanged.
std::string MaskAddress(const std::string& address);

}  // namespace callsight::report

#endif  // CALLSIGHT_REPORT_FORMAT_H_
