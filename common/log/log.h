// Structured logging on spdlog. Every line carries the service name and the request id
// of the work in progress, so one request can be followed across services:
//
//   2026-11-27T09:41:07.123456Z INFO identity req-3f2c... token issued user=...
//
// The request id travels in gRPC metadata and AMQP headers under kRequestIdKey, and in
// REST as the X-Openstack-Request-Id header. Code logs with spdlog's own functions
// (spdlog::info(...)); ScopedRequestId sets the id for the current thread.
//
// Secrets (passwords, tokens, keys) are never logged: log ids and names, and pass
// anything user-supplied that might hold a secret through Redact().
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace gureum::log {

// gRPC metadata key and AMQP header name (lower case, as gRPC requires).
inline constexpr char kRequestIdKey[] = "x-openstack-request-id";
// REST header, spelled as OpenStack services send it.
inline constexpr char kRequestIdHeader[] = "X-Openstack-Request-Id";

struct Options {
  std::string service = "gureum";
  std::string level = "info";  // trace, debug, info, warn, error, critical, off
  std::string file;            // empty: standard error
};

// Installs the process-wide default logger. Call once from main(); an unknown level or
// an unwritable file is an error naming the problem.
absl::Status Init(const Options& options);

// The request id of the current thread, or "-" when none is set.
const std::string& CurrentRequestId();

// Sets the current thread's request id for the lifetime of the object, restoring the
// previous one after.
class ScopedRequestId {
 public:
  explicit ScopedRequestId(std::string request_id);
  ~ScopedRequestId();
  ScopedRequestId(const ScopedRequestId&) = delete;
  ScopedRequestId& operator=(const ScopedRequestId&) = delete;

 private:
  std::string previous_;
};

// Accepts a request id from a peer if it looks like one ("req-" + UUID); otherwise
// returns a fresh one, so a client cannot inject text into our logs.
std::string AcceptOrNewRequestId(absl::string_view from_peer);

// `text` with every byte that could forge or garble a log line written as \xNN: line
// breaks and the other C0 controls, DEL, and bytes that are not part of valid UTF-8.
// Init's formatter applies it to every message, so a client's path or name logged as it
// is cannot start a fake line.
std::string EscapeForLog(absl::string_view text);

// "***" for anything non-empty: for values that may hold a secret.
std::string Redact(absl::string_view secret);

}  // namespace gureum::log
