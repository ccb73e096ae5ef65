#include "object-storage/proxy/s3_signature.h"

#include <algorithm>

#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace gureum::object::proxy {
namespace {

constexpr absl::string_view kAlgorithm = "AWS4-HMAC-SHA256";

std::string Hex(const unsigned char* data, size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    out.push_back(kHex[data[i] >> 4]);
    out.push_back(kHex[data[i] & 15]);
  }
  return out;
}

constexpr const char* kSubresources[] = {"acl",
                                         "cors",
                                         "delete",
                                         "lifecycle",
                                         "location",
                                         "logging",
                                         "notification",
                                         "partNumber",
                                         "policy",
                                         "requestPayment",
                                         "restore",
                                         "tagging",
                                         "torrent",
                                         "uploadId",
                                         "uploads",
                                         "versionId",
                                         "versioning",
                                         "versions",
                                         "website",
                                         "response-cache-control",
                                         "response-content-disposition",
                                         "response-content-encoding",
                                         "response-content-language",
                                         "response-content-type",
                                         "response-expires"};

std::string Hmac(const std::string& key, const std::string& message) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), out, &size);
  return std::string(reinterpret_cast<char*>(out), size);
}

// "<access>/<date>/<region>/<service>/aws4_request"
absl::Status ParseCredential(absl::string_view credential, SigV4Request& out) {
  std::vector<std::string> parts = absl::StrSplit(credential, '/');
  if (parts.size() != 5 || parts[4] != "aws4_request" || parts[0].empty()) {
    return absl::InvalidArgumentError("malformed Credential");
  }
  out.access = parts[0];
  out.date = parts[1];
  out.region = parts[2];
  out.service = parts[3];
  return absl::OkStatus();
}

}  // namespace

std::string Sha256Hex(const std::string& data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return Hex(digest, sizeof(digest));
}

absl::StatusOr<SigV4Request> ParseAuthorization(const std::string& authorization) {
  absl::string_view rest = authorization;
  if (!absl::ConsumePrefix(&rest, kAlgorithm)) {
    return absl::InvalidArgumentError("not AWS4-HMAC-SHA256");
  }
  SigV4Request out;
  bool credential = false;
  for (absl::string_view item : absl::StrSplit(rest, ',', absl::SkipWhitespace())) {
    item = absl::StripAsciiWhitespace(item);
    const size_t eq = item.find('=');
    if (eq == absl::string_view::npos) continue;
    const absl::string_view name = item.substr(0, eq), value = item.substr(eq + 1);
    if (name == "Credential") {
      if (absl::Status s = ParseCredential(value, out); !s.ok()) return s;
      credential = true;
    } else if (name == "SignedHeaders") {
      out.signed_headers = absl::StrSplit(value, ';', absl::SkipEmpty());
    } else if (name == "Signature") {
      out.signature = std::string(value);
    }
  }
  if (!credential || out.signed_headers.empty() || out.signature.empty()) {
    return absl::InvalidArgumentError("incomplete AWS4-HMAC-SHA256 Authorization");
  }
  return out;
}

absl::StatusOr<SigV4Request> ParsePresigned(const std::multimap<std::string, std::string>& query) {
  auto get = [&query](const char* name) {
    auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
  };
  if (get("X-Amz-Algorithm") != kAlgorithm) return absl::InvalidArgumentError("not SigV4");
  SigV4Request out;
  out.presigned = true;
  if (absl::Status s = ParseCredential(get("X-Amz-Credential"), out); !s.ok()) return s;
  out.amz_date = get("X-Amz-Date");
  out.signed_headers = absl::StrSplit(get("X-Amz-SignedHeaders"), ';', absl::SkipEmpty());
  out.signature = get("X-Amz-Signature");
  out.payload_hash = "UNSIGNED-PAYLOAD";
  if (!absl::SimpleAtoi(get("X-Amz-Expires"), &out.expires) || out.expires < 1 ||
      out.expires > 604800 || out.signature.empty() || out.amz_date.empty()) {
    return absl::InvalidArgumentError("malformed presigned URL");
  }
  return out;
}

std::string AwsUriEncode(const std::string& in, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : in) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
        (c == '/' && keep_slash)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string CanonicalRequest(const SignedParts& parts, const SigV4Request& sig) {
  std::vector<std::pair<std::string, std::string>> query;
  for (const auto& [k, v] : parts.query) {
    if (sig.presigned && k == "X-Amz-Signature") continue;
    query.emplace_back(AwsUriEncode(k, false), AwsUriEncode(v, false));
  }
  std::sort(query.begin(), query.end());
  std::string canonical_query;
  for (const auto& [k, v] : query) {
    absl::StrAppend(&canonical_query, canonical_query.empty() ? "" : "&", k, "=", v);
  }
  std::string headers;
  for (const std::string& name : sig.signed_headers) {
    auto it = parts.headers.find(name);
    std::string value = it == parts.headers.end() ? "" : it->second;
    // Trimmed, runs of spaces made one.
    std::string folded;
    for (char c : absl::StripAsciiWhitespace(value)) {
      if (c == ' ' && !folded.empty() && folded.back() == ' ') continue;
      folded.push_back(c);
    }
    absl::StrAppend(&headers, name, ":", folded, "\n");
  }
  const std::string path = parts.path.empty() ? "/" : AwsUriEncode(parts.path, true);
  return absl::StrCat(parts.method, "\n", path, "\n", canonical_query, "\n", headers, "\n",
                      absl::StrJoin(sig.signed_headers, ";"), "\n", sig.payload_hash);
}

std::string StringToSign(const SigV4Request& sig, const std::string& canonical_request) {
  return absl::StrCat(kAlgorithm, "\n", sig.amz_date, "\n", sig.date, "/", sig.region, "/",
                      sig.service, "/aws4_request\n", Sha256Hex(canonical_request));
}

std::string SigV4Signature(const std::string& secret, const SigV4Request& sig,
                           const std::string& string_to_sign) {
  std::string key = Hmac("AWS4" + secret, sig.date);
  key = Hmac(key, sig.region);
  key = Hmac(key, sig.service);
  key = Hmac(key, "aws4_request");
  const std::string mac = Hmac(key, string_to_sign);
  return Hex(reinterpret_cast<const unsigned char*>(mac.data()), mac.size());
}

std::string SigV4ChunkSignature(const std::string& secret, const SigV4Request& sig,
                                const std::string& previous, const std::string& chunk_sha256) {
  const std::string string_to_sign = absl::StrCat(
      "AWS4-HMAC-SHA256-PAYLOAD\n", sig.amz_date, "\n", sig.date, "/", sig.region, "/", sig.service,
      "/aws4_request\n", previous, "\n", Sha256Hex(""), "\n", chunk_sha256);
  return SigV4Signature(secret, sig, string_to_sign);
}

std::string SigV2StringToSign(const SigV2Parts& parts) {
  std::string out = absl::StrCat(parts.method, "\n", parts.content_md5, "\n", parts.content_type,
                                 "\n", parts.date, "\n");
  for (const auto& [name, value] : parts.amz_headers) {
    absl::StrAppend(&out, name, ":", absl::StripAsciiWhitespace(value), "\n");
  }
  absl::StrAppend(&out, AwsUriEncode(parts.path, true));
  std::vector<std::string> sub;
  for (const char* name : kSubresources) {
    auto range = parts.query.equal_range(name);
    for (auto it = range.first; it != range.second; ++it) {
      sub.push_back(it->second.empty() ? it->first : absl::StrCat(it->first, "=", it->second));
    }
  }
  std::sort(sub.begin(), sub.end());
  if (!sub.empty()) absl::StrAppend(&out, "?", absl::StrJoin(sub, "&"));
  return out;
}

std::string SigV2Signature(const std::string& secret, const std::string& string_to_sign) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(string_to_sign.data()), string_to_sign.size(), out,
       &size);
  return absl::Base64Escape(absl::string_view(reinterpret_cast<char*>(out), size));
}

}  // namespace gureum::object::proxy
