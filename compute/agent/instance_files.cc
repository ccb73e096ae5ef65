#include "compute/agent/instance_files.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <google/protobuf/util/json_util.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/base/ids.h"
#include "common/process/command.h"
#include "common/status/macros.h"

namespace gureum::compute_agent {
using process::CommandResult;
using process::RunChecked;
using process::RunCommand;
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
  if (ec)
    return absl::InternalError(absl::StrCat("cannot create ", Paths(uuid).dir, ": ", ec.message()));
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
  nlohmann::json vifs = nlohmann::json::array();
  for (const VifRecord& v : r.vifs) {
    nlohmann::json ips = nlohmann::json::array();
    for (const VifRecord::Ip& ip : v.ips) {
      ips.push_back({{"address", ip.address},
                     {"version", ip.version},
                     {"subnet_id", ip.subnet_id},
                     {"cidr", ip.cidr},
                     {"gateway", ip.gateway}});
    }
    vifs.push_back({{"port_id", v.port_id},
                    {"network_id", v.network_id},
                    {"network_name", v.network_name},
                    {"mac_address", v.mac_address},
                    {"bridge_name", v.bridge_name},
                    {"tap_name", v.tap_name},
                    {"mtu", v.mtu},
                    {"user_port", v.user_port},
                    {"ips", ips}});
  }
  j["vifs"] = vifs;
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
  if (j.contains("vifs") && j["vifs"].is_array()) {
    for (const nlohmann::json& v : j["vifs"]) {
      if (!v.is_object()) continue;
      VifRecord vif;
      vif.port_id = v.value("port_id", "");
      vif.network_id = v.value("network_id", "");
      vif.network_name = v.value("network_name", "");
      vif.mac_address = v.value("mac_address", "");
      vif.bridge_name = v.value("bridge_name", "");
      vif.tap_name = v.value("tap_name", "");
      vif.mtu = v.value("mtu", 0);
      vif.user_port = v.value("user_port", false);
      if (v.contains("ips") && v["ips"].is_array()) {
        for (const nlohmann::json& ip : v["ips"]) {
          vif.ips.push_back({.address = ip.value("address", ""),
                             .version = ip.value("version", 4),
                             .subnet_id = ip.value("subnet_id", ""),
                             .cidr = ip.value("cidr", ""),
                             .gateway = ip.value("gateway", "")});
        }
      }
      r.vifs.push_back(std::move(vif));
    }
  }
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
  if (ec)
    return absl::InternalError(absl::StrCat("cannot remove ", Paths(uuid).dir, ": ", ec.message()));
  return absl::OkStatus();
}

absl::Status InstanceFiles::Stash(const std::string& uuid) {
  std::error_code ec;
  fs::remove_all(StashDir(uuid), ec);
  fs::rename(Paths(uuid).dir, StashDir(uuid), ec);
  if (ec)
    return absl::InternalError(
        absl::StrCat("cannot move ", Paths(uuid).dir, " aside: ", ec.message()));
  return absl::OkStatus();
}

absl::Status InstanceFiles::Unstash(const std::string& uuid) {
  std::error_code ec;
  fs::remove_all(Paths(uuid).dir, ec);
  fs::rename(StashDir(uuid), Paths(uuid).dir, ec);
  if (ec)
    return absl::InternalError(
        absl::StrCat("cannot move ", StashDir(uuid), " back: ", ec.message()));
  return absl::OkStatus();
}

absl::Status InstanceFiles::RemoveStash(const std::string& uuid) {
  std::error_code ec;
  fs::remove_all(StashDir(uuid), ec);
  if (ec)
    return absl::InternalError(absl::StrCat("cannot remove ", StashDir(uuid), ": ", ec.message()));
  return absl::OkStatus();
}

bool InstanceFiles::HasStash(const std::string& uuid) const {
  std::error_code ec;
  return fs::exists(StashDir(uuid), ec);
}

absl::StatusOr<int64_t> DiskVirtualSize(const std::string& path, const std::string& format) {
  GUREUM_ASSIGN_OR_RETURN(
      CommandResult r,
      RunCommand({"qemu-img", "info", "--output=json", "-f", format, path}, absl::Seconds(30)));
  if (r.exit_code != 0) {
    return absl::InvalidArgumentError(absl::StrCat("qemu-img info ", path, " failed: ", r.output));
  }
  nlohmann::json info = nlohmann::json::parse(r.output, nullptr, /*allow_exceptions=*/false);
  if (!info.is_object() || !info.contains("virtual-size") || !info["virtual-size"].is_number()) {
    return absl::InternalError(absl::StrCat("qemu-img info ", path, ": no virtual-size"));
  }
  return info["virtual-size"].get<int64_t>();
}

absl::Status CreateOverlay(const std::string& base, const std::string& base_format,
                           const std::string& disk, long long size_gb) {
  std::vector<std::string> argv = {"qemu-img", "create", "-q", "-f",        "qcow2",
                                   "-b",       base,     "-F", base_format, disk};
  if (size_gb > 0) argv.push_back(absl::StrCat(size_gb, "G"));
  return RunChecked(argv, absl::Seconds(60));
}

std::string NetworkDataJson(const std::vector<VifRecord>& vifs) {
  nlohmann::json links = nlohmann::json::array();
  nlohmann::json networks = nlohmann::json::array();
  int n = 0;
  for (const VifRecord& v : vifs) {
    links.push_back({{"id", v.tap_name},
                     {"vif_id", v.port_id},
                     {"type", "bridge"},
                     {"mtu", v.mtu > 0 ? nlohmann::json(v.mtu) : nlohmann::json(nullptr)},
                     {"ethernet_mac_address", v.mac_address}});
    for (const VifRecord::Ip& ip : v.ips) {
      nlohmann::json net = {{"id", "network" + std::to_string(n++)},
                            {"link", v.tap_name},
                            {"network_id", v.network_id},
                            {"type", ip.version == 6 ? "ipv6" : "ipv4"},
                            {"ip_address", ip.address},
                            {"routes", nlohmann::json::array()}};
      if (auto slash = ip.cidr.find('/'); slash != std::string::npos) {
        int prefix = std::atoi(ip.cidr.c_str() + slash + 1);
        if (ip.version == 6) {
          net["netmask"] = prefix;
        } else {
          uint32_t mask = prefix <= 0    ? 0
                          : prefix >= 32 ? 0xffffffffu
                                         : ~((1u << (32 - prefix)) - 1);
          net["netmask"] = absl::StrCat(mask >> 24, ".", (mask >> 16) & 255, ".", (mask >> 8) & 255,
                                        ".", mask & 255);
        }
      }
      if (!ip.gateway.empty()) {
        net["routes"].push_back({{"network", ip.version == 6 ? "::" : "0.0.0.0"},
                                 {"netmask", ip.version == 6 ? "::" : "0.0.0.0"},
                                 {"gateway", ip.gateway}});
      }
      networks.push_back(std::move(net));
    }
  }
  return nlohmann::json{
      {"links", links}, {"networks", networks}, {"services", nlohmann::json::array()}}
      .dump();
}

absl::Status MakeConfigDrive(const pb::InstanceSpec& spec, const std::string& iso_path,
                             const std::vector<VifRecord>& vifs) {
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
  if (!spec.admin_pass().empty()) meta["admin_pass"] = spec.admin_pass();
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
  GUREUM_RETURN_IF_ERROR(
      WriteFileAtomically(staging + "/openstack/latest/meta_data.json", meta.dump()));
  if (!user_data.empty()) {
    GUREUM_RETURN_IF_ERROR(WriteFileAtomically(staging + "/openstack/latest/user_data", user_data));
  }
  if (!vifs.empty()) {
    GUREUM_RETURN_IF_ERROR(WriteFileAtomically(staging + "/openstack/latest/network_data.json",
                                               NetworkDataJson(vifs)));
  }
  absl::Status s = RunChecked({"genisoimage", "-o", iso_path, "-quiet", "-J", "-r", "-V",
                               "config-2", "-publisher", "Gureum", staging},
                              absl::Seconds(60));
  fs::remove_all(staging, ec);
  if (s.ok()) chmod(iso_path.c_str(), 0644);
  return s;
}

std::string ReadTail(const std::string& path, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return "";
  std::streamoff size = in.tellg();
  std::streamoff from = size > static_cast<std::streamoff>(max_bytes)
                            ? size - static_cast<std::streamoff>(max_bytes)
                            : 0;
  in.seekg(from);
  std::string out(static_cast<size_t>(size - from), '\0');
  in.read(out.data(), static_cast<std::streamsize>(out.size()));
  return out;
}

}  // namespace gureum::compute_agent
