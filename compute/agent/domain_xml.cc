#include "compute/agent/domain_xml.h"

#include <algorithm>
#include <cstdlib>
#include <memory>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"

namespace gureum::compute_agent {
namespace {

const xmlChar* X(const char* s) { return reinterpret_cast<const xmlChar*>(s); }
const xmlChar* X(const std::string& s) { return X(s.c_str()); }

struct DocDeleter {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using Doc = std::unique_ptr<xmlDoc, DocDeleter>;

xmlNode* Child(xmlNode* parent, const char* name, const std::string& text = "") {
  // xmlNewTextChild escapes the content; xmlNewChild would not.
  return xmlNewTextChild(parent, nullptr, X(name), text.empty() ? nullptr : X(text));
}
void Attr(xmlNode* node, const char* name, const std::string& value) {
  xmlNewProp(node, X(name), X(value));
}

std::string Serialize(xmlDoc* doc, xmlNode* root) {
  xmlBuffer* buf = xmlBufferCreate();
  xmlNodeDump(buf, doc, root, 0, 1);
  std::string out(reinterpret_cast<const char*>(xmlBufferContent(buf)),
                  static_cast<size_t>(xmlBufferLength(buf)));
  xmlBufferFree(buf);
  return out + "\n";
}

bool KnownBus(const std::string& bus) {
  return bus == "virtio" || bus == "scsi" || bus == "ide" || bus == "sata" || bus == "usb";
}

void AddMetadata(xmlNode* parent, const std::map<std::string, std::string>& metadata) {
  xmlNode* inst = xmlNewChild(parent, nullptr, X("instance"), nullptr);
  xmlNs* ns = xmlNewNs(inst, X(kMetadataNamespace), X(kMetadataPrefix));
  xmlSetNs(inst, ns);
  for (const auto& [key, value] : metadata) {
    xmlNode* p = xmlNewTextChild(inst, ns, X("prop"), X(value));
    Attr(p, "name", key);
  }
}

}  // namespace

std::string DiskTarget(const std::string& bus, int index) {
  std::string prefix = bus == "virtio" ? "vd" : bus == "ide" ? "hd" : "sd";
  return prefix + static_cast<char>('a' + index);
}

namespace {

absl::Status CheckSpec(const DomainSpec& spec) {
  if (spec.uuid.empty()) return absl::InvalidArgumentError("domain spec without a uuid");
  if (spec.vcpus <= 0) return absl::InvalidArgumentError("a domain needs at least 1 vCPU");
  if (spec.memory_mb <= 0) return absl::InvalidArgumentError("a domain needs memory");
  if (spec.disks.empty() && spec.kernel.empty()) {
    return absl::InvalidArgumentError("a domain needs a disk or a kernel to boot");
  }
  if (spec.initrd.size() && spec.kernel.empty()) {
    return absl::InvalidArgumentError("an initrd without a kernel cannot boot");
  }
  return absl::OkStatus();
}

void AddOs(xmlNode* dom, const DomainSpec& spec) {
  xmlNode* os = Child(dom, "os");
  xmlNode* type = Child(os, "type", "hvm");
  Attr(type, "arch", spec.arch);
  if (!spec.machine_type.empty()) Attr(type, "machine", spec.machine_type);
  if (!spec.kernel.empty()) {
    Child(os, "kernel", spec.kernel);
    if (!spec.initrd.empty()) Child(os, "initrd", spec.initrd);
    if (!spec.cmdline.empty()) Child(os, "cmdline", spec.cmdline);
  } else if (std::none_of(spec.disks.begin(), spec.disks.end(),
                          [](const DiskSpec& d) { return d.boot_order > 0; })) {
    Attr(Child(os, "boot"), "dev", "hd");
  }
}

absl::Status AddFeatures(xmlNode* dom, const DomainSpec& spec) {
  xmlNode* features = Child(dom, "features");
  Child(features, "acpi");
  Child(features, "apic");
  if (!spec.cpu_mode.empty()) {
    if (spec.cpu_mode != "host-passthrough" && spec.cpu_mode != "host-model") {
      return absl::InvalidArgumentError(
          absl::StrCat("cpu_mode '", spec.cpu_mode, "' is not host-passthrough or host-model"));
    }
    Attr(Child(dom, "cpu"), "mode", spec.cpu_mode);
  }
  return absl::OkStatus();
}

absl::Status CheckDisk(const DiskSpec& d) {
  if (!KnownBus(d.bus)) {
    return absl::InvalidArgumentError(
        absl::StrCat("disk bus '", d.bus, "' is not virtio, scsi, ide, sata or usb"));
  }
  if (!d.protocol.empty() && d.protocol != "nbd") {
    return absl::InvalidArgumentError(absl::StrCat("disk protocol '", d.protocol, "' is not nbd"));
  }
  if (d.protocol.empty() && d.format != "qcow2" && d.format != "raw") {
    return absl::InvalidArgumentError(
        absl::StrCat("disk format '", d.format, "' is not qcow2 or raw"));
  }
  return absl::OkStatus();
}

// A file disk, or a network one: <disk type='network'><driver type='raw' cache='none'
// error_policy='stop' rerror_policy='stop'/>
// <source protocol='nbd' name='EXPORT'><host name='H' port='P'/></source>.
void AddDisk(xmlNode* devices, const DiskSpec& d, const std::string& target_dev) {
  xmlNode* disk = Child(devices, "disk");
  Attr(disk, "type", d.protocol.empty() ? "file" : "network");
  Attr(disk, "device", d.device);
  xmlNode* driver = Child(disk, "driver");
  Attr(driver, "name", "qemu");
  if (d.protocol.empty()) {
    Attr(driver, "type", d.format);
    Attr(Child(disk, "source"), "file", d.path);
  } else {
    Attr(driver, "type", "raw");
    Attr(driver, "cache", "none");
    // An I/O error of a network disk pauses the guest instead of failing its request (the
    // export restarts when the volume grows; ResizeDisk resumes a guest paused so).
    Attr(driver, "error_policy", "stop");
    Attr(driver, "rerror_policy", "stop");
    xmlNode* source = Child(disk, "source");
    Attr(source, "protocol", d.protocol);
    Attr(source, "name", d.export_name);
    xmlNode* host = Child(source, "host");
    Attr(host, "name", d.nbd_host);
    Attr(host, "port", std::to_string(d.nbd_port));
  }
  xmlNode* target = Child(disk, "target");
  Attr(target, "dev", target_dev);
  Attr(target, "bus", d.bus);
  if (d.boot_order > 0) Attr(Child(disk, "boot"), "order", std::to_string(d.boot_order));
  if (!d.serial.empty()) Child(disk, "serial", d.serial);
  if (d.readonly || d.device == "cdrom") Child(disk, "readonly");
}

absl::Status AddDisks(xmlNode* devices, const DomainSpec& spec) {
  std::map<std::string, int> per_bus;
  for (const DiskSpec& d : spec.disks) {
    GUREUM_RETURN_IF_ERROR(CheckDisk(d));
    // ide and sata/scsi/usb share the sdX / hdX letter space of their prefix.
    std::string family = d.bus == "virtio" ? "vd" : d.bus == "ide" ? "hd" : "sd";
    int index = per_bus[family]++;
    AddDisk(devices, d, d.target.empty() ? DiskTarget(d.bus, index) : d.target);
  }
  return absl::OkStatus();
}

absl::Status AddInterfaces(xmlNode* devices, const DomainSpec& spec) {
  for (const InterfaceSpec& n : spec.interfaces) {
    if (n.bridge.empty() || n.mac.empty()) {
      return absl::InvalidArgumentError("a network interface needs a bridge and a MAC address");
    }
    xmlNode* iface = Child(devices, "interface");
    Attr(iface, "type", "bridge");
    Attr(Child(iface, "mac"), "address", n.mac);
    Attr(Child(iface, "source"), "bridge", n.bridge);
    if (!n.tap.empty()) Attr(Child(iface, "target"), "dev", n.tap);
    Attr(Child(iface, "model"), "type", n.model.empty() ? "virtio" : n.model);
    if (n.mtu > 0) Attr(Child(iface, "mtu"), "size", std::to_string(n.mtu));
  }
  return absl::OkStatus();
}

void AddConsole(xmlNode* devices, const DomainSpec& spec) {
  if (!spec.console_log.empty()) {
    xmlNode* serial = Child(devices, "serial");
    Attr(serial, "type", "file");
    xmlNode* source = Child(serial, "source");
    Attr(source, "path", spec.console_log);
    Attr(source, "append", "on");
    Attr(Child(serial, "target"), "port", "0");
  }
}

}  // namespace

absl::StatusOr<std::string> DomainXml(const DomainSpec& spec) {
  GUREUM_RETURN_IF_ERROR(CheckSpec(spec));
  Doc doc(xmlNewDoc(X("1.0")));
  xmlNode* dom = xmlNewNode(nullptr, X("domain"));
  xmlDocSetRootElement(doc.get(), dom);
  Attr(dom, "type", spec.virt_type);
  Child(dom, "name", spec.name.empty() ? "instance-" + spec.uuid : spec.name);
  Child(dom, "uuid", spec.uuid);
  xmlNode* mem = Child(dom, "memory", std::to_string(spec.memory_mb));
  Attr(mem, "unit", "MiB");
  xmlNode* cur = Child(dom, "currentMemory", std::to_string(spec.memory_mb));
  Attr(cur, "unit", "MiB");
  Child(dom, "vcpu", std::to_string(spec.vcpus));
  if (!spec.metadata.empty()) AddMetadata(Child(dom, "metadata"), spec.metadata);

  AddOs(dom, spec);
  GUREUM_RETURN_IF_ERROR(AddFeatures(dom, spec));
  Attr(Child(dom, "clock"), "offset", "utc");
  Child(dom, "on_poweroff", "destroy");
  Child(dom, "on_reboot", "restart");
  Child(dom, "on_crash", "destroy");

  xmlNode* devices = Child(dom, "devices");
  GUREUM_RETURN_IF_ERROR(AddDisks(devices, spec));
  GUREUM_RETURN_IF_ERROR(AddInterfaces(devices, spec));
  AddConsole(devices, spec);
  if (spec.virt_type != "test") {
    // No graphics: the serial console is the way in. A memory balloon lets the host see
    // guest usage.
    Attr(Child(devices, "memballoon"), "model", "virtio");
  }
  return Serialize(doc.get(), dom);
}

std::string MetadataXml(const std::map<std::string, std::string>& metadata) {
  Doc doc(xmlNewDoc(X("1.0")));
  xmlNode* holder = xmlNewNode(nullptr, X("metadata"));
  xmlDocSetRootElement(doc.get(), holder);
  AddMetadata(holder, metadata);
  return Serialize(doc.get(), holder->children);
}

absl::StatusOr<std::map<std::string, std::string>> ParseMetadataXml(const std::string& xml) {
  Doc doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "metadata.xml", nullptr,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  if (!doc) return absl::InvalidArgumentError("domain metadata is not well-formed XML");
  xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr || xmlStrcmp(root->name, X("instance")) != 0) {
    return absl::InvalidArgumentError("domain metadata has no <instance> element");
  }
  std::map<std::string, std::string> out;
  for (xmlNode* n = root->children; n != nullptr; n = n->next) {
    if (n->type != XML_ELEMENT_NODE || xmlStrcmp(n->name, X("prop")) != 0) continue;
    xmlChar* name = xmlGetProp(n, X("name"));
    xmlChar* value = xmlNodeGetContent(n);
    if (name != nullptr) {
      out[reinterpret_cast<const char*>(name)] = value ? reinterpret_cast<const char*>(value) : "";
    }
    xmlFree(name);
    xmlFree(value);
  }
  return out;
}

absl::StatusOr<std::string> DiskXml(const DiskSpec& disk) {
  GUREUM_RETURN_IF_ERROR(CheckDisk(disk));
  if (disk.target.empty()) return absl::InvalidArgumentError("a disk to attach needs a target");
  Doc doc(xmlNewDoc(X("1.0")));
  xmlNode* holder = xmlNewNode(nullptr, X("devices"));
  xmlDocSetRootElement(doc.get(), holder);
  AddDisk(holder, disk, disk.target);
  return Serialize(doc.get(), holder->children);
}

namespace {

std::string Prop(xmlNode* n, const char* name) {
  xmlChar* v = xmlGetProp(n, X(name));
  std::string out = v ? reinterpret_cast<const char*>(v) : "";
  xmlFree(v);
  return out;
}

xmlNode* FirstChild(xmlNode* n, const char* name) {
  for (xmlNode* c = n ? n->children : nullptr; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && xmlStrcmp(c->name, X(name)) == 0) return c;
  }
  return nullptr;
}

absl::StatusOr<Doc> ParseDomain(const std::string& xml) {
  Doc doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "domain.xml", nullptr,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  if (!doc) return absl::InvalidArgumentError("domain XML is not well-formed");
  return doc;
}

DiskSpec DiskFromElement(xmlNode* disk) {
  DiskSpec d;
  d.device = Prop(disk, "device");
  xmlNode* source = FirstChild(disk, "source");
  if (Prop(disk, "type") == "network") {
    d.protocol = Prop(source, "protocol");
    d.export_name = Prop(source, "name");
    xmlNode* host = FirstChild(source, "host");
    d.nbd_host = Prop(host, "name");
    std::string port = Prop(host, "port");
    d.nbd_port = port.empty() ? 0 : std::atoi(port.c_str());
  } else {
    d.path = Prop(source, "file");
  }
  d.format = Prop(FirstChild(disk, "driver"), "type");
  xmlNode* target = FirstChild(disk, "target");
  d.target = Prop(target, "dev");
  d.bus = Prop(target, "bus");
  if (xmlNode* serial = FirstChild(disk, "serial")) {
    xmlChar* v = xmlNodeGetContent(serial);
    d.serial = v ? reinterpret_cast<const char*>(v) : "";
    xmlFree(v);
  }
  d.readonly = FirstChild(disk, "readonly") != nullptr;
  std::string order = Prop(FirstChild(disk, "boot"), "order");
  d.boot_order = order.empty() ? 0 : std::atoi(order.c_str());
  return d;
}

}  // namespace

absl::StatusOr<std::vector<DiskSpec>> ParseDisks(const std::string& domain_xml) {
  GUREUM_ASSIGN_OR_RETURN(Doc doc, ParseDomain(domain_xml));
  xmlNode* devices = FirstChild(xmlDocGetRootElement(doc.get()), "devices");
  std::vector<DiskSpec> out;
  for (xmlNode* n = devices ? devices->children : nullptr; n != nullptr; n = n->next) {
    if (n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, X("disk")) == 0) {
      out.push_back(DiskFromElement(n));
    }
  }
  return out;
}

absl::StatusOr<std::string> DiskElementXml(const std::string& domain_xml,
                                           const std::string& target_dev) {
  GUREUM_ASSIGN_OR_RETURN(Doc doc, ParseDomain(domain_xml));
  xmlNode* devices = FirstChild(xmlDocGetRootElement(doc.get()), "devices");
  for (xmlNode* n = devices ? devices->children : nullptr; n != nullptr; n = n->next) {
    if (n->type != XML_ELEMENT_NODE || xmlStrcmp(n->name, X("disk")) != 0) continue;
    if (Prop(FirstChild(n, "target"), "dev") == target_dev) return Serialize(doc.get(), n);
  }
  return absl::NotFoundError("no disk at " + target_dev);
}

}  // namespace gureum::compute_agent
