#include "object-storage/server/content_check.h"

#include "absl/strings/str_format.h"
#include "object-storage/server/names.h"
#include "object-storage/server/object_files.h"

namespace gureum::object {

ContentHash::ContentHash(Kind kind) : kind_(kind) {
  if (kind_ == Kind::kXxh3) {
    xxh3_ = XXH3_createState();
    XXH3_64bits_reset(xxh3_);
  } else {
    md5_ = EVP_MD_CTX_new();
    EVP_DigestInit_ex(md5_, EVP_md5(), nullptr);
  }
}

ContentHash::~ContentHash() {
  if (xxh3_ != nullptr) XXH3_freeState(xxh3_);
  if (md5_ != nullptr) EVP_MD_CTX_free(md5_);
}

void ContentHash::Update(const char* data, size_t size) {
  if (xxh3_ != nullptr) {
    XXH3_64bits_update(xxh3_, data, size);
  } else {
    EVP_DigestUpdate(md5_, data, size);
  }
}

std::string ContentHash::Hex() {
  if (xxh3_ != nullptr) return absl::StrFormat("%016x", XXH3_64bits_digest(xxh3_));
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(md5_, digest, &n);
  return HexEncode(std::string(reinterpret_cast<const char*>(digest), n));
}

ContentCheck::ContentCheck(const ObjectMeta& meta)
    : expected_(meta.xxh3.empty() ? meta.etag : meta.xxh3),
      hash_(meta.xxh3.empty() ? ContentHash::Kind::kMd5 : ContentHash::Kind::kXxh3) {}

bool ContentCheck::Matches() { return hash_.Hex() == expected_; }

}  // namespace gureum::object
