// What the 100ms SDK's error kinds and families mean, and what to do about
// them, in one plain sentence each for a support engineer. The classification
// itself is in core/src/analysis/error_codes.h; docs/ERRORS.md carries the same
// sentences (a test keeps the two equal).
#ifndef CALLSIGHT_REPORT_ERROR_TEXT_H_
#define CALLSIGHT_REPORT_ERROR_TEXT_H_

#include "analysis/error_codes.h"

namespace callsight::report {

// Never null, never empty.
const char* ErrorMeaning(analysis::ErrorKind k);
const char* ErrorAdvice(analysis::ErrorKind k);
const char* ErrorMeaning(analysis::ErrorFamily f);
const char* ErrorAdvice(analysis::ErrorFamily f);

// The kind's sentence, or the family's when the kind is unknown but the family
// is not.
const char* ErrorMeaning(const analysis::ErrorInfo& info);
const char* ErrorAdvice(const analysis::ErrorInfo& info);

// Who the side points at, as a phrase to follow "likely cause: ", e.g. "the
// network between the user and 100ms".
const char* ErrorSideText(analysis::ErrorSide s);

}  // namespace callsight::report

#endif  // CALLSIGHT_REPORT_ERROR_TEXT_H_
