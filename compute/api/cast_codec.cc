#include "compute/api/cast_codec.h"

namespace gureum::compute {

void FlavorToProto(const FlavorRecord& f, v1::Flavor* out) {
  out->set_id(f.id);
  out->set_name(f.name);
  out->set_vcpus(f.vcpus);
  out->set_ram_mb(f.ram_mb);
  out->set_disk_gb(f.disk_gb);
  out->set_ephemeral_gb(f.ephemeral_gb);
  out->set_swap_mb(f.swap_mb);
  for (const auto& [k, v] : f.extra_specs) (*out->mutable_extra_specs())[k] = v;
}

void InstanceToSpec(const Instance& i, v1::InstanceSpec* out) {
  out->set_uuid(i.uuid);
  out->set_name(i.name);
  out->set_project_id(i.project_id);
  out->set_user_id(i.user_id);
  FlavorToProto(i.flavor, out->mutable_flavor());
  v1::ImageMeta* img = out->mutable_image();
  img->set_id(i.image.id);
  img->set_name(i.image.name);
  img->set_disk_format(i.image.disk_format);
  img->set_container_format(i.image.container_format);
  img->set_size(i.image.size);
  img->set_min_disk_gb(i.image.min_disk_gb);
  img->set_min_ram_mb(i.image.min_ram_mb);
  img->set_checksum(i.image.checksum);
  for (const auto& [k, v] : i.image.properties) (*img->mutable_properties())[k] = v;
  out->set_key_name(i.key_name);
  out->set_key_data(i.key_data);
  out->set_admin_pass(i.admin_pass);
  out->set_user_data(i.user_data);
  for (const auto& [k, v] : i.metadata) (*out->mutable_metadata())[k] = v;
  for (const std::string& n : i.network_ids) out->add_network_ids(n);
  for (const std::string& p : i.port_ids) out->add_port_ids(p);
  for (const RequestedNetwork& r : i.requested_networks) {
    v1::RequestedNetwork* n = out->add_requested_networks();
    n->set_network_id(r.network_id);
    n->set_port_id(r.port_id);
    n->set_fixed_ip(r.fixed_ip);
  }
  for (const std::string& g : i.security_groups) out->add_security_groups(g);
  out->set_availability_zone(i.availability_zone);
  out->set_hostname(i.hostname);
  out->set_launch_index(i.launch_index);
}

}  // namespace gureum::compute
