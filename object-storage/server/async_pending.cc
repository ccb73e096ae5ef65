#include "object-storage/server/async_pending.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "object-storage/server/names.h"

namespace gureum::object {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::string UpdateToJson(const ListingUpdate& u) {
  const ListingEntry& e = u.entry;
  return json{{"host", u.host},
              {"device", u.device},
              {"partition", u.partition},
              {"account", u.account},
              {"container", u.container},
              {"account_row", u.account_row},
              {"name", e.name},
              {"timestamp", e.timestamp.ToString()},
              {"size", e.size},
              {"object_count", e.object_count},
              {"content_type", e.content_type},
              {"etag", e.etag},
              {"deleted", e.deleted}}
      .dump();
}

absl::StatusOr<ListingUpdate> UpdateFromJson(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return absl::DataLossError("pending update is not JSON");
  try {
    ListingUpdate u;
    u.host = j.at("host").get<std::string>();
    u.device = j.at("device").get<std::string>();
    u.partition = j.at("partition").get<std::string>();
    u.account = j.at("account").get<std::string>();
    u.container = j.at("container").get<std::string>();
    u.account_row = j.at("account_row").get<bool>();
    u.entry.name = j.at("name").get<std::string>();
    u.entry.timestamp =
        Timestamp::Parse(j.at("timestamp").get<std::string>()).value_or(Timestamp());
    u.entry.size = j.at("size").get<int64_t>();
    u.entry.object_count = j.at("object_count").get<int64_t>();
    u.entry.content_type = j.at("content_type").get<std::string>();
    u.entry.etag = j.at("etag").get<std::string>();
    u.entry.deleted = j.at("deleted").get<bool>();
    return u;
  } catch (const json::exception& e) {
    return absl::DataLossError(absl::StrCat("pending update: ", e.what()));
  }
}

absl::Status AsyncPending::Save(const std::string& device, const ListingUpdate& update) {
  const std::string dir = absl::StrCat(root_, "/", device, "/async_pending");
  std::error_code ec;
  fs::create_directories(dir, ec);
  const std::string key = Md5Hex(absl::StrCat(update.host, update.device, update.account, "/",
                                              update.container, "/", update.entry.name));
  const std::string target =
      absl::StrCat(dir, "/", key, "-", update.entry.timestamp.ToString(), ".json");
  thread_local std::mt19937_64 random(std::random_device{}());
  const std::string tmp = absl::StrCat(dir, "/.tmp.", random());
  {
    std::ofstream out(tmp, std::ios::binary);
    out << UpdateToJson(update);
    if (!out) return absl::InternalError(absl::StrCat("cannot write ", tmp));
  }
  if (::rename(tmp.c_str(), target.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return absl::InternalError(absl::StrCat("cannot rename to ", target));
  }
  return absl::OkStatus();
}

absl::StatusOr<int> AsyncPending::SendAll() {
  int left = 0;
  std::error_code ec;
  for (const auto& device : fs::directory_iterator(root_, ec)) {
    const fs::path dir = device.path() / "async_pending";
    std::error_code ec2;
    for (const auto& file : fs::directory_iterator(dir, ec2)) {
      const std::string name = file.path().filename().string();
      if (name.rfind(".tmp.", 0) == 0) continue;
      std::ifstream in(file.path(), std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      absl::StatusOr<ListingUpdate> update = UpdateFromJson(text.str());
      if (!update.ok() || client_.Send(*update).ok()) {
        fs::remove(file.path(), ec2);  // applied, or unreadable (never will be)
      } else {
        ++left;
      }
    }
  }
  return left;
}

}  // namespace gureum::object
