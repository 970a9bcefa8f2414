// Status and Result (core/include/callsight/status.h, core/src/util/status.cpp).
#include "callsight/status.h"

#include <catch2/catch.hpp>
#include <string>

using namespace callsight;

TEST_CASE("status: ok by default, and only then", "[status]") {
  const Status ok;
  CHECK(ok.ok());
  CHECK(Status::Ok().ok());
  CHECK(ok.code() == Status::Code::kOk);
  CHECK(ok.message().empty());
  CHECK_FALSE(ok.IsInvalidArgument());
  CHECK_FALSE(ok.IsNotFound());
  CHECK_FALSE(ok.IsInternal());
  CHECK(ok.ToString() == "OK");
}

TEST_CASE("status: each code answers its own Is..() and no other", "[status]") {
  const Status invalid = Status::InvalidArgument("window_seconds must be positive");
  const Status missing = Status::NotFound("no session s9");
  const Status internal = Status::Internal("out of memory while analyzing");
  for (const Status* s : {&invalid, &missing, &internal}) CHECK_FALSE(s->ok());
  CHECK(invalid.IsInvalidArgument());
  CHECK_FALSE(invalid.IsNotFound());
  CHECK_FALSE(invalid.IsInternal());
  CHECK(missing.IsNotFound());
  CHECK_FALSE(missing.IsInvalidArgument());
  CHECK_FALSE(missing.IsInternal());
  CHECK(internal.IsInternal());
  CHECK_FALSE(internal.IsInvalidArgument());
  CHECK_FALSE(internal.IsNotFound());
  CHECK(invalid.code() == Status::Code::kInvalidArgument);
  CHECK(missing.code() == Status::Code::kNotFound);
  CHECK(internal.code() == Status::Code::kInternal);
  CHECK(missing.message() == "no session s9");
}

TEST_CASE("status: ToString names the code before the message, LevelDB style", "[status]") {
  CHECK(Status::InvalidArgument("bad x").ToString() == "Invalid argument: bad x");
  CHECK(Status::NotFound("no peer p").ToString() == "Not found: no peer p");
  CHECK(Status::Internal("boom").ToString() == "Internal: boom");
}

TEST_CASE("status: code ids for JavaScript are distinct identifiers", "[status]") {
  CHECK(std::string(Status::CodeId(Status::Code::kOk)) == "ok");
  CHECK(std::string(Status::CodeId(Status::Code::kInvalidArgument)) == "invalid_argument");
  CHECK(std::string(Status::CodeId(Status::Code::kNotFound)) == "not_found");
  CHECK(std::string(Status::CodeId(Status::Code::kInternal)) == "internal");
}

TEST_CASE("result: a value or the status that stands in for it", "[status]") {
  Result<std::string> value(std::string("x"));
  REQUIRE(value.ok());
  CHECK(value.status().ok());
  CHECK(value.value() == "x");
  CHECK(std::move(value).value() == "x");
  Result<std::string> error(Status::NotFound("nothing"));
  CHECK_FALSE(error.ok());
  CHECK(error.status().IsNotFound());
  CHECK(error.status().message() == "nothing");
}
