// [object_server] options of gureum-object-server.
#pragma once

#include "common/config/schema.h"

namespace gureum::object {

void AddObjectServerOptions(config::Schema& schema);

}  // namespace gureum::object
