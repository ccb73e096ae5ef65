#include "network/agent/local_ip.h"

#include <netdb.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <sys/socket.h>

#include "absl/strings/str_cat.h"

namespace gureum::network_agent {

absl::StatusOr<std::string> LocalAddressToward(const std::string& target) {
  std::string host = target, port = "19696";
  if (size_t colon = target.rfind(':'); colon != std::string::npos) {
    host = target.substr(0, colon);
    port = target.substr(colon + 1);
  }
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &res) != 0 || res == nullptr) {
    return absl::NotFoundError(absl::StrCat("cannot resolve ", host));
  }
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  std::string out;
  if (fd >= 0 && connect(fd, res->ai_addr, res->ai_addrlen) == 0) {
    sockaddr_in local{};
    socklen_t len = sizeof(local);
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) == 0) {
      char buf[INET_ADDRSTRLEN] = {};
      inet_ntop(AF_INET, &local.sin_addr, buf, sizeof(buf));
      out = buf;
    }
  }
  if (fd >= 0) close(fd);
  freeaddrinfo(res);
  if (out.empty() || out == "0.0.0.0")
    return absl::NotFoundError(absl::StrCat("no route to ", host));
  return out;
}

}  // namespace gureum::network_agent
