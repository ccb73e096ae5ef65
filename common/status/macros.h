// The early-return macros for absl::Status and absl::StatusOr. They need nothing but Abseil,
// so a file that only propagates errors includes this and not status.h (which pulls in gRPC
// and nlohmann/json for the mappings to gRPC and HTTP).
#pragma once

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Evaluates an expression returning absl::Status and returns it from the enclosing
// function if it is not OK.
#define GUREUM_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::absl::Status gureum_status_ = (expr);          \
    if (!gureum_status_.ok()) return gureum_status_; \
  } while (0)

#define GUREUM_CONCAT_INNER_(a, b) a##b
#define GUREUM_CONCAT_(a, b) GUREUM_CONCAT_INNER_(a, b)

// GUREUM_ASSIGN_OR_RETURN(auto x, MakeX()); returns the error status if MakeX() failed.
#define GUREUM_ASSIGN_OR_RETURN(lhs, rexpr) \
  GUREUM_ASSIGN_OR_RETURN_IMPL_(GUREUM_CONCAT_(gureum_statusor_, __LINE__), lhs, rexpr)
#define GUREUM_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                  \
  if (!statusor.ok()) return std::move(statusor).status();  \
  lhs = std::move(statusor).value()
