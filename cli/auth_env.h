// Where the gureum CLI finds its cloud: the same OS_* environment variables (and the
// same --os-* options) as the openstack CLI, so one rc file serves both.
#pragma once

#include <functional>
#include <string>

#include "absl/status/status.h"

namespace gureum::cli {

struct AuthSettings {
  std::string auth_url;                         // OS_AUTH_URL, e.g. http://ctl:5000/v3
  std::string username;                         // OS_USERNAME
  std::string password;                         // OS_PASSWORD (never printed)
  std::string project_name;                     // OS_PROJECT_NAME
  std::string user_domain_name = "Default";     // OS_USER_DOMAIN_NAME
  std::string project_domain_name = "Default";  // OS_PROJECT_DOMAIN_NAME
  std::string region_name = "RegionOne";        // OS_REGION_NAME
  std::string token;                            // OS_TOKEN (instead of a password)
};

// Fills `settings` from the environment, read through `getenv` (injected for tests).
// Values already set by command-line options win over the environment.
void ReadAuthEnvironment(const std::function<const char*(const char*)>& getenv,
                         AuthSettings& settings, const AuthSettings& from_options);

// Checks that enough is set to authenticate; the error names what is missing, as
// the openstack CLI does ("Missing value auth-url required for auth plugin password").
absl::Status CheckAuthSettings(const AuthSettings& settings);

}  // namespace gureum::cli
