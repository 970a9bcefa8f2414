// Replays every input the fuzzers ever crashed on (tests/fuzz/regressions/)
// through the whole engine: each must give a report, never a crash.
#include <dirent.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "callsight/config.h"
#include "callsight/engine.h"

using namespace callsight;

TEST_CASE("fuzz regressions replay cleanly", "[fuzz]") {
  const std::string root = std::string(CALLSIGHT_SOURCE_DIR) + "/tests/fuzz/regressions";
  size_t replayed = 0;
  DIR* top = opendir(root.c_str());
  REQUIRE(top);
  while (dirent* t = readdir(top)) {
    std::string target = t->d_name;
    if (target[0] == '.') continue;
    DIR* d = opendir((root + "/" + target).c_str());
    if (!d) continue;
    while (dirent* f = readdir(d)) {
      if (f->d_name[0] == '.') continue;
      std::ifstream in(root + "/" + target + "/" + f->d_name, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      const std::string bytes = ss.str();
      INFO(target << "/" << f->d_name);
      if (target == "fuzz_config") {
        auto r = ParseConfig(bytes);
        if (r.ok()) CHECK(ParseConfig(ConfigToJson(r.value())).ok());
      } else {
        Engine e;
        e.AddFile({f->d_name, bytes});
        e.Run(Config());
        CHECK_FALSE(e.ReportJson().empty());
        CHECK_FALSE(e.ReportText().empty());
      }
      ++replayed;
    }
    closedir(d);
  }
  closedir(top);
  REQUIRE(replayed > 0);  // an empty or misplaced folder must not pass
  SUCCEED("replayed " << replayed << " inputs");
}
