// What the engine says of compressed files: a shell decompresses them and says
// so (InputFile::compression); the reports name it for those files only, and
// raw gzip bytes given to the engine are refused with a message that says the
// shell must decompress them.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "callsight/config.h"
#include "callsight/engine.h"
#include "callsight/ingest.h"
#include "core/test_util.h"

using namespace callsight;
using testing::ReadFile;

namespace {

const std::string kDocs = std::string(CALLSIGHT_REAL_DIR) + "/100ms-docs/";
const char kJoin[] = "webhook__00__peer_join_success.json";

}  // namespace

TEST_CASE("CompressionName names each compression", "[compression]") {
  CHECK(std::string(CompressionName(Compression::kNone)) == "none");
  CHECK(std::string(CompressionName(Compression::kGzip)) == "gzip");
}

TEST_CASE("a file the shell decompressed is reported as gzip, a plain one as before",
          "[compression]") {
  const std::string bytes = ReadFile(kDocs + kJoin);
  REQUIRE_FALSE(bytes.empty());
  Engine e;
  e.AddFile({"join.json", bytes});
  e.AddFile({"join.json.gz", bytes, Compression::kGzip});
  REQUIRE(e.Run(Config()).ok());
  REQUIRE(e.inputs().size() == 2);
  CHECK(e.inputs()[0].compression == Compression::kNone);
  CHECK(e.inputs()[1].compression == Compression::kGzip);

  const nlohmann::json report = nlohmann::json::parse(e.ReportJson());
  const nlohmann::json& plain = report["inputs"][0];
  const nlohmann::json& gz = report["inputs"][1];
  CHECK_FALSE(plain.contains("compression"));
  CHECK(gz["compression"] == "gzip");
  // Otherwise the two entries are alike: the same bytes were read.
  nlohmann::json gz_without = gz;
  gz_without.erase("compression");
  gz_without["name"] = plain["name"];
  CHECK(gz_without == plain);

  const std::string text = e.ReportText();
  CHECK(text.find("[OK] join.json.gz (webhook-events, gzip-compressed)") != std::string::npos);
  CHECK(text.find("join.json (") == std::string::npos);  // a plain ok file is not listed
}

TEST_CASE("a text report of plain files has no Inputs section, as before", "[compression]") {
  Engine e;
  e.AddFile({"join.json", ReadFile(kDocs + kJoin)});
  REQUIRE(e.Run(Config()).ok());
  CHECK(e.ReportText().find("\nInputs\n") == std::string::npos);
}

TEST_CASE("a compressed file that could not be decompressed is rejected as gzip", "[compression]") {
  Engine e;
  REQUIRE(e.AddUnread("cut.json.gz", 40, "the gzip data ends early, at byte 40", Compression::kGzip)
              .ok());
  REQUIRE(e.Run(Config()).ok());
  const nlohmann::json input = nlohmann::json::parse(e.ReportJson())["inputs"][0];
  CHECK(input["status"] == "rejected");
  CHECK(input["compression"] == "gzip");
  CHECK(input["bytes"] == 40);
  CHECK(input["messages"][0]["message"] ==
        "cut.json.gz: cannot read: the gzip data ends early, at byte 40");
  CHECK(e.ReportText().find("[REJECTED] cut.json.gz (unknown, gzip-compressed)") !=
        std::string::npos);
}

TEST_CASE("gzip bytes handed to the engine itself are refused: the shell must decompress",
          "[compression]") {
  Ingestor in;
  const InputReport& r = in.Add({"dump.gz", std::string("\x1f\x8b\x08\x00\x00\x00", 6)});
  CHECK(r.status == InputStatus::kRejected);
  CHECK(r.compression == Compression::kNone);  // nothing said it was decompressed
  REQUIRE(r.messages.size() == 1);
  CHECK(r.messages[0].text.find("gzip-compressed") != std::string::npos);
  CHECK(r.messages[0].text.find("must decompress it first, as the callsight CLI, npm package "
                                "and page do") != std::string::npos);
}
