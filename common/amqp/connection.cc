// The rabbitmq-c adapter: the only file that includes it. Everything it returns is in
// our words (absl::Status, Message, Confirm, Delivery).
#include "common/amqp/connection.h"

#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>

#include <cstdlib>
#include <utility>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/log/log.h"

namespace gureum::amqp {

std::string ConnectionOptions::ToString() const {
  return absl::StrCat("amqp://", user, ":", log::Redact(password), "@", host, ":", port, "/",
                      vhost == "/" ? "%2f" : vhost);
}

absl::StatusOr<ConnectionOptions> ParseUrl(absl::string_view url) {
  // amqp_parse_url decodes in place and points into its buffer, so it gets a copy.
  std::string buffer(url);
  amqp_connection_info info;
  amqp_default_connection_info(&info);
  if (amqp_parse_url(buffer.data(), &info) != AMQP_STATUS_OK) {
    return absl::InvalidArgumentError("AMQP URL must look like amqp://user:pass@host:port/vhost");
  }
  if (info.ssl) return absl::InvalidArgumentError("amqps:// (TLS) is not supported yet");
  ConnectionOptions options;
  options.host = info.host;
  options.port = info.port;
  options.user = info.user;
  options.password = info.password;
  options.vhost = info.vhost;
  return options;
}

namespace internal {
namespace {

amqp_bytes_t Bytes(const std::string& s) { return {s.size(), const_cast<char*>(s.data())}; }
std::string String(amqp_bytes_t b) { return std::string(static_cast<const char*>(b.bytes), b.len); }
timeval ToTv(absl::Duration d) { return absl::ToTimeval(d); }

// The status a broker close (channel.close or connection.close) means for us.
absl::Status FromReplyCode(int code, const std::string& text) {
  std::string message = absl::StrCat("RabbitMQ: ", code, " ", text);
  switch (code) {
    case 403:
      return absl::PermissionDeniedError(message);
    case 404:
      return absl::NotFoundError(message);
    case 405:
    case 406:
      return absl::FailedPreconditionError(message);
    default:
      return absl::UnavailableError(message);
  }
}

// A close method frame or RPC reply payload as a status.
absl::Status FromCloseMethod(amqp_method_number_t id, void* decoded) {
  if (id == AMQP_CHANNEL_CLOSE_METHOD) {
    auto* m = static_cast<amqp_channel_close_t*>(decoded);
    return FromReplyCode(m->reply_code, String(m->reply_text));
  }
  if (id == AMQP_CONNECTION_CLOSE_METHOD) {
    auto* m = static_cast<amqp_connection_close_t*>(decoded);
    return FromReplyCode(m->reply_code, String(m->reply_text));
  }
  return absl::InternalError(absl::StrCat("RabbitMQ: unexpected method ", id));
}

amqp_table_entry_t StringEntry(const std::string& key, const std::string& value) {
  amqp_table_entry_t e;
  e.key = Bytes(key);
  e.value.kind = AMQP_FIELD_KIND_UTF8;
  e.value.value.bytes = Bytes(value);
  return e;
}

// Classic queue format v2 (RabbitMQ 3.10+): stores persistent messages with less work.
amqp_table_entry_t VersionEntry(const std::string& key) {
  amqp_table_entry_t e;
  e.key = Bytes(key);
  e.value.kind = AMQP_FIELD_KIND_I32;
  e.value.value.i32 = 2;
  return e;
}

void ReadHeaders(const amqp_table_t& table, Message* m) {
  for (int i = 0; i < table.num_entries; ++i) {
    const amqp_table_entry_t& e = table.entries[i];
    std::string key = String(e.key);
    std::string value;
    switch (e.value.kind) {
      case AMQP_FIELD_KIND_UTF8:
      case AMQP_FIELD_KIND_BYTES:
        value = String(e.value.value.bytes);
        break;
      case AMQP_FIELD_KIND_I32:
        value = std::to_string(e.value.value.i32);
        break;
      case AMQP_FIELD_KIND_I64:
        value = std::to_string(e.value.value.i64);
        break;
      default:
        continue;  // not ours; nothing Gureum sends
    }
    if (key == log::kRequestIdKey) {
      m->request_id = value;
    } else if (key == kAttemptHeader) {
      if (!absl::SimpleAtoi(value, &m->attempt) || m->attempt < 1) m->attempt = 1;
    } else {
      m->headers[key] = value;
    }
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(const ConnectionOptions& o) {
  std::unique_ptr<Connection> c(new Connection(amqp_new_connection()));
  c->healthy_ = false;  // until logged in: no graceful close in the destructor
  amqp_socket_t* socket = amqp_tcp_socket_new(c->conn_);
  if (socket == nullptr) return absl::InternalError("amqp_tcp_socket_new failed");
  timeval tv = ToTv(o.connect_timeout);
  int rc = amqp_socket_open_noblock(socket, o.host.c_str(), o.port, &tv);
  if (rc != AMQP_STATUS_OK) {
    return absl::UnavailableError(absl::StrCat("cannot connect to RabbitMQ at ", o.host, ":",
                                               o.port, ": ", amqp_error_string2(rc)));
  }
  amqp_set_handshake_timeout(c->conn_, &tv);
  amqp_set_rpc_timeout(c->conn_, &tv);
  int heartbeat = static_cast<int>(absl::ToInt64Seconds(o.heartbeat));
  amqp_rpc_reply_t reply = amqp_login(c->conn_, o.vhost.c_str(), 0, 131072, heartbeat,
                                      AMQP_SASL_METHOD_PLAIN, o.user.c_str(), o.password.c_str());
  c->healthy_ = true;
  if (reply.reply_type != AMQP_RESPONSE_NORMAL) {
    c->healthy_ = false;
    if (reply.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION) {
      return FromCloseMethod(reply.reply.id, reply.reply.decoded);
    }
    return absl::UnavailableError(absl::StrCat(
        "RabbitMQ login as ", o.user, " failed: ", amqp_error_string2(reply.library_error)));
  }
  amqp_channel_open(c->conn_, 1);
  absl::Status opened = c->CheckReply("channel.open");
  if (!opened.ok()) return opened;
  return c;
}

Connection::~Connection() {
  if (healthy_) {
    // Graceful close: the broker requeues what this channel held unacked at once.
    amqp_channel_close(conn_, 1, AMQP_REPLY_SUCCESS);
    amqp_connection_close(conn_, AMQP_REPLY_SUCCESS);
  }
  amqp_destroy_connection(conn_);
}

absl::Status Connection::Fail(absl::Status status) {
  healthy_ = false;
  return status;
}

absl::Status Connection::CheckReply(const char* what) {
  amqp_rpc_reply_t reply = amqp_get_rpc_reply(conn_);
  switch (reply.reply_type) {
    case AMQP_RESPONSE_NORMAL:
      return absl::OkStatus();
    case AMQP_RESPONSE_SERVER_EXCEPTION:
      return Fail(FromCloseMethod(reply.reply.id, reply.reply.decoded));
    default:
      return Fail(absl::UnavailableError(
          absl::StrCat("RabbitMQ ", what, ": ", amqp_error_string2(reply.library_error))));
  }
}

absl::Status Connection::EnableConfirms() {
  amqp_confirm_select(conn_, 1);
  return CheckReply("confirm.select");
}

absl::Status Connection::DeclareWorkQueue(const std::string& queue) {
  if (absl::EndsWith(queue, kDeadSuffix)) {
    const std::string version_key = "x-queue-version";
    amqp_table_entry_t plain[] = {VersionEntry(version_key)};
    amqp_queue_declare(conn_, 1, Bytes(queue), 0, 1, 0, 0, amqp_table_t{1, plain});
    return CheckReply("queue.declare");
  }
  const std::string dead = queue + kDeadSuffix;
  absl::Status s = DeclareWorkQueue(dead);
  if (!s.ok()) return s;
  const std::string dlx_key = "x-dead-letter-exchange", dlrk_key = "x-dead-letter-routing-key";
  const std::string default_exchange;
  const std::string version_key = "x-queue-version";
  amqp_table_entry_t args[] = {StringEntry(dlx_key, default_exchange), StringEntry(dlrk_key, dead),
                               VersionEntry(version_key)};
  amqp_queue_declare(conn_, 1, Bytes(queue), 0, 1, 0, 0, amqp_table_t{3, args});
  return CheckReply("queue.declare");
}

absl::Status Connection::DeclareExchange(const std::string& exchange, ExchangeType type) {
  const char* kind = type == ExchangeType::kFanout  ? "fanout"
                     : type == ExchangeType::kTopic ? "topic"
                                                    : "direct";
  amqp_exchange_declare(conn_, 1, Bytes(exchange), amqp_cstring_bytes(kind), 0, 1, 0, 0,
                        amqp_empty_table);
  return CheckReply("exchange.declare");
}

absl::StatusOr<std::string> Connection::DeclareBoundQueue(const ConsumerOptions& o) {
  absl::Status s = DeclareExchange(o.exchange, o.exchange_type);
  if (!s.ok()) return s;
  std::string queue = o.queue;
  if (queue.empty()) {
    amqp_queue_declare_ok_t* ok =
        amqp_queue_declare(conn_, 1, amqp_empty_bytes, 0, 0, 1, 1, amqp_empty_table);
    s = CheckReply("queue.declare");
    if (!s.ok()) return s;
    queue = String(ok->queue);
  } else {
    s = DeclareWorkQueue(queue);
    if (!s.ok()) return s;
  }
  const std::string key = o.exchange_type == ExchangeType::kFanout ? "" : o.binding_key;
  amqp_queue_bind(conn_, 1, Bytes(queue), Bytes(o.exchange), Bytes(key), amqp_empty_table);
  s = CheckReply("queue.bind");
  if (!s.ok()) return s;
  return queue;
}

absl::Status Connection::DeleteQueue(const std::string& queue) {
  amqp_queue_delete(conn_, 1, Bytes(queue), 0, 0);
  return CheckReply("queue.delete");
}

absl::Status Connection::Publish(const std::string& exchange, const std::string& routing_key,
                                 const Message& m) {
  const std::string rid_key = log::kRequestIdKey, attempt_key = kAttemptHeader;
  const std::string rid = m.request_id.empty() ? log::CurrentRequestId() : m.request_id;
  const std::string attempt = std::to_string(m.attempt);
  std::vector<amqp_table_entry_t> entries;
  entries.reserve(m.headers.size() + 2);
  // "-" is what CurrentRequestId() says when no request is in progress: send nothing.
  if (!rid.empty() && rid != "-") entries.push_back(StringEntry(rid_key, rid));
  entries.push_back(StringEntry(attempt_key, attempt));
  for (const auto& [k, v] : m.headers) entries.push_back(StringEntry(k, v));

  amqp_basic_properties_t props{};
  props._flags =
      AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_HEADERS_FLAG;
  props.content_type = Bytes(m.content_type);
  props.delivery_mode = AMQP_DELIVERY_PERSISTENT;
  props.headers = amqp_table_t{static_cast<int>(entries.size()), entries.data()};
  int rc = amqp_basic_publish(conn_, 1, Bytes(exchange), Bytes(routing_key), 0, 0, &props,
                              Bytes(m.body));
  if (rc != AMQP_STATUS_OK) {
    return Fail(absl::UnavailableError(absl::StrCat("RabbitMQ publish: ", amqp_error_string2(rc))));
  }
  return absl::OkStatus();
}

void Connection::Cork(bool on) {
  if (on == corked_) return;
  int value = on ? 1 : 0;
  // A failure only costs batching: the data still goes out when the cork comes off.
  setsockopt(fd(), IPPROTO_TCP, TCP_CORK, &value, sizeof(value));
  corked_ = on;
}

int Connection::fd() const { return amqp_get_sockfd(conn_); }

bool Connection::HasBufferedInput() const {
  return amqp_frames_enqueued(conn_) || amqp_data_in_buffer(conn_);
}

absl::Status Connection::ReadConfirms(std::vector<Confirm>* out) {
  amqp_maybe_release_buffers(conn_);
  timeval zero{0, 0};
  while (true) {
    amqp_frame_t frame;
    int rc = amqp_simple_wait_frame_noblock(conn_, &frame, &zero);
    if (rc == AMQP_STATUS_TIMEOUT) return absl::OkStatus();
    if (rc != AMQP_STATUS_OK) {
      return Fail(absl::UnavailableError(absl::StrCat("RabbitMQ read: ", amqp_error_string2(rc))));
    }
    if (frame.frame_type != AMQP_FRAME_METHOD) continue;
    void* decoded = frame.payload.method.decoded;
    switch (frame.payload.method.id) {
      case AMQP_BASIC_ACK_METHOD: {
        auto* m = static_cast<amqp_basic_ack_t*>(decoded);
        out->push_back({true, m->delivery_tag, m->multiple != 0});
        break;
      }
      case AMQP_BASIC_NACK_METHOD: {
        auto* m = static_cast<amqp_basic_nack_t*>(decoded);
        out->push_back({false, m->delivery_tag, m->multiple != 0});
        break;
      }
      case AMQP_CHANNEL_CLOSE_METHOD:
      case AMQP_CONNECTION_CLOSE_METHOD:
        return Fail(FromCloseMethod(frame.payload.method.id, decoded));
      default:
        break;  // nothing else is expected on a publishing channel
    }
  }
}

absl::Status Connection::Consume(const std::string& queue, int prefetch) {
  amqp_basic_qos(conn_, 1, 0, static_cast<uint16_t>(prefetch), 0);
  absl::Status s = CheckReply("basic.qos");
  if (!s.ok()) return s;
  amqp_basic_consume(conn_, 1, Bytes(queue), amqp_empty_bytes, 0, 0, 0, amqp_empty_table);
  return CheckReply("basic.consume");
}

absl::StatusOr<std::optional<Delivery>> Connection::NextDelivery(absl::Duration timeout) {
  amqp_maybe_release_buffers(conn_);
  amqp_envelope_t envelope;
  timeval tv = ToTv(timeout);
  amqp_rpc_reply_t reply = amqp_consume_message(conn_, &envelope, &tv, 0);
  if (reply.reply_type == AMQP_RESPONSE_NORMAL) {
    Delivery d;
    d.delivery_tag = envelope.delivery_tag;
    d.message.redelivered = envelope.redelivered != 0;
    d.message.body = String(envelope.message.body);
    const amqp_basic_properties_t& p = envelope.message.properties;
    if (p._flags & AMQP_BASIC_CONTENT_TYPE_FLAG) d.message.content_type = String(p.content_type);
    if (p._flags & AMQP_BASIC_HEADERS_FLAG) ReadHeaders(p.headers, &d.message);
    amqp_destroy_envelope(&envelope);
    return std::optional<Delivery>(std::move(d));
  }
  if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
      reply.library_error == AMQP_STATUS_TIMEOUT) {
    return std::optional<Delivery>();
  }
  if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
      reply.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
    // Something other than a delivery arrived; it was put back for us to read.
    amqp_frame_t frame;
    timeval zero{0, 0};
    int rc = amqp_simple_wait_frame_noblock(conn_, &frame, &zero);
    if (rc == AMQP_STATUS_TIMEOUT) return std::optional<Delivery>();
    if (rc != AMQP_STATUS_OK) {
      return Fail(absl::UnavailableError(absl::StrCat("RabbitMQ read: ", amqp_error_string2(rc))));
    }
    if (frame.frame_type == AMQP_FRAME_METHOD &&
        (frame.payload.method.id == AMQP_CHANNEL_CLOSE_METHOD ||
         frame.payload.method.id == AMQP_CONNECTION_CLOSE_METHOD)) {
      return Fail(FromCloseMethod(frame.payload.method.id, frame.payload.method.decoded));
    }
    return std::optional<Delivery>();
  }
  return Fail(absl::UnavailableError(
      absl::StrCat("RabbitMQ consume: ", amqp_error_string2(reply.library_error))));
}

absl::Status Connection::Ack(uint64_t delivery_tag, bool multiple) {
  int rc = amqp_basic_ack(conn_, 1, delivery_tag, multiple ? 1 : 0);
  if (rc == AMQP_STATUS_OK) return absl::OkStatus();
  return Fail(absl::UnavailableError(absl::StrCat("RabbitMQ ack: ", amqp_error_string2(rc))));
}

absl::Status Connection::Reject(uint64_t delivery_tag, bool requeue) {
  int rc = amqp_basic_reject(conn_, 1, delivery_tag, requeue ? 1 : 0);
  if (rc == AMQP_STATUS_OK) return absl::OkStatus();
  return Fail(absl::UnavailableError(absl::StrCat("RabbitMQ reject: ", amqp_error_string2(rc))));
}

}  // namespace internal
}  // namespace gureum::amqp
