// Status and Result<T>: errors as values, never exceptions across layers.
//
// A Status is either ok or carries a code and one plain sentence. Result<T> holds a
// T or a non-ok Status. Both are cheap to move. Modeled on LevelDB's Status.
#ifndef CALLSIGHT_STATUS_H_
#define CALLSIGHT_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace callsight {

class Status {
 public:
  enum class Code { kOk, kInvalidArgument, kInvalidInput, kTooLarge, kNotFound, kInternal };

  Status() = default;  // ok
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return Status(Code::kInvalidArgument, std::move(msg));
  }
  static Status InvalidInput(std::string msg) {
    return Status(Code::kInvalidInput, std::move(msg));
  }
  static Status TooLarge(std::string msg) { return Status(Code::kTooLarge, std::move(msg)); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

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
