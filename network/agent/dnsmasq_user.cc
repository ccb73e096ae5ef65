#include "network/agent/dnsmasq_user.h"

#include <grp.h>
#include <pwd.h>

#include <filesystem>
#include <vector>

#include <sys/stat.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace gureum::network_agent {
namespace {

// The first existing folder on the way to `path` (itself included) that `uid`/`gid`
// cannot search; "" when there is none. Folders still to be made are made by the agent.
std::string UnsearchableFolder(const std::string& path, uid_t uid, gid_t gid) {
  std::filesystem::path p = std::filesystem::absolute(path).lexically_normal();
  std::filesystem::path at = p.root_path();
  std::vector<std::filesystem::path> folders = {at};
  for (const auto& part : p.relative_path()) {
    if (part.empty()) continue;
    at /= part;
    folders.push_back(at);
  }
  for (const auto& f : folders) {
    struct stat st;
    if (stat(f.c_str(), &st) != 0) break;  // not made yet: the rest is the agent's to make
    if (!S_ISDIR(st.st_mode)) return f.string();
    mode_t need = st.st_uid == uid ? S_IXUSR : st.st_gid == gid ? S_IXGRP : S_IXOTH;
    if ((st.st_mode & need) == 0) return f.string();
  }
  return "";
}

}  // namespace

DnsmasqUser ResolveDnsmasqUser(const std::string& configured, const std::string& state_path,
                               unsigned umask_bits) {
  DnsmasqUser out;
  if (configured.empty() || configured == "root") return out;
  struct passwd* pw = getpwnam(configured.c_str());
  if (pw == nullptr) {
    out.warning = absl::StrCat("[network_agent] dnsmasq_user '", configured,
                               "' is not a user on this host: dnsmasq runs as root");
    return out;
  }
  struct group* gr = getgrgid(pw->pw_gid);
  if (gr == nullptr) {
    out.warning = absl::StrCat("[network_agent] dnsmasq_user '", configured,
                               "' has no primary group on this host: dnsmasq runs as root");
    return out;
  }
  if ((umask_bits & 0005) != 0) {
    out.warning = absl::StrFormat(
        "the agent's umask %04o keeps the files it writes from '%s': "
        "dnsmasq runs as root; run the agent with umask 022",
        umask_bits, configured);
    return out;
  }
  std::string blocked = UnsearchableFolder(state_path, pw->pw_uid, pw->pw_gid);
  if (!blocked.empty()) {
    out.warning = absl::StrCat("'", configured, "' cannot reach [network_agent] state_path ",
                               state_path, " (", blocked,
                               " is not searchable by it): dnsmasq runs as root; "
                               "chmod o+x the folders on the way to let it drop privileges");
    return out;
  }
  out.user = configured;
  out.group = gr->gr_name;
  return out;
}

std::string ApplyDnsmasqUser(AgentOptions& options) {
  mode_t mask = umask(0);
  umask(mask);
  DnsmasqUser u = ResolveDnsmasqUser(options.dnsmasq_user, options.state_path, mask);
  options.dnsmasq_user = u.user;
  options.dnsmasq_group = u.group;
  return u.warning;
}

}  // namespace gureum::network_agent
