#include "dashboard/tests/fake_http_client.h"

namespace gureum::dashboard {

void FakeHttpClient::SetAnswer(Answer answer) {
  absl::MutexLock lock(&mu_);
  answer_ = std::move(answer);
}

std::vector<HttpRequest> FakeHttpClient::requests() const {
  absl::MutexLock lock(&mu_);
  return requests_;
}

absl::StatusOr<HttpResponse> FakeHttpClient::Send(const HttpRequest& request) {
  Answer answer;
  HttpRequest recorded = request;
  if (request.stream) {
    // Consume the streamed body as a real client would, and keep it for the test.
    recorded.stream = nullptr;
    absl::Status s = request.stream([&recorded](const char* data, size_t n) {
      recorded.body.append(data, n);
      return true;
    });
    if (!s.ok()) return s;
  }
  {
    absl::MutexLock lock(&mu_);
    requests_.push_back(recorded);
    answer = answer_;
  }
  if (!answer) return HttpResponse{.status = 200, .headers = {}, .body = "{}"};
  return answer(recorded);
}

}  // namespace gureum::dashboard
