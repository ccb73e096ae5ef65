// Block storage's client of gureum-image for the images it makes from volumes (Cinder's
// os-volume_upload_image): the API creates the image with the user's token, so the user's
// project owns it; the volume agent then uploads the volume's bytes into it as its
// service user (image policy `image:upload_image`: the service role, queued images only).
// Reading and downloading images stays with compute's client (compute/clients/
// image_client.h), whose ImageInfo this one returns. The gRPC client is
// NewGrpcImageClient; FakeImageClient (fake_image_client.h) serves tests.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "compute/clients/client_options.h"
#include "compute/clients/image_client.h"

namespace gureum::block_storage {

// One client for both services: compute's (compute/clients/image_client.h), which creates,
// deletes and fills images besides reading them.
using NewImage = compute::NewImage;
using ChunkReader = compute::ChunkReader;
using ImageClient = compute::ImageClient;

// The gRPC client is compute::NewGrpcImageClient.

}  // namespace gureum::block_storage
