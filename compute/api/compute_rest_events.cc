// Nova REST: POST /v2.1/os-server-external-events, over ExternalEventManager. Each event
// comes back with its code and status; the answer is 200 when every event was handled,
// 207 when some were not (Nova's).
#include "common/status/macros.h"
#include "compute/api/compute_rest_internal.h"

namespace gureum::compute {
namespace {

absl::StatusOr<ExternalEvent> ReadEvent(const json& j) {
  ExternalEvent e;
  http::JsonReader r(j, "event");
  const http::StringRule name_rule{.required = true, .allow_empty = false, .max_length = 255};
  r.String("name", &e.name, name_rule);
  r.String("server_uuid", &e.server_uuid, name_rule);
  r.String("tag", &e.tag, {.max_length = 255});
  r.String("status", &e.status, {.allow_empty = false, .max_length = 255});
  GUREUM_RETURN_IF_ERROR(r.Finish());
  return e;
}

json EventJson(const ExternalEvent& e) {
  json j = {
      {"name", e.name}, {"server_uuid", e.server_uuid}, {"status", e.status}, {"code", e.code}};
  if (!e.tag.empty()) j["tag"] = e.tag;
  return j;
}

absl::Status CreateEvents(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, call.req.JsonBody());
  const json* list = nullptr;
  http::JsonReader r(body, "body");
  r.Array("events", &list);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  if (list == nullptr) {
    return absl::InvalidArgumentError("Invalid input: 'events' is a required property");
  }
  std::vector<ExternalEvent> events;
  for (const json& j : *list) {
    GUREUM_ASSIGN_OR_RETURN(ExternalEvent e, ReadEvent(j));
    events.push_back(std::move(e));
  }
  GUREUM_ASSIGN_OR_RETURN(std::vector<ExternalEvent> done,
                          call.managers().events().Create(call.rc, std::move(events)));
  json out = json::array();
  bool all_ok = true;
  for (const ExternalEvent& e : done) {
    out.push_back(EventJson(e));
    all_ok = all_ok && e.code == 200;
  }
  call.res.Json(all_ok ? 200 : 207, {{"events", out}});
  return absl::OkStatus();
}

}  // namespace

void RegisterExternalEventRoutes(NovaRoutes& routes) {
  routes.Add("POST", "/v2.1/os-server-external-events", CreateEvents);
}

}  // namespace gureum::compute
