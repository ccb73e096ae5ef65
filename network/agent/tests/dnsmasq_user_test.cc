#include "network/agent/dnsmasq_user.h"

#include <grp.h>
#include <pwd.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>
#include <sys/stat.h>

namespace gureum::network_agent {
namespace {

// A temporary folder tree whose modes the cases set: <top>/a/b, the state_path.
struct Tree {
  Tree() {
    char tmpl[] = "/tmp/gureum-dnsmasq-user.XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    top = tmpl;
    state = top + "/a/b";
    std::filesystem::create_directories(state);
  }
  ~Tree() { std::filesystem::remove_all(top); }
  void Mode(const std::string& path, mode_t mode) { REQUIRE(chmod(path.c_str(), mode) == 0); }
  std::string top, state;
};

std::string GroupOf(const char* user) {
  struct passwd* pw = getpwnam(user);
  REQUIRE(pw != nullptr);
  struct group* gr = getgrgid(pw->pw_gid);
  REQUIRE(gr != nullptr);
  return gr->gr_name;
}

TEST_CASE("dnsmasq drops to the configured user when it can reach state_path") {
  Tree t;
  t.Mode(t.top, 0711);  // searchable, not listable: enough
  DnsmasqUser u = ResolveDnsmasqUser("nobody", t.state, 022);
  CHECK(u.warning.empty());
  CHECK(u.user == "nobody");
  CHECK(u.group == GroupOf("nobody"));
  // A state_path not made yet is the agent's to make: only what exists is checked.
  u = ResolveDnsmasqUser("nobody", t.state + "/not/yet", 022);
  CHECK(u.user == "nobody");
}

TEST_CASE("dnsmasq stays root, and the agent says why, when the user could not read its files") {
  Tree t;
  SECTION("a folder on the way is 0700") {
    t.Mode(t.top, 0711);
    t.Mode(t.top + "/a", 0700);
    DnsmasqUser u = ResolveDnsmasqUser("nobody", t.state, 022);
    CHECK(u.user == "root");
    CHECK(u.group == "root");
    CHECK_THAT(u.warning, Catch::Contains(t.top + "/a is not searchable"));
    CHECK_THAT(u.warning, Catch::Contains("chmod o+x"));
  }
  SECTION("the top temporary folder is 0700 (as mkdtemp makes it)") {
    DnsmasqUser u = ResolveDnsmasqUser("nobody", t.state, 022);
    CHECK(u.user == "root");
    CHECK_THAT(u.warning, Catch::Contains(t.top + " is not searchable"));
  }
  SECTION("a umask that takes other users' read bits") {
    t.Mode(t.top, 0755);
    DnsmasqUser u = ResolveDnsmasqUser("nobody", t.state, 077);
    CHECK(u.user == "root");
    CHECK_THAT(u.warning, Catch::Contains("umask 0077"));
  }
  SECTION("a user this host does not have") {
    t.Mode(t.top, 0755);
    DnsmasqUser u = ResolveDnsmasqUser("no-such-user-gureum", t.state, 022);
    CHECK(u.user == "root");
    CHECK_THAT(u.warning, Catch::Contains("'no-such-user-gureum' is not a user on this host"));
  }
  SECTION("root, asked for") {
    DnsmasqUser u = ResolveDnsmasqUser("root", t.state, 022);
    CHECK(u.user == "root");
    CHECK(u.warning.empty());
  }
}

}  // namespace
}  // namespace gureum::network_agent
