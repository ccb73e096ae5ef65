#include "block-storage/agent/qmp_client.h"

#include <poll.h>
#include <unistd.h>

#include <cstring>

#include <sys/socket.h>
#include <sys/un.h>

#include "absl/strings/str_cat.h"

namespace gureum::volume_agent {
namespace {

// A connected monitor socket, read line by line against a deadline.
class Monitor {
 public:
  Monitor(const Clock& clock, absl::Time deadline) : clock_(clock), deadline_(deadline) {}
  ~Monitor() {
    if (fd_ >= 0) close(fd_);
  }

  absl::Status Connect(const std::string& path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof(addr.sun_path)) return absl::InternalError("QMP path too long");
    std::memcpy(addr.sun_path, path.c_str(), path.size());
    fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0 || connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      return absl::UnavailableError(absl::StrCat("QMP ", path, ": ", std::strerror(errno)));
    }
    return absl::OkStatus();
  }

  absl::Status Send(const nlohmann::json& message) {
    std::string line = message.dump() + "\n";
    if (write(fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
      return absl::UnavailableError("QMP write failed");
    }
    return absl::OkStatus();
  }

  // The next message that is not an event.
  absl::StatusOr<nlohmann::json> Next() {
    while (true) {
      size_t eol = buffer_.find('\n');
      if (eol != std::string::npos) {
        nlohmann::json j = nlohmann::json::parse(buffer_.substr(0, eol), nullptr, false);
        buffer_.erase(0, eol + 1);
        if (j.is_object() && !j.contains("event")) return j;
        continue;
      }
      absl::Duration left = deadline_ - clock_.Now();
      if (left <= absl::ZeroDuration()) return absl::UnavailableError("QMP timed out");
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1) <= 0) continue;
      char buf[4096];
      ssize_t n = read(fd_, buf, sizeof(buf));
      if (n <= 0) return absl::UnavailableError("QMP connection closed");
      buffer_.append(buf, static_cast<size_t>(n));
    }
  }

 private:
  const Clock& clock_;
  const absl::Time deadline_;
  int fd_ = -1;
  std::string buffer_;
};

absl::StatusOr<nlohmann::json> Result(const nlohmann::json& answer) {
  if (answer.contains("return")) return answer["return"];
  std::string desc = answer.value("/error/desc"_json_pointer, std::string("unknown error"));
  return absl::InternalError(absl::StrCat("QMP: ", desc));
}

}  // namespace

absl::StatusOr<nlohmann::json> QmpCall(const std::string& socket_path, const std::string& command,
                                       const nlohmann::json& arguments, absl::Duration timeout,
                                       const Clock& clock) {
  Monitor monitor(clock, clock.Now() + timeout);
  if (absl::Status s = monitor.Connect(socket_path); !s.ok()) return s;
  absl::StatusOr<nlohmann::json> greeting = monitor.Next();  // {"QMP": ...}
  if (!greeting.ok()) return greeting.status();
  if (absl::Status s = monitor.Send({{"execute", "qmp_capabilities"}}); !s.ok()) return s;
  absl::StatusOr<nlohmann::json> caps = monitor.Next();
  if (!caps.ok()) return caps.status();
  nlohmann::json message = {{"execute", command}};
  if (!arguments.is_null()) message["arguments"] = arguments;
  if (absl::Status s = monitor.Send(message); !s.ok()) return s;
  absl::StatusOr<nlohmann::json> answer = monitor.Next();
  if (!answer.ok()) return answer.status();
  return Result(*answer);
}

}  // namespace gureum::volume_agent
