#include "object-storage/proxy/cluster.h"

#include <future>
#include <map>

#include "absl/strings/str_cat.h"
#include "object-storage/server/names.h"

namespace gureum::object::proxy {

std::string HostOf(const ring::Device& d) { return absl::StrCat(d.ip, ":", d.port); }

Placement Cluster::Locate(const std::string& account, const std::string& container,
                          const std::string& object) {
  Placement p;
  p.ring = rings_.Get();
  p.partition = p.ring->Partition(account, container, object);
  p.primaries = p.ring->Primaries(p.partition);
  p.handoffs = p.ring->Handoffs(p.partition);
  return p;
}

Timestamp Cluster::NewTimestamp() {
  Timestamp now = Timestamp::FromTime(clock_.Now());
  absl::MutexLock lock(&mu_);
  if (now.ticks() <= last_ticks_) {
    now = *Timestamp::Parse(absl::StrCat((last_ticks_ + 1) / 100000, ".",
                                         absl::Dec((last_ticks_ + 1) % 100000, absl::kZeroPad5)));
  }
  last_ticks_ = now.ticks();
  return now;
}

std::string Cluster::Path(const ring::Device& device, uint32_t partition,
                          const std::string& account, const std::string& container,
                          const std::string& object) {
  const char* kind = !object.empty() ? "/o/" : !container.empty() ? "/c/" : "/a/";
  std::string path = absl::StrCat(kind, device.device, "/", partition, "/", HexEncode(account));
  if (!container.empty()) absl::StrAppend(&path, "/", HexEncode(container));
  if (!object.empty()) absl::StrAppend(&path, "/", HexEncode(object));
  return path;
}

std::vector<ReplicaAnswer> Cluster::SendToAll(
    const Placement& where, const std::string& method,
    const std::function<std::string(const ring::Device&)>& path,
    const std::function<Headers(size_t)>& headers_for, bool use_handoffs, const std::string& body) {
  absl::Mutex handoff_mu;
  size_t next_handoff = 0;
  auto one = [&](size_t i) {
    const ring::Device* device = where.primaries[i];
    const Headers headers = headers_for(i);
    while (true) {
      absl::StatusOr<NodeResponse> r =
          client_.Send(HostOf(*device), method, path(*device), headers, body);
      if (r.ok() && r->status != 507) return ReplicaAnswer{device, *std::move(r)};
      absl::MutexLock lock(&handoff_mu);
      if (!use_handoffs || next_handoff >= where.handoffs.size()) {
        return ReplicaAnswer{device, r.ok() ? *std::move(r) : NodeResponse{}};
      }
      device = where.handoffs[next_handoff++];
    }
  };
  std::vector<std::future<ReplicaAnswer>> pending;
  for (size_t i = 1; i < where.primaries.size(); ++i) {
    pending.push_back(std::async(std::launch::async, one, i));
  }
  std::vector<ReplicaAnswer> out;
  if (!where.primaries.empty()) out.push_back(one(0));
  for (auto& f : pending) out.push_back(f.get());
  return out;
}

ReplicaAnswer Cluster::ReadFirst(const Placement& where, const std::string& method,
                                 const std::function<std::string(const ring::Device&)>& path,
                                 const Headers& headers) {
  ReplicaAnswer best;
  std::vector<const ring::Device*> order = where.primaries;
  order.insert(order.end(), where.handoffs.begin(), where.handoffs.end());
  for (const ring::Device* device : order) {
    absl::StatusOr<NodeResponse> r = client_.Send(HostOf(*device), method, path(*device), headers);
    if (!r.ok() || r->status == 507) continue;
    if (r->status / 100 == 2) return {device, *std::move(r)};
    if (best.response.status == 0 || (r->status == 404 && best.response.status != 404)) {
      best = {device, *std::move(r)};
    }
  }
  return best;
}

int QuorumStatus(const std::vector<int>& statuses, size_t replicas) {
  const size_t quorum = replicas / 2 + 1;
  for (int klass : {2, 4, 5}) {
    std::map<int, size_t> counts;
    size_t n = 0;
    for (int s : statuses) {
      if (s / 100 == klass) {
        ++counts[s];
        ++n;
      }
    }
    if (n >= quorum) {
      auto most = std::max_element(counts.begin(), counts.end(), [](const auto& a, const auto& b) {
        return a.second < b.second;
      });
      return most->first;
    }
  }
  return 503;
}

}  // namespace gureum::object::proxy
