// The words for the SDK's errors (core/src/report/error_text.cpp): every
// kind, family and side has its own, and a classified error reads as its kind,
// else its family.
#include "report/error_text.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "analysis/error_codes.h"

using namespace callsight::analysis;
using callsight::report::ErrorAdvice;
using callsight::report::ErrorMeaning;
using callsight::report::ErrorSideText;

TEST_CASE("every error kind, family and side has words", "[error-text]") {
  std::set<std::string> meanings;
  for (int i = 0; i < kErrorKindCount; ++i) {
    const auto k = static_cast<ErrorKind>(i);
    INFO(ErrorKindName(k));
    REQUIRE(ErrorMeaning(k) != nullptr);
    REQUIRE(ErrorAdvice(k) != nullptr);
    CHECK(std::string(ErrorMeaning(k)).size() > 20);
    CHECK(std::string(ErrorAdvice(k)).size() > 15);
    CHECK(std::string(ErrorMeaning(k)).back() == '.');
    CHECK(std::string(ErrorAdvice(k)).back() == '.');
    meanings.insert(ErrorMeaning(k));
  }
  CHECK(meanings.size() == static_cast<size_t>(kErrorKindCount));  // one sentence per kind
  for (int i = 0; i < kErrorFamilyCount; ++i) {
    const auto f = static_cast<ErrorFamily>(i);
    INFO(ErrorFamilyName(f));
    REQUIRE(ErrorMeaning(f) != nullptr);
    REQUIRE(ErrorAdvice(f) != nullptr);
    CHECK(std::string(ErrorMeaning(f)).size() > 20);
    CHECK(std::string(ErrorAdvice(f)).size() > 15);
  }
  for (int i = 0; i < kErrorSideCount; ++i) {
    const auto s = static_cast<ErrorSide>(i);
    REQUIRE(ErrorSideText(s) != nullptr);
    CHECK(std::string(ErrorSideText(s)).size() > 5);
  }
  // An unknown kind in a known family reads as the family; a known kind as itself.
  const ErrorInfo device = ClassifyError("3999", "");
  CHECK(std::string(ErrorMeaning(device)) == ErrorMeaning(ErrorFamily::kDevice));
  CHECK(std::string(ErrorAdvice(device)) == ErrorAdvice(ErrorFamily::kDevice));
  const ErrorInfo ice = ClassifyError("4006", "");
  CHECK(std::string(ErrorMeaning(ice)) == ErrorMeaning(ErrorKind::kIceDisconnected));
  const ErrorInfo nothing = ClassifyError("", "");
  CHECK(std::string(ErrorMeaning(nothing)) == ErrorMeaning(ErrorKind::kUnknown));
}
