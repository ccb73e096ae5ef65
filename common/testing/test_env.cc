#include "common/testing/test_env.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace gureum::testing {

std::string RequireEnv(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    std::fprintf(stderr,
                 "%s is not set: integration tests need the servers that ./tests/run.sh "
                 "starts. Run ./tests/run.sh (or source the env file it prints).\n",
                 name);
    std::abort();
  }
  return value;
}

std::string UniqueName(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return absl::StrCat(prefix, "_", getpid(), "_", counter.fetch_add(1));
}

}  // namespace gureum::testing
