#include "report/format.h"

#include <cstdio>
#include <string>
#include <vector>

namespace callsight::report {
namespace {

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Days since 1970-01-01 -> civil date (H. Hinnant's algorithm).
void CivilFromDays(int64_t z, int64_t* y, int* m, int* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

}  // namespace

std::string FormatClock(int64_t epoch_ms) {
  const int64_t s = FloorDiv(epoch_ms, 1000);
  const int64_t day_s = s - FloorDiv(s, 86400) * 86400;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", static_cast<int>(day_s / 3600),
                static_cast<int>(day_s / 60 % 60), static_cast<int>(day_s % 60));
  return buf;
}

std::string FormatDay(int64_t epoch_ms) {
  int64_t y = 0;
  int m = 0, d = 0;
  CivilFromDays(FloorDiv(epoch_ms, 86400000), &y, &m, &d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d", static_cast<long long>(y), m, d);
  return buf;
}

std::string FormatDateTime(int64_t epoch_ms) {
  return FormatDay(epoch_ms) + " " + FormatClock(epoch_ms) + " UTC";
}

std::string Clock::Time(int64_t epoch_ms) const { return FormatClock(epoch_ms + offset_ms_); }

std::string Clock::DateTime(int64_t epoch_ms) const {
  return FormatDay(epoch_ms + offset_ms_) + " " + FormatClock(epoch_ms + offset_ms_) + " " + Zone();
}

std::string Clock::Zone() const {
  if (offset_ms_ == 0) return "UTC";
  const int64_t minutes = (offset_ms_ < 0 ? -offset_ms_ : offset_ms_) / 60000;
  char buf[16];
  std::snprintf(buf, sizeof buf, "UTC%c%02d:%02d", offset_ms_ < 0 ? '-' : '+',
                static_cast<int>(minutes / 60), static_cast<int>(minutes % 60));
  return buf;
}

std::string FormatRfc3339(int64_t epoch_ms) {
  char ms[8];
  std::snprintf(ms, sizeof ms, ".%03d",
                static_cast<int>(epoch_ms - FloorDiv(epoch_ms, 1000) * 1000));
  return FormatDay(epoch_ms) + "T" + FormatClock(epoch_ms) + ms + "Z";
}

std::string FormatDuration(int64_t ms) {
  const long long s = ms > 0 ? (ms + 500) / 1000 : 0;
  char buf[48];
  if (s < 60) {
    std::snprintf(buf, sizeof buf, "%lld s", s);
  } else if (s < 3600) {
    std::snprintf(buf, sizeof buf, "%lld min %lld s", s / 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%lld h %lld min", s / 3600, s / 60 % 60);
  }
  return buf;
}

std::string FormatHms(int64_t ms) {
  const long long s = ms > 0 ? ms / 1000 : 0;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  return buf;
}

std::string FormatNumber(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

namespace {

bool IsIpv4(const std::string& a) {
  int dots = 0;
  for (char c : a) {
    if (c == '.') {
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return dots == 3;
}

bool IsIpv6(const std::string& a) {
  if (a.find(':') == std::string::npos) return false;
  for (char c : a) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex && c != ':' && c != '.') return false;
  }
  return true;
}

// The groups of an IPv6 address with "::" expanded to zero groups.
std::vector<std::string> Ipv6Groups(const std::string& a) {
  std::vector<std::string> head, tail;
  const size_t gap = a.find("::");
  const auto split = [](const std::string& s, std::vector<std::string>* out) {
    size_t from = 0;
    while (from <= s.size() && !s.empty()) {
      const size_t colon = s.find(':', from);
      out->push_back(s.substr(from, colon == std::string::npos ? std::string::npos : colon - from));
      if (colon == std::string::npos) break;
      from = colon + 1;
    }
  };
  split(gap == std::string::npos ? a : a.substr(0, gap), &head);
  if (gap != std::string::npos) split(a.substr(gap + 2), &tail);
  while (head.size() + tail.size() < 8) head.push_back("0");
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

}  // namespace

std::string MaskAddress(const std::string& address) {
  if (IsIpv4(address)) return address.substr(0, address.rfind('.')) + ".x";
  if (!IsIpv6(address)) return address;
  const std::vector<std::string> groups = Ipv6Groups(address);
  std::string out;
  for (size_t i = 0; i < groups.size(); ++i) {
    if (i) out += ':';
    out += i < 3 ? groups[i] : "x";
  }
  return out;
}

}  // namespace callsight::report
