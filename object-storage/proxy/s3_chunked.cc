#include "object-storage/proxy/s3_chunked.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "object-storage/proxy/s3_signature.h"

namespace gureum::object::proxy {
namespace {

// The decoder: bytes in, verified chunks out.
class ChunkDecoder {
 public:
  ChunkDecoder(ChunkSigning signing, const http::BodyReader& out)
      : signing_(std::move(signing)), previous_(signing_.seed), out_(out) {}

  // False to stop: malformed, badly signed (`error_` says), or the reader stopped.
  bool Feed(const char* data, size_t size) {
    for (size_t i = 0; i < size;) {
      if (done_) return true;  // what follows the last chunk is ignored
      if (state_ == kHeader) {
        const char c = data[i++];
        line_.push_back(c);
        if (line_.size() > 256) return Fail("chunk header too long");
        if (absl::EndsWith(line_, "\r\n") && !Header()) return false;
      } else if (state_ == kData) {
        const size_t n = std::min(size - i, want_ - chunk_.size());
        chunk_.append(data + i, n);
        i += n;
        if (chunk_.size() == want_) state_ = kDataEnd;
      } else {
        line_.push_back(data[i++]);
        if (line_.size() == 2 && !ChunkEnd()) return false;
      }
    }
    return true;
  }
  bool done() const { return done_; }
  const std::string& error() const { return error_; }

 private:
  enum State { kHeader, kData, kDataEnd };

  bool Fail(const std::string& why) {
    error_ = why;
    return false;
  }
  // "<hex>;chunk-signature=<sig>\r\n"
  bool Header() {
    const std::string line = line_.substr(0, line_.size() - 2);
    line_.clear();
    const size_t semi = line.find(";chunk-signature=");
    if (semi == std::string::npos || !absl::SimpleHexAtoi(line.substr(0, semi), &want_) ||
        want_ > kMaxAwsChunk) {
      return Fail("malformed chunk header");
    }
    signature_ = line.substr(semi + 17);
    chunk_.clear();
    if (want_ == 0) {
      if (!Verified()) return false;
      done_ = true;
      return true;
    }
    state_ = kData;
    return true;
  }
  bool ChunkEnd() {
    if (line_ != "\r\n") return Fail("malformed chunk");
    line_.clear();
    state_ = kHeader;
    if (!Verified()) return false;
    if (!out_(chunk_.data(), chunk_.size())) return Fail("");
    return true;
  }
  bool Verified() {
    const std::string expected =
        SigV4ChunkSignature(signing_.secret, signing_.sig, previous_, Sha256Hex(chunk_));
    if (expected != signature_) return Fail("chunk signature does not match");
    previous_ = expected;
    return true;
  }

  ChunkSigning signing_;
  std::string previous_;
  const http::BodyReader& out_;
  State state_ = kHeader;
  std::string line_, chunk_, signature_, error_;
  size_t want_ = 0;
  bool done_ = false;
};

}  // namespace

std::function<absl::Status(const http::BodyReader&)> AwsChunkedBody(const http::Request& req,
                                                                    ChunkSigning signing,
                                                                    std::shared_ptr<bool> bad) {
  const http::Request* from = &req;
  return [from, signing, bad](const http::BodyReader& reader) -> absl::Status {
    ChunkDecoder decoder(signing, reader);
    bool failed = false;
    absl::Status read = from->ReadBody([&](const char* data, size_t size) {
      failed = !decoder.Feed(data, size);
      return !failed;
    });
    if (!read.ok()) return read;
    if (failed && decoder.error().empty()) return absl::OkStatus();  // the reader stopped
    if (failed || !decoder.done()) {
      *bad = true;
      return absl::InvalidArgumentError(failed ? decoder.error() : "the last chunk is missing");
    }
    return absl::OkStatus();
  };
}

absl::StatusOr<std::string> DecodeAwsChunked(const std::string& encoded,
                                             const ChunkSigning& signing) {
  std::string out;
  http::BodyReader append = [&out](const char* data, size_t size) {
    out.append(data, size);
    return true;
  };
  ChunkDecoder decoder(signing, append);
  if (!decoder.Feed(encoded.data(), encoded.size()) || !decoder.done()) {
    return absl::InvalidArgumentError(decoder.error().empty() ? "incomplete" : decoder.error());
  }
  return out;
}

}  // namespace gureum::object::proxy
