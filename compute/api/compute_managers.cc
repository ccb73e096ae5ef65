#include "compute/api/compute_managers.h"

namespace gureum::compute {

ComputeManagers::ComputeManagers(const ComputeDeps& d, ComputeOptions options)
    : options_(std::move(options)),
      policy_(d.enforcer),
      casts_(d.bus, d.store, options_),
      flavors_(d.store, policy_, d.ids),
      keypairs_(d.store, policy_, options_),
      groups_(d.store, policy_, d.ids, options_),
      quotas_(d.store, policy_, options_),
      hosts_(d.store, d.placement, policy_, d.clock, d.ids, options_),
      block_devices_({.images = d.images, .block_storage = d.block_storage}),
      volumes_({.store = d.store,
                .casts = casts_,
                .policy = policy_,
                .block_storage = d.block_storage,
                .block_storage_as_service = d.block_storage_as_service}),
      servers_({.store = d.store,
                .casts = casts_,
                .images = d.images,
                .placement = d.placement,
                .networks = d.networks,
                .policy = policy_,
                .flavors = flavors_,
                .groups = groups_,
                .hosts = hosts_,
                .ids = d.ids,
                .volumes = &volumes_,
                .block_devices = &block_devices_},
               options_),
      actions_({.store = d.store,
                .casts = casts_,
                .images = d.images,
                .policy = policy_,
                .flavors = flavors_,
                .hosts = hosts_,
                .ids = d.ids},
               options_) {}

}  // namespace gureum::compute
