// libvirt domain XML from a DomainSpec, built with libxml2's tree API (so every name,
// path and metadata value is escaped by the library, never by hand), and the reverse for
// the parts the agent reads back: the gureum <metadata> element.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "compute/agent/hypervisor.h"

namespace gureum::compute_agent {

// Namespace of the agent's element inside <metadata>.
inline constexpr char kMetadataNamespace[] = "https://gureum.dev/xmlns/instance/1.0";
inline constexpr char kMetadataPrefix[] = "gureum";

// InvalidArgument for a spec libvirt would refuse in a less readable way (no uuid, no
// disk and no kernel, zero vcpus or memory, an unknown bus).
absl::StatusOr<std::string> DomainXml(const DomainSpec& spec);

// One <disk> element alone (what virDomainAttachDeviceFlags takes); disk.target must be
// set. InvalidArgument for a bus, format or protocol libvirt would refuse.
absl::StatusOr<std::string> DiskXml(const DiskSpec& disk);
// The disks of a domain's XML (virDomainGetXMLDesc) with target, bus, device, serial, and
// path or network source.
absl::StatusOr<std::vector<DiskSpec>> ParseDisks(const std::string& domain_xml);
// The <disk> element whose target is `target_dev`, as it stands in `domain_xml` (what
// virDomainDetachDeviceFlags takes); NotFound when there is none.
absl::StatusOr<std::string> DiskElementXml(const std::string& domain_xml,
                                           const std::string& target_dev);

// The <gureum:instance> element alone (what virDomainSetMetadata takes) and its inverse
// (what virDomainGetMetadata returns). Keys are attribute-safe names ([a-z0-9_]).
std::string MetadataXml(const std::map<std::string, std::string>& metadata);
absl::StatusOr<std::map<std::string, std::string>> ParseMetadataXml(const std::string& xml);

// The disk target for the index-th disk on `bus`: vda.. for virtio, sda.. for
// scsi/sata/usb, hda.. for ide.
std::string DiskTarget(const std::string& bus, int index);

}  // namespace gureum::compute_agent
