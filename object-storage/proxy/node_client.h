// The proxy's client of the object servers' internal HTTP API (server/object_server_rest.h).
// Requests go to one node (ip:port); a body is sent whole or streamed (Upload), a response
// read whole or streamed (Download). A connection error or timeout is Unavailable; any HTTP
// answer, whatever its status, is a NodeResponse.
//
// Thread-safe: each call uses its own connection (taken from and returned to a pool of
// idle keep-alive connections per node).
#pragma once

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"

namespace gureum::object::proxy {

// Header names compare case-insensitively.
struct HeaderLess {
  bool operator()(const std::string& a, const std::string& b) const {
    return absl::AsciiStrToLower(a) < absl::AsciiStrToLower(b);
  }
};
using Headers = std::map<std::string, std::string, HeaderLess>;

struct NodeResponse {
  int status = 0;
  Headers headers;
  std::string body;
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// A request body sent piece by piece.
class NodeUpload {
 public:
  virtual ~NodeUpload() = default;
  virtual absl::Status Write(const char* data, size_t size) = 0;
  // Ends the body and reads the answer.
  virtual absl::StatusOr<NodeResponse> Finish() = 0;
};

// A response whose body is read piece by piece; `response().body` stays empty.
class NodeDownload {
 public:
  virtual ~NodeDownload() = default;
  virtual const NodeResponse& response() const = 0;
  // Up to `cap` bytes of the body; 0 at its end.
  virtual absl::StatusOr<size_t> Read(char* buf, size_t cap) = 0;
};

class NodeClient {
 public:
  virtual ~NodeClient() = default;
  virtual absl::StatusOr<NodeResponse> Send(const std::string& host, const std::string& method,
                                            const std::string& path, const Headers& headers,
                                            const std::string& body = "") = 0;
  // `length` < 0: the body is sent chunked.
  virtual absl::StatusOr<std::unique_ptr<NodeUpload>> StartUpload(const std::string& host,
                                                                  const std::string& method,
                                                                  const std::string& path,
                                                                  const Headers& headers,
                                                                  long long length) = 0;
  virtual absl::StatusOr<std::unique_ptr<NodeDownload>> StartDownload(const std::string& host,
                                                                      const std::string& method,
                                                                      const std::string& path,
                                                                      const Headers& headers) = 0;
};

}  // namespace gureum::object::proxy
