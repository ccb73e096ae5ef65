// The model (model.h) as the proto messages of proto/network.proto, which the gRPC
// adapter serves and the REST adapter maps to Neutron's JSON.
#pragma once

#include "network/server/model.h"

#include "network.pb.h"

namespace gureum::network {

// Status ACTIVE and the bridge name are derived; subnet_ids as read.
v1::Network ToProto(const Network& network);
v1::Subnet ToProto(const Subnet& subnet);
v1::SecurityGroupRule ToProto(const SecurityGroupRule& rule);
v1::SecurityGroup ToProto(const SecurityGroup& group);
v1::Router ToProto(const Router& router);  // without the gateway's fixed IPs
v1::FloatingIp ToProto(const FloatingIp& fip);
// The bridge and tap names are derived; vif_type is "bridge" once bound.
v1::Port ToProto(const Port& port);
// The port as a caller gave it (bridge and tap names, created_at and updated_at are not read).
Port PortFromProto(const v1::Port& port);
// `alive`: the agent reported within the server's agent_down_time.
v1::Agent ToProto(const Agent& agent, bool alive);

}  // namespace gureum::network
