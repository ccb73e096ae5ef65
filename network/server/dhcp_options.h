// Neutron's extra_dhcp_opts of a port (v1::ExtraDhcpOpt): the checks of a request's options
// and the merge of an update into the port's.
#pragma once

#include "absl/status/status.h"

#include "network.pb.h"

namespace gureum::network {

using DhcpOptionList = google::protobuf::RepeatedPtrField<v1::ExtraDhcpOpt>;

// 400 InvalidInput unless every option has a name (no comma) and name and value fit in
// dnsmasq's files as they are (at most 255 characters, no line break or NUL).
absl::Status CheckDhcpOptions(const DhcpOptionList& opts);

// An update's options into the port's, as Neutron: the same (name, IP version) replaced, an
// empty (null) value removing it, a new one added. With `cur` empty: the new port's options
// (the empty ones dropped).
void MergeDhcpOptions(const DhcpOptionList& in, DhcpOptionList& cur);

}  // namespace gureum::network
