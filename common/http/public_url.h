// The base URL that links in REST responses (version documents, "self" links, pagination
// "next" links) start with. It comes from configuration, never from the request: the Host
// header is the client's to choose, and links built from it point wherever the client
// says (a poisoned cache or a phishing link then carries the service's own answer).
#pragma once

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace gureum::http {

// `configured` (a service's `public_url` option) without trailing slashes, or, when it is
// empty, "http://<my_ip>:<port>" ([DEFAULT] my_ip: this host's address for other hosts).
inline std::string PublicUrl(const std::string& configured, const std::string& my_ip, int port) {
  std::string base = configured.empty() ? absl::StrCat("http://", my_ip, ":", port) : configured;
  while (absl::EndsWith(base, "/")) base.pop_back();
  return base;
}

}  // namespace gureum::http
