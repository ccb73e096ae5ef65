#include "cli/auth_env.h"

#include "absl/strings/str_cat.h"

namespace gureum::cli {

void ReadAuthEnvironment(const std::function<const char*(const char*)>& getenv,
                         AuthSettings& settings, const AuthSettings& from_options) {
  auto pick = [&](std::string& field, const std::string& option, const char* var) {
    if (!option.empty()) {
      field = option;
    } else if (const char* v = getenv(var); v != nullptr && *v != '\0') {
      field = v;
    }
  };
  AuthSettings defaults;
  pick(settings.auth_url, from_options.auth_url, "OS_AUTH_URL");
  pick(settings.username, from_options.username, "OS_USERNAME");
  pick(settings.password, from_options.password, "OS_PASSWORD");
  pick(settings.project_name, from_options.project_name, "OS_PROJECT_NAME");
  pick(settings.token, from_options.token, "OS_TOKEN");
  // Options that have defaults only override when changed from them.
  auto pick_default = [&](std::string& field, const std::string& option, const std::string& def,
                          const char* var) { pick(field, option == def ? "" : option, var); };
  pick_default(settings.user_domain_name, from_options.user_domain_name, defaults.user_domain_name,
               "OS_USER_DOMAIN_NAME");
  pick_default(settings.project_domain_name, from_options.project_domain_name,
               defaults.project_domain_name, "OS_PROJECT_DOMAIN_NAME");
  pick_default(settings.region_name, from_options.region_name, defaults.region_name,
               "OS_REGION_NAME");
}

absl::Status CheckAuthSettings(const AuthSettings& s) {
  auto missing = [](const char* what) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Missing value ", what, " required for auth plugin password (set it with --os-", what,
        " or the OS_* environment variables; `source /etc/gureum/admin-openrc`)"));
  };
  if (s.auth_url.empty()) return missing("auth-url");
  if (!s.token.empty()) return absl::OkStatus();
  if (s.username.empty()) return missing("username");
  if (s.password.empty()) return missing("password");
  return absl::OkStatus();
}

}  // namespace gureum::cli
