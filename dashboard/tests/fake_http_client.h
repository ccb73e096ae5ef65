// An HttpClient for tests: records every request and answers with a handler.
#pragma once

#include <functional>
#include <vector>

#include "absl/synchronization/mutex.h"

#include "dashboard/http_client.h"

namespace gureum::dashboard {

class FakeHttpClient final : public HttpClient {
 public:
  using Answer = std::function<absl::StatusOr<HttpResponse>(const HttpRequest&)>;
  // Default answer: 200 with body "{}".
  void SetAnswer(Answer answer);
  std::vector<HttpRequest> requests() const;

  absl::StatusOr<HttpResponse> Send(const HttpRequest& request) override;

 private:
  mutable absl::Mutex mu_;
  Answer answer_ ABSL_GUARDED_BY(mu_);
  std::vector<HttpRequest> requests_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gureum::dashboard
