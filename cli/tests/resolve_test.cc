// The gureum CLI's pure logic: name-or-id resolution and identity's gRPC endpoint.
#include "cli/gureum/resolve.h"

#include <map>

#include <catch2/catch.hpp>

#include "cli/gureum/session.h"

namespace gureum::cli {
namespace {

// Resources by id, each with a name; get() can be made to fail with `get_error`.
struct FakeResources {
  std::map<std::string, std::string> names;  // id -> name
  absl::Status get_error = absl::OkStatus();
  int lists = 0;

  Resolver Make() {
    return {"project",
            [this](const std::string& id) -> absl::Status {
              if (!get_error.ok()) return get_error;
              return names.count(id) ? absl::OkStatus() : absl::NotFoundError("no " + id);
            },
            [this](const std::string& name) -> absl::StatusOr<std::vector<std::string>> {
              ++lists;
              std::vector<std::string> ids;
              for (const auto& [id, n] : names) {
                if (n == name) ids.push_back(id);
              }
              return ids;
            }};
  }
};

TEST_CASE("an id resolves to itself without listing") {
  FakeResources f{{{"p1", "web"}}};
  auto id = ResolveId(f.Make(), "p1");
  REQUIRE(id.ok());
  REQUIRE(*id == "p1");
  REQUIRE(f.lists == 0);
}

TEST_CASE("a unique name resolves to its id") {
  FakeResources f{{{"p1", "web"}, {"p2", "db"}}};
  auto id = ResolveId(f.Make(), "db");
  REQUIRE(id.ok());
  REQUIRE(*id == "p2");
}

TEST_CASE("an unknown name is NotFound in openstack's words") {
  FakeResources f{{{"p1", "web"}}};
  auto id = ResolveId(f.Make(), "nope");
  REQUIRE(id.status().code() == absl::StatusCode::kNotFound);
  REQUIRE(id.status().message() == "No project with a name or ID of 'nope' exists.");
}

TEST_CASE("an ambiguous name asks for the id") {
  FakeResources f{{{"p1", "web"}, {"p2", "web"}}};
  auto id = ResolveId(f.Make(), "web");
  REQUIRE_FALSE(id.ok());
  REQUIRE(std::string(id.status().message()).find("More than one project") != std::string::npos);
}

TEST_CASE("a denied id that is no name reports the denial, not a missing resource") {
  FakeResources f{{{"p1", "web"}}};
  f.get_error = absl::PermissionDeniedError("not allowed");
  auto id = ResolveId(f.Make(), "other-projects-id");
  REQUIRE(id.status().code() == absl::StatusCode::kPermissionDenied);
  // ... while a name still resolves through the listing.
  REQUIRE(*ResolveId(f.Make(), "web") == "p1");
}

TEST_CASE("identity's gRPC endpoint: option, then environment, then the auth URL's host") {
  AuthSettings s;
  s.auth_url = "http://ctl.example:5000/v3";
  REQUIRE(*IdentityGrpcEndpoint("", nullptr, s) == "ctl.example:15000");
  REQUIRE(*IdentityGrpcEndpoint("", "10.0.0.1:16000", s) == "10.0.0.1:16000");
  REQUIRE(*IdentityGrpcEndpoint("opt:1", "10.0.0.1:16000", s) == "opt:1");
  REQUIRE(*IdentityGrpcFromAuthUrl("https://[fd00::1]:5000/v3") == "[fd00::1]:15000");
  REQUIRE(*IdentityGrpcFromAuthUrl("http://127.0.0.1/identity/v3") == "127.0.0.1:15000");
  REQUIRE_FALSE(IdentityGrpcFromAuthUrl("http:///v3").ok());
  AuthSettings none;
  REQUIRE(IdentityGrpcEndpoint("", "", none).status().code() == absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gureum::cli
