// Objects at the proxy (Swift's ObjectController): a PUT streams the body to every
// replica at once (a primary that cannot be reached is replaced by a handoff) and succeeds
// on a quorum; a GET or HEAD reads from the first replica that has the object (primaries,
// then handoffs); DELETE and POST go to every replica. COPY and PUT with X-Copy-From
// stream the source into a new PUT (object_copy.cc; a large object's bytes, as one plain
// object, unless ?multipart-manifest=get asks for its manifest). X-Delete-After becomes
// X-Delete-At. GET and HEAD answer conditional requests (If-Match, If-None-Match,
// If-(Un)Modified-Since) and serve one range or several (multipart/byteranges); a copy older than a
// tombstone another replica holds is not served, and X-Newest: true reads the newest copy.
#pragma once

#include <functional>

#include "object-storage/proxy/cluster.h"
#include "object-storage/proxy/container_controller.h"
#include "object-storage/proxy/controller.h"
#include "object-storage/proxy/large_objects.h"
#include "object-storage/server/range.h"

namespace gureum::object::proxy {

class ObjectController {
 public:
  ObjectController(Cluster& cluster, ContainerController& containers)
      : cluster_(cluster), containers_(containers) {}

  void Put(http::Request& req, http::Response& res, const Target& t);
  void Get(http::Request& req, http::Response& res, const Target& t);
  void Delete(http::Request& req, http::Response& res, const Target& t);
  void Post(http::Request& req, http::Response& res, const Target& t);
  void Copy(http::Request& req, http::Response& res, const Target& t);
  // Stores `data` as the object `t` (bulk upload), its type application/octet-stream.
  void PutData(http::Response& res, const Target& t, const std::string& data);
  // The segments of the static large object at `t`; none when it is not one.
  std::vector<Segment> SloSegmentsOf(const Target& t);
  // DELETE of one object, whatever it is (no versioning, no manifest).
  void DeleteOne(http::Response& res, const Target& t);

 private:
  // Feeds the body to `sink` piece by piece; false from the sink stops it.
  using BodyPump = std::function<absl::Status(const std::function<bool(const char*, size_t)>&)>;
  struct PutSpec {
    std::string content_type;
    std::string etag;  // expected, may be empty
    long long length = -1;
    std::map<std::string, std::string> headers;
    int64_t delete_at = 0;
    bool keep_version = true;  // archive what it replaces when the container versions
  };
  struct CopyOptions {
    std::string content_type;  // empty: the source's
    bool fresh = false;        // X-Fresh-Metadata: none of the source's user metadata
    std::map<std::string, std::string> headers;  // set on the copy
    bool keep_version = true;
    bool whole = false;  // a large object's bytes, not its manifest (object_copy.cc)
    // Optional: gets the source's Last-Modified and the copy's metadata, for the answer.
    struct Made {
      std::string source_modified;
      std::map<std::string, std::string> headers;
    }* made = nullptr;
  };
  void Store(http::Response& res, const Target& t, const PutSpec& spec, const BodyPump& pump);
  void CopyFrom(http::Request& req, http::Response& res, const Target& source, const Target& dest);
  void CopyObject(http::Response& res, const Target& source, const Target& dest,
                  const CopyOptions& options);
  void CopyLargeObject(http::Response& res, const Target& source, const Target& dest, PutSpec spec,
                       const Headers& meta, NodeDownload& manifest);
  // Object versioning (object_versions.cc): with X-Versions-Location or X-History-Location
  // on the container, the version a write replaces is first copied to that container as
  // <3 hex digits: name's length><name>/<its timestamp>.
  void ArchiveCurrent(const Target& t, const ContainerFacts& facts);
  // A DELETE in such a container: X-History-Location archives the object and deletes it;
  // X-Versions-Location (stack) puts the newest archived version back in its place (or
  // deletes the object when there is none). False when the container does not version.
  bool DeleteVersioned(http::Response& res, const Target& t);
  // PUT ?multipart-manifest=put: a static large object's manifest (large_objects.h).
  void PutSlo(http::Request& req, http::Response& res, const Target& t, PutSpec spec);
  // The stored body of a (small) manifest object, or nullopt.
  std::optional<std::string> ReadManifest(const Target& t);
  // The replicas in the order a read tries them: the primaries, then the handoffs; with
  // X-Newest: true, the primaries by the age of their copy, newest first.
  std::vector<const ring::Device*> ReadOrder(const Placement& where, const Target& t,
                                             const std::string& newest);
  // 304 or 412 when If-Match, If-None-Match, If-Modified-Since or If-Unmodified-Since
  // says so for the version `head` describes; 0 otherwise.
  int Preconditions(const http::Request& req, const NodeResponse& head) const;
  // Several ranges of a `size`-byte object as multipart/byteranges.
  void StreamRanges(http::Response& res, const std::string& host, const std::string& path,
                    const NodeResponse& head, const std::vector<ByteRange>& ranges, long long size,
                    bool head_only);

  Cluster& cluster_;
  ContainerController& containers_;
};

// Whether one more object of `length` bytes (-1: unknown) fits the container's
// X-Container-Meta-Quota-Bytes and -Count.
bool WithinQuota(const ContainerFacts& facts, long long length);

// "<3 hex digits: the name's length><name>/": where an object's versions are kept.
std::string VersionPrefix(const std::string& object);

// Whether the account's X-Account-Meta-Quota-Bytes (set by admins) leaves room.
bool WithinAccountQuota(const ContainerFacts& account, long long length);

// "/container/object" or "container/object" -> the parts; false when malformed.
bool SplitCopyPath(const std::string& path, std::string& container, std::string& object);

}  // namespace gureum::object::proxy
