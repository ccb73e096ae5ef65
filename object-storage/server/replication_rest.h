// The object servers' replication routes (beside object_server_rest.h, same port):
//
//   GET  /replicate/<device>/<part>                    suffix hashes, {"a3f": "<md5>", ...}
//                                                      (Swift's REPLICATE verb)
//   GET  /replicate/<device>/<part>/<suffix>           {"<hash dir>": ["<ts>.data", ...]}
//   PUT  /replicate/<device>/<part>/<hash dir>/<file>  a replica's file (Swift's rsync):
//                                                      201; 409 when it has it or newer
//   GET  /replicate-db/<accounts|containers>/<device>/<part>/<hash>
//                                                      {"digest": ...} of a database; 404
//   POST /replicate-db/<accounts|containers>/<device>/<part>/<hash>
//                                                      rows merged in (ListingDump as JSON)
//   POST /passes/{replicate|audit|expire}              runs one pass now, answers its counts
//
// 507 for a device this server does not have. Internal, like every object server route.
#pragma once

#include "common/http/server.h"
#include "object-storage/server/auditor.h"
#include "object-storage/server/expirer.h"
#include "object-storage/server/replicator.h"

namespace gureum::object {

class ReplicationRest {
 public:
  // `replicator` and `expirer` may be null (no ring file): their pass then answers 503.
  ReplicationRest(ObjectFiles& files, Replicator* replicator, Auditor& auditor, Expirer* expirer)
      : files_(files), replicator_(replicator), auditor_(auditor), expirer_(expirer) {}
  void Register(http::Server& server);

 private:
  void Hashes(http::Request& req, http::Response& res);
  void Suffix(http::Request& req, http::Response& res);
  void Receive(http::Request& req, http::Response& res);
  void DbDigest(http::Request& req, http::Response& res);
  void DbMerge(http::Request& req, http::Response& res);
  void Pass(http::Request& req, http::Response& res);

  ObjectFiles& files_;
  Replicator* replicator_;
  Auditor& auditor_;
  Expirer* expirer_;
};

}  // namespace gureum::object
