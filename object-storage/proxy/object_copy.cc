// Server-side copies (COPY, PUT with X-Copy-From): see object_controller.h.
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "object-storage/proxy/large_objects.h"
#include "object-storage/proxy/object_controller.h"
#include "object-storage/proxy/swift_headers.h"

namespace gureum::object::proxy {
namespace {

// Feeds a download's body to `sink` until it ends (or the sink says stop).
absl::Status Pump(NodeDownload& body, const std::function<bool(const char*, size_t)>& sink) {
  std::vector<char> buf(1 << 16);
  while (true) {
    absl::StatusOr<size_t> n = body.Read(buf.data(), buf.size());
    if (!n.ok()) return n.status();
    if (*n == 0 || !sink(buf.data(), *n)) return absl::OkStatus();
  }
}

}  // namespace

void ObjectController::Copy(http::Request& req, http::Response& res, const Target& t) {
  Target dest{req.HasHeader("Destination-Account") ? req.Header("Destination-Account") : t.account};
  if (!SplitCopyPath(req.Header("Destination"), dest.container, dest.object)) {
    return Answer(res, 412, "Destination header must be of the form <container>/<object>");
  }
  CopyFrom(req, res, t, dest);
}

void ObjectController::CopyFrom(http::Request& req, http::Response& res, const Target& source,
                                const Target& dest) {
  CopyOptions options;
  options.content_type = req.Header("Content-Type");
  // X-Fresh-Metadata: true copies the bytes only (and what makes a manifest one).
  options.fresh = absl::EqualsIgnoreCase(req.Header("X-Fresh-Metadata"), "true");
  options.headers = MetadataHeaders(req, Kind::kObject);
  // ?multipart-manifest=get copies a large object's manifest, not its bytes.
  options.whole = req.Query("multipart-manifest") != "get";
  if (std::string problem = MetadataProblem(options.headers, Kind::kObject); !problem.empty()) {
    return Answer(res, 400, problem);
  }
  CopyOptions::Made made;
  options.made = &made;
  CopyObject(res, source, dest, options);
  if (res.status == 201) {
    // As Swift: the copy's user metadata, and where and when it came from.
    for (const auto& [k, v] : made.headers) {
      if (absl::StartsWith(k, "X-Object-Meta-")) res.SetHeader(k, v);
    }
    res.SetHeader("X-Copied-From", absl::StrCat(source.container, "/", source.object));
    if (!made.source_modified.empty()) {
      res.SetHeader("X-Copied-From-Last-Modified", made.source_modified);
    }
    if (source.account != dest.account) res.SetHeader("X-Copied-From-Account", source.account);
  }
}

void ObjectController::CopyObject(http::Response& res, const Target& source, const Target& dest,
                                  const CopyOptions& options) {
  Placement where = cluster_.Locate(source.account, source.container, source.object);
  std::vector<const ring::Device*> order = where.primaries;
  order.insert(order.end(), where.handoffs.begin(), where.handoffs.end());
  for (const ring::Device* d : order) {
    auto download = cluster_.client().StartDownload(
        HostOf(*d), "GET",
        Cluster::Path(*d, where.partition, source.account, source.container, source.object), {});
    if (!download.ok() || (*download)->response().status != 200) continue;
    const NodeResponse& head = (*download)->response();
    const Headers meta = StoredHeaders(head);
    const bool large = meta.count("X-Static-Large-Object") || meta.count("X-Object-Manifest");
    PutSpec spec;
    spec.keep_version = options.keep_version;
    spec.content_type =
        !options.content_type.empty() ? options.content_type : head.Header("Content-Type");
    (void)absl::SimpleAtoi(head.Header("Content-Length"), &spec.length);
    for (const auto& [k, v] : meta) {
      if (!options.fresh || k == "X-Static-Large-Object" || k == "X-Object-Manifest") {
        spec.headers[k] = v;
      }
    }
    for (const auto& [k, v] : options.headers) spec.headers[k] = v;
    // The source's date, for the answer (X-Copied-From-Last-Modified once the copy is made).
    if (options.made != nullptr) {
      options.made->source_modified = LastModifiedOf(head);
      options.made->headers = spec.headers;
    }
    NodeDownload& body = **download;
    if (large && options.whole) return CopyLargeObject(res, source, dest, spec, meta, body);
    if (!meta.count("X-Static-Large-Object")) {
      spec.content_type = WithoutSwiftBytes(spec.content_type);
    }
    return Store(res, dest, spec, [&body](const std::function<bool(const char*, size_t)>& sink) {
      return Pump(body, sink);
    });
  }
  Answer(res, 404, "Not Found");
}

void ObjectController::CopyLargeObject(http::Response& res, const Target& source,
                                       const Target& dest, PutSpec spec, const Headers& meta,
                                       NodeDownload& manifest) {
  // The copy is a plain object of the segments' bytes, as Swift makes it.
  absl::StatusOr<std::vector<Segment>> segments = absl::UnavailableError("no manifest");
  if (meta.count("X-Static-Large-Object")) {
    std::string stored;
    absl::Status read = Pump(manifest, [&stored](const char* data, size_t size) {
      stored.append(data, size);
      return stored.size() <= (2u << 20);
    });
    if (read.ok()) segments = StoredSloSegments(stored);
  } else {
    segments = ListDloSegments(cluster_, source.account, meta.at("X-Object-Manifest"));
  }
  if (!segments.ok()) return Answer(res, 503, "Service Unavailable");
  http::Response whole;
  StreamSegments(cluster_, source.account, *std::move(segments), whole, /*head_only=*/false);
  spec.length = whole.stream_length;
  spec.content_type = WithoutSwiftBytes(spec.content_type);
  spec.headers.erase("X-Static-Large-Object");
  spec.headers.erase("X-Object-Manifest");
  http::BodySource from = whole.stream_source;
  Store(res, dest, spec, [&from](const std::function<bool(const char*, size_t)>& sink) {
    std::vector<char> buf(1 << 16);
    while (true) {
      absl::StatusOr<size_t> n = from(buf.data(), buf.size());
      if (!n.ok()) return n.status();
      if (*n == 0 || !sink(buf.data(), *n)) return absl::OkStatus();
    }
  });
}

}  // namespace gureum::object::proxy
