// IdentityClient over identity's gRPC API (GetEc2Credential), as the proxy's service user.
#pragma once

#include <memory>
#include <string>

#include "common/auth/service_token.h"
#include "object-storage/proxy/identity_client.h"

namespace gureum::object::proxy {

// `target`: identity's gRPC host:port; `token` (the proxy's service token) outlives it.
std::unique_ptr<IdentityClient> MakeGrpcIdentityClient(const std::string& target,
                                                       auth::ServiceToken& token);

}  // namespace gureum::object::proxy
