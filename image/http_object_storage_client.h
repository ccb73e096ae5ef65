// ObjectStorageClient over the Swift API of gureum-object-proxy, as the image service's
// own user ([service_auth]): its token from auth::ServiceToken, its account AUTH_<project>
// of that token's project (asked of `project_of` once, on the first call). A 401 forgets the
// token and the call is made once more with a new one.
#pragma once

#include <functional>
#include <string>

#include "absl/synchronization/mutex.h"
#include "common/auth/service_token.h"
#include "image/object_storage_client.h"

namespace httplib {
class Result;
}

namespace gureum::image {

struct HttpObjectStorageOptions {
  std::string url;  // the proxy, http://host:port (no path)
  int timeout_seconds = 60;
};

class HttpObjectStorageClient final : public ObjectStorageClient {
 public:
  // The project a token is scoped to (identity's answer for the service's own token).
  using ProjectOf = std::function<absl::StatusOr<std::string>(const std::string& token)>;
  // `token` must outlive the client.
  HttpObjectStorageClient(HttpObjectStorageOptions options, auth::ServiceToken& token,
                          ProjectOf project_of)
      : options_(std::move(options)), token_(token), project_of_(std::move(project_of)) {}

  absl::Status EnsureContainer(const std::string& container) override;
  absl::StatusOr<std::string> PutObject(const std::string& container, const std::string& name,
                                        const std::string& data) override;
  absl::Status PutManifest(const std::string& container, const std::string& name,
                           const std::vector<ObjectSegment>& segments) override;
  absl::StatusOr<ObjectPiece> GetRange(const std::string& container, const std::string& name,
                                       long long offset, long long length) override;
  absl::Status DeleteObject(const std::string& container, const std::string& name) override;
  absl::StatusOr<std::vector<std::string>> ListObjects(const std::string& container,
                                                       const std::string& prefix) override;

 private:
  struct Answer {
    int status = 0;
    std::string body, etag, content_range;
  };
  // One request to <url>/v1/AUTH_<project><path> with the token (retried once after a 401).
  absl::StatusOr<Answer> Call(const std::string& method, const std::string& path,
                              const std::vector<std::pair<std::string, std::string>>& headers,
                              const std::string& body);
  absl::StatusOr<std::string> Account(const std::string& token);

  const HttpObjectStorageOptions options_;
  auth::ServiceToken& token_;
  const ProjectOf project_of_;
  absl::Mutex mu_;
  std::string account_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gureum::image
