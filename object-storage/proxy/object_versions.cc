// Object versioning (Swift's versioned_writes): see object_controller.h.
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "object-storage/proxy/object_controller.h"

namespace gureum::object::proxy {
namespace {

std::string FactsHeader(const ContainerFacts& facts, const char* name) {
  auto it = facts.headers.find(name);
  return it == facts.headers.end() ? std::string() : it->second;
}

}  // namespace

std::string VersionPrefix(const std::string& object) {
  return absl::StrFormat("%03x%s/", object.size(), object);
}

void ObjectController::ArchiveCurrent(const Target& t, const ContainerFacts& facts) {
  std::string archive = FactsHeader(facts, "X-History-Location");
  if (archive.empty()) archive = FactsHeader(facts, "X-Versions-Location");
  if (archive.empty() || archive == t.container) return;
  Placement where = cluster_.Locate(t.account, t.container, t.object);
  ReplicaAnswer current = cluster_.ReadFirst(where, "HEAD",
                                             [&](const ring::Device& d) {
                                               return Cluster::Path(d, where.partition, t.account,
                                                                    t.container, t.object);
                                             },
                                             {});
  if (current.response.status != 200) return;  // nothing to keep
  const Target version{t.account, archive,
                       VersionPrefix(t.object) + current.response.Header("X-Timestamp")};
  http::Response ignored;
  CopyObject(ignored, t, version, {.keep_version = false});
}

bool ObjectController::DeleteVersioned(http::Response& res, const Target& t) {
  const ContainerFacts facts = containers_.Facts(t.account, t.container);
  if (!FactsHeader(facts, "X-History-Location").empty()) {
    ArchiveCurrent(t, facts);
    DeleteOne(res, t);
    return true;
  }
  const std::string archive = FactsHeader(facts, "X-Versions-Location");
  if (archive.empty() || archive == t.container) return false;
  // The newest archived version, if any.
  Placement where = cluster_.Locate(t.account, archive);
  const std::string query =
      absl::StrCat("?prefix=", UrlEncode(VersionPrefix(t.object)), "&reverse=true&limit=1");
  ReplicaAnswer listed =
      cluster_.ReadFirst(where, "GET",
                         [&](const ring::Device& d) {
                           return Cluster::Path(d, where.partition, t.account, archive) + query;
                         },
                         {});
  nlohmann::json rows = nlohmann::json::parse(listed.response.body, nullptr, false);
  if (listed.response.status != 200 || !rows.is_array() || rows.empty()) {
    DeleteOne(res, t);
    return true;
  }
  const Target previous{t.account, archive, rows[0].value("name", "")};
  CopyObject(res, previous, t, {.keep_version = false});
  if (res.status != 201) return true;
  http::Response ignored;
  DeleteOne(ignored, previous);
  Answer(res, 204);
  return true;
}

}  // namespace gureum::object::proxy
