#include "object-storage/proxy/proxy_rest.h"

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "object-storage/proxy/acl.h"
#include "object-storage/proxy/bulk_delete.h"
#include "object-storage/proxy/bulk_upload.h"
#include "object-storage/proxy/swift_headers.h"
#include "object-storage/proxy/temp_url.h"

namespace gureum::object::proxy {
namespace {

std::string HeaderOf(const http::Response& res, absl::string_view name) {
  for (const auto& [k, v] : res.headers) {
    if (absl::EqualsIgnoreCase(k, name)) return v;
  }
  return "";
}

// Swift's transaction id: "tx", 21 hex digits (here from the request id), "-", the time
// in 10 hex digits.
std::string TransId(const std::string& request_id, absl::Time now) {
  std::string hex;
  for (char c : request_id) {
    if (absl::ascii_isxdigit(c)) hex.push_back(absl::ascii_tolower(c));
  }
  hex.resize(21, '0');
  return absl::StrCat("tx", hex, "-", absl::Hex(absl::ToUnixSeconds(now), absl::kZeroPad10));
}

// What Swift puts on every answer (Tempest checks them): Date, X-Trans-Id, a Content-Type
// also when there is no body (201, 204, HEAD), and the one storage policy's name and usage
// on containers and accounts.
void AddSwiftHeaders(const http::Request& req, http::Response& res, absl::Time now) {
  res.SetHeader("Date", HttpDate(absl::ToUnixSeconds(now)));
  res.SetHeader("X-Trans-Id", TransId(req.request_id, now));
  if (!HeaderOf(res, "X-Container-Object-Count").empty()) {
    res.SetHeader("X-Storage-Policy", "Policy-0");
  }
  if (const std::string containers = HeaderOf(res, "X-Account-Container-Count");
      !containers.empty()) {
    const std::string p = "X-Account-Storage-Policy-Policy-0-";
    res.SetHeader(p + "Container-Count", containers);
    res.SetHeader(p + "Object-Count", HeaderOf(res, "X-Account-Object-Count"));
    res.SetHeader(p + "Bytes-Used", HeaderOf(res, "X-Account-Bytes-Used"));
  }
  const bool has_type = !HeaderOf(res, "Content-Type").empty();
  if (!has_type && res.body.empty() && !res.stream_source) {
    res.SetHeader("Content-Type", res.content_type == "application/json"
                                      ? "text/plain; charset=utf-8"
                                      : res.content_type);
  }
}

// `value` fit for a quoted-string of a header: no quotes, backslashes or control characters.
std::string HeaderQuoted(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

bool ParseTarget(const std::string& path, Target& out) {
  if (!absl::StartsWith(path, "/v1/")) return false;
  const std::string rest = path.substr(4);
  const size_t a = rest.find('/');
  out.account = rest.substr(0, a);
  if (out.account.empty()) return false;
  if (a == std::string::npos) return true;
  const size_t c = rest.find('/', a + 1);
  out.container = rest.substr(a + 1, c == std::string::npos ? std::string::npos : c - a - 1);
  if (c != std::string::npos) out.object = rest.substr(c + 1);
  if (out.container.empty() && !out.object.empty()) return false;
  return true;
}

http::ServerOptions ProxyRest::ServerOptions() {
  http::ServerOptions o;
  o.threads = 64;
  o.max_body_bytes = 2 << 20;      // listings' and manifests' bodies
  o.max_stream_bytes = 5ll << 30;  // Swift's largest single object, 5 GiB
  return o;
}

void ProxyRest::Register(http::Server& server) {
  auto handle = [this](http::Request& req, http::Response& res) {
    Handle(req, res);
    AddSwiftHeaders(req, res, clock_.Now());
  };
  server.Route("GET", "/info", [this](http::Request& req, http::Response& res) { Info(req, res); });
  // Swift's healthcheck middleware: a load balancer's probe, no token.
  server.Route("GET", "/healthcheck", [this](http::Request& req, http::Response& res) {
    res.status = 200;
    res.content_type = "text/plain; charset=utf-8";
    res.body = "OK";
    AddSwiftHeaders(req, res, clock_.Now());
  });
  // Swift's crossdomain middleware: the Flash/Silverlight policy, no token (its default).
  server.Route("GET", "/crossdomain.xml", [this](http::Request& req, http::Response& res) {
    res.status = 200;
    res.content_type = "application/xml; charset=utf-8";
    res.body =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE cross-domain-policy SYSTEM "
        "\"http://www.adobe.com/xml/dtds/cross-domain-policy.dtd\" >\n<cross-domain-policy>\n"
        "<allow-access-from domain=\"*\" secure=\"false\" />\n</cross-domain-policy>";
    AddSwiftHeaders(req, res, clock_.Now());
  });
  for (const char* pattern : {"/v1/{account}", "/v1/{account}/{container}"}) {
    for (const char* method : {"GET", "PUT", "POST", "DELETE"}) {
      server.Route(method, pattern, handle);
    }
  }
  std::string pattern = "/v1/{account}/{container}";
  for (int i = 0; i < kMaxObjectSegments; ++i) {
    absl::StrAppend(&pattern, "/{o", i, "}");
    for (const char* method : {"GET", "POST", "DELETE", "COPY"}) {
      server.Route(method, pattern, handle);
    }
    server.Route("PUT", pattern, handle, {.stream_body = true});
  }
}

void ProxyRest::Info(http::Request& req, http::Response& res) {
  // What Swift's clients and Tempest read to know which middleware features are there.
  res.Json(
      200,
      {{"swift",
        {{"version", "2.30.0-gureum"},
         {"max_file_size", 5368709122LL},
         {"max_object_name_length", 1024},
         {"container_listing_limit", 10000},
         {"account_listing_limit", 10000},
         {"max_meta_count", kMaxMetaCount},
         {"max_meta_name_length", kMaxMetaNameLength},
         {"max_meta_value_length", kMaxMetaValueLength},
         {"max_meta_overall_size", kMaxMetaOverallSize},
         {"max_container_name_length", 256},
         {"max_account_name_length", 256},
         {"extra_header_count", 0},
         {"policies", {{{"name", "Policy-0"}, {"default", true}}}}}},
       {"bulk_delete",
        {{"max_deletes_per_request", kMaxBulkDeletes}, {"max_failed_deletes", kMaxBulkDeletes}}},
       {"bulk_upload",
        {{"max_containers_per_extraction", 10000}, {"max_failed_extractions", 1000}}},
       {"slo",
        {{"max_manifest_segments", 1000}, {"max_manifest_size", 2 << 20}, {"min_segment_size", 1}}},
       {"dlo", {{"max_segments", 10000}}},
       {"tempurl",
        {{"methods", {"GET", "HEAD", "PUT", "POST", "DELETE"}},
         {"allowed_digests", {"sha1", "sha256", "sha512"}}}},
       {"account_quotas", nlohmann::json::object()},
       {"crossdomain", nlohmann::json::object()},
       {"container_quotas", nlohmann::json::object()},
       {"versioned_writes", {{"allowed_flags", {"x-versions-location", "x-history-location"}}}}});
}

bool ProxyRest::Allowed(http::Request& req, http::Response& res, const Target& t, bool read) {
  // A TempURL is judged by its signature alone, as Swift's tempurl middleware does: an
  // expired or forged one is 401 even when a valid token comes with it.
  if (!t.object.empty() && req.Query("temp_url_sig")) return TempUrl(req, res, t);
  const std::string token = req.Header("X-Auth-Token");
  std::optional<Caller> caller;
  if (!token.empty()) {
    absl::StatusOr<Caller> verified = verify_(token);
    if (!verified.ok()) {
      Answer(res, 401, "Unauthorized");
      return false;
    }
    caller = *verified;
    req.caller = *verified;
    const bool owner = !caller->project_id.empty() && t.account == "AUTH_" + caller->project_id;
    if (owner || IsAdmin(*caller)) return true;
  }
  // Not the account's: the container's ACLs may still let the caller (or anyone) in.
  if (!t.container.empty()) {
    const AclAccess access = !read              ? AclAccess::kWrite
                             : t.object.empty() ? AclAccess::kListContainer
                                                : AclAccess::kReadObject;
    if (access == AclAccess::kWrite && t.object.empty()) {
      // Container writes (create, metadata, delete) stay the owner's.
    } else {
      ContainerFacts facts = containers_.Facts(t.account, t.container);
      auto header = [&](const char* name) {
        auto it = facts.headers.find(name);
        return it == facts.headers.end() ? std::string() : it->second;
      };
      const std::string acl = header(read ? "X-Container-Read" : "X-Container-Write");
      if (facts.exists &&
          AclAllows(acl, caller ? &*caller : nullptr, access, req.Header("Referer")))
        return true;
    }
  }
  Answer(res, caller ? 403 : 401, caller ? "Forbidden" : "Unauthorized");
  return false;
}

bool ProxyRest::TempUrl(http::Request& req, http::Response& res, const Target& t) {
  TempUrlRequest r;
  r.method = req.method;
  r.path = req.path;
  r.signature = req.Query("temp_url_sig").value_or("");
  r.expires = req.Query("temp_url_expires").value_or("");
  r.has_prefix = req.Query("temp_url_prefix").has_value();
  r.prefix = req.Query("temp_url_prefix").value_or("");
  std::vector<std::string> keys;
  std::map<std::string, std::string> account = containers_.AccountHeaders(t.account);
  std::map<std::string, std::string> container = containers_.Facts(t.account, t.container).headers;
  for (const char* name : {"X-Account-Meta-Temp-URL-Key", "X-Account-Meta-Temp-URL-Key-2"}) {
    if (account.count(name)) keys.push_back(account[name]);
  }
  for (const char* name : {"X-Container-Meta-Temp-URL-Key", "X-Container-Meta-Temp-URL-Key-2"}) {
    if (container.count(name)) keys.push_back(container[name]);
  }
  if (!TempUrlValid(r, keys, absl::ToUnixSeconds(clock_.Now()))) {
    Answer(res, 401, "Temp URL invalid");
    return false;
  }
  // How a browser should show the object (Swift's tempurl): ?inline, ?filename=<name>, or
  // by default a download named after the object (its own Content-Disposition wins then).
  if (req.method == "GET" || req.method == "HEAD") {
    const std::string filename = req.Query("filename").value_or("");
    const std::string named =
        filename.empty() ? "" : absl::StrCat("; filename=\"", HeaderQuoted(filename), "\"");
    if (req.Query("inline")) {
      res.SetHeader("Content-Disposition", "inline" + named);
    } else {
      const std::string base = t.object.substr(t.object.rfind('/') + 1);
      res.SetHeader("Content-Disposition",
                    absl::StrCat("attachment; filename=\"",
                                 HeaderQuoted(filename.empty() ? base : filename), "\""));
    }
  }
  return true;
}

bool IsAdmin(const Caller& caller) {
  // Swift's keystoneauth reseller_admin_role (ResellerAdmin) is an operator too.
  return (caller.HasRole("admin") && (caller.is_admin_project || caller.system_scope)) ||
         caller.HasRole("ResellerAdmin");
}

bool ProxyRest::CopyAllowed(http::Request& req, http::Response& res, const Target& t) {
  // A copy between accounts needs the caller's access to the other side as well.
  if (req.method == "COPY" && !t.object.empty()) {
    Target dest{req.HasHeader("Destination-Account") ? req.Header("Destination-Account")
                                                     : t.account};
    if (!SplitCopyPath(req.Header("Destination"), dest.container, dest.object)) return true;
    return Allowed(req, res, dest, /*read=*/false);
  }
  if (req.method == "PUT" && !t.object.empty() && req.HasHeader("X-Copy-From")) {
    Target source{req.HasHeader("X-Copy-From-Account") ? req.Header("X-Copy-From-Account")
                                                       : t.account};
    if (!SplitCopyPath(req.Header("X-Copy-From"), source.container, source.object)) return true;
    return Allowed(req, res, source, /*read=*/true);
  }
  return true;
}

void ProxyRest::Handle(http::Request& req, http::Response& res) {
  Target t;
  if (!ParseTarget(req.path, t)) return Answer(res, 412, "Invalid path");
  const std::string& m = req.method;
  // A COPY reads its source (CopyAllowed checks the write to its destination).
  const bool read = m == "GET" || m == "HEAD" || (m == "COPY" && !t.object.empty());
  if (!Allowed(req, res, t, read) || !CopyAllowed(req, res, t)) return;
  if (m == "PUT" && req.Query("extract-archive")) {
    return ExtractArchive(req, res, t, containers_, objects_);
  }
  if (t.container.empty()) {
    if (m == "GET" || m == "HEAD") return containers_.GetAccount(req, res, t);
    if ((m == "POST" || m == "DELETE") && req.Query("bulk-delete")) {
      return BulkDelete(req, res, t, containers_, objects_);
    }
    if (m == "POST" && !IsAdmin(req.caller) &&
        (req.HasHeader("X-Account-Meta-Quota-Bytes") ||
         req.HasHeader("X-Remove-Account-Meta-Quota-Bytes"))) {
      return Answer(res, 403, "Forbidden");  // account quotas are the operator's
    }
    if (m == "POST") return containers_.PostAccount(req, res, t);
    return Answer(res, 405, "Method Not Allowed");
  }
  if (t.object.empty()) {
    if (m == "GET" || m == "HEAD") return containers_.GetContainer(req, res, t);
    if (m == "PUT") return containers_.PutContainer(req, res, t);
    if (m == "POST") return containers_.PostContainer(req, res, t);
    if (m == "DELETE") return containers_.DeleteContainer(req, res, t);
    return Answer(res, 405, "Method Not Allowed");
  }
  if (m == "GET" || m == "HEAD") return objects_.Get(req, res, t);
  if (m == "PUT") return objects_.Put(req, res, t);
  if (m == "POST") return objects_.Post(req, res, t);
  if (m == "DELETE") return objects_.Delete(req, res, t);
  if (m == "COPY") return objects_.Copy(req, res, t);
  Answer(res, 405, "Method Not Allowed");
}

}  // namespace gureum::object::proxy
