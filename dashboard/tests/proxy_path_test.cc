// The service proxy's URL rules: the catalog endpoint plus a checked, re-encoded path.
#include "dashboard/proxy_path.h"

#include <catch2/catch.hpp>

namespace gureum::dashboard {
namespace {

const std::multimap<std::string, std::string> kNoQuery;

TEST_CASE("UpstreamUrl appends the path to the catalog endpoint") {
  CHECK(*UpstreamUrl("http://ctl:8774/v2.1", "/servers/detail", kNoQuery) ==
        "http://ctl:8774/v2.1/servers/detail");
  CHECK(*UpstreamUrl("http://ctl:9292/", "/v2/images", kNoQuery) == "http://ctl:9292/v2/images");
  CHECK(*UpstreamUrl("http://ctl:9696", "/", kNoQuery) == "http://ctl:9696");
  CHECK(*UpstreamUrl("http://ctl:8774/v2.1", "/servers",
                     {{"limit", "20"}, {"marker", "a b&c"}, {"sort_key", "name"}}) ==
        "http://ctl:8774/v2.1/servers?limit=20&marker=a%20b%26c&sort_key=name");
  // One trailing slash is kept: a pseudo-folder marker object ("docs/").
  CHECK(*UpstreamUrl("http://ctl:8080/v1/AUTH_p", "/c/docs/", kNoQuery) ==
        "http://ctl:8080/v1/AUTH_p/c/docs/");
}

TEST_CASE("UpstreamUrl refuses paths that could leave the endpoint (SSRF)") {
  for (const char* path :
       {"/../identity", "/servers/../../x", "/./servers", "//evil.example/x", "/servers//x",
        "/servers//", "/a\\b", "/a\r\nHost: evil", "servers", ""}) {
    INFO(path);
    CHECK(absl::IsInvalidArgument(UpstreamUrl("http://ctl:8774/v2.1", path, kNoQuery).status()));
  }
}

TEST_CASE("UpstreamUrl encodes what could change the URL's meaning") {
  // A scheme, an @, a ? or a # in a segment stay inside that segment.
  CHECK(*UpstreamUrl("http://ctl:8774", "/http:", kNoQuery) == "http://ctl:8774/http%3A");
  CHECK(*UpstreamUrl("http://ctl:8774", "/x@evil.example", kNoQuery) ==
        "http://ctl:8774/x%40evil.example");
  CHECK(*UpstreamUrl("http://ctl:8774", "/a?b#c", kNoQuery) == "http://ctl:8774/a%3Fb%23c");
  CHECK(*UpstreamUrl("http://ctl:8774", "/servers/\xec\x84\x9c", kNoQuery) ==
        "http://ctl:8774/servers/%EC%84%9C");
}

TEST_CASE("UpstreamUrl wants an http(s) catalog endpoint") {
  CHECK(absl::IsFailedPrecondition(UpstreamUrl("file:///etc", "/passwd", kNoQuery).status()));
  CHECK(UpstreamUrl("https://ctl:8774", "/x", kNoQuery).ok());
}

}  // namespace
}  // namespace gureum::dashboard
