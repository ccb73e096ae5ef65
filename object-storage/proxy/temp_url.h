// TempURL (Swift's tempurl middleware): a link that lets anyone do one method on one object
// (or every object under a prefix) until a time, signed with a key the account or the
// container keeps (X-Account-Meta-Temp-URL-Key[-2], X-Container-Meta-Temp-URL-Key[-2]):
//
//   ?temp_url_sig=<hex HMAC>&temp_url_expires=<unix time>[&temp_url_prefix=<p>]
//   HMAC-SHA1, -SHA256 or -SHA512 (by the hex length, or "sha512:<base64>") of
//   "<METHOD>\n<expires>\n<path>", path "/v1/AUTH_x/c/o" (or "prefix:/v1/AUTH_x/c/<p>").
//
// HEAD is allowed by a signature for GET, PUT or POST, as Swift does.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gureum::object::proxy {

struct TempUrlRequest {
  std::string method;
  std::string path;  // "/v1/AUTH_x/c/o", decoded
  std::string signature;
  std::string expires;
  std::string prefix;  // temp_url_prefix, if given
  bool has_prefix = false;
};

// Whether one of `keys` signs `request` and it has not expired at `now` (unix seconds).
bool TempUrlValid(const TempUrlRequest& request, const std::vector<std::string>& keys, int64_t now);

// The hex HMAC of `message` with `key` by `digest` ("sha1", "sha256", "sha512"); tests.
std::string HmacHex(const std::string& digest, const std::string& key, const std::string& message);

}  // namespace gureum::object::proxy
