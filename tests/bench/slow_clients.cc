#include "tests/bench/slow_clients.h"

#include <poll.h>
#include <unistd.h>

#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "absl/strings/str_cat.h"

namespace gureum::bench {
namespace {

// A request head that never ends: the header line repeats forever.
constexpr char kHead[] = "GET /v3/auth/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";

int Connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// True if the server is done with `fd`: readable means EOF, an error, or an answer to a
// head that never ended, each the end of this connection for a slow client.
bool ClosedByPeer(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0;
}

}  // namespace

SlowClients::SlowClients(Options options) : options_(options) {
  if (options_.connections > 0) thread_ = std::thread([this] { Run(); });
}

SlowClients::~SlowClients() { Stop(); }

void SlowClients::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

std::string SlowClients::Summary() const {
  return absl::StrCat(options_.connections, " slow connections (one head byte every ",
                      options_.byte_interval.count(), " ms): ", open_.load(), " open at the end, ",
                      closed_by_server_.load(), " closed by the server and reopened, ",
                      refused_.load(), " connects failed");
}

void SlowClients::Run() {
  const auto deadline = std::chrono::steady_clock::now() + options_.max_duration;
  struct Slow {
    int fd = -1;
    size_t sent = 0;
  };
  std::vector<Slow> slow(options_.connections);
  while (!stop_ && std::chrono::steady_clock::now() < deadline) {
    int open = 0;
    for (Slow& s : slow) {
      if (s.fd >= 0 && ClosedByPeer(s.fd)) {
        ::close(s.fd);
        s.fd = -1;
        ++closed_by_server_;
      }
      if (s.fd < 0) {
        s.fd = Connect(options_.port);
        s.sent = 0;
        if (s.fd < 0) {
          ++refused_;
          continue;
        }
      }
      // One more byte of the head; past the fixed part, header value bytes forever.
      char c = s.sent < sizeof(kHead) - 1 ? kHead[s.sent] : 'x';
      if (::send(s.fd, &c, 1, MSG_NOSIGNAL | MSG_DONTWAIT) == 1) ++s.sent;
      ++open;
    }
    open_ = open;
    // Sleep in small steps so Stop() is quick.
    const auto wake = std::chrono::steady_clock::now() + options_.byte_interval;
    while (!stop_ && std::chrono::steady_clock::now() < wake) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  for (Slow& s : slow) {
    if (s.fd >= 0) ::close(s.fd);
  }
}

}  // namespace gureum::bench
