#include "common/db/pool.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/db/pg_session.h"
#include "common/db/pq_error.h"
#include "common/db/uri.h"

#include "spdlog/spdlog.h"

namespace gureum::db {

using internal::AttemptResult;
using internal::PgSession;

absl::StatusOr<std::unique_ptr<ConnectionPool>> ConnectionPool::Create(const std::string& uri,
                                                                       int size) {
  PoolOptions options;
  options.size = size;
  return Create(uri, options);
}

absl::StatusOr<std::unique_ptr<ConnectionPool>> ConnectionPool::Create(const std::string& uri,
                                                                       const PoolOptions& options) {
  if (options.size < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("connection pool size must be at least 1, got ", options.size));
  }
  // Connect eagerly: a wrong URI or an unreachable server shows at startup, not on the
  // first request.
  std::vector<std::unique_ptr<PgSession>> sessions;
  for (int i = 0; i < options.size; ++i) {
    absl::StatusOr<std::unique_ptr<PgSession>> session = PgSession::Open(uri);
    if (!session.ok()) return session.status();
    sessions.push_back(*std::move(session));
  }
  return std::unique_ptr<ConnectionPool>(new ConnectionPool(uri, options, std::move(sessions)));
}

ConnectionPool::ConnectionPool(std::string uri, PoolOptions options,
                               std::vector<std::unique_ptr<PgSession>> sessions)
    : uri_(std::move(uri)),
      redacted_uri_(RedactUri(uri_)),
      options_(options),
      idle_(std::move(sessions)),
      connections_opened_(options.size) {}

ConnectionPool::~ConnectionPool() = default;

absl::StatusOr<std::unique_ptr<PgSession>> ConnectionPool::Acquire() {
  std::unique_ptr<PgSession> session;
  {
    absl::MutexLock lock(&mu_);
    auto has_idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !idle_.empty(); };
    if (!mu_.AwaitWithTimeout(absl::Condition(&has_idle), options_.acquire_timeout)) {
      return absl::DeadlineExceededError(
          absl::StrCat("all ", options_.size, " connections to ", redacted_uri_,
                       " stayed busy for ", absl::FormatDuration(options_.acquire_timeout)));
    }
    session = std::move(idle_.back());
    idle_.pop_back();
  }
  if (session != nullptr && !session->broken()) return session;
  // Reopen outside the lock: connecting takes a network round trip or more.
  absl::StatusOr<std::unique_ptr<PgSession>> fresh = PgSession::Open(uri_);
  absl::MutexLock lock(&mu_);
  if (!fresh.ok()) {
    idle_.push_back(nullptr);  // keep the slot; the next lease tries again
    return fresh.status();
  }
  ++connections_opened_;
  return fresh;
}

void ConnectionPool::Release(std::unique_ptr<PgSession> session) {
  absl::MutexLock lock(&mu_);
  if (session->broken()) {
    ++broken_connections_;
    spdlog::warn("dropping broken database connection to {}", redacted_uri_);
    session = nullptr;
  }
  idle_.push_back(std::move(session));
}

absl::Duration ConnectionPool::Backoff(const TxOptions& options, int retry) {
  absl::Duration cap = options.initial_backoff;
  for (int i = 1; i < retry && cap < options.max_backoff; ++i) cap *= 2;
  cap = std::min(cap, options.max_backoff);
  absl::MutexLock lock(&mu_);
  ++retries_;
  // Full jitter: transactions that collided once should not collide again in step.
  return absl::Nanoseconds(
      absl::Uniform<int64_t>(absl::IntervalClosed, bitgen_, 0, absl::ToInt64Nanoseconds(cap)));
}

absl::Status ConnectionPool::Transact(const TxOptions& options, const TxFn& fn) {
  const int attempts = std::max(1, options.max_attempts);
  absl::Status last;
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    if (attempt > 1) absl::SleepFor(Backoff(options, attempt - 1));
    absl::StatusOr<std::unique_ptr<PgSession>> session = Acquire();
    if (!session.ok()) return session.status();
    AttemptResult result = (*session)->RunTransaction(options, fn);
    Release(*std::move(session));
    if (result.status.ok() || !result.retryable) return result.status;
    last = result.status;
    spdlog::debug("transaction attempt {} of {} failed, retrying: {}", attempt, attempts,
                  internal::Detail(last));
  }
  absl::Status gave_up(last.code(),
                       absl::StrCat("gave up after ", attempts, " attempts: ", last.message()));
  return internal::WithDetail(gave_up, internal::Detail(last));
}

absl::Status ConnectionPool::ReadOnly(const TxFn& fn) {
  TxOptions options;
  options.read_only = true;
  return Transact(options, fn);
}

absl::Status ConnectionPool::ExecOutsideTransaction(const std::string& sql) {
  absl::StatusOr<std::unique_ptr<PgSession>> session = Acquire();
  if (!session.ok()) return session.status();
  AttemptResult result = (*session)->ExecOutsideTransaction(sql);
  Release(*std::move(session));
  return result.status;
}

PoolStats ConnectionPool::Stats() const {
  absl::MutexLock lock(&mu_);
  PoolStats stats;
  stats.size = options_.size;
  stats.idle = static_cast<int>(idle_.size());
  stats.connections_opened = connections_opened_;
  stats.broken_connections = broken_connections_;
  stats.retries = retries_;
  return stats;
}

}  // namespace gureum::db
