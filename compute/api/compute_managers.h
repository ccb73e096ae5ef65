// compute-api's manager classes built together over one set of collaborators, for the
// adapters (REST, gRPC) and the composition roots (main.cc, tests): servers, server
// actions, flavors, keypairs, server groups, quotas, hosts and volume attachments, with the policy
// they share. Holds no logic of its own. Thread-safe as its managers are.
#pragma once

#include "common/amqp/bus.h"
#include "common/amqp/notifier.h"
#include "common/base/clock.h"
#include "common/base/ids.h"
#include "common/policy/enforcer.h"
#include "compute/api/block_device_manager.h"
#include "compute/api/compute_options.h"
#include "compute/api/compute_policy.h"
#include "compute/api/compute_store.h"
#include "compute/api/external_event_manager.h"
#include "compute/api/flavor_manager.h"
#include "compute/api/host_manager.h"
#include "compute/api/image_manager.h"
#include "compute/api/instance_notifier.h"
#include "compute/api/keypair_manager.h"
#include "compute/api/migration_manager.h"
#include "compute/api/network_proxy_manager.h"
#include "compute/api/quota_class_manager.h"
#include "compute/api/quota_manager.h"
#include "compute/api/server_action_manager.h"
#include "compute/api/server_casts.h"
#include "compute/api/server_group_manager.h"
#include "compute/api/server_ips_manager.h"
#include "compute/api/server_manager.h"
#include "compute/api/usage_manager.h"
#include "compute/api/volume_attachment_manager.h"
#include "compute/clients/placement_client.h"

namespace gureum::compute {

// Every collaborator must outlive the managers.
struct ComputeDeps {
  ComputeStore& store;
  amqp::Bus& bus;  // casts to the scheduler and the compute hosts
  ImageClient& images;
  PlacementClient& placement;
  // gureum-network ([compute] network_grpc); may be null: no network service.
  NetworkClient* networks;
  const policy::Enforcer& enforcer;
  const Clock& clock;
  IdGenerator& ids;
  // gureum-block-storage ([compute] block_storage_grpc) with the user's token, and as the
  // service user; both null when it is not configured (attach is then 503).
  BlockStorageClient* block_storage = nullptr;
  BlockStorageClient* block_storage_as_service = nullptr;
  // Notifications of instance changes (`notifications` exchange); may be null: none.
  amqp::Notifier* notifier = nullptr;
};

class ComputeManagers {
 public:
  ComputeManagers(const ComputeDeps& deps, ComputeOptions options);
  ComputeManagers(const ComputeManagers&) = delete;
  ComputeManagers& operator=(const ComputeManagers&) = delete;

  const ComputeOptions& options() const { return options_; }
  const ComputePolicy& policy() const { return policy_; }
  ServerManager& servers() { return servers_; }
  ServerActionManager& actions() { return actions_; }
  FlavorManager& flavors() { return flavors_; }
  KeypairManager& keypairs() { return keypairs_; }
  ServerGroupManager& groups() { return groups_; }
  QuotaManager& quotas() { return quotas_; }
  HostManager& hosts() { return hosts_; }
  VolumeAttachmentManager& volumes() { return volumes_; }
  ExternalEventManager& events() { return events_; }
  ServerIpsManager& ips() { return ips_; }
  BlockDeviceManager& block_devices() { return block_devices_; }
  ImageManager& images() { return images_; }
  UsageManager& usage() { return usage_; }
  NetworkProxyManager& network_proxies() { return network_proxies_; }
  MigrationManager& migrations() { return migrations_; }
  QuotaClassManager& quota_classes() { return quota_classes_; }
  const InstanceNotifier& instance_events() const { return instance_events_; }

 private:
  const ComputeOptions options_;
  ComputePolicy policy_;
  InstanceNotifier instance_events_;
  ServerCasts casts_;
  FlavorManager flavors_;
  KeypairManager keypairs_;
  ServerGroupManager groups_;
  QuotaManager quotas_;
  HostManager hosts_;
  BlockDeviceManager block_devices_;
  VolumeAttachmentManager volumes_;  // before servers_, which releases volumes through it
  ServerManager servers_;
  ServerActionManager actions_;
  ExternalEventManager events_;
  ServerIpsManager ips_;
  ImageManager images_;
  UsageManager usage_;
  NetworkProxyManager network_proxies_;
  MigrationManager migrations_;
  QuotaClassManager quota_classes_;
};

}  // namespace gureum::compute
