// ImageInfo from gureum-image's gRPC Image, for every gRPC client of the image service
// (compute's, and block storage's for the images it makes from volumes).
#pragma once

#include "compute/clients/image_client.h"

#include "image.pb.h"

namespace gureum::compute {

ImageInfo ImageInfoFromProto(const ::gureum::image::v1::Image& image);

}  // namespace gureum::compute
