#include "dashboard/httplib_http_client.h"

#include <httplib.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace gureum::dashboard {
namespace {

// "http://h:p/a?b" -> {"http://h:p", "/a?b"}.
absl::Status SplitUrl(const std::string& url, std::string& origin, std::string& target) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return absl::InvalidArgumentError("not an absolute URL");
  const size_t slash = url.find('/', scheme + 3);
  origin = url.substr(0, slash);
  target = slash == std::string::npos ? "/" : url.substr(slash);
  return absl::OkStatus();
}

std::chrono::microseconds Micros(absl::Duration d) { return absl::ToChronoMicroseconds(d); }

httplib::Result SendStreamed(httplib::Client& cli, const HttpRequest& r, const std::string& target,
                             const httplib::Headers& headers) {
  const std::string type = headers.count("Content-Type") > 0 ? headers.find("Content-Type")->second
                                                             : "application/octet-stream";
  // The whole body is pushed through the sink on the first call (the incoming request is
  // read as it arrives, in constant memory).
  // httplib sets DataSink::done only for chunked bodies (a sized body ends at its length).
  auto push = [&r](httplib::DataSink& sink) {
    absl::Status s = r.stream([&sink](const char* data, size_t n) { return sink.write(data, n); });
    if (!s.ok()) return false;
    if (sink.done) sink.done();
    return true;
  };
  httplib::Headers h = headers;
  h.erase("Content-Type");
  if (r.stream_length >= 0) {
    auto provider = [&push](size_t, size_t, httplib::DataSink& sink) { return push(sink); };
    const auto len = static_cast<size_t>(r.stream_length);
    if (r.method == "POST") return cli.Post(target, h, len, provider, type);
    if (r.method == "PATCH") return cli.Patch(target, h, len, provider, type);
    return cli.Put(target, h, len, provider, type);
  }
  auto provider = [&push](size_t, httplib::DataSink& sink) { return push(sink); };
  if (r.method == "POST") return cli.Post(target, h, provider, type);
  if (r.method == "PATCH") return cli.Patch(target, h, provider, type);
  return cli.Put(target, h, provider, type);
}

httplib::Result SendWhole(httplib::Client& cli, const HttpRequest& r, const std::string& target,
                          const httplib::Headers& headers) {
  httplib::Request req;
  req.method = r.method;
  req.path = target;
  req.headers = headers;
  req.body = r.body;
  if (!r.body.empty() && !req.has_header("Content-Type")) {
    req.set_header("Content-Type", "application/json");
  }
  return cli.send(req);
}

}  // namespace

absl::StatusOr<HttpResponse> HttplibHttpClient::Send(const HttpRequest& r) {
  std::string origin, target;
  if (absl::Status s = SplitUrl(r.url, origin, target); !s.ok()) return s;
  httplib::Client cli(origin);
  cli.set_connection_timeout(Micros(options_.connect_timeout));
  cli.set_read_timeout(Micros(options_.io_timeout));
  cli.set_write_timeout(Micros(options_.io_timeout));
  cli.set_keep_alive(false);
  httplib::Headers headers;
  for (const auto& [k, v] : r.headers) headers.emplace(k, v);
  httplib::Result res =
      r.stream ? SendStreamed(cli, r, target, headers) : SendWhole(cli, r, target, headers);
  if (!res) {
    return absl::UnavailableError(
        absl::StrCat("cannot reach ", origin, ": ", httplib::to_string(res.error())));
  }
  HttpResponse out;
  out.status = res->status;
  for (const auto& [k, v] : res->headers) out.headers.emplace_back(k, v);
  out.body = std::move(res->body);
  return out;
}

}  // namespace gureum::dashboard
