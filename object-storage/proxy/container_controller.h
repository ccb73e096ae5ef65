// Accounts and containers at the proxy (Swift's AccountController and ContainerController):
// writes go to every replica of the listing (quorum), reads to the first replica that
// answers. Accounts are created by their first container; an account that has none reads
// as empty for its owner. Container facts the object path needs (does it exist, its ACLs)
// are cached for a few seconds.
#pragma once

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "absl/container/flat_hash_map.h"
#include "object-storage/proxy/cluster.h"
#include "object-storage/proxy/controller.h"

namespace gureum::object::proxy {

struct ContainerFacts {
  bool exists = false;
  std::map<std::string, std::string> headers;  // X-Container-Read, -Write, quotas, keys...
  int64_t object_count = 0, bytes = 0;
};

class ContainerController {
 public:
  explicit ContainerController(Cluster& cluster) : cluster_(cluster) {}

  void GetAccount(http::Request& req, http::Response& res, const Target& t);
  void PostAccount(http::Request& req, http::Response& res, const Target& t);
  void PutContainer(http::Request& req, http::Response& res, const Target& t);
  void GetContainer(http::Request& req, http::Response& res, const Target& t);
  void PostContainer(http::Request& req, http::Response& res, const Target& t);
  void DeleteContainer(http::Request& req, http::Response& res, const Target& t);

  // The object server's listing rows as they are (content types keep their parameters);
  // `query` like "?prefix=a&limit=10". The status: 200, 404, or 503.
  int ListRows(const std::string& account, const std::string& container, const std::string& query,
               nlohmann::json& rows);
  // From the cache (a few seconds old at most) or the container's replicas.
  ContainerFacts Facts(const std::string& account, const std::string& container);
  // The account's metadata and counts (object_count, bytes), cached like Facts.
  ContainerFacts AccountFacts(const std::string& account);
  // Account metadata (TempURL keys), uncached.
  std::map<std::string, std::string> AccountHeaders(const std::string& account);

 private:
  void Forget(const std::string& account, const std::string& container);
  std::string ListingQueryString(const http::Request& req) const;

  Cluster& cluster_;
  absl::Mutex mu_;
  struct Cached {
    ContainerFacts facts;
    absl::Time until;
  };
  absl::flat_hash_map<std::string, Cached> cache_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gureum::object::proxy
