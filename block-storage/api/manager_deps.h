// What block storage's manager classes share: the store, the casts to the volume agents,
// policy, time, ids, the options, and the optional clients. Made once in main.cc (and in
// tests, on fakes); every collaborator must outlive the managers.
#pragma once

#include "block-storage/api/block_storage_options.h"
#include "block-storage/api/block_storage_policy.h"
#include "block-storage/api/block_storage_store.h"
#include "block-storage/api/compute_client.h"
#include "block-storage/api/volume_casts.h"
#include "block-storage/clients/image_client.h"
#include "common/amqp/notifier.h"
#include "common/base/clock.h"
#include "common/base/ids.h"
#include "compute/clients/image_client.h"

namespace gureum::block_storage {

struct ManagerDeps {
  BlockStorageStore& store;
  VolumeCasts& casts;
  const BlockStoragePolicy& policy;
  const Clock& clock;
  IdGenerator& ids;
  const BlockStorageOptions& options;
  // The image service, for volumes created from an image (checked with the user's token).
  // May be null: such creates are then 503.
  compute::ImageClient* images = nullptr;
  // The image service, for images made from volumes (os-volume_upload_image: created with
  // the user's token, filled by the volume agent). May be null: such uploads are then 503.
  ImageClient* new_images = nullptr;
  // State-change notifications. May be null: none are sent.
  amqp::Notifier* notifier = nullptr;
  // compute-api ([block_storage] compute_grpc), told when an attached volume grew so its
  // guests see the new size (Nova's volume-extended). May be null: guests then see it at
  // their next attach or boot only.
  ComputeClient* compute = nullptr;
};

// A volume, snapshot or attachment as a notification payload.
void NotifyVolume(const ManagerDeps& deps, const std::string& event, const Volume& volume);

// Removes the rows of a deleted volume's snapshots (a cascade delete: the volume's file
// took them along). Failures leave rows the stale sweep and an admin can see.
void DeleteSnapshotRows(const ManagerDeps& deps, const std::string& volume_id);

}  // namespace gureum::block_storage
