#include "network/server/model_convert.h"

namespace gureum::network {

namespace {

std::string StampText(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

template <typename Message>
void SetStamps(const Stamps& s, Message& m) {
  m.set_created_at(StampText(s.created_at));
  m.set_updated_at(StampText(s.updated_at));
  m.set_revision_number(s.revision_number);
}

}  // namespace

v1::SecurityGroupRule ToProto(const SecurityGroupRule& r) {
  v1::SecurityGroupRule x;
  x.set_id(r.id);
  x.set_security_group_id(r.security_group_id);
  x.set_project_id(r.project_id);
  x.set_direction(r.direction);
  x.set_ethertype(r.ethertype);
  x.set_protocol(r.protocol);
  x.set_port_range_min(r.port_range_min);
  x.set_port_range_max(r.port_range_max);
  x.set_remote_ip_prefix(r.remote_ip_prefix);
  x.set_remote_group_id(r.remote_group_id);
  x.set_description(r.description);
  SetStamps(r.stamps, x);
  return x;
}

v1::SecurityGroup ToProto(const SecurityGroup& g) {
  v1::SecurityGroup x;
  x.set_id(g.id);
  x.set_name(g.name);
  x.set_project_id(g.project_id);
  x.set_description(g.description);
  x.set_stateful(g.stateful);
  for (const auto& r : g.rules) *x.add_rules() = ToProto(r);
  for (const auto& t : g.tags) x.add_tags(t);
  SetStamps(g.stamps, x);
  return x;
}

}  // namespace gureum::network
