// The records gureum-compute-api keeps (database gureum_compute): flavors, keypairs,
// instances with their faults and actions, server groups, quotas, services, aggregates
// and migrations. Plain values; the store (compute_store.h) persists them and the
// manager classes (compute_managers.h) hold the rules.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "compute/clients/image_client.h"  // ImageInfo: the image a server was booted from

namespace gureum::compute {

using StringMap = std::map<std::string, std::string>;

struct FlavorRecord {
  std::string id;
  std::string name;
  int vcpus = 0;
  int64_t ram_mb = 0;
  int64_t disk_gb = 0;
  int64_t ephemeral_gb = 0;
  int64_t swap_mb = 0;
  double rxtx_factor = 1.0;
  bool is_public = true;
  bool disabled = false;
  std::string description;
  StringMap extra_specs;
  absl::Time created_at;
};

struct Keypair {
  std::string user_id;
  std::string name;
  std::string type = "ssh";
  std::string public_key;
  std::string fingerprint;
  absl::Time created_at;
};

// What the instance knows of its image (from gureum-image at boot or rebuild).
// One entry of a server's `networks` as requested: a network (optionally with a fixed
// IP) or a port of gureum-network.
struct RequestedNetwork {
  std::string network_id;
  std::string port_id;
  std::string fixed_ip;
};

// An address of an interface, for the server's `addresses`.
struct VifIp {
  std::string address;
  int version = 4;
  std::string type = "fixed";  // fixed | floating
};

// One network interface as the compute agent built it (Nova's network info cache).
struct Vif {
  std::string port_id;
  std::string network_id;
  std::string network_name;
  std::string mac_address;
  std::vector<VifIp> ips;
};

// Nova's power states (nova/compute/power_state.py).
enum PowerState : int {
  kNoState = 0,
  kRunning = 1,
  kPaused = 3,
  kShutdown = 4,
  kCrashed = 6,
  kSuspended = 7,
};

struct Instance {
  std::string uuid;
  std::string name;
  std::string project_id;
  std::string user_id;
  FlavorRecord flavor;
  std::optional<FlavorRecord> new_flavor;  // resize in progress
  std::optional<FlavorRecord> old_flavor;  // resized, waiting for confirm or revert
  std::string image_ref;
  ImageInfo image;
  std::string vm_state;
  std::string task_state;  // "" is none
  int power_state = kNoState;
  std::string task_id;
  std::string host;
  std::string node;
  std::string availability_zone;
  std::string key_name;
  std::string key_data;
  std::string user_data;
  StringMap metadata;
  std::vector<std::string> network_ids;
  std::vector<std::string> port_ids;
  std::vector<RequestedNetwork> requested_networks;  // in the order given
  std::vector<std::string> security_groups;          // names; empty: default
  std::vector<Vif> vifs;                             // as built (the agent's report)
  std::string server_group;
  std::string hostname;
  int launch_index = 0;
  std::string reservation_id;
  std::string description;
  std::string access_ip_v4;  // Nova's accessIPv4/accessIPv6: "" none
  std::string access_ip_v6;
  bool auto_disk_config = false;  // Nova's OS-DCF:diskConfig: AUTO (true) or MANUAL
  // The guest's admin password of a create or rebuild, handed to the agent with that cast
  // (the config drive's meta_data.json "admin_pass"); never stored, as in Nova.
  std::string admin_pass;
  bool locked = false;
  std::string locked_by;  // "admin" or "owner"
  std::string locked_reason;
  std::string console_tail;
  int progress = 0;
  absl::Time created_at;
  absl::Time updated_at;
  std::optional<absl::Time> launched_at;
  std::optional<absl::Time> terminated_at;
  std::optional<absl::Time> deleted_at;  // when it was soft deleted (vm_state soft-delete)
  // The domain's statistics its host's agent last pushed (diagnostics), and when.
  std::map<std::string, int64_t> diagnostics;
  std::optional<absl::Time> diagnostics_at;
};

struct InstanceFault {
  std::string instance_uuid;
  int code = 500;
  std::string message;
  std::string details;
  std::string host;
  absl::Time created_at;
};

struct ActionEvent {
  std::string event;
  std::string result;  // Success | Error | "" while running
  std::string host;
  std::string details;
  absl::Time start_time;
  std::optional<absl::Time> finish_time;
};

struct InstanceActionRecord {
  int64_t id = 0;
  std::string instance_uuid;
  std::string request_id;
  std::string action;
  std::string project_id;
  std::string user_id;
  std::string message;
  absl::Time start_time;
  std::optional<absl::Time> finish_time;
  absl::Time updated_at;
  std::vector<ActionEvent> events;
};

struct ServerGroup {
  std::string uuid;
  std::string name;
  std::string project_id;
  std::string user_id;
  std::string policy;  // affinity | anti-affinity | soft-affinity | soft-anti-affinity
  int max_server_per_host = 0;
  std::vector<std::string> members;
  absl::Time created_at;
};

// Quota resources, with Nova's defaults.
struct QuotaLimits {
  int64_t instances = 10;
  int64_t cores = 20;
  int64_t ram = 51200;
  int64_t key_pairs = 100;
  int64_t server_groups = 10;
  int64_t server_group_members = 10;
  int64_t metadata_items = 128;
  // Kept and shown as Nova keeps them (its defaults), not enforced: injected files (Nova
  // shows them before 2.57; Gureum injects no files) and the nova-network quotas (before
  // 2.36; gureum-network keeps its own quotas of floating IPs and security groups).
  int64_t injected_files = 5;
  int64_t injected_file_content_bytes = 10240;
  int64_t injected_file_path_bytes = 255;
  int64_t fixed_ips = -1;
  int64_t floating_ips = 10;
  int64_t security_groups = 10;
  int64_t security_group_rules = 20;
};

// The resources of QuotaLimits that are kept and shown only (above), by name.
inline constexpr const char* kKeptQuotas[] = {"injected_files",
                                              "injected_file_content_bytes",
                                              "injected_file_path_bytes",
                                              "fixed_ips",
                                              "floating_ips",
                                              "security_groups",
                                              "security_group_rules"};
// The field of `q` for kept resource `name`; nullptr for any other name.
inline int64_t* KeptQuota(QuotaLimits& q, const std::string& name) {
  if (name == "injected_files") return &q.injected_files;
  if (name == "injected_file_content_bytes") return &q.injected_file_content_bytes;
  if (name == "injected_file_path_bytes") return &q.injected_file_path_bytes;
  if (name == "fixed_ips") return &q.fixed_ips;
  if (name == "floating_ips") return &q.floating_ips;
  if (name == "security_groups") return &q.security_groups;
  if (name == "security_group_rules") return &q.security_group_rules;
  return nullptr;
}

struct QuotaUsage {
  int64_t instances = 0;
  int64_t cores = 0;
  int64_t ram = 0;
  int64_t server_groups = 0;
  int64_t key_pairs = 0;  // per user, of the caller
};

struct ServiceRecord {
  int id = 0;
  std::string uuid;
  std::string host;
  std::string binary;
  bool enabled = true;
  std::string disabled_reason;
  bool forced_down = false;
  std::optional<absl::Time> last_seen_at;
  int64_t report_count = 0;
  std::string availability_zone;
  std::string node_uuid;
  std::string hypervisor_type;
  std::string host_ip;
  int running_vms = 0;
  std::string version;
  absl::Time created_at;
  absl::Time updated_at;
};

struct Aggregate {
  int id = 0;
  std::string uuid;
  std::string name;
  std::string availability_zone;
  StringMap metadata;
  std::vector<std::string> hosts;
  absl::Time created_at;
  absl::Time updated_at;
};

struct MigrationRecord {
  int64_t id = 0;  // Nova's integer id, given by the store in creation order
  std::string uuid;
  std::string instance_uuid;
  std::string migration_type;  // resize | migration | evacuation
  std::string status;
  std::string source_host;
  std::string dest_host;
  std::string old_flavor_id;
  std::string new_flavor_id;
  absl::Time created_at;
  absl::Time updated_at;
};

// A volume attached (or being attached or detached) to an instance; given at create
// (Nova's block device mapping) it may be the instance's root disk.
struct VolumeAttachment {
  std::string instance_uuid;
  std::string volume_id;
  // Block storage's attachment; "" for a volume made for the server at create until its
  // agent reserved it (the volume was still being made).
  std::string attachment_id;
  std::string device;                  // /dev/vdb once attached ("" before)
  std::string status;                  // attaching | attached | detaching
  int boot_index = -1;                 // 0: the root disk (boot from volume); -1: not a boot disk
  bool delete_on_termination = false;  // deleted at block storage with the server
  std::string source_type = "volume";  // volume (the user's) | image (made for the server)
  absl::Time created_at;
  absl::Time updated_at;
};

}  // namespace gureum::compute
