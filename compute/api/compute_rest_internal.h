// What the files of the Nova REST adapter share (compute_rest*.cc). Not a public interface.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "common/http/request.h"
#include "common/http/server.h"
#include "compute/api/compute_managers.h"
#include "compute/api/compute_rest.h"

namespace gureum::compute {

using nlohmann::json;

struct RestContext {
  ComputeManagers& managers;
  TokenAuth auth;
  ComputeRestOptions options;
};

// A microversion "2.x" as its minor number.
struct Microversion {
  int minor = 1;
  bool AtLeast(int m) const { return minor >= m; }
};

struct Call {
  http::Request& req;
  http::Response& res;
  RestContext& ctx;
  RequestContext rc;
  Microversion version;
  std::string base;  // "http://ctl:8774"

  ComputeManagers& managers() { return ctx.managers; }
  const std::string& Param(const std::string& name) const { return req.PathParam(name); }
  std::string Link(const std::string& path) const { return base + "/v2.1" + path; }
};

using CallHandler = std::function<absl::Status(Call&)>;

void AddRoute(RestContext& ctx, http::Server& server, const std::string& method,
              const std::string& pattern, CallHandler handler);

void RegisterServerRoutes(RestContext& ctx, http::Server& server);
void RegisterActionRoutes(RestContext& ctx, http::Server& server);
void RegisterFlavorRoutes(RestContext& ctx, http::Server& server);
void RegisterKeypairRoutes(RestContext& ctx, http::Server& server);  // + server groups, quotas
void RegisterHostRoutes(RestContext& ctx, http::Server& server);

// ---- decoding ----
absl::StatusOr<json> BodyEntity(const http::Request& req, const std::string& key);
absl::StatusOr<json> BodyEntity(const json& body, const std::string& key);
// additionalProperties: false. 400 "Invalid input for field/attribute <path>. Additional
// properties are not allowed ('x' was unexpected)" naming at most a few of them.
absl::Status CheckKnownFields(const json& obj, const std::string& path,
                              std::initializer_list<const char*> allowed);
absl::StatusOr<std::optional<std::string>> OptString(const json& obj, const std::string& field);
absl::StatusOr<std::optional<int64_t>> OptInt(const json& obj, const std::string& field);
absl::StatusOr<std::optional<bool>> OptBool(const json& obj, const std::string& field);
absl::StatusOr<bool> ParseBool(const std::string& field, const std::string& value);

// ---- encoding ----
std::string IsoTime(absl::Time t);    // 2026-01-01T12:00:00Z
std::string IsoMicros(absl::Time t);  // 2026-01-01T12:00:00.000000
json TimeOrNull(const std::optional<absl::Time>& t, bool micros = false);
json Links(const Call& call, const std::string& collection, const std::string& id);
json FlavorJson(const Call& call, const FlavorRecord& f);
json ServerJson(Call& call, const Instance& i, bool detail);
json KeypairJson(const Keypair& k, bool detail);
json ServerGroupJson(const Call& call, const ServerGroup& g);
json ServiceJson(const Call& call, const HostState& h);
json AggregateJson(const Aggregate& a);
json QuotaSetJson(const std::string& project, const QuotaLimits& q);

}  // namespace gureum::compute
