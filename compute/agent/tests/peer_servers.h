// Small in-process stand-ins for the agent's gRPC peers (gureum-image's Images and the
// scheduler's Placement), so integration tests exercise the agent's real gRPC clients,
// and a collector of the casts the agent sends to its conductor queue.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "compute/agent/fakes.h"

#include "compute_casts.pb.h"
#include "image.grpc.pb.h"
#include "placement.grpc.pb.h"

namespace gureum::compute_agent {

namespace ipb = ::gureum::image::v1;
namespace spb = ::gureum::scheduler::v1;

inline constexpr char kImageId[] = "1a6e0000-0000-4000-8000-000000000001";
inline const std::string kData(300000, 'q');  // several chunks

class ImagesServer final : public ipb::Images::Service {
 public:
  // Pause between chunks, to catch a download in the middle.
  absl::Duration chunk_delay = absl::ZeroDuration();
  grpc::Status GetImage(grpc::ServerContext*, const ipb::GetImageRequest* req,
                        ipb::Image* out) override {
    if (req->id() != kImageId) return grpc::Status(grpc::StatusCode::NOT_FOUND, "no such image");
    out->set_id(kImageId);
    out->set_status("active");
    out->set_disk_format("raw");
    out->set_size(static_cast<int64_t>(kData.size()));
    out->set_checksum(compute::Md5Hex(kData));
    return grpc::Status::OK;
  }
  grpc::Status DownloadImage(grpc::ServerContext*, const ipb::DownloadImageRequest* req,
                             grpc::ServerWriter<ipb::ImageChunk>* w) override {
    if (req->id() != kImageId) return grpc::Status(grpc::StatusCode::NOT_FOUND, "no such image");
    for (size_t off = 0; off < kData.size(); off += 65536) {
      ipb::ImageChunk c;
      c.set_data(kData.substr(off, 65536));
      w->Write(c);
      absl::SleepFor(chunk_delay);
    }
    return grpc::Status::OK;
  }
};

class PlacementServer final : public spb::Placement::Service {
 public:
  grpc::Status PutResourceProvider(grpc::ServerContext*, const spb::PutResourceProviderRequest* req,
                                   spb::ResourceProvider* out) override {
    absl::MutexLock l(&mu);
    provider = req->provider();
    *out = req->provider();
    return grpc::Status::OK;
  }
  grpc::Status DeleteAllocations(grpc::ServerContext*, const spb::DeleteAllocationsRequest* req,
                                 spb::Empty*) override {
    absl::MutexLock l(&mu);
    deleted.push_back(req->consumer_uuid() + "@" + req->provider_name());
    return grpc::Status::OK;
  }
  absl::Mutex mu;
  spb::ResourceProvider provider;
  std::vector<std::string> deleted;
};

struct Collector {
  absl::Mutex mu;
  std::vector<pb::Cast> casts;
  // Polls until `count` casts match (the deadline only bounds a broken run).
  bool WaitFor(const std::function<bool(const pb::Cast&)>& pred, int count = 1) {
    absl::Time deadline = absl::Now() + absl::Seconds(60);
    while (absl::Now() < deadline) {
      {
        absl::MutexLock l(&mu);
        int n = 0;
        for (const pb::Cast& c : casts) n += pred(c) ? 1 : 0;
        if (n >= count) return true;
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
    return false;
  }
};

}  // namespace gureum::compute_agent
