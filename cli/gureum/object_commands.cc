// `gureum container list|create|show|delete` and `gureum object list|upload|download|show|
// delete` over the Swift API of gureum-object-proxy (issue 19), as `openstack container` and
// `openstack object` do. The storage URL: --os-storage-url, else OS_STORAGE_URL, else the
// token's catalog (the object-store service's public endpoint, $(project_id)s filled in).
// Uploads and downloads stream between the file and the connection.
#include <httplib.h>

#include <cstdio>
#include <fstream>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "cli/gureum/commands.h"
#include "common/status/macros.h"

namespace gureum::cli {
namespace {

struct ObjectArgs {
  std::string storage_url, container, file, name, prefix;
  std::vector<std::string> names;
  bool recursive = false;
};

// The account's URL split for httplib: "http://host:port" and "/v1/AUTH_<project>".
struct Account {
  std::string base, path;
};

absl::StatusOr<std::string> CatalogStorageUrl(Session& s) {
  GUREUM_ASSIGN_OR_RETURN(std::string token, s.Token());
  (void)token;
  const auto& info = s.auth().info();
  const std::string& region = s.settings().region_name;
  for (const auto& entry : info.catalog()) {
    if (entry.type() != "object-store") continue;
    for (const auto& e : entry.endpoints()) {
      if (e.interface() != "public" || (!region.empty() && e.region_id() != region)) continue;
      return absl::StrReplaceAll(
          e.url(), {{"$(project_id)s", info.project_id()}, {"%(project_id)s", info.project_id()}});
    }
  }
  return absl::NotFoundError(
      "the catalog has no object-store endpoint; give --os-storage-url or OS_STORAGE_URL");
}

absl::StatusOr<Account> AccountOf(Session& s, const ObjectArgs& a) {
  std::string url = a.storage_url;
  if (url.empty()) {
    if (const char* env = std::getenv("OS_STORAGE_URL"); env != nullptr) url = env;
  }
  if (url.empty()) {
    GUREUM_ASSIGN_OR_RETURN(url, CatalogStorageUrl(s));
  }
  const size_t scheme = url.find("://");
  const size_t path = scheme == std::string::npos ? scheme : url.find('/', scheme + 3);
  if (path == std::string::npos) {
    return absl::InvalidArgumentError("bad storage URL (want http://host:port/v1/AUTH_...): " +
                                      url);
  }
  return Account{url.substr(0, path), url.substr(path)};
}

// Percent-encodes a container or object name for a path ('/' kept in object names).
std::string Escape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (absl::ascii_isalnum(c) || absl::StrContains("-_.~/", static_cast<char>(c))) {
      out.push_back(static_cast<char>(c));
    } else {
      absl::StrAppend(&out, "%", absl::Hex(c, absl::kZeroPad2));
    }
  }
  return out;
}

// The outcome of one request: the status and headers, the body unless it was streamed.
struct Reply {
  int status = 0;
  httplib::Headers headers;
  std::string body;
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

absl::Status HttpError(const std::string& what, const Reply& r) {
  const std::string text = absl::StrCat(what, ": HTTP ", r.status, " ", r.body.substr(0, 200));
  if (r.status == 404) return absl::NotFoundError(text);
  if (r.status == 401 || r.status == 403) return absl::PermissionDeniedError(text);
  if (r.status == 409) return absl::FailedPreconditionError(text);
  return absl::UnavailableError(text);
}

// One request to <account><suffix>. `upload`/`download` stream a file instead of a body.
absl::StatusOr<Reply> Send(Session& s, const ObjectArgs& a, const std::string& method,
                           const std::string& suffix, std::FILE* upload = nullptr,
                           long long upload_bytes = 0, std::ofstream* download = nullptr) {
  GUREUM_ASSIGN_OR_RETURN(Account account, AccountOf(s, a));
  GUREUM_ASSIGN_OR_RETURN(std::string token, s.Token());
  httplib::Client client(account.base);
  client.set_read_timeout(300, 0);
  client.set_write_timeout(300, 0);
  const std::string path = account.path + suffix;
  const httplib::Headers headers = {{"X-Auth-Token", token}};
  auto send = [&]() -> httplib::Result {
    if (upload != nullptr) {
      return client.Put(
          path, headers, static_cast<size_t>(upload_bytes),
          [upload](size_t, size_t length, httplib::DataSink& sink) {
            std::string buf(std::min<size_t>(length, 1 << 20), '\0');
            const size_t n = std::fread(buf.data(), 1, buf.size(), upload);
            return n > 0 && sink.write(buf.data(), n);
          },
          "application/octet-stream");
    }
    if (download != nullptr) {
      return client.Get(path, headers, [download](const char* data, size_t n) {
        download->write(data, static_cast<std::streamsize>(n));
        return download->good();
      });
    }
    httplib::Request req;
    req.method = method;
    req.path = path;
    req.headers = headers;
    if (method == "PUT") req.headers.emplace("Content-Length", "0");
    return client.send(req);
  };
  httplib::Result r = send();
  if (!r) {
    return absl::UnavailableError(
        absl::StrCat("object storage at ", account.base, ": ", httplib::to_string(r.error())));
  }
  Reply reply;
  reply.status = r->status;
  reply.headers = r->headers;
  reply.body = std::move(r->body);
  return reply;
}

json Metadata(const Reply& r, const std::string& prefix) {
  std::string props;
  for (const auto& [k, v] : r.headers) {
    if (!absl::StartsWithIgnoreCase(k, prefix)) continue;
    absl::StrAppend(&props, props.empty() ? "" : ", ", k.substr(prefix.size()), "='", v, "'");
  }
  return props;
}

absl::StatusOr<json> Listing(Session& s, const ObjectArgs& a, const std::string& suffix) {
  GUREUM_ASSIGN_OR_RETURN(Reply r, Send(s, a, "GET", suffix));
  if (r.status == 204) return json::array();
  if (r.status != 200) return HttpError("list", r);
  json listing = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (!listing.is_array()) return absl::UnavailableError("the listing is not a JSON list");
  return listing;
}

void AddContainerCommands(CLI::App& app, Cli& cli, std::shared_ptr<ObjectArgs> a) {
  auto* g = app.add_subcommand("container", "Object storage containers")->require_subcommand(1);
  g->add_option("--os-storage-url", a->storage_url, "The account's storage URL");
  OnRun(g->add_subcommand("list", "List containers"), cli, [&cli, a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(json listing, Listing(s, *a, "?format=json"));
    std::vector<json> rows;
    for (const json& c : listing) {
      rows.push_back({{"Name", c.value("name", "")},
                      {"Bytes", c.value("bytes", 0LL)},
                      {"Count", c.value("count", 0LL)}});
    }
    cli.List({"Name", "Bytes", "Count"}, rows);
    return absl::OkStatus();
  });
  auto* create = g->add_subcommand("create", "Create containers");
  create->add_option("name", a->names, "Container names")->required();
  OnRun(create, cli, [&cli, a](Session& s) -> absl::Status {
    std::vector<json> rows;
    for (const std::string& name : a->names) {
      GUREUM_ASSIGN_OR_RETURN(Reply r, Send(s, *a, "PUT", "/" + Escape(name)));
      if (r.status / 100 != 2) return HttpError("create " + name, r);
      rows.push_back({{"container", name}, {"x-trans-id", r.Header("X-Trans-Id")}});
    }
    cli.List({"container", "x-trans-id"}, rows);
    return absl::OkStatus();
  });
  auto* show = g->add_subcommand("show", "Show a container");
  show->add_option("container", a->container, "Container")->required();
  OnRun(show, cli, [&cli, a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(Reply r, Send(s, *a, "HEAD", "/" + Escape(a->container)));
    if (r.status / 100 != 2) return HttpError("show " + a->container, r);
    cli.Show({"container", "object_count", "bytes_used", "read_acl", "write_acl", "properties"},
             {{"container", a->container},
              {"object_count", r.Header("X-Container-Object-Count")},
              {"bytes_used", r.Header("X-Container-Bytes-Used")},
              {"read_acl", r.Header("X-Container-Read")},
              {"write_acl", r.Header("X-Container-Write")},
              {"properties", Metadata(r, "X-Container-Meta-")}});
    return absl::OkStatus();
  });
  auto* del = g->add_subcommand("delete", "Delete containers");
  del->add_option("name", a->names, "Container names")->required();
  del->add_flag("-r,--recursive", a->recursive, "Delete the containers' objects first");
  OnRun(del, cli, [a](Session& s) -> absl::Status {
    for (const std::string& name : a->names) {
      if (a->recursive) {
        GUREUM_ASSIGN_OR_RETURN(json listing, Listing(s, *a, "/" + Escape(name) + "?format=json"));
        for (const json& o : listing) {
          GUREUM_ASSIGN_OR_RETURN(
              Reply r,
              Send(s, *a, "DELETE", "/" + Escape(name) + "/" + Escape(o.value("name", ""))));
          if (r.status / 100 != 2 && r.status != 404) return HttpError("delete an object", r);
        }
      }
      GUREUM_ASSIGN_OR_RETURN(Reply r, Send(s, *a, "DELETE", "/" + Escape(name)));
      if (r.status / 100 != 2) return HttpError("delete " + name, r);
    }
    return absl::OkStatus();
  });
}

absl::Status Upload(Cli& cli, Session& s, const ObjectArgs& a) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(a.file.c_str(), "rb"), &std::fclose);
  if (f == nullptr) return absl::NotFoundError("cannot open " + a.file);
  std::fseek(f.get(), 0, SEEK_END);
  const long long size = std::ftell(f.get());
  std::fseek(f.get(), 0, SEEK_SET);
  const std::string name = a.name.empty() ? a.file : a.name;
  GUREUM_ASSIGN_OR_RETURN(
      Reply r, Send(s, a, "PUT", "/" + Escape(a.container) + "/" + Escape(name), f.get(), size));
  if (r.status != 201) return HttpError("upload " + name, r);
  cli.List({"object", "container", "etag"},
           {{{"object", name}, {"container", a.container}, {"etag", r.Header("Etag")}}});
  return absl::OkStatus();
}

absl::Status Download(Session& s, const ObjectArgs& a) {
  const std::string path = a.file.empty() ? a.name : a.file;
  const std::string partial = path + ".partial";
  std::ofstream out(partial, std::ios::binary | std::ios::trunc);
  if (!out) return absl::PermissionDeniedError("cannot write " + partial);
  absl::StatusOr<Reply> r =
      Send(s, a, "GET", "/" + Escape(a.container) + "/" + Escape(a.name), nullptr, 0, &out);
  out.close();
  if (!r.ok() || r->status != 200 || !out) {
    std::remove(partial.c_str());
    if (!r.ok()) return r.status();
    if (r->status != 200) return HttpError("download " + a.name, *r);
    return absl::DataLossError("writing " + path + " failed");
  }
  if (std::rename(partial.c_str(), path.c_str()) != 0) {
    return absl::PermissionDeniedError("cannot rename to " + path);
  }
  return absl::OkStatus();
}

void AddObjectCommands(CLI::App& app, Cli& cli, std::shared_ptr<ObjectArgs> a) {
  auto* g = app.add_subcommand("object", "Object storage objects")->require_subcommand(1);
  g->add_option("--os-storage-url", a->storage_url, "The account's storage URL");
  auto* list = g->add_subcommand("list", "List a container's objects");
  list->add_option("container", a->container, "Container")->required();
  list->add_option("--prefix", a->prefix, "Only names that start with this");
  OnRun(list, cli, [&cli, a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        json listing,
        Listing(s, *a,
                absl::StrCat("/", Escape(a->container), "?format=json&prefix=",
                             absl::StrReplaceAll(Escape(a->prefix), {{"/", "%2F"}}))));
    std::vector<json> rows;
    for (const json& o : listing) {
      rows.push_back({{"Name", o.value("name", o.value("subdir", ""))},
                      {"Bytes", o.value("bytes", 0LL)},
                      {"Hash", o.value("hash", "")},
                      {"Last Modified", o.value("last_modified", "")}});
    }
    cli.List({"Name", "Bytes", "Hash", "Last Modified"}, rows);
    return absl::OkStatus();
  });
  auto* upload = g->add_subcommand("upload", "Upload a file as an object");
  upload->add_option("container", a->container, "Container")->required();
  upload->add_option("file", a->file, "Local file")->required();
  upload->add_option("--name", a->name, "Object name (default: the file's path)");
  OnRun(upload, cli, [&cli, a](Session& s) { return Upload(cli, s, *a); });
  auto* download = g->add_subcommand("download", "Download an object into a file");
  download->add_option("container", a->container, "Container")->required();
  download->add_option("object", a->name, "Object")->required();
  download->add_option("--file", a->file, "Local file (default: the object's name)");
  OnRun(download, cli, [a](Session& s) { return Download(s, *a); });
  auto* show = g->add_subcommand("show", "Show an object");
  show->add_option("container", a->container, "Container")->required();
  show->add_option("object", a->name, "Object")->required();
  OnRun(show, cli, [&cli, a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        Reply r, Send(s, *a, "HEAD", "/" + Escape(a->container) + "/" + Escape(a->name)));
    if (r.status / 100 != 2) return HttpError("show " + a->name, r);
    cli.Show({"container", "object", "content-length", "content-type", "etag", "last-modified",
              "properties"},
             {{"container", a->container},
              {"object", a->name},
              {"content-length", r.Header("Content-Length")},
              {"content-type", r.Header("Content-Type")},
              {"etag", r.Header("Etag")},
              {"last-modified", r.Header("Last-Modified")},
              {"properties", Metadata(r, "X-Object-Meta-")}});
    return absl::OkStatus();
  });
  auto* del = g->add_subcommand("delete", "Delete objects");
  del->add_option("container", a->container, "Container")->required();
  del->add_option("objects", a->names, "Objects")->required();
  OnRun(del, cli, [a](Session& s) -> absl::Status {
    for (const std::string& name : a->names) {
      GUREUM_ASSIGN_OR_RETURN(
          Reply r, Send(s, *a, "DELETE", "/" + Escape(a->container) + "/" + Escape(name)));
      if (r.status / 100 != 2) return HttpError("delete " + name, r);
    }
    return absl::OkStatus();
  });
}

}  // namespace

void AddObjectStorageCommands(CLI::App& app, Cli& cli) {
  AddContainerCommands(app, cli, std::make_shared<ObjectArgs>());
  AddObjectCommands(app, cli, std::make_shared<ObjectArgs>());
}

}  // namespace gureum::cli
