// Neutron's tag routes (standard-attr-tag) of the REST adapter: /v2.0/{resource}/{id}/tags
// for networks, subnets, ports, routers and security groups. Each is the resource's get and
// its update of `tags` (one transaction, the manager's checks: 60 characters, no NUL).
#include <algorithm>

#include "network/server/network_rest.h"

namespace gureum::network {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;
using TagList = std::vector<std::string>;

// A resource's tags: read them, replace them.
struct Tagged {
  std::string plural;
  std::function<absl::StatusOr<TagList>(const Caller&, const std::string&)> get;
  std::function<absl::StatusOr<TagList>(const Caller&, const std::string&, const TagList&)> set;
};

template <typename T, typename Get, typename Update>
Tagged MakeTagged(std::string plural, Get get, Update update) {
  Tagged t;
  t.plural = std::move(plural);
  t.get = [get](const Caller& c, const std::string& id) -> absl::StatusOr<TagList> {
    absl::StatusOr<T> x = get(c, id);
    if (!x.ok()) return x.status();
    return TagList(x->tags().begin(), x->tags().end());
  };
  t.set = [update](const Caller& c, const std::string& id,
                   const TagList& tags) -> absl::StatusOr<TagList> {
    T in;
    in.set_id(id);
    for (const std::string& tag : tags) in.add_tags(tag);
    absl::StatusOr<T> x = update(c, in, Fields{"tags"});
    if (!x.ok()) return x.status();
    return TagList(x->tags().begin(), x->tags().end());
  };
  return t;
}

absl::Status TagNotFound(const std::string& tag, const std::string& id) {
  return NetworkError(absl::StatusCode::kNotFound, ErrorKind::kNone,
                      "Tag " + tag + " could not be found for resource " + id + ".");
}

// The six routes of one resource.
void RegisterTagRoutes(
    http::Server& s, const Tagged& t,
    const std::function<http::Handler(std::function<void(const Caller&, Request&, Response&)>)>&
        authed) {
  const std::string base = "/v2.0/" + t.plural + "/{id}/tags";
  s.Route("GET", base, authed([t](const Caller& c, Request& q, Response& r) {
            auto tags = t.get(c, q.PathParam("id"));
            if (!tags.ok()) return ErrorAnswer(r, tags.status());
            r.Json(200, {{"tags", *tags}});
          }));
  s.Route("GET", base + "/{tag}", authed([t](const Caller& c, Request& q, Response& r) {
            auto tags = t.get(c, q.PathParam("id"));
            if (!tags.ok()) return ErrorAnswer(r, tags.status());
            if (std::find(tags->begin(), tags->end(), q.PathParam("tag")) == tags->end())
              return ErrorAnswer(r, TagNotFound(q.PathParam("tag"), q.PathParam("id")));
            r.Empty(204);
          }));
  s.Route("PUT", base, authed([t](const Caller& c, Request& q, Response& r) {
            auto body = q.JsonBody();
            if (!body.ok() || !body->is_object() || !body->contains("tags") ||
                !(*body)["tags"].is_array()) {
              return ErrorAnswer(r, BadRequest("The body must be {\"tags\": [...]}."));
            }
            TagList wanted;
            for (const auto& x : (*body)["tags"]) {
              if (!x.is_string()) return ErrorAnswer(r, InvalidInput("a tag must be a string."));
              wanted.push_back(x.get<std::string>());
            }
            auto tags = t.set(c, q.PathParam("id"), wanted);
            if (!tags.ok()) return ErrorAnswer(r, tags.status());
            r.Json(200, {{"tags", *tags}});
          }));
  s.Route("PUT", base + "/{tag}", authed([t](const Caller& c, Request& q, Response& r) {
            auto tags = t.get(c, q.PathParam("id"));
            if (!tags.ok()) return ErrorAnswer(r, tags.status());
            if (std::find(tags->begin(), tags->end(), q.PathParam("tag")) == tags->end()) {
              tags->push_back(q.PathParam("tag"));
              auto done = t.set(c, q.PathParam("id"), *tags);
              if (!done.ok()) return ErrorAnswer(r, done.status());
            }
            r.Empty(201);
          }));
  s.Route("DELETE", base, authed([t](const Caller& c, Request& q, Response& r) {
            auto done = t.set(c, q.PathParam("id"), {});
            if (!done.ok()) return ErrorAnswer(r, done.status());
            r.Empty(204);
          }));
  s.Route("DELETE", base + "/{tag}", authed([t](const Caller& c, Request& q, Response& r) {
            auto tags = t.get(c, q.PathParam("id"));
            if (!tags.ok()) return ErrorAnswer(r, tags.status());
            auto it = std::find(tags->begin(), tags->end(), q.PathParam("tag"));
            if (it == tags->end())
              return ErrorAnswer(r, TagNotFound(q.PathParam("tag"), q.PathParam("id")));
            tags->erase(it);
            auto done = t.set(c, q.PathParam("id"), *tags);
            if (!done.ok()) return ErrorAnswer(r, done.status());
            r.Empty(204);
          }));
}

}  // namespace

void NetworkRest::RegisterTags(http::Server& s) {
  NetworkManagers& m = manager_;
  auto authed = [this](std::function<void(const Caller&, Request&, Response&)> h) {
    return Authed(std::move(h));
  };
  const Tagged all[] = {
      MakeTagged<v1::Network>(
          "networks",
          [&m](const Caller& c, const std::string& id) { return m.networks().GetNetwork(c, id); },
          [&m](const Caller& c, const v1::Network& x, const Fields& g) {
            return m.networks().UpdateNetwork(c, x, g);
          }),
      MakeTagged<v1::Subnet>(
          "subnets",
          [&m](const Caller& c, const std::string& id) { return m.networks().GetSubnet(c, id); },
          [&m](const Caller& c, const v1::Subnet& x, const Fields& g) {
            return m.networks().UpdateSubnet(c, x, g);
          }),
      MakeTagged<v1::Port>(
          "ports",
          [&m](const Caller& c, const std::string& id) { return m.ports().GetPort(c, id); },
          [&m](const Caller& c, const v1::Port& x, const Fields& g) {
            return m.ports().UpdatePort(c, x, g);
          }),
      MakeTagged<v1::Router>(
          "routers",
          [&m](const Caller& c, const std::string& id) { return m.routers().GetRouter(c, id); },
          [&m](const Caller& c, const v1::Router& x, const Fields& g) {
            return m.routers().UpdateRouter(c, x, g);
          }),
      MakeTagged<v1::SecurityGroup>(
          "security-groups",
          [&m](const Caller& c, const std::string& id) {
            return m.security_groups().GetSecurityGroup(c, id);
          },
          [&m](const Caller& c, const v1::SecurityGroup& x, const Fields& g) {
            return m.security_groups().UpdateSecurityGroup(c, x, g);
          }),
  };
  for (const Tagged& t : all) RegisterTagRoutes(s, t, authed);
}

}  // namespace gureum::network
