#include "compute/agent/instance_files.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <google/protobuf/util/json_util.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/base/ids.h"
#include "common/status/status.h"
#include "compute/agent/command.h"

namespace gureum::compute_agent {
namespace fs = std::filesystem;
namespace {

absl::Status WriteFileAtomically(const std::string& path, const std::string& data) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << data;
    out.flush();
    if (!out) return absl::InternalError(absl::StrCat("cannot write ", tmp));
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("cannot move ", tmp, " into place"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, " does not exist"));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

InstanceFiles::InstanceFiles(std::string instances_path) : root_(std::move(instances_path)) {}

InstancePaths InstanceFiles::Paths(const std::string& uuid) const {
  std::string dir = root_ + "/" + uuid;
  return {dir, dir + "/disk", dir + "/disk.config", dir + "/console.log", dir + "/instance.json"};
}

std::string InstanceFiles::StashDir(const std::string& uuid) const {
  return root_ + "/" + uuid + "_resize";
}

absl::Status InstanceFiles::Create(const std::string& uuid) {
  std::error_code ec;
  fs::create_directories(Paths(uuid).dir, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot create ", Paths(uuid).dir, ": ", ec.message()));
  chmod(root_.c_str(), 0755);
  chmod(Paths(uuid).dir.c_str(), 0755);
  return absl::OkStatus();
}

absl::Status InstanceFiles::Save(const std::string& uuid, const InstanceRecord& r) {
  std::string spec;
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(r.spec, &spec, opts).ok()) {
    return absl::InternalError("cannot encode the instance spec");
  }
  nlohmann::json j = {{"state", r.state},
                      {"task_id", r.task_id},
                      {"migration_id", r.migration_id},
                      {"base_image_id", r.base_image_id},
                      {"kernel_id", r.kernel_id},
                      {"ramdisk_id", r.ramdisk_id},
                      {"updated_unix_ms", r.updated_unix_ms},
                      {"spec", nlohmann::json::parse(spec)}};
  GUREUM_RETURN_IF_ERROR(Create(uuid));
  return WriteFileAtomically(Paths(uuid).record, j.dump(2));
}

absl::StatusOr<InstanceRecord> InstanceFiles::Load(const std::string& uuid) const {
  GUREUM_ASSIGN_OR_RETURN(std::string text, ReadFile(Paths(uuid).record));
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return absl::DataLossError(absl::StrCat(Paths(uuid).record, " is not JSON"));
  InstanceRecord r;
  r.state = j.value("state", "");
  r.task_id = j.value("task_id", "");
  r.migration_id = j.value("migration_id", "");
  r.base_image_id = j.value("base_image_id", "");
  r.kernel_id = j.value("kernel_id", "");
  r.ramdisk_id = j.value("ramdisk_id", "");
  r.updated_unix_ms = j.value("updated_unix_ms", int64_t{0});
  if (j.contains("spec")) {
    google::protobuf::util::JsonParseOptions opts;
    opts.ignore_unknown_fields = true;
    if (!google::protobuf::util::JsonStringToMessage(j["spec"].dump(), &r.spec, opts).ok()) {
      return absl::DataLossError(absl::StrCat(Paths(uuid).record, ": bad instance spec"));
    }
  }
  return r;
}

std::vector<InstanceRecord> InstanceFiles::All() const {
  std::vector<InstanceRecord> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(root_, ec)) {
    std::string name = e.path().filename().string();
    if (!e.is_directory() || !IsUuid(name)) continue;
    auto r = Load(name);
    if (r.ok()) {
      out.push_back(*std::move(r));
    } else if (r.status().code() != absl::StatusCode::kNotFound) {
      spdlog::warn("instance folder {}: {}", name, r.status().ToString());
    }
  }
  return out;
}

absl::Status InstanceFiles::Remove(const std::string& uuid) {
  std::error_code ec;
  fs::remove_all(Paths(uuid).dir, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot remove ", Paths(uuid).dir, ": ", ec.message()));
  return absl::OkStatus();
}

absl::Status InstanceFiles::Stash(const std::string& uuid) {
  std::error_code ec;
  fs::remove_all(StashDir(uuid), ec);
  fs::rename(Paths(uuid).dir, StashDir(uuid), ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot move ", Paths(uuid).dir, " aside: ", ec.message()));
  return absl::OkStatus();
}

absl::Status InstanceFiles::Unstash(const std::string& uuid) {
  std::error_code ec;
  fs::remove_all(Paths(uuid).dir, ec);
  fs::rename(StashDir(uuid), Paths(uuid).dir, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot move ", StashDir(uuid), " back: ", ec.message()));
  return absl::OkStatus();
}

absl::Status InstanceFiles::RemoveStash(const std::string& uuid) {
  std::error_code ec;
  fs::remove_all(StashDir(uuid), ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot remove ", StashDir(uuid), ": ", ec.message()));
  return absl::OkStatus();
}

bool InstanceFiles::HasStash(const std::string& uuid) const {
  std::error_code ec;
  return fs::exists(StashDir(uuid), ec);
}

absl::Status CreateOverlay(const std::string& base, const std::string& base_format,
                           const std::string& disk, long long size_gb) {
  std::vector<std::string> argv = {"qemu-img", "create", "-q", "-f", "qcow2", "-b", base,
                                   "-F", base_format, disk};
  if (size_gb > 0) argv.push_back(absl::StrCat(size_gb, "G"));
  return RunChecked(argv, absl::Seconds(60));
}

absl::Status MakeConfigDrive(const pb::InstanceSpec& spec, const std::string& iso_path) {
  std::string user_data;
  if (!spec.user_data().empty() && !absl::Base64Unescape(spec.user_data(), &user_data)) {
    return absl::InvalidArgumentError("user_data is not valid base64");
  }
  nlohmann::json meta = {{"uuid", spec.uuid()},
                         {"name", spec.name()},
                         {"hostname", spec.hostname().empty() ? spec.name() : spec.hostname()},
                         {"launch_index", spec.launch_index()},
                         {"availability_zone", spec.availability_zone()},
                         {"project_id", spec.project_id()},
                         {"meta", nlohmann::json::object()},
                         {"public_keys", nlohmann::json::object()},
                         {"keys", nlohmann::json::array()}};
  for (const auto& [k, v] : spec.metadata()) meta["meta"][k] = v;
  if (!spec.key_data().empty()) {
    std::string key_name = spec.key_name().empty() ? "key" : spec.key_name();
    meta["public_keys"][key_name] = spec.key_data();
    meta["keys"].push_back({{"name", key_name}, {"type", "ssh"}, {"data", spec.key_data()}});
  }
  std::string staging = iso_path + ".d";
  std::error_code ec;
  fs::remove_all(staging, ec);
  fs::create_directories(staging + "/openstack/latest", ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot create ", staging));
  GUREUM_RETURN_IF_ERROR(WriteFileAtomically(staging + "/openstack/latest/meta_data.json", meta.dump()));
  if (!user_data.empty()) {
    GUREUM_RETURN_IF_ERROR(WriteFileAtomically(staging + "/openstack/latest/user_data", user_data));
  }
  absl::Status s = RunChecked({"genisoimage", "-o", iso_path, "-quiet", "-J", "-r", "-V", "config-2",
                               "-publisher", "Gureum", staging},
                              absl::Seconds(60));
  fs::remove_all(staging, ec);
  if (s.ok()) chmod(iso_path.c_str(), 0644);
  return s;
}

std::string ReadTail(const std::string& path, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return "";
  std::streamoff size = in.tellg();
  std::streamoff from = size > static_cast<std::streamoff>(max_bytes) ? size - static_cast<std::streamoff>(max_bytes) : 0;
  in.seekg(from);
  std::string out(static_cast<size_t>(size - from), '\0');
  in.read(out.data(), static_cast<std::streamsize>(out.size()));
  return out;
}

}  // namespace gureum::compute_agent
