// Large objects made of segments. A dynamic large object (DLO, Swift's dlo middleware) is
// a manifest object carrying X-Object-Manifest: <container>/<prefix>; a GET returns every
// object of that container whose name starts with the prefix, in name order, one after
// the other (what `swift upload -S` makes). The ETag is the quoted MD5 of the segments'
// ETags, as Swift gives it. Static large objects (SLO) are not done yet.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/http/request.h"
#include "object-storage/proxy/cluster.h"

namespace gureum::object::proxy {

struct Segment {
  std::string container, name, etag;
  long long bytes = 0;
};

// The segments a manifest value names, in order (at most 10000 pages of a listing).
absl::StatusOr<std::vector<Segment>> ListDloSegments(Cluster& cluster, const std::string& account,
                                                     const std::string& manifest);

// Answers with the segments' bytes one after the other (headers only for HEAD).
void StreamSegments(Cluster& cluster, const std::string& account, std::vector<Segment> segments,
                    http::Response& res, bool head_only);

}  // namespace gureum::object::proxy
