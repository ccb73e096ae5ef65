#include "image/object_data_store.h"

#include <algorithm>
#include <vector>

#include <spdlog/spdlog.h>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"

namespace gureum::image {
namespace {

constexpr char kScheme[] = "object://";
constexpr int kMaxSegments = 99999;

std::string SegmentName(const std::string& image_id, int n) {
  return absl::StrFormat("%s-%05d", image_id, n);
}

struct Location {
  std::string container, name;
  int segments = 0;  // 0: one plain object
  // The objects that hold the bytes, in order.
  std::vector<std::string> Parts() const {
    if (segments == 0) return {name};
    std::vector<std::string> parts;
    for (int i = 1; i <= segments; ++i) parts.push_back(SegmentName(name, i));
    return parts;
  }
};

absl::StatusOr<Location> ParseLocation(const std::string& location) {
  absl::string_view rest = location;
  if (!absl::ConsumePrefix(&rest, kScheme)) {
    return absl::InvalidArgumentError(absl::StrCat("not an object store location: ", location));
  }
  Location l;
  if (const size_t q = rest.find("?segments="); q != absl::string_view::npos) {
    if (!absl::SimpleAtoi(rest.substr(q + 10), &l.segments) || l.segments < 1 ||
        l.segments > kMaxSegments) {
      return absl::InvalidArgumentError(absl::StrCat("bad segment count in ", location));
    }
    rest = rest.substr(0, q);
  }
  const size_t slash = rest.find('/');
  if (slash == absl::string_view::npos || slash == 0 || slash + 1 == rest.size()) {
    return absl::InvalidArgumentError(absl::StrCat("bad object store location: ", location));
  }
  l.container = std::string(rest.substr(0, slash));
  l.name = std::string(rest.substr(slash + 1));
  return l;
}

class ObjectWriter final : public DataWriter {
 public:
  ObjectWriter(ObjectStorageClient& client, const ObjectDataStoreOptions& options,
               std::string image_id)
      : client_(client), options_(options), image_id_(std::move(image_id)) {}

  ~ObjectWriter() override {
    if (committed_) return;
    // An abandoned upload leaves nothing behind (best effort: a failed delete is logged).
    for (const ObjectSegment& s : segments_) {
      if (absl::Status d = client_.DeleteObject(s.container, s.name); !d.ok()) {
        spdlog::warn("abandoned image segment {}/{} not deleted: {}", s.container, s.name,
                     d.ToString());
      }
    }
  }

  absl::Status Write(const char* data, size_t size) override {
    while (size > 0) {
      // A full buffer becomes a segment only once more bytes come: an image of exactly
      // one segment stays one plain object.
      if (buffer_.size() == options_.segment_bytes) {
        if (absl::Status s = FlushSegment(); !s.ok()) return s;
      }
      if (buffer_.capacity() < options_.segment_bytes) buffer_.reserve(options_.segment_bytes);
      const size_t n = std::min(size, options_.segment_bytes - buffer_.size());
      buffer_.append(data, n);
      data += n;
      size -= n;
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> Commit() override {
    const std::string& container = options_.container;
    if (segments_.empty()) {
      absl::StatusOr<std::string> etag = client_.PutObject(container, image_id_, buffer_);
      if (!etag.ok()) return etag.status();
      committed_ = true;
      return absl::StrCat(kScheme, container, "/", image_id_);
    }
    if (!buffer_.empty()) {
      if (absl::Status s = FlushSegment(); !s.ok()) return s;
    }
    if (absl::Status s = client_.PutManifest(container, image_id_, segments_); !s.ok()) return s;
    committed_ = true;
    return absl::StrCat(kScheme, container, "/", image_id_, "?segments=", segments_.size());
  }

 private:
  absl::Status FlushSegment() {
    if (segments_.size() >= static_cast<size_t>(kMaxSegments)) {
      return absl::ResourceExhaustedError("image too large for the object store's segments");
    }
    ObjectSegment s{.container = options_.container,
                    .name = SegmentName(image_id_, static_cast<int>(segments_.size()) + 1),
                    .bytes = static_cast<long long>(buffer_.size())};
    absl::StatusOr<std::string> etag = client_.PutObject(s.container, s.name, buffer_);
    if (!etag.ok()) return etag.status();
    s.etag = *etag;
    segments_.push_back(std::move(s));
    buffer_.clear();
    return absl::OkStatus();
  }

  ObjectStorageClient& client_;
  const ObjectDataStoreOptions& options_;
  const std::string image_id_;
  std::string buffer_;
  std::vector<ObjectSegment> segments_;
  bool committed_ = false;
};

class ObjectReader final : public DataReader {
 public:
  ObjectReader(ObjectStorageClient& client, size_t read_bytes, Location location)
      : client_(client),
        read_bytes_(read_bytes),
        container_(location.container),
        parts_(location.Parts()) {}

  absl::StatusOr<size_t> Read(char* buf, size_t cap) override {
    while (at_ == piece_.size()) {
      if (part_ == parts_.size()) return 0;
      absl::StatusOr<ObjectPiece> piece =
          client_.GetRange(container_, parts_[part_], offset_, static_cast<long long>(read_bytes_));
      if (!piece.ok()) return piece.status();
      piece_ = std::move(piece->data);
      at_ = 0;
      offset_ += static_cast<long long>(piece_.size());
      if (piece_.empty() || offset_ >= piece->total_bytes) {
        ++part_;  // the next object starts from its beginning
        offset_ = 0;
      }
    }
    const size_t n = std::min(cap, piece_.size() - at_);
    std::copy_n(piece_.data() + at_, n, buf);
    at_ += n;
    return n;
  }

 private:
  ObjectStorageClient& client_;
  const size_t read_bytes_;
  const std::string container_;
  const std::vector<std::string> parts_;
  size_t part_ = 0;
  long long offset_ = 0;  // in parts_[part_]
  std::string piece_;
  size_t at_ = 0;
};

}  // namespace

absl::StatusOr<std::unique_ptr<DataWriter>> ObjectDataStore::NewWriter(
    const std::string& image_id) {
  if (absl::Status s = client_.EnsureContainer(options_.container); !s.ok()) return s;
  return std::make_unique<ObjectWriter>(client_, options_, image_id);
}

absl::StatusOr<std::unique_ptr<DataReader>> ObjectDataStore::NewReader(
    const std::string& location) {
  absl::StatusOr<Location> l = ParseLocation(location);
  if (!l.ok()) return l.status();
  return std::make_unique<ObjectReader>(client_, options_.read_bytes, *std::move(l));
}

absl::Status ObjectDataStore::Delete(const std::string& location) {
  absl::StatusOr<Location> l = ParseLocation(location);
  if (!l.ok()) return l.status();
  // The manifest first: once it is gone nobody reads a half-deleted image.
  if (l->segments > 0) {
    if (absl::Status s = client_.DeleteObject(l->container, l->name); !s.ok()) return s;
  }
  for (const std::string& part : l->Parts()) {
    if (absl::Status s = client_.DeleteObject(l->container, part); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace gureum::image
