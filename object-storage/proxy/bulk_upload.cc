#include "object-storage/proxy/bulk_upload.h"

#include <cstdlib>
#include <cstring>

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace gureum::object::proxy {
namespace {

std::string Field(const char* block, size_t offset, size_t size) {
  const char* start = block + offset;
  return std::string(start, strnlen(start, size));
}

}  // namespace

absl::StatusOr<std::vector<TarFile>> ReadTar(const std::string& archive) {
  std::vector<TarFile> out;
  std::string long_name;
  for (size_t at = 0; at + 512 <= archive.size();) {
    const char* block = archive.data() + at;
    if (block[0] == '\0') break;  // the end blocks
    long long size = 0;
    const std::string octal(absl::StripAsciiWhitespace(Field(block, 124, 12)));
    if (!octal.empty()) {
      char* end = nullptr;
      size = std::strtoll(octal.c_str(), &end, 8);
      if (end == nullptr || *end != '\0') return absl::InvalidArgumentError("not a tar archive");
    }
    const char type = block[156];
    at += 512;
    if (size < 0 || at + static_cast<size_t>(size) > archive.size()) {
      return absl::InvalidArgumentError("truncated tar archive");
    }
    std::string data = archive.substr(at, size);
    at += (size + 511) / 512 * 512;
    if (type == 'L') {  // GNU: the next file's long name
      long_name = std::string(data.c_str());
      continue;
    }
    if (type != '0' && type != '\0') {  // directories, links, PAX headers...
      long_name.clear();
      continue;
    }
    std::string path = long_name;
    long_name.clear();
    if (path.empty()) {
      const std::string prefix = Field(block, 345, 155), name = Field(block, 0, 100);
      path = prefix.empty() ? name : absl::StrCat(prefix, "/", name);
    }
    absl::string_view p = path;
    while (absl::ConsumePrefix(&p, "./") || absl::ConsumePrefix(&p, "/")) {
    }
    if (!p.empty()) out.push_back({std::string(p), std::move(data)});
  }
  return out;
}

void ExtractArchive(http::Request& req, http::Response& res, const Target& t,
                    ContainerController& containers, ObjectController& objects) {
  int created = 0;
  nlohmann::json errors = nlohmann::json::array();
  std::string status = "201 Created", body;
  std::string archive = req.body();
  if (archive.empty()) {  // an object path's PUT streams its body
    (void)req.ReadBody([&archive](const char* data, size_t size) {
      archive.append(data, size);
      return archive.size() <= (2u << 20);
    });
  }
  absl::StatusOr<std::vector<TarFile>> files =
      req.Query("extract-archive") == "tar"
          ? ReadTar(archive)
          : absl::InvalidArgumentError("only tar archives are read (not compressed ones)");
  if (!files.ok()) {
    status = "400 Bad Request";
    body = std::string(files.status().message());
  }
  for (const TarFile& f : files.ok() ? *files : std::vector<TarFile>()) {
    Target dest{t.account, t.container};
    std::string path = f.path;
    if (dest.container.empty()) {
      const size_t slash = path.find('/');
      dest.container = path.substr(0, slash);
      path = slash == std::string::npos ? "" : path.substr(slash + 1);
    }
    dest.object = t.object.empty() ? path : absl::StrCat(t.object, "/", path);
    if (dest.object.empty()) continue;
    if (!containers.Facts(dest.account, dest.container).exists) {
      http::Request none;
      http::Response made;
      containers.PutContainer(none, made, {dest.account, dest.container});
    }
    http::Response one;
    objects.PutData(one, dest, f.data);
    if (one.status == 201) {
      ++created;
    } else {
      errors.push_back({"/" + dest.container + "/" + dest.object, std::to_string(one.status)});
    }
  }
  if (!errors.empty() && files.ok()) status = "400 Bad Request";
  res.status = 200;
  if (absl::StrContains(req.Header("Accept"), "application/json")) {
    res.content_type = "application/json";
    res.body = nlohmann::json{
        {"Number Files Created", created},
        {"Response Status", status},
        {"Response Body", body},
        {"Errors",
         errors}}.dump();
    return;
  }
  res.content_type = "text/plain";
  res.body = absl::StrCat("Number Files Created: ", created, "\nResponse Body: ", body,
                          "\nResponse Status: ", status, "\nErrors:\n");
  for (const auto& e : errors) {
    absl::StrAppend(&res.body, e[0].get<std::string>(), ", ", e[1].get<std::string>(), "\n");
  }
}

}  // namespace gureum::object::proxy
