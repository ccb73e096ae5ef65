// Container ACLs as Swift's keystoneauth reads them: X-Container-Read and
// X-Container-Write are comma-separated lists of
//   .r:*               anyone may read objects (with or without a token)
//   .r:<host>          requests whose Referer is that host may read (.r:.example.com: the
//                      domain's hosts; .r:-<host> denies one; the last match decides)
//   .rlistings         with a .r: element, anyone may also list the container
//   <project>:<user>   that user in that project (ids; either may be *)
// A user element of the read ACL allows reading and listing; of the write ACL, writing
// and deleting objects.
#pragma once

#include <string>

#include "common/base/caller.h"

namespace gureum::object::proxy {

enum class AclAccess { kReadObject, kListContainer, kWrite };

// Whether `acl` (the header's value) lets `caller` (null: anonymous) coming from
// `referrer` (the Referer header, may be empty) do `access`.
bool AclAllows(const std::string& acl, const Caller* caller, AclAccess access,
               const std::string& referrer = "");

}  // namespace gureum::object::proxy
