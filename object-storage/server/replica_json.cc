// ListingDump as JSON (replica_client.h), between HttpReplicaClient and ReplicationRest.
#include "object-storage/server/replica_client.h"

namespace gureum::object {

using json = nlohmann::json;

json DumpToJson(const ListingDump& d) {
  const ListingInfo& i = d.info;
  json rows = json::array();
  for (const ListingEntry& e : d.rows) {
    rows.push_back({e.name, e.timestamp.ToString(), e.size, e.object_count, e.content_type, e.etag,
                    e.deleted});
  }
  return {{"info",
           {{"put_timestamp", i.put_timestamp.ToString()},
            {"delete_timestamp", i.delete_timestamp.ToString()},
            {"headers", i.headers},
            {"headers_timestamp", i.headers_timestamp.ToString()},
            {"parent_host", i.parent_host},
            {"parent_device", i.parent_device},
            {"parent_partition", i.parent_partition}}},
          {"rows", rows}};
}

absl::StatusOr<ListingDump> DumpFromJson(const json& j) {
  auto ts = [](const json& v) {
    return Timestamp::Parse(v.get<std::string>()).value_or(Timestamp());
  };
  try {
    ListingDump d;
    const json& i = j.at("info");
    d.info.put_timestamp = ts(i.at("put_timestamp"));
    d.info.delete_timestamp = ts(i.at("delete_timestamp"));
    d.info.headers = i.at("headers").get<std::map<std::string, std::string>>();
    d.info.headers_timestamp = ts(i.at("headers_timestamp"));
    d.info.parent_host = i.at("parent_host").get<std::string>();
    d.info.parent_device = i.at("parent_device").get<std::string>();
    d.info.parent_partition = i.at("parent_partition").get<std::string>();
    for (const json& r : j.at("rows")) {
      ListingEntry e;
      e.name = r.at(0).get<std::string>();
      e.timestamp = ts(r.at(1));
      e.size = r.at(2).get<int64_t>();
      e.object_count = r.at(3).get<int64_t>();
      e.content_type = r.at(4).get<std::string>();
      e.etag = r.at(5).get<std::string>();
      e.deleted = r.at(6).get<bool>();
      d.rows.push_back(std::move(e));
    }
    return d;
  } catch (const json::exception& e) {
    return absl::InvalidArgumentError(std::string("not a listing dump: ") + e.what());
  }
}

}  // namespace gureum::object
