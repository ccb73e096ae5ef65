// Large objects made of segments. A dynamic large object (DLO, Swift's dlo middleware) is
// a manifest object carrying X-Object-Manifest: <container>/<prefix>; a GET returns every
// object of that container whose name starts with the prefix, in name order, one after
// the other (what `swift upload -S` makes). A static large object (SLO, `swift upload
// --use-slo -S`) is a manifest listing its segments (path, etag, size), checked when it is
// PUT with ?multipart-manifest=put and stored as JSON with X-Static-Large-Object: True.
// Either reads as its segments; the ETag is the quoted MD5 of the segments' ETags, as
// Swift gives it.
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
  long long first = 0, last = -1;  // a part of it only when last >= 0 (a range's ends)
};

// The segments a manifest value names, in order (at most 10000 pages of a listing).
absl::StatusOr<std::vector<Segment>> ListDloSegments(Cluster& cluster, const std::string& account,
                                                     const std::string& manifest);

// A client's SLO manifest (JSON list of {"path": "/c/o", "etag", "size_bytes"}), each
// segment checked (it exists; etag and size match when given; InvalidArgument
// otherwise). `stored` is what the manifest object keeps.
struct SloManifest {
  std::string stored;
  long long bytes = 0;
  std::string etag;  // quoted MD5 of the segments' ETags
};
absl::StatusOr<SloManifest> CheckSloManifest(Cluster& cluster, const std::string& account,
                                             const std::string& body);
// The segments of a stored SLO manifest.
absl::StatusOr<std::vector<Segment>> StoredSloSegments(const std::string& stored);

// Answers with the segments' bytes one after the other (headers only for HEAD); `range`
// (a Range header, may be empty) of one range gives a 206 of those bytes only, read from
// the segments that hold them; several ranges give the whole object.
void StreamSegments(Cluster& cluster, const std::string& account, std::vector<Segment> segments,
                    http::Response& res, bool head_only, const std::string& range = "");

}  // namespace gureum::object::proxy
