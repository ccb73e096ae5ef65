#include "dashboard/http_client.h"

#include "absl/strings/match.h"

namespace gureum::dashboard {

std::string HttpResponse::Header(const std::string& name) const {
  for (const auto& [k, v] : headers) {
    if (absl::EqualsIgnoreCase(k, name)) return v;
  }
  return "";
}

}  // namespace gureum::dashboard
