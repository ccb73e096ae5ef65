#include "common/log/log.h"

#include <cstring>
#include <memory>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/ids.h"
#include "common/validate/validate.h"

namespace gureum::log {
namespace {

thread_local std::string current_request_id = "-";

// %* in the pattern: the current thread's request id.
class RequestIdFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    dest.append(current_request_id.data(), current_request_id.data() + current_request_id.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<RequestIdFlag>();
  }
};

// %k in the pattern: the level in capitals (INFO, WARN, ...), as operators grep for it.
class LevelFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    static constexpr const char* kNames[] = {"TRACE", "DEBUG",    "INFO", "WARN",
                                             "ERROR", "CRITICAL", "OFF"};
    const char* name = kNames[static_cast<int>(msg.level)];
    dest.append(name, name + std::strlen(name));
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<LevelFlag>();
  }
};

// Calls out(piece, escaped) for each run of bytes kept as they are and each byte to
// escape; returns whether any byte needed escaping.
template <class Out>
bool ScanForLog(absl::string_view text, Out out) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  const auto* run = p;
  bool escaped = false;
  while (p < end) {
    if (*p >= 0x20 && *p < 0x7F) {
      ++p;
      continue;
    }
    size_t n =
        *p >= 0x80
            ? Utf8SequenceLength(absl::string_view(reinterpret_cast<const char*>(p), end - p))
            : 0;
    if (n > 0) {
      p += n;
      continue;
    }
    out(absl::string_view(reinterpret_cast<const char*>(run), p - run), false);
    out(absl::string_view(reinterpret_cast<const char*>(p), 1), true);
    escaped = true;
    run = ++p;
  }
  if (escaped) out(absl::string_view(reinterpret_cast<const char*>(run), end - run), false);
  return escaped;
}

// Wraps the pattern formatter: the message payload goes through EscapeForLog first.
class EscapingFormatter final : public spdlog::formatter {
 public:
  explicit EscapingFormatter(std::unique_ptr<spdlog::formatter> inner) : inner_(std::move(inner)) {}
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    absl::string_view payload(msg.payload.data(), msg.payload.size());
    if (!ScanForLog(payload, [](absl::string_view, bool) {})) return inner_->format(msg, dest);
    std::string escaped = EscapeForLog(payload);
    spdlog::details::log_msg copy = msg;
    copy.payload = spdlog::string_view_t(escaped.data(), escaped.size());
    inner_->format(copy, dest);
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<EscapingFormatter>(inner_->clone());
  }

 private:
  std::unique_ptr<spdlog::formatter> inner_;
};

}  // namespace

std::string EscapeForLog(absl::string_view text) {
  std::string out;
  bool escaped = ScanForLog(text, [&out](absl::string_view piece, bool escape) {
    if (!escape) {
      out.append(piece.data(), piece.size());
      return;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    const auto c = static_cast<unsigned char>(piece[0]);
    out += "\\x";
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  });
  return escaped ? out : std::string(text);
}

absl::Status Init(const Options& options) {
  spdlog::level::level_enum level = spdlog::level::from_str(options.level);
  if (level == spdlog::level::off && options.level != "off") {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown log level '", options.level,
                     "' (use trace, debug, info, warn, error, critical or off)"));
  }
  std::shared_ptr<spdlog::logger> logger;
  try {
    if (options.file.empty()) {
      logger = std::make_shared<spdlog::logger>(options.service,
                                                std::make_shared<spdlog::sinks::stderr_sink_mt>());
    } else {
      logger = std::make_shared<spdlog::logger>(
          options.service,
          std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.file, /*truncate=*/false));
    }
  } catch (const spdlog::spdlog_ex& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot open log file '", options.file, "': ", e.what()));
  }
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc,
                                                               std::string("\n"));
  formatter->add_flag<RequestIdFlag>('*');
  formatter->add_flag<LevelFlag>('k').set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %k %n %* %v");
  logger->set_formatter(std::make_unique<EscapingFormatter>(std::move(formatter)));
  logger->set_level(level);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
  spdlog::flush_every(std::chrono::seconds(1));
  return absl::OkStatus();
}

const std::string& CurrentRequestId() { return current_request_id; }

ScopedRequestId::ScopedRequestId(std::string request_id)
    : previous_(std::move(current_request_id)) {
  current_request_id = std::move(request_id);
}

ScopedRequestId::~ScopedRequestId() { current_request_id = std::move(previous_); }

std::string AcceptOrNewRequestId(absl::string_view from_peer) {
  if (absl::StartsWith(from_peer, "req-") && IsUuid(std::string(from_peer.substr(4)))) {
    return std::string(from_peer);
  }
  return NewRequestId();
}

std::string Redact(absl::string_view secret) { return secret.empty() ? "" : "***"; }

}  // namespace gureum::log
