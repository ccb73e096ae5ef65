// libFuzzer target: the JSON request bodies of the REST APIs. The input is a request body
// as a client sends it; it goes through the http layer's JsonBody() and, when that accepts
// it, through every Neutron body decoder (network_rest_json.cc), each given the body
// itself and the body's members, as the handlers do, and what they accept is encoded back
// through the http layer's Response::Json (strings a client sent end up in answers).
// Nothing may crash or throw: a bad body is an InvalidArgument that becomes a 400.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "common/http/request.h"
#include "network/server/network_rest.h"

namespace {

template <typename Message, typename Encode>
void RoundTrip(absl::Status (*parse)(const nlohmann::json&, Message*, gureum::network::Fields*),
               Encode encode, const nlohmann::json& j) {
  Message out;
  gureum::network::Fields given;
  if (!parse(j, &out, &given).ok()) return;
  gureum::http::Response res;
  res.Json(200, encode(out));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  gureum::http::Request req;
  req.body_.assign(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<nlohmann::json> body = req.JsonBody();
  if (!body.ok()) return 0;
  std::vector<const nlohmann::json*> values = {&*body};
  for (const auto& [key, value] : body->items()) values.push_back(&value);
  for (const nlohmann::json* j : values) {
    namespace n = gureum::network;
    RoundTrip(
        n::ParseNetwork, [](const auto& m) { return n::NetworkJson(m, true); }, *j);
    RoundTrip(
        n::ParseSubnet, [](const auto& m) { return n::SubnetJson(m); }, *j);
    RoundTrip(
        n::ParsePort, [](const auto& m) { return n::PortJson(m, true); }, *j);
    RoundTrip(
        n::ParseGroup, [](const auto& m) { return n::GroupJson(m); }, *j);
    RoundTrip(
        n::ParseRule, [](const auto& m) { return n::RuleJson(m); }, *j);
    RoundTrip(
        n::ParseRouter, [](const auto& m) { return n::RouterJson(m); }, *j);
    RoundTrip(
        n::ParseFloatingIp, [](const auto& m) { return n::FloatingIpJson(m); }, *j);
  }
  return 0;
}
