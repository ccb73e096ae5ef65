#include "network/agent/host_system.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace gureum::network_agent {

absl::Status RunChecked(HostSystem& host, const std::vector<std::string>& argv,
                        const std::string& input) {
  auto r = host.Run(argv, input);
  if (!r.ok()) return r.status();
  if (r->exit_code == 0) return absl::OkStatus();
  std::string tail = r->output.size() > 600 ? r->output.substr(r->output.size() - 600) : r->output;
  while (!tail.empty() && (tail.back() == '\n' || tail.back() == ' ')) tail.pop_back();
  return absl::InternalError(absl::StrCat("`", absl::StrJoin(argv, " "), "` failed (exit ",
                                          r->exit_code, ")", tail.empty() ? "" : ": " + tail));
}

}  // namespace gureum::network_agent
