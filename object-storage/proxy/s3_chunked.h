// aws-chunked bodies (X-Amz-Content-Sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD), as AWS's
// "Signature Calculations for the Authorization Header: Transferring Payload in Multiple
// Chunks" defines them:
//
//   <hex size>;chunk-signature=<64 hex>\r\n<size bytes>\r\n ... 0;chunk-signature=<sig>\r\n\r\n
//
// each chunk signed over the previous chunk's signature (the request's for the first).
// The decoded bytes reach the reader one verified chunk at a time, so a chunk whose
// signature does not match is never passed on (and the object never complete).
#pragma once

#include <functional>
#include <memory>

#include "absl/status/status.h"
#include "common/http/request.h"
#include "object-storage/proxy/s3_auth.h"

namespace gureum::object::proxy {

inline constexpr size_t kMaxAwsChunk = 16u << 20;

// The decoded body of `req`; `*bad` is set when a chunk is malformed or badly signed.
std::function<absl::Status(const http::BodyReader&)> AwsChunkedBody(const http::Request& req,
                                                                    ChunkSigning signing,
                                                                    std::shared_ptr<bool> bad);

// Decodes `encoded` whole (tests); InvalidArgument when it is malformed or badly signed.
absl::StatusOr<std::string> DecodeAwsChunked(const std::string& encoded,
                                             const ChunkSigning& signing);

}  // namespace gureum::object::proxy
