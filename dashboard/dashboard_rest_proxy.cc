// DashboardRest: the service proxy and the event stream.
#include <algorithm>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

#include "dashboard/dashboard_rest.h"

namespace gureum::dashboard {
namespace {

constexpr size_t kMaxJsonBody = 4 << 20;

// The JSON (or other small) body of a proxied request, read whole.
absl::StatusOr<std::string> ReadSmallBody(const http::Request& req) {
  std::string body;
  bool too_large = false;
  absl::Status s = req.ReadBody([&](const char* data, size_t n) {
    if (body.size() + n > kMaxJsonBody) {
      too_large = true;
      return false;
    }
    body.append(data, n);
    return true;
  });
  if (too_large) return absl::ResourceExhaustedError("Request body is too large.");
  if (!s.ok()) return s;
  return body;
}

}  // namespace

absl::Status DashboardRest::Proxy(Session& s, http::Request& req, http::Response& res) {
  ProxyRequest p;
  p.method = req.method;
  p.service_type = req.PathParam("type");
  const std::string prefix = absl::StrCat("/api/svc/", p.service_type);
  p.path = req.path.size() > prefix.size() ? req.path.substr(prefix.size()) : "/";
  p.query = req.query;
  for (const char* h : kForwardedHeaders) {
    if (req.HasHeader(h)) p.headers.emplace_back(h, req.Header(h));
  }
  if (req.method != "GET" && req.method != "HEAD" && req.method != "DELETE") {
    if (absl::StartsWith(req.Header("Content-Type"), "application/octet-stream")) {
      // Image data: streamed through as it arrives, never held whole.
      long long length = -1;
      if (!absl::SimpleAtoi(req.Header("Content-Length"), &length)) length = -1;
      p.stream_length = length;
      p.stream = [&req](const http::BodyReader& reader) { return req.ReadBody(reader); };
    } else {
      absl::StatusOr<std::string> body = ReadSmallBody(req);
      if (!body.ok()) return body.status();
      p.body = *std::move(body);
    }
  }
  absl::StatusOr<HttpResponse> answer = deps_.proxy.Forward(s, p);
  if (!answer.ok()) return answer.status();
  res.status = answer->status;
  const std::string type = answer->Header("Content-Type");
  res.content_type = type.empty() ? "application/json" : type;
  for (const char* h : kReturnedHeaders) {
    if (std::string v = answer->Header(h); !v.empty()) res.SetHeader(h, v);
  }
  res.body = std::move(answer->body);
  return absl::OkStatus();
}

namespace {

// The state of one open event stream, shared with its BodySource.
struct EventStream {
  std::shared_ptr<EventHub::Subscription> subscription;
  std::string session_id;
  std::string pending;  // produced, not yet handed to the server
  size_t offset = 0;
};

}  // namespace

absl::Status DashboardRest::Events(Session& s, http::Request&, http::Response& res) {
  if (s.scoped.project.id.empty()) return absl::FailedPreconditionError("No project.");
  auto stream = std::make_shared<EventStream>();
  stream->subscription = deps_.events.Subscribe(s.scoped.project.id);
  stream->session_id = s.id;
  stream->pending = "retry: 3000\n: connected\n\n";
  res.SetHeader("Cache-Control", "no-store");
  res.SetHeader("X-Accel-Buffering", "no");
  SessionManager& sessions = deps_.sessions;
  const absl::Duration heartbeat = options_.heartbeat;
  res.Stream(-1, "text/event-stream",
             [stream, &sessions, heartbeat](char* buf, size_t cap) -> absl::StatusOr<size_t> {
               if (stream->offset >= stream->pending.size()) {
                 std::optional<Event> e = stream->subscription->Next(heartbeat);
                 // Logout or the idle timeout end the stream (the page then sees 401).
                 if (!sessions.IsLive(stream->session_id)) return 0;
                 stream->pending = e ? SseFrame(*e) : ": heartbeat\n\n";
                 stream->offset = 0;
               }
               const size_t n = std::min(cap, stream->pending.size() - stream->offset);
               std::memcpy(buf, stream->pending.data() + stream->offset, n);
               stream->offset += n;
               return n;
             });
  return absl::OkStatus();
}

}  // namespace gureum::dashboard
