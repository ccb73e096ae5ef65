#include "common/http/server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <regex>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/log/log.h"

namespace gureum::http {

struct Server::RouteEntry {
  std::string method;
  std::string pattern;
  std::vector<std::string> param_names;
  Handler handler;
  RouteOptions options;
};

namespace {

// A body the handler did not read is drained up to this size to keep the connection.
constexpr size_t kDrainBytes = 1 << 20;

// "/v3/projects/{project_id}" -> regex "/v3/projects/([^/]+)" and names {"project_id"}.
std::string PatternToRegex(const std::string& pattern, std::vector<std::string>& names) {
  std::string out;
  for (absl::string_view segment : absl::StrSplit(pattern, '/')) {
    if (segment.empty()) continue;
    out += "/";
    if (segment.size() > 2 && segment.front() == '{' && segment.back() == '}') {
      names.emplace_back(segment.substr(1, segment.size() - 2));
      out += "([^/]+)";
    } else {
      // Escape regex metacharacters in literal segments.
      for (char c : segment) {
        if (std::string(".^$|()[]{}*+?\\").find(c) != std::string::npos) out += '\\';
        out += c;
      }
    }
  }
  if (out.empty()) out = "/";
  // Clients add a trailing slash to versioned roots ("/v3/"); accept both.
  return out + "/?";
}

}  // namespace

Server::Server(ServerOptions options)
    : options_(std::move(options)), server_(std::make_unique<httplib::Server>()) {
  int threads = options_.threads;
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server_->set_keep_alive_max_count(1000);
  server_->set_keep_alive_timeout(30);
  server_->set_read_timeout(60, 0);
  server_->set_write_timeout(60, 0);
  server_->set_tcp_nodelay(true);
  // httplib's default sets SO_REUSEPORT, which lets a second server silently share a
  // port already in use; keep only SO_REUSEADDR so that is a clear error instead.
  server_->set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  server_->set_payload_max_length(std::max(options_.max_body_bytes, options_.max_stream_bytes));
  ErrorStyle style = options_.error_style;
  // Unknown routes and errors raised inside httplib get the API's JSON envelope too.
  server_->set_error_handler([style](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    absl::Status s = res.status == 404   ? absl::NotFoundError("The resource could not be found.")
                     : res.status == 413 ? absl::ResourceExhaustedError("Request is too large.")
                     : res.status == 405 ? WithHttpStatus(absl::UnimplementedError("Method not allowed."), 405)
                                         : WithHttpStatus(absl::InvalidArgumentError(
                                                              std::string(HttpReason(res.status))),
                                                          res.status);
    res.set_content(ErrorBody(s, style).dump(), "application/json");
  });
  server_->set_exception_handler(
      [style](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        spdlog::error("unhandled exception in {} {}: {}", req.method, req.path, what);
        absl::Status s = absl::InternalError("The server has either erred or is incapable of "
                                             "performing the requested operation.");
        res.status = 500;
        res.set_content(ErrorBody(s, style).dump(), "application/json");
      });
  if (options_.metrics != nullptr) {
    metrics::Metrics* m = options_.metrics;
    server_->Get("/metrics", [m](const httplib::Request&, httplib::Response& res) {
      res.set_content(m->Serialize(), "text/plain; version=0.0.4");
    });
  }
  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"status\":\"ok\"}", "application/json");
  });
}

Server::~Server() { Stop(); }

void Server::Route(const std::string& method, const std::string& pattern, Handler handler,
                   RouteOptions options) {
  auto entry = std::make_unique<RouteEntry>();
  entry->method = method;
  entry->pattern = pattern;
  entry->handler = std::move(handler);
  entry->options = options;
  std::string regex = PatternToRegex(pattern, entry->param_names);
  const RouteEntry* route = entry.get();
  routes_.push_back(std::move(entry));
  auto with_reader = [this, route](const httplib::Request& req, httplib::Response& res,
                                   const httplib::ContentReader& reader) {
    Dispatch(*route, &req, &res, &reader);
  };
  auto plain = [this, route](const httplib::Request& req, httplib::Response& res) {
    Dispatch(*route, &req, &res, nullptr);
  };
  if (method == "GET") {
    server_->Get(regex, plain);
  } else if (method == "POST") {
    server_->Post(regex, with_reader);
  } else if (method == "PUT") {
    server_->Put(regex, with_reader);
  } else if (method == "PATCH") {
    server_->Patch(regex, with_reader);
  } else if (method == "DELETE") {
    server_->Delete(regex, with_reader);
  } else {
    std::abort();  // a route with an unknown method is a programming error
  }
}

void Server::Dispatch(const RouteEntry& route, const void* raw_req, void* raw_res,
                      const void* content_reader) {
  const auto& hreq = *static_cast<const httplib::Request*>(raw_req);
  auto& hres = *static_cast<httplib::Response*>(raw_res);
  const auto* reader = static_cast<const httplib::ContentReader*>(content_reader);
  auto start = std::chrono::steady_clock::now();

  Request req;
  req.method = hreq.method;
  req.path = hreq.path;
  req.route = route.pattern;
  req.request_id = log::AcceptOrNewRequestId(hreq.get_header_value(log::kRequestIdHeader));
  log::ScopedRequestId scoped(req.request_id);
  for (size_t i = 0; i < route.param_names.size() && i + 1 < hreq.matches.size(); ++i) {
    req.path_params[route.param_names[i]] = hreq.matches[i + 1].str();
  }
  for (const auto& [k, v] : hreq.params) req.query.emplace(k, v);
  req.header_lookup = [&hreq](const std::string& name) { return hreq.get_header_value(name); };
  req.header_exists = [&hreq](const std::string& name) { return hreq.has_header(name); };

  Response res;
  res.error_style = options_.error_style;
  bool ok_to_handle = true;
  auto body_claimed = std::make_shared<bool>(false);  // the handler called ReadBody
  if (reader != nullptr) {
    long long declared = -1;
    if (hreq.has_header("Content-Length")) {
      (void)absl::SimpleAtoi(hreq.get_header_value("Content-Length"), &declared);
    }
    if (route.options.stream_body) {
      size_t limit = options_.max_stream_bytes;
      req.body_stream = [reader, limit, body_claimed](const BodyReader& body_reader) -> absl::Status {
        *body_claimed = true;
        size_t seen = 0;
        bool too_large = false;
        bool stopped = false;
        bool complete = (*reader)([&](const char* data, size_t n) {
          seen += n;
          if (seen > limit) {
            too_large = true;
            return false;
          }
          if (!body_reader(data, n)) {
            stopped = true;
            return false;
          }
          return true;
        });
        if (too_large) return absl::ResourceExhaustedError("Request body is too large.");
        if (stopped) return absl::AbortedError("reading the request body was stopped");
        if (!complete) return absl::DataLossError("The request body was cut short.");
        return absl::OkStatus();
      };
    } else if (declared > static_cast<long long>(options_.max_body_bytes)) {
      res.Error(absl::ResourceExhaustedError(absl::StrCat(
          "Request is too large: ", declared, " bytes, the limit is ", options_.max_body_bytes,
          " bytes.")));
      res.SetHeader("Connection", "close");
      ok_to_handle = false;
    } else {
      size_t limit = options_.max_body_bytes;
      bool too_large = false;
      (*reader)([&](const char* data, size_t n) {
        if (req.body_.size() + n > limit) {
          too_large = true;
          return false;
        }
        req.body_.append(data, n);
        return true;
      });
      if (too_large) {
        res.Error(absl::ResourceExhaustedError(absl::StrCat(
            "Request is too large: the limit is ", options_.max_body_bytes, " bytes.")));
        res.SetHeader("Connection", "close");
        ok_to_handle = false;
      }
    }
  }
  if (ok_to_handle) route.handler(req, res);
  if (reader != nullptr && route.options.stream_body && !*body_claimed) {
    // The handler answered without reading the body (an error before any data, such as
    // a 409). Left on the connection, the body would be parsed as the next request, and
    // closing with it unread resets the connection, which can lose the answer on the
    // client's side. A small body is read and dropped; past kDrainBytes we close.
    size_t drained = 0;
    bool complete = (*reader)([&drained](const char*, size_t n) {
      drained += n;
      return drained <= kDrainBytes;
    });
    if (!complete) res.SetHeader("Connection", "close");
  }

  hres.status = res.status;
  hres.set_header(log::kRequestIdHeader, req.request_id);
  for (const auto& [k, v] : res.headers) hres.set_header(k, v);
  if (res.stream_source) {
    BodySource source = std::move(res.stream_source);
    auto provider = [source](size_t, httplib::DataSink& sink) {
      char buf[64 * 1024];
      absl::StatusOr<size_t> n = source(buf, sizeof(buf));
      if (!n.ok()) return false;  // aborts the response; the client sees it cut short
      if (*n == 0) {
        sink.done();
        return true;
      }
      return sink.write(buf, *n);
    };
    if (res.stream_length >= 0) {
      hres.set_content_provider(static_cast<size_t>(res.stream_length), res.content_type,
                                [provider](size_t offset, size_t, httplib::DataSink& sink) {
                                  return provider(offset, sink);
                                });
    } else {
      hres.set_chunked_content_provider(res.content_type, provider);
    }
  } else if (!res.body.empty()) {
    hres.set_content(res.body, res.content_type);
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (options_.metrics != nullptr) {
    options_.metrics->RecordHttp(req.method, route.pattern, res.status, seconds);
  }
  spdlog::debug("{} {} -> {} ({:.1f} ms)", req.method, req.path, res.status, seconds * 1000);
}

absl::StatusOr<int> Server::Start() {
  int port = options_.port == 0 ? server_->bind_to_any_port(options_.host)
                                : (server_->bind_to_port(options_.host, options_.port)
                                       ? options_.port
                                       : -1);
  if (port <= 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen for HTTP on ", options_.host, ":",
                                               options_.port, " (address in use?)"));
  }
  started_ = true;
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // listen_after_bind sets is_running asynchronously; wait so Stop() cannot race it.
  for (int i = 0; i < 5000 && !server_->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  spdlog::info("HTTP listening on {}:{}", options_.host, port);
  return port;
}

void Server::Stop() {
  if (!started_) return;
  started_ = false;
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace gureum::http
