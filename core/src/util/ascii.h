// ASCII case folding for the inputs' vocabularies (event types, actions,
// leave reasons, track sources, ...), which are matched case-insensitively.
// Bytes outside A-Z are left as they are (UTF-8 text passes through).
#ifndef CALLSIGHT_UTIL_ASCII_H_
#define CALLSIGHT_UTIL_ASCII_H_

#include <string>
#include <string_view>

namespace callsight {

inline char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

// `s` with A-Z as a-z.
inline std::string LowerAscii(std::string s) {
  for (char& c : s) c = LowerAscii(c);
  return s;
}

// `s` with a-z as A-Z.
inline std::string UpperAscii(std::string s) {
  for (char& c : s) c = c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
  return s;
}

// Whether a and b are the same but for the case of A-Z.
inline bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

}  // namespace callsight

#endif  // CALLSIGHT_UTIL_ASCII_H_
