// POST /v2.1/servers/{id}/action: the server actions, one key per action in the body.
#include "absl/strings/ascii.h"
#include "common/status/macros.h"
#include "compute/api/compute_rest_internal.h"

namespace gureum::compute {
namespace {

// A required ref (imageRef, flavorRef): a string or an integer id; a link's last path
// segment is the id.
std::string RequiredRef(http::JsonReader& r, const json& obj, const char* field) {
  std::string ref;
  if (obj.contains(field) && obj[field].is_number_integer()) {
    r.Known({field});
    ref = std::to_string(obj[field].get<int64_t>());
  } else {
    r.String(field, &ref, kNullable);
  }
  if (ref.empty()) r.Fail(field, "it is required");
  if (auto slash = ref.rfind('/'); slash != std::string::npos) ref = ref.substr(slash + 1);
  return ref;
}

// os-getConsoleOutput: answered at once, not an action on the server's state.
absl::Status ConsoleOutput(Call& call, const json& arg) {
  std::optional<int64_t> length;
  if (arg.is_object()) {
    http::JsonReader r(arg, "os-getConsoleOutput", /*open=*/true);
    OptionalInt(r, arg, "length", &length, -1, INT32_MAX);
    GUREUM_RETURN_IF_ERROR(r.Finish());
  }
  const int lines = static_cast<int>(length.value_or(0));
  GUREUM_ASSIGN_OR_RETURN(std::string output, call.managers().servers().ConsoleOutput(
                                                  call.rc, call.Param("id"), lines));
  call.res.Json(200, {{"output", output}});
  return absl::OkStatus();
}

// The action `key` with its argument as an ActionRequest, and the HTTP status its success
// answers (202 but confirmResize 204 and evacuate 200).
absl::Status DecodeAction(const std::string& key, const json& arg, ActionRequest& req,
                          int& status) {
  // The argument of an action without one, or with an optional one, may be anything
  // (null, usually): `r` reads it only when it is an object.
  static const json kNone = json::object();
  http::JsonReader r(arg.is_object() ? arg : kNone, key, /*open=*/true);
  if (key == "os-start")
    req.action = Action::kStart;
  else if (key == "os-stop")
    req.action = Action::kStop;
  else if (key == "pause")
    req.action = Action::kPause;
  else if (key == "unpause")
    req.action = Action::kUnpause;
  else if (key == "suspend")
    req.action = Action::kSuspend;
  else if (key == "resume")
    req.action = Action::kResume;
  else if (key == "confirmResize") {
    req.action = Action::kConfirmResize;
    status = 204;
  } else if (key == "revertResize")
    req.action = Action::kRevertResize;
  else if (key == "unlock")
    req.action = Action::kUnlock;
  else if (key == "reboot") {
    if (!arg.is_object())
      return absl::InvalidArgumentError("Invalid input for field/attribute reboot");
    std::string type;
    r.String("type", &type, kNullable);
    GUREUM_RETURN_IF_ERROR(r.Finish());
    const std::string t = absl::AsciiStrToUpper(type);
    if (t != "SOFT" && t != "HARD") {
      return absl::InvalidArgumentError("Invalid input for field/attribute type. Value: " + type +
                                        ". It is not one of 'HARD', 'SOFT'");
    }
    req.action = t == "HARD" ? Action::kRebootHard : Action::kRebootSoft;
  } else if (key == "lock") {
    req.action = Action::kLock;
    r.String("locked_reason", &req.locked_reason, kNullable);
  } else if (key == "rebuild") {
    if (!arg.is_object())
      return absl::InvalidArgumentError("Invalid input for field/attribute rebuild");
    req.action = Action::kRebuild;
    req.image_ref = RequiredRef(r, arg, "imageRef");
    r.OptionalString("name", &req.name, kNullable);
    r.OptionalString("accessIPv4", &req.access_ip_v4, kNullable);
    r.OptionalString("accessIPv6", &req.access_ip_v6, kNullable);
    r.String("adminPass", &req.admin_pass, kNullable);
    if (req.admin_pass.empty()) req.admin_pass = NewAdminPass();
    ReadDiskConfig(r, &req.auto_disk_config);
    if (arg.contains("metadata")) {
      if (!arg["metadata"].is_object()) {
        return absl::InvalidArgumentError("Invalid input for field/attribute metadata.");
      }
      std::map<std::string, std::string> metadata;
      for (const auto& [k, v] : arg["metadata"].items()) {
        if (!v.is_string()) {
          return absl::InvalidArgumentError("Invalid input for field/attribute metadata: " + k +
                                            " must be a string.");
        }
        metadata[k] = v.get<std::string>();
      }
      req.metadata = metadata;
    }
  } else if (key == "resize") {
    if (!arg.is_object())
      return absl::InvalidArgumentError("Invalid input for field/attribute resize");
    req.action = Action::kResize;
    req.flavor_ref = RequiredRef(r, arg, "flavorRef");
    ReadDiskConfig(r, &req.auto_disk_config);
  } else if (key == "migrate") {
    req.action = Action::kMigrate;
    r.String("host", &req.host, kNullable);
  } else if (key == "evacuate") {
    req.action = Action::kEvacuate;
    status = 200;
    r.String("host", &req.host, kNullable);
  } else {
    return absl::InvalidArgumentError("There is no such action: " + key);
  }
  return r.Finish();
}

// createImage: 202 with the image's address in Location (its id in the body from 2.45).
absl::Status CreateImage(Call& call, const json& arg) {
  if (!arg.is_object())
    return absl::InvalidArgumentError("Invalid input for field/attribute createImage");
  std::string name;
  http::JsonReader r(arg, "createImage", /*open=*/true);
  r.String("name", &name, {.required = true});
  GUREUM_RETURN_IF_ERROR(r.Finish());
  StringMap metadata;
  if (arg.contains("metadata") && !arg["metadata"].is_null()) {
    if (!arg["metadata"].is_object()) {
      return absl::InvalidArgumentError("Invalid input for field/attribute metadata.");
    }
    for (const auto& [k, v] : arg["metadata"].items()) {
      if (!v.is_string()) {
        return absl::InvalidArgumentError("Invalid input for field/attribute metadata: " + k +
                                          " must be a string.");
      }
      metadata[k] = v.get<std::string>();
    }
  }
  GUREUM_ASSIGN_OR_RETURN(std::string image_id, call.managers().actions().CreateImage(
                                                    call.rc, call.Param("id"), name, metadata));
  call.res.SetHeader("Location", call.base + "/images/" + image_id);
  call.res.Empty(202);
  return absl::OkStatus();
}

// os-resetState (admin): {"os-resetState": {"state": "active"|"error"}} → 202.
absl::Status ResetState(Call& call, const json& arg) {
  if (!arg.is_object())
    return absl::InvalidArgumentError("Invalid input for field/attribute os-resetState");
  std::string state;
  http::JsonReader r(arg, "os-resetState", /*open=*/false);
  r.String("state", &state, {.required = true});
  GUREUM_RETURN_IF_ERROR(r.Finish());
  GUREUM_RETURN_IF_ERROR(
      call.managers().actions().ResetState(call.rc, call.Param("id"), state).status());
  call.res.Empty(202);
  return absl::OkStatus();
}

// restore and forceDelete (os-deferred-delete): 202.
absl::Status DeferredDelete(Call& call, const std::string& key) {
  ServerManager& servers = call.managers().servers();
  GUREUM_RETURN_IF_ERROR(key == "restore" ? servers.RestoreServer(call.rc, call.Param("id"))
                                          : servers.ForceDeleteServer(call.rc, call.Param("id")));
  call.res.Empty(202);
  return absl::OkStatus();
}

absl::Status ServerAction(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, call.req.JsonBody());
  if (!body.is_object() || body.size() != 1) {
    return absl::InvalidArgumentError(
        "There is no such action: the body must hold exactly one action");
  }
  const std::string key = body.begin().key();
  const json arg = body.begin().value();
  const std::string& id = call.Param("id");
  if (key == "os-getConsoleOutput") return ConsoleOutput(call, arg);
  if (key == "createImage") return CreateImage(call, arg);
  if (key == "os-resetState") return ResetState(call, arg);
  if (IsNetworkProxyAction(key)) return NetworkProxyAction(call, key, arg);
  if (key == "restore" || key == "forceDelete") return DeferredDelete(call, key);
  ActionRequest req;
  int status = 202;
  GUREUM_RETURN_IF_ERROR(DecodeAction(key, arg, req, status));
  GUREUM_ASSIGN_OR_RETURN(Instance i, call.managers().actions().ServerAction(call.rc, id, req));
  if (req.action == Action::kRebuild) {
    json server = ServerBasicJson(call, i);
    server["adminPass"] = req.admin_pass;
    call.res.Json(202, {{"server", server}});
  } else if (status == 200) {
    call.res.Json(200, json::object());
  } else {
    call.res.Empty(status);
  }
  return absl::OkStatus();
}

}  // namespace

void RegisterActionRoutes(NovaRoutes& routes) {
  routes.Add("POST", "/v2.1/servers/{id}/action", ServerAction);
}

}  // namespace gureum::compute
