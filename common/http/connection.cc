// One client connection of common/http's server (see server.cc for the whole design):
// waits for a request under the head and body deadlines, routes it, runs its handler on
// the thread that completed it, writes the answer (buffered, or streamed both ways), and
// keeps the connection alive or closes it.
#include <poll.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/http/response_head.h"
#include "common/http/server_internal.h"
#include "common/log/log.h"
#include "common/validate/validate.h"

namespace gureum::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using SteadyClock = std::chrono::steady_clock;

namespace {

// A body the handler did not read is drained up to this size to keep the connection.
constexpr size_t kDrainBytes = 1 << 20;
// Pieces of streamed bodies, both ways.
constexpr size_t kChunkBytes = 64 * 1024;
// How long a thread that has just answered waits for the next request on the same
// connection before handing it back to the event loop (see QuickNextHead).
constexpr std::chrono::microseconds kQuickWait{2000};
// Bytes read while waiting for the next request.
constexpr size_t kReadBytes = 4096;
// After the last response of a connection whose request was not read to its end, the
// rest is read and dropped for at most this long, so closing does not reset the
// connection and lose the response on the client's side.
constexpr std::chrono::milliseconds kLinger{2000};

using Parser = bhttp::request_parser<bhttp::buffer_body>;

Response ErrorResponse(const absl::Status& status, ErrorStyle style) {
  Response res;
  res.error_style = style;
  res.Error(status);
  return res;
}

bool IsParseError(const beast::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
         ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message &&
         ec != bhttp::error::need_buffer && ec != bhttp::error::need_more;
}

}  // namespace

namespace server_internal {

// One client connection. Everything here runs on the connection's strand: completion
// handlers, the handler of its request, and what Stop() posts to it.
class Connection final : public ConnectionHandle, public std::enable_shared_from_this<Connection> {
 public:
  Connection(Server::Impl& server, tcp::socket socket, std::string client, bool metrics_only)
      : server_(server),
        options_(server.options),
        stream_(std::move(socket)),
        client_(std::move(client)),
        metrics_only_(metrics_only),
        buffer_(256 * 1024) {}
  ~Connection() { server_.Release(this, client_); }

  void Start() override {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadNext(); });
  }
  asio::any_io_executor executor() override { return stream_.get_executor(); }

  void CloseIfIdle() override {
    if (state_ == State::kIdle || state_ == State::kHead) Close();
  }

  void Close() override {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

 private:
  enum class State { kIdle, kHead, kBusy };

  // Waits for the next request on a kept-alive connection, up to idle_timeout.
  void ReadNext() {
    state_ = State::kIdle;
    if (server_.stopping || served_ >= options_.max_requests_per_connection) return Close();
    ResetForNextRequest();
    if (buffer_.size() > 0) return ReadHead();  // pipelined: the next head is here already
    if (buffer_.capacity() > kReadBytes) buffer_.shrink_to_fit();  // idle: no body's room
    stream_.expires_after(options_.idle_timeout);
    stream_.async_read_some(buffer_.prepare(kReadBytes),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              if (ec) return self->Close();
                              self->buffer_.commit(n);
                              self->ReadHead();
                            });
  }

  void ResetForNextRequest() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());  // checked by us
    req_ = std::make_unique<Request>();
    route_ = nullptr;
    body_claimed_ = false;
    body_received_ = 0;
    body_waited_ = SteadyClock::duration::zero();
    drained_ = 0;
  }

  // After a response on a kept-alive connection, when the next head is already there
  // or arrives within kQuickWait (a client in a closed loop, a burst of calls), this
  // thread parses it and serves it (true). Otherwise (false) the connection goes back
  // to the event loop, waiting without a thread. On the 2-core machine, going through
  // the event loop for every request cost a third more CPU per request than a thread
  // per connection did, all of it in thread wake-ups. Only a head that is complete in
  // what has arrived is parsed here, so a slow client cannot hold the thread.
  bool QuickNextHead() {
    if (server_.stopping || served_ >= options_.max_requests_per_connection) {
      Close();
      return false;
    }
    if (buffer_.size() == 0) {
      if (!WaitReady(POLLIN, SteadyClock::now() + kQuickWait)) {
        ReadNext();
        return false;
      }
      auto space = buffer_.prepare(kReadBytes);
      ssize_t n =
          ::recv(stream_.socket().native_handle(), space.data(), space.size(), MSG_DONTWAIT);
      if (n <= 0) {
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
          Close();
        } else {
          ReadNext();
        }
        return false;
      }
      buffer_.commit(static_cast<size_t>(n));
    }
    ResetForNextRequest();
    beast::error_code ec;
    buffer_.consume(parser_->put(buffer_.data(), ec));
    if (!ec && parser_->is_header_done()) return true;
    if (!ec || ec == bhttp::error::need_more) {
      ReadHead();  // the rest of the head under the head deadline, without a thread
      return false;
    }
    HeadFailed(ec);
    return false;
  }

  // The whole head must arrive within head_timeout of its first byte.
  void ReadHead() {
    state_ = State::kHead;
    stream_.expires_after(options_.head_timeout);
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHead(ec); });
  }

  void OnHead(beast::error_code ec) {
    if (ec) return HeadFailed(ec);
    Serve();
  }

  // Serves the parsed request, and the next ones as long as QuickNextHead finds them.
  void Serve() {
    serving_ = true;
    do {
      next_ready_ = false;
      stream_.expires_never();
      state_ = State::kBusy;
      ++served_;
      start_ = SteadyClock::now();
      BeginRequest();
    } while (next_ready_);
    serving_ = false;
  }

  void HeadFailed(beast::error_code ec) {
    {
      // A timeout has closed the socket already (tcp_stream does).
      if (ec == bhttp::error::header_limit) {
        keep_alive_ = false;
        return WriteFromIo(ErrorResponse(
            WithHttpStatus(absl::InvalidArgumentError("The request head is too large."), 431),
            options_.error_style));
      }
      if (IsParseError(ec) && ec != bhttp::error::body_limit) {
        keep_alive_ = false;
        return WriteFromIo(ErrorResponse(
            absl::InvalidArgumentError(absl::StrCat("Bad request: ", ec.message(), ".")),
            options_.error_style));
      }
      return Close();
    }
  }

  void BeginRequest() {
    auto& msg = parser_->get();
    Request& req = *req_;
    keep_alive_ = msg.keep_alive();
    http10_ = msg.version() < 11;
    req.method = std::string(msg.method_string());
    absl::string_view target(msg.target().data(), msg.target().size());
    const size_t question = target.find('?');
    req.path = PercentDecode(target.substr(0, question), /*plus_is_space=*/false);
    if (question != absl::string_view::npos) ParseQuery(target.substr(question + 1), req.query);
    const bhttp::fields* fields = &msg.base();
    req.header_lookup = [fields](const std::string& name) {
      auto it = fields->find(name);
      return it == fields->end() ? std::string() : std::string(it->value());
    };
    req.header_exists = [fields](const std::string& name) {
      return fields->find(name) != fields->end();
    };
    req.header_list = [fields] {
      std::vector<std::pair<std::string, std::string>> out;
      for (const auto& field : *fields) {
        out.emplace_back(std::string(field.name_string()), std::string(field.value()));
      }
      return out;
    };
    req.request_id = log::AcceptOrNewRequestId(req.Header(log::kRequestIdHeader));

    if (target.empty() || target.front() != '/') {
      return Reject(absl::InvalidArgumentError("The request target must be a path."));
    }
    // Checked before routing and before the path reaches any message: a path that is
    // not UTF-8 cannot be put in a JSON error body or a log line as it is.
    if (!gureum::IsValidUtf8(req.path)) {
      return Reject(
          absl::InvalidArgumentError("The request path is not valid UTF-8 after decoding."));
    }
    // The same for the query: its values become filters, and PostgreSQL refuses a text
    // parameter that is not UTF-8 (SQLSTATE 22021) deep inside a handler.
    for (const auto& [key, value] : req.query) {
      if (!gureum::IsValidUtf8(key) || !gureum::IsValidUtf8(value)) {
        return Reject(
            absl::InvalidArgumentError("The query string is not valid UTF-8 after decoding."));
      }
    }
    const bool get = req.method == "GET" || req.method == "HEAD";
    if (get && req.path == "/healthz") {
      Response res;
      res.Json(200, {{"status", "ok"}});
      return DrainAndWriteFromIo(std::move(res));
    }
    if (get && req.path == "/metrics" && options_.metrics != nullptr &&
        (metrics_only_ || options_.expose_metrics_on_api)) {
      Response res;
      res.status = 200;
      res.content_type = "text/plain; version=0.0.4";
      res.body = options_.metrics->Serialize();
      return DrainAndWriteFromIo(std::move(res));
    }
    if (metrics_only_) return Reject(absl::NotFoundError("The resource could not be found."));

    Router::Match match = server_.router.Find(req.method, req.path, req.path_params);
    if (match.route == nullptr) {
      if (!match.path_known) return Reject(absl::NotFoundError("The resource could not be found."));
      Response res =
          ErrorResponse(WithHttpStatus(absl::UnimplementedError("Method not allowed."), 405),
                        options_.error_style);
      res.SetHeader("Allow", match.allow);
      return DrainAndWriteFromIo(std::move(res));
    }
    route_ = match.route;
    req.route = route_->pattern;

    const bool has_body = !parser_->is_done();
    const auto declared = parser_->content_length();  // boost::optional
    const size_t limit =
        route_->options.stream_body ? options_.max_stream_bytes : options_.max_body_bytes;
    if (has_body && declared && *declared > limit) {
      keep_alive_ = false;  // the body is not read: the connection cannot be reused
      return WriteFromIo(ErrorResponse(
          absl::ResourceExhaustedError(absl::StrCat("Request is too large: ", *declared,
                                                    " bytes, the limit is ", limit, " bytes.")),
          options_.error_style));
    }
    auto next = [self = shared_from_this(), has_body] {
      if (has_body && !self->route_->options.stream_body) return self->ReadBufferedBody();
      self->Dispatch();
    };
    if (has_body && absl::EqualsIgnoreCase(req.Header("Expect"), "100-continue")) {
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      stream_.expires_after(options_.write_timeout);
      return asio::async_write(stream_, asio::buffer(kContinue),
                               [self = shared_from_this(), next](beast::error_code ec, size_t) {
                                 if (ec) return self->Close();
                                 self->stream_.expires_never();
                                 next();
                               });
    }
    next();
  }

  // An error answered by the server itself, before any handler.
  void Reject(const absl::Status& status) {
    DrainAndWriteFromIo(ErrorResponse(status, options_.error_style));
  }

  // The body's piece buffer, and room in buffer_ for reads of up to kChunkBytes when more
  // than a head's worth is still to come: beast reads as much as buffer_ has room for, and
  // at the head's 4 KiB a 256 MiB upload took 65536 recv calls (and as many writes onward).
  void PrepareBodyBuffers() {
    if (!chunk_) chunk_ = std::make_unique<char[]>(kChunkBytes);
    const auto left = parser_->content_length_remaining();  // none: chunked
    if ((!left || *left > kReadBytes) && buffer_.capacity() < kChunkBytes) {
      buffer_.reserve(kChunkBytes);
    }
  }

  // Reads the next piece of the body into chunk_ (n bytes, 0 possible); at the end of the
  // body parser_->is_done(). The body must keep coming: body_timeout plus what has
  // arrived at body_min_bytes_per_second, counting only the time spent waiting for it
  // (not the handler's time), so a trickle is cut off and a large upload is not.
  template <class Done>
  void ReadPiece(Done done) {
    if (parser_->is_done()) return done(beast::error_code(), 0);
    PrepareBodyBuffers();
    auto& body = parser_->get().body();
    body.data = chunk_.get();
    body.size = kChunkBytes;
    body.more = true;
    const auto budget = BodyBudget();
    if (budget <= SteadyClock::duration::zero()) {
      Close();
      return done(beast::error::timeout, 0);
    }
    stream_.expires_after(budget);
    const auto started = SteadyClock::now();
    bhttp::async_read_some(stream_, buffer_, *parser_,
                           [self = shared_from_this(), done = std::move(done), started](
                               beast::error_code ec, size_t) mutable {
                             self->stream_.expires_never();
                             self->body_waited_ += SteadyClock::now() - started;
                             if (ec == bhttp::error::need_buffer) ec = {};
                             const size_t n = kChunkBytes - self->parser_->get().body().size;
                             self->body_received_ += n;
                             done(ec, n);
                           });
  }

  // The time the body may still take: body_timeout plus what has arrived at
  // body_min_bytes_per_second, less the time already spent waiting for it.
  SteadyClock::duration BodyBudget() const {
    const auto allowance =
        std::chrono::duration_cast<SteadyClock::duration>(options_.body_timeout) +
        std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(
            static_cast<double>(body_received_) /
            static_cast<double>(std::max<size_t>(1, options_.body_min_bytes_per_second))));
    return allowance - body_waited_;
  }

  // Buffered routes: the whole body is read before the handler runs; a body cut short
  // (the client closed its side, or stopped sending) never reaches the handler.
  void ReadBufferedBody() {
    ReadPiece([self = shared_from_this()](beast::error_code ec, size_t n) {
      if (ec) return self->BodyFailed(ec);
      Request& req = *self->req_;
      if (req.body_.size() + n > self->options_.max_body_bytes) {
        self->keep_alive_ = false;
        return self->WriteFromIo(ErrorResponse(
            absl::ResourceExhaustedError(absl::StrCat("Request is too large: the limit is ",
                                                      self->options_.max_body_bytes, " bytes.")),
            self->options_.error_style));
      }
      req.body_.append(self->chunk_.get(), n);
      if (self->parser_->is_done()) return self->Dispatch();
      self->ReadBufferedBody();
    });
  }

  void BodyFailed(beast::error_code ec) {
    spdlog::info("{} {}: request body not received in full ({}), not handled", req_->method,
                 req_->path, ec.message());
    if (ec == bhttp::error::partial_message || IsParseError(ec)) {
      // The client half-closed (or sent a broken chunk); it may still read an answer.
      keep_alive_ = false;
      return WriteFromIo(ErrorResponse(
          absl::InvalidArgumentError(ec == bhttp::error::partial_message
                                         ? "The request body is shorter than its Content-Length."
                                         : "The request body is malformed."),
          options_.error_style));
    }
    Close();  // timed out (closed already) or a broken connection
  }

  // The handler runs on the thread that finished reading the request: a pool thread,
  // which it holds only while it runs.
  void Dispatch() {
    if (serving_) return RunHandler();
    // After an asynchronous body read: serve from here on as Serve() would.
    serving_ = true;
    RunHandler();
    serving_ = false;
    if (next_ready_) Serve();
  }

  void RunHandler() {
    Request& req = *req_;
    log::ScopedRequestId scoped(req.request_id);
    Response res;
    res.error_style = options_.error_style;
    if (route_->options.stream_body) {
      req.body_stream = [this](const BodyReader& reader) { return StreamBody(reader); };
    }
    try {
      route_->handler(req, res);
    } catch (const std::exception& e) {
      spdlog::error("unhandled exception in {} {}: {}", req.method, req.path, e.what());
      res = ErrorResponse(absl::InternalError("The server has either erred or is incapable of "
                                              "performing the requested operation."),
                          options_.error_style);
    } catch (...) {
      spdlog::error("unhandled exception in {} {}", req.method, req.path);
      res = ErrorResponse(absl::InternalError("The server has either erred or is incapable of "
                                              "performing the requested operation."),
                          options_.error_style);
    }
    if (route_->options.stream_body && !parser_->is_done()) {
      if (body_claimed_) {
        keep_alive_ = false;  // the handler stopped in the middle of the body
      } else {
        // The handler answered without reading the body (an error before any data, such
        // as a 409). Left on the connection, the body would be parsed as the next
        // request; a small body is read and dropped, past kDrainBytes we close.
        size_t n = 0;
        while (!parser_->is_done() && drained_ <= kDrainBytes && !ReadPieceNow(n)) drained_ += n;
        if (!parser_->is_done()) keep_alive_ = false;
      }
    }
    const double seconds = std::chrono::duration<double>(SteadyClock::now() - start_).count();
    if (options_.metrics != nullptr) {
      options_.metrics->RecordHttp(req.method, route_->pattern, res.status, seconds);
    }
    spdlog::debug("{} {} -> {} ({:.1f} ms)", req.method, req.path, res.status, seconds * 1000);
    if (res.stream_source && req.method != "HEAD") return StreamResponse(res);
    const bool keep = KeepAlive(res);
    const bool has_content = !res.body.empty() || static_cast<bool>(res.stream_source);
    long long length =
        res.stream_source ? res.stream_length : static_cast<long long>(res.body.size());
    if (length < 0 && http10_) length = kUntilClose;
    Send(ResponseHead(res, req.request_id, length, has_content, keep, http10_),
         req.method == "HEAD" ? std::string() : std::move(res.body), keep);
  }

  bool KeepAlive(const Response& res) const {
    return keep_alive_ && !server_.stopping && !WantsClose(res) &&
           served_ < options_.max_requests_per_connection;
  }

  // ---- blocking I/O with deadlines, on the handler's thread ----
  // While a handler runs the connection is its own (no other operation is pending on
  // it), so streamed bodies are read and written directly on the socket, each wait
  // bounded by poll().

  // Waits until the socket is ready for `events` or `deadline` passes.
  bool WaitReady(short events, SteadyClock::time_point deadline) {
    while (true) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - SteadyClock::now());
      if (left.count() <= 0) return false;
      pollfd p{stream_.socket().native_handle(), events, 0};
      int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
      if (r > 0) return true;
      if (r < 0 && errno != EINTR) return false;
    }
  }

  // A SyncReadStream for Beast's parser over the socket, with the body's deadline.
  struct DeadlineReader {
    Connection* c;
    SteadyClock::time_point deadline;
    template <class Buffers>
    size_t read_some(const Buffers& buffers, beast::error_code& ec) {
      asio::mutable_buffer b = *asio::buffer_sequence_begin(buffers);
      while (true) {
        ssize_t n = ::recv(c->stream_.socket().native_handle(), b.data(), b.size(), MSG_DONTWAIT);
        if (n > 0) return static_cast<size_t>(n);
        if (n == 0) {
          ec = asio::error::eof;
          return 0;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
          ec = beast::error_code(errno, boost::system::system_category());
          return 0;
        }
        if (!c->WaitReady(POLLIN, deadline)) {
          ec = beast::error::timeout;
          return 0;
        }
      }
    }
    template <class Buffers>
    size_t read_some(const Buffers& buffers) {
      beast::error_code ec;
      size_t n = read_some(buffers, ec);
      if (ec) throw boost::system::system_error(ec);
      return n;
    }
  };

  // The blocking twin of ReadPiece: the next piece of the body into chunk_ (n bytes);
  // true on an error, after which the connection is closed.
  bool ReadPieceNow(size_t& n) {
    n = 0;
    if (parser_->is_done()) return false;
    PrepareBodyBuffers();
    auto& body = parser_->get().body();
    body.data = chunk_.get();
    body.size = kChunkBytes;
    body.more = true;
    const auto started = SteadyClock::now();
    DeadlineReader reader{this, started + BodyBudget()};
    beast::error_code ec;
    bhttp::read_some(reader, buffer_, *parser_, ec);
    body_waited_ += SteadyClock::now() - started;
    if (ec == bhttp::error::need_buffer) ec = {};
    n = kChunkBytes - parser_->get().body().size;
    body_received_ += n;
    if (ec) {
      keep_alive_ = false;
      Close();
      return true;
    }
    return false;
  }

  absl::Status StreamBody(const BodyReader& reader) {
    body_claimed_ = true;
    while (!parser_->is_done()) {
      size_t n = 0;
      if (ReadPieceNow(n)) return absl::DataLossError("The request body was cut short.");
      if (body_received_ > options_.max_stream_bytes) {
        keep_alive_ = false;
        return absl::ResourceExhaustedError("Request body is too large.");
      }
      if (n > 0 && !reader(chunk_.get(), n)) {
        keep_alive_ = false;
        return absl::AbortedError("reading the request body was stopped");
      }
    }
    return absl::OkStatus();
  }

  // Writes all of `parts`, each wait for room bounded by write_timeout; false on failure.
  bool WriteNow(std::initializer_list<asio::const_buffer> parts) {
    std::vector<iovec> iov;
    for (const auto& b : parts) {
      if (b.size() > 0) iov.push_back({const_cast<void*>(b.data()), b.size()});
    }
    size_t i = 0;
    while (i < iov.size()) {
      msghdr msg{};
      msg.msg_iov = &iov[i];
      msg.msg_iovlen = iov.size() - i;
      ssize_t n = ::sendmsg(stream_.socket().native_handle(), &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        if ((errno != EAGAIN && errno != EWOULDBLOCK) ||
            !WaitReady(POLLOUT, SteadyClock::now() + options_.write_timeout)) {
          return false;
        }
        continue;
      }
      size_t left = static_cast<size_t>(n);
      while (i < iov.size() && left >= iov[i].iov_len) left -= iov[i++].iov_len;
      if (i < iov.size()) {
        iov[i].iov_base = static_cast<char*>(iov[i].iov_base) + left;
        iov[i].iov_len -= left;
      }
    }
    return true;
  }

  // Streams a response from its BodySource, one piece at a time, each written before
  // the next is produced (constant memory, and a slow reader slows the source).
  void StreamResponse(Response& res) {
    // HTTP/1.0 has no chunked encoding: a stream of unknown length ends with the connection.
    const bool until_close = res.stream_length < 0 && http10_;
    const bool chunked = res.stream_length < 0 && !http10_;
    const bool keep = KeepAlive(res) && !until_close;
    const std::string head = ResponseHead(
        res, req_->request_id, until_close ? kUntilClose : res.stream_length, true, keep, http10_);
    bool ok = WriteNow({asio::buffer(head)});
    std::vector<char> buf(kChunkBytes);
    long long sent = 0;
    while (ok) {
      absl::StatusOr<size_t> n = absl::InternalError("no data");
      try {
        n = res.stream_source(buf.data(), buf.size());
      } catch (const std::exception& e) {
        spdlog::error("streaming {} failed: {}", req_->path, e.what());
      }
      if (!n.ok()) {
        ok = false;  // the client sees the body cut short
        break;
      }
      if (*n == 0) {
        if (chunked) ok = WriteNow({asio::buffer("0\r\n\r\n", 5)});
        break;
      }
      sent += static_cast<long long>(*n);
      if (chunked) {
        const std::string size_line = absl::StrCat(absl::Hex(*n), "\r\n");
        ok = WriteNow(
            {asio::buffer(size_line), asio::buffer(buf.data(), *n), asio::buffer("\r\n", 2)});
      } else {
        ok = WriteNow({asio::buffer(buf.data(), *n)});
      }
    }
    if (!chunked && !until_close && sent != res.stream_length) ok = false;
    if (!ok) return Close();
    Finish(keep);
  }

  // ---- asynchronous again ----

  // Reads and drops what is left of the body (up to kDrainBytes), then calls next().
  template <class Next>
  void Drain(Next next) {
    if (parser_->is_done()) return next();
    // A body declared larger than what is drained is not waited for (a 404 or 405 to a
    // POST of 10^12 bytes is answered at once); the connection closes after the answer.
    if (const auto declared = parser_->content_length(); declared && *declared > kDrainBytes) {
      keep_alive_ = false;
      return next();
    }
    if (drained_ > kDrainBytes) {
      keep_alive_ = false;
      return next();
    }
    ReadPiece([self = shared_from_this(), next = std::move(next)](beast::error_code ec,
                                                                  size_t n) mutable {
      if (ec) {
        self->keep_alive_ = false;
        return next();
      }
      self->drained_ += n;
      self->Drain(std::move(next));
    });
  }

  void DrainAndWriteFromIo(Response res) {
    Drain([self = shared_from_this(), res = std::move(res)]() mutable {
      self->WriteFromIo(std::move(res));
    });
  }

  void WriteFromIo(Response res) {
    const bool keep = KeepAlive(res);
    std::string head = ResponseHead(res, req_->request_id, static_cast<long long>(res.body.size()),
                                    !res.body.empty(), keep, http10_);
    Send(std::move(head), req_->method == "HEAD" ? std::string() : std::move(res.body), keep);
  }

  // Sends a response: what the socket takes at once is written here (almost always all
  // of it), the rest asynchronously, so a client that does not read holds no thread.
  void Send(std::string head, std::string body, bool keep) {
    iovec iov[2] = {{head.data(), head.size()}, {body.data(), body.size()}};
    msghdr msg{};
    msg.msg_iov = iov;
    msg.msg_iovlen = body.empty() ? 1 : 2;
    ssize_t n = ::sendmsg(stream_.socket().native_handle(), &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return Close();
    size_t sent = n < 0 ? 0 : static_cast<size_t>(n);
    if (sent == head.size() + body.size()) return Finish(keep);
    auto rest = std::make_shared<std::string>();
    if (sent < head.size()) {
      *rest = head.substr(sent) + body;
    } else {
      *rest = body.substr(sent - head.size());
    }
    stream_.expires_after(options_.write_timeout);
    asio::async_write(stream_, asio::buffer(*rest),
                      [self = shared_from_this(), rest, keep](beast::error_code ec, size_t) {
                        if (ec) return self->Close();
                        self->stream_.expires_never();
                        self->Finish(keep);
                      });
  }

  void Finish(bool keep) {
    if (keep) {
      // Inside Serve (the response went out at once): look for the next request here.
      if (serving_) {
        next_ready_ = QuickNextHead();
        return;
      }
      return ReadNext();
    }
    state_ = State::kBusy;
    if (!stream_.socket().is_open()) return;
    if (parser_ && parser_->is_done() && buffer_.size() == 0) return Close();
    // What the client still sends (an unread body) is read and dropped for a moment,
    // so our close does not reset the connection before the client has read the answer.
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    buffer_.consume(buffer_.size());
    stream_.expires_after(kLinger);
    Linger();
  }

  void Linger() {
    stream_.async_read_some(buffer_.prepare(kReadBytes),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->lingered_ += n;
                              if (ec || self->lingered_ > kDrainBytes) return self->Close();
                              self->Linger();
                            });
  }

  Server::Impl& server_;
  const ServerOptions& options_;
  beast::tcp_stream stream_;
  const std::string client_;
  const bool metrics_only_;
  beast::flat_buffer buffer_;
  std::optional<Parser> parser_;
  std::unique_ptr<Request> req_;
  const RouteEntry* route_ = nullptr;
  std::unique_ptr<char[]> chunk_;
  State state_ = State::kIdle;
  bool keep_alive_ = true;
  bool http10_ = false;
  bool body_claimed_ = false;
  bool serving_ = false;     // Serve() is on the stack
  bool next_ready_ = false;  // QuickNextHead parsed the next head
  int served_ = 0;
  size_t body_received_ = 0;
  size_t drained_ = 0;
  size_t lingered_ = 0;
  SteadyClock::duration body_waited_{};
  SteadyClock::time_point start_;
};

std::shared_ptr<ConnectionHandle> NewConnection(Server::Impl& server, tcp::socket socket,
                                                std::string client, bool metrics_only) {
  return std::make_shared<Connection>(server, std::move(socket), std::move(client), metrics_only);
}

}  // namespace server_internal

}  // namespace gureum::http
