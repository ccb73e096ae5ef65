// The REST kit (rest.h, json_reader.h, query.h): the authenticated-route wrapper over a
// real server, and the readers every adapter shares.
#include <httplib.h>

#include <string>

#include <catch2/catch.hpp>

#include "common/http/json_reader.h"
#include "common/http/query.h"
#include "common/http/rest.h"
#include "common/http/server.h"

namespace gureum::http {
namespace {

using nlohmann::json;

Request WithQuery(std::multimap<std::string, std::string> query) {
  Request req;
  req.query = std::move(query);
  return req;
}

TEST_CASE("RestApi: a token is required, the caller reaches the handler, errors are the API's") {
  Server server({.host = "127.0.0.1", .error_style = ErrorStyle::kKeystone});
  int before_calls = 0;
  RestApi api(server, {.base_url = "http://ctl:5000",
                       .verify = [](const std::string& token) -> absl::StatusOr<Caller> {
                         if (token != "good") return absl::PermissionDeniedError("secret why");
                         Caller c;
                         c.user_id = "u1";
                         c.project_id = "p1";
                         return c;
                       },
                       .auth_required_message = "Authenticate, please.",
                       .challenge = "Keystone uri=\"http://ctl:5000\"",
                       .before = [&](Request& req, Response& res) -> absl::Status {
                         ++before_calls;
                         res.SetHeader("X-Before", "yes");
                         if (req.Query("bad_version")) return absl::InvalidArgumentError("v?");
                         return absl::OkStatus();
                       }});
  api.Authed("GET", "/v3/things/{id}", [](RestCall& call) -> absl::Status {
    if (call.Param("id") == "missing") return absl::NotFoundError("No thing missing.");
    if (call.Param("id") == "boom") return absl::InternalError("disk on fire");
    call.res.Json(200, {{"user", call.caller.user_id},
                        {"token", call.token},
                        {"self", call.Link("/v3/things/" + call.Param("id"))}});
    return absl::OkStatus();
  });
  api.Public("GET", "/", [&](Request&, Response& res) -> absl::Status {
    res.Json(300, {{"base", api.base_url()}});
    return absl::OkStatus();
  });
  auto port = server.Start();
  REQUIRE(port.ok());
  httplib::Client client("127.0.0.1", *port);

  auto r = client.Get("/v3/things/a", {{"X-Auth-Token", "good"}});
  REQUIRE(r);
  CHECK(r->status == 200);
  auto j = json::parse(r->body);
  CHECK(j["user"] == "u1");
  CHECK(j["token"] == "good");
  CHECK(j["self"] == "http://ctl:5000/v3/things/a");
  CHECK(r->get_header_value("X-Before") == "yes");

  for (const char* token : {"", "bad"}) {
    httplib::Headers h;
    if (*token) h.emplace("X-Auth-Token", token);
    r = client.Get("/v3/things/a", h);
    REQUIRE(r);
    CHECK(r->status == 401);
    CHECK(r->get_header_value("WWW-Authenticate") == "Keystone uri=\"http://ctl:5000\"");
    CHECK(r->body.find("Authenticate, please.") != std::string::npos);
    CHECK(r->body.find("secret why") == std::string::npos);  // the verifier's reason stays
  }

  r = client.Get("/v3/things/missing", {{"X-Auth-Token", "good"}});
  REQUIRE(r);
  CHECK(r->status == 404);
  CHECK(json::parse(r->body)["error"]["message"] == "No thing missing.");
  r = client.Get("/v3/things/boom", {{"X-Auth-Token", "good"}});
  REQUIRE(r);
  CHECK(r->status == 500);

  r = client.Get("/v3/things/a?bad_version=1", {{"X-Auth-Token", "good"}});
  REQUIRE(r);
  CHECK(r->status == 400);  // `before` runs first, even before the token check

  const int calls_so_far = before_calls;
  r = client.Get("/");
  REQUIRE(r);
  CHECK(r->status == 300);
  CHECK(json::parse(r->body)["base"] == "http://ctl:5000");
  CHECK(before_calls == calls_so_far);  // public routes skip `before`
  server.Stop();
}

TEST_CASE("ApiBaseUrl: configured or derived, no trailing slash, no configured version") {
  CHECK(ApiBaseUrl("", "10.0.0.5", 8774) == "http://10.0.0.5:8774");
  CHECK(ApiBaseUrl("https://api.example/compute/", "x", 1) == "https://api.example/compute");
  CHECK(ApiBaseUrl("https://id.example/v3/", "x", 1, "/v3") == "https://id.example");
  CHECK(ApiBaseUrl("https://id.example/v3x", "x", 1, "/v3") == "https://id.example/v3x");
}

TEST_CASE("JsonReader: types, rules, the first error, unknown fields") {
  json body = {{"name", "vm"},       {"count", 3},           {"big", "12"}, {"flag", true},
               {"tags", {"a", "b"}}, {"meta", {{"k", "v"}}}, {"empty", ""}, {"nothing", nullptr}};
  std::string name, empty, nothing = "x";
  int64_t count = 0, big = 0;
  bool flag = false;
  std::vector<std::string> tags;
  const json* meta = nullptr;
  std::optional<std::string> absent;

  JsonReader r(body, "server");
  CHECK(r.String("name", &name, {.required = true, .max_length = 5}));
  CHECK(r.Int("count", &count, 1, 10));
  CHECK(r.Int("big", &big, 0, 100, /*allow_string=*/true));
  CHECK(r.Bool("flag", &flag));
  CHECK(r.StringList("tags", &tags));
  CHECK(r.Object("meta", &meta));
  CHECK(r.String("empty", &empty));
  CHECK(r.String("nothing", &nothing, {.nullable = true}));
  CHECK_FALSE(r.OptionalString("absent", &absent));
  CHECK(r.Finish().ok());
  CHECK(name == "vm");
  CHECK(count == 3);
  CHECK(big == 12);
  CHECK(flag);
  CHECK(tags == std::vector<std::string>{"a", "b"});
  CHECK((*meta)["k"] == "v");
  CHECK(nothing.empty());
  CHECK_FALSE(absent.has_value());

  SECTION("unknown fields are refused unless the object is open") {
    JsonReader strict(body, "server");
    strict.String("name", &name);
    absl::Status s = strict.Finish();
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK(s.message().find("Unrecognized attribute(s)") != absl::string_view::npos);
    JsonReader open(body, "server", /*open=*/true);
    CHECK(open.Finish().ok());
  }
  SECTION("each rule, and the first error wins") {
    auto first_error = [](const json& j, auto&& read) {
      JsonReader r(j, "server", true);
      read(r);
      return std::string(r.Finish().message());
    };
    std::string s;
    int64_t n = 0;
    bool b = false;
    CHECK(first_error(json::object(), [&](JsonReader& r) {
            r.String("name", &s, {.required = true});
          }).find("'name' of 'server': it is required") != std::string::npos);
    CHECK(first_error({{"name", 5}}, [&](JsonReader& r) {
            r.String("name", &s);
          }).find("must be a string") != std::string::npos);
    CHECK(first_error({{"name", "abcdef"}}, [&](JsonReader& r) {
            r.String("name", &s, {.max_length = 5});
          }).find("at most 5 characters") != std::string::npos);
    CHECK(first_error({{"name", "한국어"}}, [&](JsonReader& r) {
            r.String("name", &s, {.max_length = 3});
          }).empty());  // characters, not bytes
    CHECK(first_error({{"name", std::string("a\0b", 3)}}, [&](JsonReader& r) {
            r.String("name", &s);
          }).find("NUL") != std::string::npos);
    CHECK(first_error({{"name", ""}}, [&](JsonReader& r) {
            r.String("name", &s, {.allow_empty = false});
          }).find("must not be empty") != std::string::npos);
    CHECK(first_error({{"name", nullptr}}, [&](JsonReader& r) {
            r.String("name", &s);
          }).find("must be a string") != std::string::npos);
    for (const json& bad : {json("12abc"), json(1.5), json("1.5"), json(""), json(11)}) {
      CHECK(first_error({{"n", bad}}, [&](JsonReader& r) {
              r.Int("n", &n, 0, 10, true);
            }).find("must be an integer from 0 to 10") != std::string::npos);
    }
    CHECK(first_error({{"n", "7"}}, [&](JsonReader& r) {
            r.Int("n", &n, 0, 10);
          }).find("must be an integer") != std::string::npos);  // strings only if allowed
    CHECK(first_error({{"b", "true"}}, [&](JsonReader& r) {
            r.Bool("b", &b);
          }).find("must be a boolean") != std::string::npos);
    CHECK(first_error({{"b", "TRUE"}}, [&](JsonReader& r) { r.Bool("b", &b, true); }).empty());
    CHECK(first_error({{"a", 1}, {"b", 2}}, [&](JsonReader& r) {
            r.String("a", &s);
            r.String("b", &s);
          }).find("'a'") != std::string::npos);
    CHECK(first_error(json::array(), [&](JsonReader&) {}).find("must be a JSON object") !=
          std::string::npos);
  }
}

TEST_CASE("JsonReader: optional values, null as none") {
  json body = {{"n", 5}, {"b", nullptr}, {"l", {"x"}}, {"s", "7"}};
  std::optional<int64_t> n, s, absent = 3;
  std::optional<bool> b = true;
  std::optional<std::vector<std::string>> l;
  JsonReader r(body, "thing");
  CHECK(r.OptionalInt("n", &n, 0, 10));
  CHECK(r.OptionalInt("s", &s, 0, 10, /*allow_string=*/true));
  CHECK_FALSE(r.OptionalInt("absent", &absent, 0, 10));
  CHECK(r.OptionalBool("b", &b));
  CHECK(r.OptionalStringList("l", &l));
  CHECK(r.Finish().ok());
  CHECK(*n == 5);
  CHECK(*s == 7);
  CHECK(*absent == 3);  // untouched
  CHECK_FALSE(b.has_value());
  CHECK(*l == std::vector<std::string>{"x"});

  const json too_big = {{"n", 11}};
  JsonReader bad(too_big, "thing");
  CHECK_FALSE(bad.OptionalInt("n", &n, 0, 10));
  CHECK(bad.Finish().message().find("from 0 to 10") != absl::string_view::npos);
}

TEST_CASE("query: strict integers and booleans") {
  CHECK(*ParseInteger("42", "limit", 0, 100) == 42);
  for (const char* bad : {"12abc", "1.5", "", " 1", "+1", "-1", "101", "99999999999999999999"}) {
    auto n = ParseInteger(bad, "limit", 0, 100);
    CHECK(n.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(n.status().message() == "'limit' must be an integer from 0 to 100.");
  }
  CHECK(*ParseBool("True", "enabled"));
  CHECK_FALSE(*ParseBool("0", "enabled"));
  CHECK_FALSE(ParseBool("maybe", "enabled").ok());
  for (const char* yes : {"on", "T", "y", "YES"}) CHECK(*ParseBool(yes, "enabled"));
  for (const char* no : {"OFF", "f", "N", "no"}) CHECK_FALSE(*ParseBool(no, "enabled"));
  CHECK_FALSE(ParseBool("", "enabled").ok());

  Request req = WithQuery({{"limit", "5"}, {"enabled", "false"}, {"tag", "a"}, {"tag", "b"}});
  CHECK(**QueryInteger(req, "limit", 0, 10) == 5);
  CHECK_FALSE(QueryInteger(req, "absent", 0, 10)->has_value());
  CHECK_FALSE(**QueryBool(req, "enabled"));
  CHECK(QueryAll(req, "tag") == std::vector<std::string>{"a", "b"});
}

TEST_CASE("query: pages, sorting and the next link") {
  PageRules rules{.max_limit = 1000, .sort_keys = {"name", "created_at"}};
  auto page = ReadPage(WithQuery({{"limit", "2"},
                                  {"marker", "m1"},
                                  {"sort_key", "name"},
                                  {"sort_dir", "desc"},
                                  {"sort_key", "created_at"}}),
                       rules);
  REQUIRE(page.ok());
  CHECK(page->limit == 2);
  CHECK(page->marker == "m1");
  REQUIRE(page->sort.size() == 2);
  CHECK(page->sort[0].key == "name");
  CHECK(page->sort[0].descending);
  CHECK(page->sort[1].key == "created_at");
  CHECK_FALSE(page->sort[1].descending);

  page = ReadPage(WithQuery({{"sort", "created_at:desc,name"}}), rules);
  REQUIRE(page.ok());
  REQUIRE(page->sort.size() == 2);
  CHECK(page->sort[0].descending);
  CHECK_FALSE(page->sort[1].descending);

  CHECK_FALSE(ReadPage(WithQuery({{"limit", "12abc"}}), rules).ok());
  CHECK_FALSE(ReadPage(WithQuery({{"limit", "1001"}}), rules).ok());
  CHECK_FALSE(ReadPage(WithQuery({{"sort_key", "password"}}), rules).ok());
  CHECK_FALSE(ReadPage(WithQuery({{"sort_key", "name"}, {"sort_dir", "up"}}), rules).ok());
  CHECK_FALSE(ReadPage(WithQuery({{"sort", "name:sideways"}}), rules).ok());
  CHECK_FALSE(ReadPage(WithQuery({{"sort_key", "name"}}), PageRules{}).ok());

  Request req = WithQuery({{"limit", "2"}, {"marker", "old"}, {"name", "a b&c"}});
  CHECK(NextLink("http://ctl/v2.1/servers", req, "new id") ==
        "http://ctl/v2.1/servers?limit=2&name=a%20b%26c&marker=new%20id");
}

}  // namespace
}  // namespace gureum::http
