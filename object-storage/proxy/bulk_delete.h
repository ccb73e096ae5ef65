// Bulk delete (Swift's bulk middleware): POST or DELETE /v1/<account>?bulk-delete with a body of
// %-encoded "/container/object" or "/container" lines (at most 10000) deletes each; the
// answer (200, text or JSON as Accept asks) counts what was deleted and not found and lists
// the errors, as Swift does.
#pragma once

#include "object-storage/proxy/container_controller.h"
#include "object-storage/proxy/object_controller.h"

namespace gureum::object::proxy {

inline constexpr size_t kMaxBulkDeletes = 10000;

void BulkDelete(http::Request& req, http::Response& res, const Target& account,
                ContainerController& containers, ObjectController& objects);

}  // namespace gureum::object::proxy
