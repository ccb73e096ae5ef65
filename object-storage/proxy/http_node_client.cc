#include "object-storage/proxy/http_node_client.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace gureum::object::proxy {
namespace {

absl::Status Unavailable(const std::string& host, const std::string& what) {
  return absl::UnavailableError(absl::StrCat(host, ": ", what));
}

void SetTimeouts(int fd, std::chrono::milliseconds timeout) {
  timeval tv{static_cast<time_t>(timeout.count() / 1000),
             static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

// `more`: the rest follows at once (MSG_MORE), so a request head goes out in one segment
// with the start of its body: one wake-up of the object server instead of two.
bool WriteAll(int fd, const char* data, size_t size, bool more = false) {
  while (size > 0) {
    ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL | (more ? MSG_MORE : 0));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

std::string RequestHead(const std::string& host, const std::string& method, const std::string& path,
                        const Headers& headers, long long length) {
  std::string head = absl::StrCat(method, " ", path, " HTTP/1.1\r\nHost: ", host, "\r\n");
  for (const auto& [name, value] : headers) absl::StrAppend(&head, name, ": ", value, "\r\n");
  if (length >= 0) {
    absl::StrAppend(&head, "Content-Length: ", length, "\r\n\r\n");
  } else {
    absl::StrAppend(&head, "Transfer-Encoding: chunked\r\n\r\n");
  }
  return head;
}

// One exchange on a connection: the request written, the response read.
class Exchange {
 public:
  Exchange(HttpNodeClient& client, std::string host, int fd)
      : client_(client), host_(std::move(host)), fd_(fd) {}
  ~Exchange() {
    if (fd_ >= 0) ::close(fd_);
  }

  bool Write(const char* data, size_t size, bool more = false) {
    return WriteAll(fd_, data, size, more);
  }

  // Reads the status line and headers; sets the body's framing. `head_only`: a HEAD.
  absl::Status ReadHead(NodeResponse& out, bool head_only) {
    size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (buf_.size() > 256 * 1024) return Unavailable(host_, "response head too large");
      if (!Fill()) return Unavailable(host_, "connection closed before an answer");
    }
    std::vector<absl::string_view> lines =
        absl::StrSplit(absl::string_view(buf_).substr(0, end), "\r\n");
    std::vector<absl::string_view> status = absl::StrSplit(lines[0], absl::MaxSplits(' ', 2));
    if (status.size() < 2 || !absl::SimpleAtoi(status[1], &out.status)) {
      return Unavailable(host_, "bad status line");
    }
    for (size_t i = 1; i < lines.size(); ++i) {
      const size_t colon = lines[i].find(':');
      if (colon == absl::string_view::npos) continue;
      out.headers[std::string(lines[i].substr(0, colon))] =
          std::string(absl::StripAsciiWhitespace(lines[i].substr(colon + 1)));
    }
    buf_.erase(0, end + 4);
    keep_ = !absl::EqualsIgnoreCase(out.Header("Connection"), "close");
    const bool bodiless = head_only || out.status == 204 || out.status == 304 || out.status < 200;
    if (bodiless) {
      left_ = 0;
    } else if (!absl::SimpleAtoi(out.Header("Content-Length"), &left_)) {
      return Unavailable(host_, "an answer without Content-Length");
    }
    return absl::OkStatus();
  }

  absl::StatusOr<size_t> ReadBody(char* out, size_t cap) {
    if (left_ == 0) {
      Done();
      return 0;
    }
    if (buf_.empty() && !Fill()) return Unavailable(host_, "connection closed in a body");
    const size_t n = std::min<size_t>({cap, buf_.size(), static_cast<size_t>(left_)});
    std::memcpy(out, buf_.data(), n);
    buf_.erase(0, n);
    left_ -= static_cast<long long>(n);
    if (left_ == 0) Done();
    return n;
  }

  absl::Status ReadAllBody(std::string& body) {
    char chunk[65536];
    while (true) {
      absl::StatusOr<size_t> n = ReadBody(chunk, sizeof(chunk));
      if (!n.ok()) return n.status();
      if (*n == 0) return absl::OkStatus();
      body.append(chunk, *n);
    }
  }

 private:
  bool Fill() {
    char chunk[65536];
    while (true) {
      ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      buf_.append(chunk, static_cast<size_t>(n));
      return true;
    }
  }
  // The whole answer was read: the connection may serve another request.
  void Done() {
    if (fd_ >= 0 && keep_ && buf_.empty()) {
      client_.Release(host_, fd_);
      fd_ = -1;
    }
  }

  HttpNodeClient& client_;
  std::string host_;
  int fd_;
  std::string buf_;
  long long left_ = 0;
  bool keep_ = false;
};

class Upload final : public NodeUpload {
 public:
  Upload(std::unique_ptr<Exchange> exchange, std::string host, bool chunked)
      : exchange_(std::move(exchange)), host_(std::move(host)), chunked_(chunked) {}
  absl::Status Write(const char* data, size_t size) override {
    if (size == 0) return absl::OkStatus();
    if (chunked_) {
      const std::string head = absl::StrCat(absl::Hex(size), "\r\n");
      if (!exchange_->Write(head.data(), head.size(), true))
        return Unavailable(host_, "write failed");
    }
    if (!exchange_->Write(data, size, chunked_) || (chunked_ && !exchange_->Write("\r\n", 2))) {
      return Unavailable(host_, "write failed");
    }
    return absl::OkStatus();
  }
  absl::StatusOr<NodeResponse> Finish() override {
    if (chunked_ && !exchange_->Write("0\r\n\r\n", 5)) return Unavailable(host_, "write failed");
    NodeResponse response;
    if (absl::Status s = exchange_->ReadHead(response, false); !s.ok()) return s;
    if (absl::Status s = exchange_->ReadAllBody(response.body); !s.ok()) return s;
    return response;
  }

 private:
  std::unique_ptr<Exchange> exchange_;
  std::string host_;
  bool chunked_;
};

class Download final : public NodeDownload {
 public:
  Download(std::unique_ptr<Exchange> exchange, NodeResponse response)
      : exchange_(std::move(exchange)), response_(std::move(response)) {}
  const NodeResponse& response() const override { return response_; }
  absl::StatusOr<size_t> Read(char* buf, size_t cap) override {
    return exchange_->ReadBody(buf, cap);
  }

 private:
  std::unique_ptr<Exchange> exchange_;
  NodeResponse response_;
};

}  // namespace

HttpNodeClient::~HttpNodeClient() {
  absl::MutexLock lock(&mu_);
  for (auto& [host, conns] : idle_) {
    for (const Idle& c : conns) ::close(c.fd);
  }
}

absl::StatusOr<int> HttpNodeClient::Dial(const std::string& host) {
  const size_t colon = host.rfind(':');
  int port = 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  if (colon == std::string::npos || !absl::SimpleAtoi(host.substr(colon + 1), &port) ||
      ::inet_pton(AF_INET, host.substr(0, colon).c_str(), &addr.sin_addr) != 1) {
    return absl::InvalidArgumentError(absl::StrCat("not an ip:port: ", host));
  }
  addr.sin_port = htons(static_cast<uint16_t>(port));
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return Unavailable(host, "no socket");
  int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  if (rc != 0 && errno == EINPROGRESS) {
    pollfd p{fd, POLLOUT, 0};
    int err = 0;
    socklen_t len = sizeof(err);
    if (::poll(&p, 1, static_cast<int>(options_.connect_timeout.count())) == 1 &&
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0) {
      rc = 0;
    }
  }
  if (rc != 0) {
    ::close(fd);
    return Unavailable(host, "cannot connect");
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  SetTimeouts(fd, options_.io_timeout);
  return fd;
}

absl::StatusOr<int> HttpNodeClient::Connect(const std::string& host, bool& pooled) {
  {
    absl::MutexLock lock(&mu_);
    auto it = idle_.find(host);
    const absl::Time now = clock_.Now();
    while (it != idle_.end() && !it->second.empty()) {
      Idle c = it->second.back();
      it->second.pop_back();
      if (now - c.since < options_.idle_limit) {
        pooled = true;
        return c.fd;
      }
      ::close(c.fd);
    }
  }
  pooled = false;
  return Dial(host);
}

void HttpNodeClient::Release(const std::string& host, int fd) {
  absl::MutexLock lock(&mu_);
  std::vector<Idle>& conns = idle_[host];
  if (conns.size() >= options_.max_idle_per_node) {
    ::close(fd);
    return;
  }
  conns.push_back({fd, clock_.Now()});
}

absl::StatusOr<NodeResponse> HttpNodeClient::Send(const std::string& host,
                                                  const std::string& method,
                                                  const std::string& path, const Headers& headers,
                                                  const std::string& body) {
  const std::string request =
      RequestHead(host, method, path, headers, static_cast<long long>(body.size())) + body;
  for (int attempt = 0;; ++attempt) {
    bool pooled = false;
    absl::StatusOr<int> fd = Connect(host, pooled);
    if (!fd.ok()) return fd.status();
    Exchange exchange(*this, host, *fd);
    NodeResponse response;
    absl::Status s = exchange.Write(request.data(), request.size())
                         ? exchange.ReadHead(response, method == "HEAD")
                         : Unavailable(host, "write failed");
    if (!s.ok() && pooled && attempt == 0) continue;  // a stale pooled connection
    if (!s.ok()) return s;
    if (absl::Status b = exchange.ReadAllBody(response.body); !b.ok()) return b;
    return response;
  }
}

absl::StatusOr<std::unique_ptr<NodeUpload>> HttpNodeClient::StartUpload(const std::string& host,
                                                                        const std::string& method,
                                                                        const std::string& path,
                                                                        const Headers& headers,
                                                                        long long length) {
  const std::string head = RequestHead(host, method, path, headers, length);
  for (int attempt = 0;; ++attempt) {
    bool pooled = false;
    absl::StatusOr<int> fd = Connect(host, pooled);
    if (!fd.ok()) return fd.status();
    auto exchange = std::make_unique<Exchange>(*this, host, *fd);
    if (exchange->Write(head.data(), head.size(), /*more=*/length != 0)) {
      return std::make_unique<Upload>(std::move(exchange), host, length < 0);
    }
    if (!pooled || attempt > 0) return Unavailable(host, "write failed");
  }
}

absl::StatusOr<std::unique_ptr<NodeDownload>> HttpNodeClient::StartDownload(
    const std::string& host, const std::string& method, const std::string& path,
    const Headers& headers) {
  const std::string request = RequestHead(host, method, path, headers, 0);
  for (int attempt = 0;; ++attempt) {
    bool pooled = false;
    absl::StatusOr<int> fd = Connect(host, pooled);
    if (!fd.ok()) return fd.status();
    auto exchange = std::make_unique<Exchange>(*this, host, *fd);
    NodeResponse response;
    absl::Status s = exchange->Write(request.data(), request.size())
                         ? exchange->ReadHead(response, method == "HEAD")
                         : Unavailable(host, "write failed");
    if (!s.ok() && pooled && attempt == 0) continue;
    if (!s.ok()) return s;
    return std::make_unique<Download>(std::move(exchange), std::move(response));
  }
}

}  // namespace gureum::object::proxy
