// Status and Result<T>: errors as values, never exceptions across layers.
//
// A Status is either ok or carries a code and one plain sentence. Result<T> holds a
// T or a non-ok Status. Both are cheap to move. Modeled on LevelDB's Status.
//
// Out of memory is the one exception that crosses layers: below the Engine any
// function may let std::bad_alloc through (as the standard library does), and
// so may the Engine's calls that return a plain value (AddFile's report,
// ReportJson, ReportText). The Engine's calls that return a Status or a Result
// catch it and return Internal, so the CLI and the WebAssembly binding need no
// try around them.
#ifndef CALLSIGHT_STATUS_H_
#define CALLSIGHT_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace callsight {

class Status {
 public:
  enum class Code { kOk, kInvalidArgument, kNotFound, kInternal };

  Status() = default;  // ok
  static Status Ok() { return Status(); }
  // A caller's argument is wrong (a config, an option), the message says how.
  static Status InvalidArgument(std::string msg) {
    return Status(Code::kInvalidArgument, std::move(msg));
  }
  // What was asked for does not exist (a session, peer, track or metric).
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  // The engine could not do its work: out of memory, or a bug.
  static Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  bool IsInvalidArgument() const { return code_ == Code::kInvalidArgument; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsInternal() const { return code_ == Code::kInternal; }

  Code code() const { return code_; }
  // The message alone ("" when ok).
  const std::string& message() const { return message_; }
  // "OK", or the code's name and the message: "Invalid argument: <message>".
  std::string ToString() const;

  // The code as an identifier: "ok", "invalid_argument", "not_found",
  // "internal" (what the WebAssembly binding hands JavaScript).
  static const char* CodeId(Code code);

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// Holds either a value or a non-ok Status. value() on an error is a programming error.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) { assert(!status_.ok()); }  // NOLINT

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T& value() & {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace callsight

#endif  // CALLSIGHT_STATUS_H_
