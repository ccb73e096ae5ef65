// POST /v2.1/servers/{id}/action: the server actions, one key per action in the body.
#include "absl/strings/ascii.h"
#include "common/status/macros.h"
#include "compute/api/compute_rest_internal.h"

namespace gureum::compute {
namespace {

absl::StatusOr<std::string> RefFrom(const json& obj, const std::string& field) {
  GUREUM_ASSIGN_OR_RETURN(auto ref, OptString(obj, field));
  if (!ref && obj.contains(field) && obj[field].is_number_integer()) {
    ref = std::to_string(obj[field].get<int64_t>());
  }
  if (!ref || ref->empty()) {
    return absl::InvalidArgumentError("Invalid input for field/attribute " + field + ". '" + field +
                                      "' is a required property");
  }
  std::string out = *ref;
  if (auto slash = out.rfind('/'); slash != std::string::npos) out = out.substr(slash + 1);
  return out;
}

// os-getConsoleOutput: answered at once, not an action on the server's state.
absl::Status ConsoleOutput(Call& call, const json& arg) {
  int lines = 0;
  if (arg.is_object()) {
    GUREUM_ASSIGN_OR_RETURN(auto length, OptInt(arg, "length"));
    if (length && *length < -1) {
      return absl::InvalidArgumentError("Invalid input for field/attribute length: must be >= -1");
    }
    lines = static_cast<int>(length.value_or(0));
  }
  GUREUM_ASSIGN_OR_RETURN(std::string output, call.managers().servers().ConsoleOutput(
                                                  call.rc, call.Param("id"), lines));
  call.res.Json(200, {{"output", output}});
  return absl::OkStatus();
}

// The action `key` with its argument as an ActionRequest, and the HTTP status its success
// answers (202 but confirmResize 204 and evacuate 200).
absl::Status DecodeAction(const std::string& key, const json& arg, ActionRequest& req,
                          int& status) {
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
    GUREUM_ASSIGN_OR_RETURN(auto type, OptString(arg, "type"));
    const std::string t = absl::AsciiStrToUpper(type.value_or(""));
    if (t != "SOFT" && t != "HARD") {
      return absl::InvalidArgumentError("Invalid input for field/attribute type. Value: " +
                                        type.value_or("") + ". It is not one of 'HARD', 'SOFT'");
    }
    req.action = t == "HARD" ? Action::kRebootHard : Action::kRebootSoft;
  } else if (key == "lock") {
    req.action = Action::kLock;
    if (arg.is_object()) {
      GUREUM_ASSIGN_OR_RETURN(auto reason, OptString(arg, "locked_reason"));
      req.locked_reason = reason.value_or("");
    }
  } else if (key == "rebuild") {
    if (!arg.is_object())
      return absl::InvalidArgumentError("Invalid input for field/attribute rebuild");
    req.action = Action::kRebuild;
    GUREUM_ASSIGN_OR_RETURN(req.image_ref, RefFrom(arg, "imageRef"));
    GUREUM_ASSIGN_OR_RETURN(req.name, OptString(arg, "name"));
  } else if (key == "resize") {
    if (!arg.is_object())
      return absl::InvalidArgumentError("Invalid input for field/attribute resize");
    req.action = Action::kResize;
    GUREUM_ASSIGN_OR_RETURN(req.flavor_ref, RefFrom(arg, "flavorRef"));
  } else if (key == "migrate") {
    req.action = Action::kMigrate;
    if (arg.is_object()) {
      GUREUM_ASSIGN_OR_RETURN(auto host, OptString(arg, "host"));
      req.host = host.value_or("");
    }
  } else if (key == "evacuate") {
    req.action = Action::kEvacuate;
    status = 200;
    if (arg.is_object()) {
      GUREUM_ASSIGN_OR_RETURN(auto host, OptString(arg, "host"));
      req.host = host.value_or("");
    }
  } else {
    return absl::InvalidArgumentError("There is no such action: " + key);
  }
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
  ActionRequest req;
  int status = 202;
  GUREUM_RETURN_IF_ERROR(DecodeAction(key, arg, req, status));
  GUREUM_ASSIGN_OR_RETURN(Instance i, call.managers().actions().ServerAction(call.rc, id, req));
  if (req.action == Action::kRebuild) {
    call.res.Json(202, {{"server", ServerJson(call, i, true)}});
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
