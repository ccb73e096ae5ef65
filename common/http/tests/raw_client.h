// A raw HTTP/1.1 client on a POSIX socket for tests that need to misbehave: send a head
// one byte at a time, stop in the middle of a body, pipeline, hold a connection idle.
// Every wait has a deadline, so a test that fails does not hang.
#pragma once

#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"

namespace gureum::http::testing {

struct RawResponse {
  int status = 0;
  std::string reason;                          // "Payload Too Large"
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
};

class RawClient {
 public:
  explicit RawClient(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~RawClient() { Close(); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  bool Send(const std::string& data) {
    size_t off = 0;
    while (off < data.size()) {
      ssize_t n = ::send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<size_t>(n);
    }
    return true;
  }
  void ShutdownWrite() { ::shutdown(fd_, SHUT_WR); }

  // True once the server has closed the connection (EOF or reset), waiting at most
  // `timeout`; data that arrives meanwhile is kept for ReadResponse.
  bool WaitClosed(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      int r = Fill(deadline);
      if (r == kEof || r == kError) return true;
      if (r == kDeadline) return false;
    }
  }

  // Non-blocking: true if the server has closed the connection already.
  bool ClosedNow() {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) return false;
    char buf[4096];
    ssize_t n = ::recv(fd_, buf, sizeof(buf), MSG_DONTWAIT);
    if (n > 0) {
      pending_.append(buf, static_cast<size_t>(n));
      return false;
    }
    return true;
  }

  // Reads one response (Content-Length or chunked body; none for HEAD when head_only).
  std::optional<RawResponse> ReadResponse(
      std::chrono::milliseconds timeout = std::chrono::milliseconds(10000),
      bool head_only = false) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    size_t end;
    while ((end = pending_.find("\r\n\r\n")) == std::string::npos) {
      if (!More(deadline)) return std::nullopt;
    }
    RawResponse res;
    std::string head = pending_.substr(0, end);
    pending_.erase(0, end + 4);
    size_t line_end = head.find("\r\n");
    std::string status_line = head.substr(0, line_end);
    if (status_line.size() < 12 || !absl::SimpleAtoi(status_line.substr(9, 3), &res.status)) {
      return std::nullopt;
    }
    if (status_line.size() > 13) res.reason = status_line.substr(13);
    size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
    while (pos < head.size()) {
      size_t next = head.find("\r\n", pos);
      if (next == std::string::npos) next = head.size();
      std::string line = head.substr(pos, next - pos);
      size_t colon = line.find(':');
      if (colon != std::string::npos) {
        res.headers[absl::AsciiStrToLower(line.substr(0, colon))] =
            std::string(absl::StripAsciiWhitespace(line.substr(colon + 1)));
      }
      pos = next + 2;
    }
    if (head_only || res.status == 204 || res.status == 304) return res;
    if (res.headers.count("transfer-encoding")) {
      while (true) {
        size_t crlf;
        while ((crlf = pending_.find("\r\n")) == std::string::npos) {
          if (!More(deadline)) return std::nullopt;
        }
        size_t size = std::stoul(pending_.substr(0, crlf), nullptr, 16);
        while (pending_.size() < crlf + 2 + size + 2) {
          if (!More(deadline)) return std::nullopt;
        }
        res.body.append(pending_, crlf + 2, size);
        pending_.erase(0, crlf + 2 + size + 2);
        if (size == 0) return res;
      }
    }
    size_t length = 0;
    if (res.headers.count("content-length")) {
      (void)absl::SimpleAtoi(res.headers["content-length"], &length);
    }
    while (pending_.size() < length) {
      if (!More(deadline)) return std::nullopt;
    }
    res.body = pending_.substr(0, length);
    pending_.erase(0, length);
    return res;
  }

 private:
  static constexpr int kEof = 0, kError = -1, kNothingYet = -2, kDeadline = -3;

  // Reads what is there, waiting up to 100 ms: the number of bytes read, or one of the
  // k constants.
  int Fill(std::chrono::steady_clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return kDeadline;
    pollfd p{fd_, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 100)));
    if (r <= 0) return kNothingYet;
    char buf[65536];
    ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n <= 0) return n == 0 ? kEof : kError;
    pending_.append(buf, static_cast<size_t>(n));
    return static_cast<int>(n);
  }

  // Waits for more data until `deadline`; false at EOF, on an error or past the deadline.
  bool More(std::chrono::steady_clock::time_point deadline) {
    while (true) {
      int r = Fill(deadline);
      if (r > 0) return true;
      if (r != kNothingYet) return false;
    }
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string pending_;
};

}  // namespace gureum::http::testing
