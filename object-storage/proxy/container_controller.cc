#include "object-storage/proxy/container_controller.h"

#include <nlohmann/json.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "object-storage/proxy/swift_headers.h"
#include "object-storage/server/object_server_rest.h"

namespace gureum::object::proxy {
namespace {

using json = nlohmann::json;

constexpr absl::Duration kFactsTtl = absl::Seconds(3);

std::vector<int> Statuses(const std::vector<ReplicaAnswer>& answers) {
  std::vector<int> out;
  for (const ReplicaAnswer& a : answers) out.push_back(a.response.status);
  return out;
}

void CopyInfo(const NodeResponse& from, http::Response& res, bool account) {
  for (const char* name :
       {"X-Account-Container-Count", "X-Account-Object-Count", "X-Account-Bytes-Used",
        "X-Container-Object-Count", "X-Container-Bytes-Used", "X-Timestamp", "X-Put-Timestamp"}) {
    const std::string value = from.Header(name);
    if (!value.empty()) res.SetHeader(name, value);
  }
  CopyMetadata(from, res);
  std::optional<Timestamp> ts = Timestamp::Parse(from.Header("X-Timestamp"));
  if (ts) res.SetHeader("Last-Modified", HttpDate(ts->seconds() + (ts->ticks() % 100000 ? 1 : 0)));
  res.SetHeader("Accept-Ranges", "bytes");
  (void)account;
}

// What a container server's answer says of its container.
ContainerFacts FactsFrom(const NodeResponse& response) {
  ContainerFacts facts;
  facts.exists = response.status / 100 == 2;
  if (facts.exists) {
    json headers = json::parse(response.Header(kHeadersHeader), nullptr, false);
    if (headers.is_object()) facts.headers = headers.get<std::map<std::string, std::string>>();
    (void)absl::SimpleAtoi(response.Header("X-Container-Object-Count"), &facts.object_count);
    (void)absl::SimpleAtoi(response.Header("X-Container-Bytes-Used"), &facts.bytes);
  }
  return facts;
}

// The listing a server sent (JSON rows) in the client's `format`; an empty plain listing is
// 204, as in Swift.
void AnswerListing(http::Response& res, const std::string& rows_json, Kind kind,
                   const std::string& name, const std::string& format) {
  json rows = json::parse(rows_json, nullptr, false);
  Listing listing = FormatListing(rows.is_array() ? rows : json::array(), kind, name, format);
  if (format == "plain" && listing.body.empty()) return Answer(res, 204);
  res.status = 200;
  res.content_type = listing.content_type;
  res.body = listing.body;
}

}  // namespace

std::string ContainerController::ListingQueryString(const http::Request& req) const {
  std::string q;
  for (const char* name : {"prefix", "delimiter", "marker", "end_marker", "limit", "reverse"}) {
    std::optional<std::string> v = req.Query(name);
    if (v) absl::StrAppend(&q, q.empty() ? "?" : "&", name, "=", UrlEncode(*v));
  }
  return q;
}

void ContainerController::GetAccount(http::Request& req, http::Response& res, const Target& t) {
  int limit = 0;
  if (req.Query("limit") && (!absl::SimpleAtoi(*req.Query("limit"), &limit) || limit > 10000)) {
    return Answer(res, 412, "Maximum limit is 10000");
  }
  Placement where = cluster_.Locate(t.account);
  const std::string query = req.method == "HEAD" ? "" : ListingQueryString(req);
  ReplicaAnswer a = cluster_.ReadFirst(
      where, req.method,
      [&](const ring::Device& d) { return Cluster::Path(d, where.partition, t.account) + query; },
      {});
  const int status = a.response.status;
  if (status / 100 != 2 && status != 404) return Answer(res, 503, "Service Unavailable");
  const std::string format = ListingFormat(req);
  if (status == 404) {  // no container yet: an empty account (Swift's account_autocreate)
    res.SetHeader("X-Account-Container-Count", "0");
    res.SetHeader("X-Account-Object-Count", "0");
    res.SetHeader("X-Account-Bytes-Used", "0");
    res.SetHeader("X-Timestamp", cluster_.NewTimestamp().ToString());
    Listing empty = FormatListing(json::array(), Kind::kAccount, t.account, format);
    if (req.method == "HEAD" || format == "plain") return Answer(res, 204);
    res.status = 200;
    res.content_type = empty.content_type;
    res.body = empty.body;
    return;
  }
  CopyInfo(a.response, res, true);
  if (req.method == "HEAD") return Answer(res, 204);
  AnswerListing(res, a.response.body, Kind::kAccount, t.account, format);
}

void ContainerController::PostAccount(http::Request& req, http::Response& res, const Target& t) {
  // A PUT of the account's listing merges the headers and creates it if needed.
  Placement where = cluster_.Locate(t.account);
  const Timestamp ts = cluster_.NewTimestamp();
  const std::map<std::string, std::string> meta = MetadataHeaders(req, Kind::kAccount);
  if (std::string problem = MetadataProblem(meta, Kind::kAccount); !problem.empty()) {
    return Answer(res, 400, problem);
  }
  const std::string headers = json(meta).dump();
  auto answers = cluster_.SendToAll(
      where, "PUT",
      [&](const ring::Device& d) { return Cluster::Path(d, where.partition, t.account); },
      [&](size_t) {
        return Headers{{"X-Timestamp", ts.ToString()}, {kHeadersHeader, headers}};
      },
      true);
  {
    absl::MutexLock lock(&mu_);
    cache_.erase(t.account);
  }
  const int status = QuorumStatus(Statuses(answers), where.primaries.size());
  Answer(res, status / 100 == 2 ? 204 : status);
}

void ContainerController::PutContainer(http::Request& req, http::Response& res, const Target& t) {
  if (t.container.size() > 256) {
    // Swift's words, which clients and Tempest match.
    return Answer(
        res, 400,
        absl::StrCat("Container name length of ", t.container.size(), " longer than 256"));
  }
  Placement where = cluster_.Locate(t.account, t.container);
  Placement account = cluster_.Locate(t.account);
  const Timestamp ts = cluster_.NewTimestamp();
  const std::map<std::string, std::string> meta = MetadataHeaders(req, Kind::kContainer);
  if (std::string problem = MetadataProblem(meta, Kind::kContainer); !problem.empty()) {
    return Answer(res, 400, problem);
  }
  const std::string headers = json(meta).dump();
  auto answers = cluster_.SendToAll(
      where, "PUT",
      [&](const ring::Device& d) {
        return Cluster::Path(d, where.partition, t.account, t.container);
      },
      [&](size_t i) {
        const ring::Device& a = *account.primaries[i % account.primaries.size()];
        return Headers{{"X-Timestamp", ts.ToString()},
                       {kHeadersHeader, headers},
                       {"X-Account-Host", HostOf(a)},
                       {"X-Account-Device", a.device},
                       {"X-Account-Partition", std::to_string(account.partition)}};
      },
      true);
  Forget(t.account, t.container);
  Answer(res, QuorumStatus(Statuses(answers), where.primaries.size()));
}

void ContainerController::GetContainer(http::Request& req, http::Response& res, const Target& t) {
  int limit = 0;
  if (req.Query("limit") && (!absl::SimpleAtoi(*req.Query("limit"), &limit) || limit > 10000)) {
    return Answer(res, 412, "Maximum limit is 10000");
  }
  Placement where = cluster_.Locate(t.account, t.container);
  const std::string query = req.method == "HEAD" ? "" : ListingQueryString(req);
  ReplicaAnswer a =
      cluster_.ReadFirst(where, req.method,
                         [&](const ring::Device& d) {
                           return Cluster::Path(d, where.partition, t.account, t.container) + query;
                         },
                         {});
  if (a.response.status == 404) return Answer(res, 404, "Not Found");
  if (a.response.status / 100 != 2) return Answer(res, 503, "Service Unavailable");
  {
    // A fresh answer refreshes what quotas and ACLs are checked against, as Swift's proxy
    // refreshes its info cache with each container GET or HEAD.
    absl::MutexLock lock(&mu_);
    cache_[absl::StrCat(t.account, "/", t.container)] = {FactsFrom(a.response),
                                                         cluster_.clock().Now() + kFactsTtl};
  }
  CopyInfo(a.response, res, false);
  if (req.method == "HEAD") return Answer(res, 204);
  const std::string format = ListingFormat(req);
  AnswerListing(res, a.response.body, Kind::kContainer, t.container, format);
}

void ContainerController::PostContainer(http::Request& req, http::Response& res, const Target& t) {
  Placement where = cluster_.Locate(t.account, t.container);
  const Timestamp ts = cluster_.NewTimestamp();
  const std::map<std::string, std::string> meta = MetadataHeaders(req, Kind::kContainer);
  if (std::string problem = MetadataProblem(meta, Kind::kContainer); !problem.empty()) {
    return Answer(res, 400, problem);
  }
  const std::string headers = json(meta).dump();
  auto answers = cluster_.SendToAll(
      where, "POST",
      [&](const ring::Device& d) {
        return Cluster::Path(d, where.partition, t.account, t.container);
      },
      [&](size_t) {
        return Headers{{"X-Timestamp", ts.ToString()}, {kHeadersHeader, headers}};
      },
      true);
  Forget(t.account, t.container);
  Answer(res, QuorumStatus(Statuses(answers), where.primaries.size()));
}

void ContainerController::DeleteContainer(http::Request& req, http::Response& res,
                                          const Target& t) {
  Placement where = cluster_.Locate(t.account, t.container);
  const Timestamp ts = cluster_.NewTimestamp();
  auto answers = cluster_.SendToAll(
      where, "DELETE",
      [&](const ring::Device& d) {
        return Cluster::Path(d, where.partition, t.account, t.container);
      },
      [&](size_t) {
        return Headers{{"X-Timestamp", ts.ToString()}};
      },
      true);
  Forget(t.account, t.container);
  const int status = QuorumStatus(Statuses(answers), where.primaries.size());
  Answer(res, status,
         status == 409 ? "There was a conflict when trying to complete your request." : "");
}

int ContainerController::ListRows(const std::string& account, const std::string& container,
                                  const std::string& query, json& rows) {
  Placement where = cluster_.Locate(account, container);
  ReplicaAnswer a =
      cluster_.ReadFirst(where, "GET",
                         [&](const ring::Device& d) {
                           return Cluster::Path(d, where.partition, account, container) + query;
                         },
                         {});
  if (a.response.status == 404) return 404;
  if (a.response.status / 100 != 2) return 503;
  rows = json::parse(a.response.body, nullptr, false);
  if (!rows.is_array()) rows = json::array();
  return 200;
}

ContainerFacts ContainerController::Facts(const std::string& account,
                                          const std::string& container) {
  const std::string key = absl::StrCat(account, "/", container);
  const absl::Time now = cluster_.clock().Now();
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second.until > now) return it->second.facts;
  }
  Placement where = cluster_.Locate(account, container);
  ReplicaAnswer a = cluster_.ReadFirst(
      where, "HEAD",
      [&](const ring::Device& d) { return Cluster::Path(d, where.partition, account, container); },
      {});
  ContainerFacts facts = FactsFrom(a.response);
  if (a.response.status != 0) {  // nothing answered: ask again next time
    absl::MutexLock lock(&mu_);
    cache_[key] = {facts, now + kFactsTtl};
  }
  return facts;
}

std::map<std::string, std::string> ContainerController::AccountHeaders(const std::string& account) {
  Placement where = cluster_.Locate(account);
  ReplicaAnswer a = cluster_.ReadFirst(
      where, "HEAD",
      [&](const ring::Device& d) { return Cluster::Path(d, where.partition, account); }, {});
  json headers = json::parse(a.response.Header(kHeadersHeader), nullptr, false);
  if (!headers.is_object()) return {};
  return headers.get<std::map<std::string, std::string>>();
}

ContainerFacts ContainerController::AccountFacts(const std::string& account) {
  const std::string key = account;  // container keys have a slash
  const absl::Time now = cluster_.clock().Now();
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second.until > now) return it->second.facts;
  }
  Placement where = cluster_.Locate(account);
  ReplicaAnswer a = cluster_.ReadFirst(
      where, "HEAD",
      [&](const ring::Device& d) { return Cluster::Path(d, where.partition, account); }, {});
  ContainerFacts facts;
  facts.exists = a.response.status / 100 == 2;
  if (facts.exists) {
    json headers = json::parse(a.response.Header(kHeadersHeader), nullptr, false);
    if (headers.is_object()) facts.headers = headers.get<std::map<std::string, std::string>>();
    (void)absl::SimpleAtoi(a.response.Header("X-Account-Object-Count"), &facts.object_count);
    (void)absl::SimpleAtoi(a.response.Header("X-Account-Bytes-Used"), &facts.bytes);
  }
  if (a.response.status != 0) {
    absl::MutexLock lock(&mu_);
    cache_[key] = {facts, now + kFactsTtl};
  }
  return facts;
}

void ContainerController::Forget(const std::string& account, const std::string& container) {
  absl::MutexLock lock(&mu_);
  cache_.erase(absl::StrCat(account, "/", container));
}

}  // namespace gureum::object::proxy
