// Suffix hashes, the replicator's decisions, a replication pass between two servers' roots
// (through a ReplicaClient that calls the other ObjectFiles), handoffs handed back,
// quarantine by the auditor and the expirer.
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "absl/strings/str_cat.h"
#include "common/testing/test_env.h"
#include "object-storage/ring/ring_builder.h"
#include "object-storage/ring/ring_file.h"
#include "object-storage/server/auditor.h"
#include "object-storage/server/expirer.h"
#include "object-storage/server/names.h"
#include "object-storage/server/replicator.h"

namespace gureum::object {
namespace {

namespace fs = std::filesystem;

Timestamp ReplTs(const char* text) { return *Timestamp::Parse(text); }

absl::Status PutObject(ObjectFiles& files, const ObjectLocation& where, const std::string& data,
                       const char* ts, int64_t delete_at = 0) {
  auto writer = files.Create(where);
  if (!writer.ok()) return writer.status();
  if (absl::Status s = (*writer)->Append(data.data(), data.size()); !s.ok()) return s;
  ObjectMeta meta;
  meta.name = where.name;
  meta.timestamp = ReplTs(ts);
  meta.content_type = "text/plain";
  meta.delete_at = delete_at;
  return (*writer)->Commit(meta);
}

std::string ReadObject(ObjectFiles& files, const ObjectLocation& where) {
  absl::StatusOr<ObjectState> state = files.Open(where);
  if (!state.ok() || !state->reader) return "<none>";
  std::string out(static_cast<size_t>(state->reader->meta().size), '\0');
  (void)state->reader->ReadAt(out.data(), out.size(), 0);
  return out;
}

// Three servers (one root and one device each: 127.0.0.2:1 sd1, 127.0.0.3:1 sd2, ...).
struct Cluster {
  Cluster() : base(fs::temp_directory_path() / testing::UniqueName("objrepl")) {
    for (int i = 1; i <= 3; ++i) {
      fs::create_directories(base / ("n" + std::to_string(i)) / ("sd" + std::to_string(i)));
      files.push_back(std::make_unique<ObjectFiles>((base / ("n" + std::to_string(i))).string()));
    }
  }
  ~Cluster() { fs::remove_all(base); }
  std::string Host(int i) const { return "127.0.0." + std::to_string(i + 1) + ":1"; }
  std::string Device(int i) const { return "sd" + std::to_string(i); }
  ObjectFiles& Files(int i) { return *files[static_cast<size_t>(i - 1)]; }
  ObjectFiles* ByHost(const std::string& host) {
    for (int i = 1; i <= 3; ++i) {
      if (Host(i) == host) return &Files(i);
    }
    return nullptr;
  }

  fs::path base;
  std::vector<std::unique_ptr<ObjectFiles>> files;
};

// A ReplicaClient that calls the other server's ObjectFiles directly; a host in `down`
// does not answer.
class LocalReplicaClient final : public ReplicaClient {
 public:
  explicit LocalReplicaClient(Cluster& c) : c_(c) {}
  absl::StatusOr<SuffixHashes> Hashes(const Peer& peer, uint32_t part) override {
    if (ObjectFiles* f = Reach(peer.host)) return f->hashes().Get(peer.device, part);
    return absl::UnavailableError("down");
  }
  absl::StatusOr<HashDirListing> ListSuffix(const Peer& peer, uint32_t part,
                                            const std::string& suffix) override {
    if (ObjectFiles* f = Reach(peer.host)) return f->ListSuffix(peer.device, part, suffix);
    return absl::UnavailableError("down");
  }
  absl::Status Send(const Peer& peer, uint32_t part, const std::string& hash_dir,
                    const std::string& file, const std::string& path) override {
    ObjectFiles* f = Reach(peer.host);
    if (f == nullptr) return absl::UnavailableError("down");
    auto receiver = f->Receive(peer.device, part, hash_dir, file);
    if (absl::IsFailedPrecondition(receiver.status())) return absl::OkStatus();
    if (!receiver.ok()) return receiver.status();
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (absl::Status s = (*receiver)->Append(bytes.data(), bytes.size()); !s.ok()) return s;
    absl::Status done = (*receiver)->Commit();
    return absl::IsFailedPrecondition(done) ? absl::OkStatus() : done;
  }
  absl::StatusOr<std::string> DbDigest(const Peer& peer, const std::string& kind, uint32_t part,
                                       const std::string& hash) override {
    if (Reach(peer.host) == nullptr) return absl::UnavailableError("down");
    return ListingDb(DbPath(peer, kind, part, hash)).Digest();
  }
  absl::Status SendDb(const Peer& peer, const std::string& kind, uint32_t part,
                      const std::string& hash, const ListingDump& dump) override {
    if (Reach(peer.host) == nullptr) return absl::UnavailableError("down");
    // Through JSON, as over HTTP.
    absl::StatusOr<ListingDump> back = DumpFromJson(DumpToJson(dump));
    if (!back.ok()) return back.status();
    return ListingDb(DbPath(peer, kind, part, hash)).Merge(back->info, back->rows);
  }
  std::string DbPath(const Peer& peer, const std::string& kind, uint32_t part,
                     const std::string& hash) {
    return absl::StrCat(c_.ByHost(peer.host)->DeviceDir(peer.device), "/", kind, "/", part, "/",
                        hash, "/", hash, ".db");
  }
  std::string down;

 private:
  ObjectFiles* Reach(const std::string& host) { return host == down ? nullptr : c_.ByHost(host); }
  Cluster& c_;
};

// A ring of the cluster's three devices, 2^2 partitions, `replicas` replicas.
std::string WriteRing(const Cluster& c, int replicas, int devices = 3) {
  ring::RingData data = *ring::NewRing(2, replicas, "salt");
  for (int i = 1; i <= devices; ++i) {
    REQUIRE(
        ring::AddDevice(data, {-1, 1, i, "127.0.0." + std::to_string(i + 1), 1, c.Device(i), 100})
            .ok());
  }
  REQUIRE(ring::Rebalance(data).ok());
  const std::string path = (c.base / "object.ring").string();
  REQUIRE(ring::WriteRingFile(path, data).ok());
  return path;
}

TEST_CASE("partition hashes: equal for equal replicas, changed by writes", "[object]") {
  Cluster c;
  const ObjectLocation a{"sd1", 2, "/a/c/o"}, b{"sd2", 2, "/a/c/o"};
  CHECK(c.Files(1).hashes().Get("sd1", 2)->empty());
  REQUIRE(PutObject(c.Files(1), a, "x", "100").ok());
  REQUIRE(PutObject(c.Files(2), b, "x", "100").ok());
  SuffixHashes one = *c.Files(1).hashes().Get("sd1", 2);
  REQUIRE(one.size() == 1);
  CHECK(one.begin()->first == SuffixOf(Md5Hex("/a/c/o")));
  CHECK(one == *c.Files(2).hashes().Get("sd2", 2));
  CHECK(fs::exists(c.Files(1).PartitionDir("sd1", 2) + "/hashes.json"));

  REQUIRE(c.Files(1).Delete(a, ReplTs("101")).ok());
  SuffixHashes deleted = *c.Files(1).hashes().Get("sd1", 2);
  CHECK(deleted != one);
  CHECK(SuffixesToSync(deleted, one) == std::vector<std::string>{one.begin()->first});
  CHECK(SuffixesToSync(one, one).empty());
  REQUIRE(c.Files(2).Delete(b, ReplTs("101")).ok());
  CHECK(*c.Files(2).hashes().Get("sd2", 2) == deleted);
}

TEST_CASE("replication decisions: newer data, tombstones and metadata", "[object]") {
  using V = std::vector<std::string>;
  const V data{"0000000100.00000.data"};
  CHECK(FilesToSend(data, nullptr) == data);
  const V older{"0000000050.00000.data"};
  CHECK(FilesToSend(data, &older) == data);
  CHECK(FilesToSend(older, &data).empty());
  CHECK(FilesToSend(data, &data).empty());
  const V tomb{"0000000200.00000.ts"};
  CHECK(FilesToSend(tomb, &data) == tomb);
  CHECK(FilesToSend(data, &tomb).empty());
  const V posted{"0000000100.00000.data", "0000000150.00000.meta"};
  CHECK(FilesToSend(posted, &data) == V{"0000000150.00000.meta"});
  CHECK(FilesToSend(posted, nullptr) == posted);
  CHECK(FilesToSend(posted, &posted).empty());
  const V newer_data{"0000000120.00000.data"};
  CHECK(FilesToSend(posted, &newer_data).empty());  // its metadata is of older data
}

TEST_CASE("replicator: a replica that missed writes is brought up to date", "[object]") {
  Cluster c;
  FakeClock clock;
  auto rings = ring::RingHolder::Create(WriteRing(c, 3), clock);
  REQUIRE(rings.ok());
  std::shared_ptr<const ring::Ring> r = (*rings)->Get();
  LocalReplicaClient client(c);
  std::vector<std::string> names;
  for (int i = 0; i < 20; ++i) names.push_back("/AUTH_a/c/o" + std::to_string(i));
  for (const std::string& name : names) {
    const uint32_t part = r->Partition("AUTH_a", "c", name.substr(10));
    for (int i = 1; i <= 2; ++i)
      REQUIRE(PutObject(c.Files(i), {c.Device(i), part, name}, name, "100").ok());
  }
  // A delete server 3 missed too, and one it has an older version of.
  const uint32_t p0 = r->Partition("AUTH_a", "c", "o0");
  REQUIRE(PutObject(c.Files(3), {"sd3", p0, names[0]}, "old", "90").ok());
  for (int i = 1; i <= 2; ++i)
    REQUIRE(c.Files(i).Delete({c.Device(i), p0, names[0]}, ReplTs("110")).ok());

  Replicator one(ReplicatorDeps{c.Files(1), **rings, client, "127.0.0.2", 1});
  ReplicationStats stats = one.RunOnce();
  CHECK(stats.errors == 0);
  CHECK(stats.files_sent == 20);
  for (size_t i = 1; i < names.size(); ++i) {
    const uint32_t part = r->Partition("AUTH_a", "c", names[i].substr(10));
    CHECK(ReadObject(c.Files(3), {"sd3", part, names[i]}) == names[i]);
  }
  absl::StatusOr<ObjectState> gone = c.Files(3).Open({"sd3", p0, names[0]});
  CHECK(gone->deleted);
  CHECK(gone->timestamp == ReplTs("110"));
  // In step now: a second pass sends nothing.
  CHECK(one.RunOnce().files_sent == 0);
  Replicator three(ReplicatorDeps{c.Files(3), **rings, client, "127.0.0.4", 1});
  CHECK(three.RunOnce().files_sent == 0);
}

TEST_CASE("replicator: a handoff's objects and databases go to the primaries, then away",
          "[object]") {
  Cluster c;
  FakeClock clock;
  auto rings = ring::RingHolder::Create(WriteRing(c, 2), clock);  // 2 replicas on 3 devices
  REQUIRE(rings.ok());
  std::shared_ptr<const ring::Ring> r = (*rings)->Get();
  LocalReplicaClient client(c);
  // A partition server 1 is not a primary for: written there as a handoff.
  uint32_t part = 0;
  std::string name;
  for (int i = 0; name.empty(); ++i) {
    const uint32_t p = r->Partition("AUTH_a", "c", "h" + std::to_string(i));
    bool primary = false;
    for (const ring::Device* d : r->Primaries(p)) primary = primary || d->device == "sd1";
    if (!primary) {
      part = p;
      name = "/AUTH_a/c/h" + std::to_string(i);
    }
  }
  REQUIRE(PutObject(c.Files(1), {"sd1", part, name}, "handed", "100").ok());
  // And a container database there (same partition, any hash).
  const std::string hash = Md5Hex("/AUTH_a/handed");
  const std::string db = client.DbPath({c.Host(1), "sd1"}, "containers", part, hash);
  REQUIRE(ListingDb(db).Initialize(ReplTs("100"), {}, {}).ok());
  ListingConnections connections;
  Replicator one(ReplicatorDeps{c.Files(1), **rings, client, "127.0.0.2", 1, &connections});
  client.down = c.Host(2);  // one primary away: the handoff keeps its copies
  ReplicationStats stats = one.RunOnce();
  CHECK(stats.handoffs_removed == 0);
  CHECK(stats.databases.handoffs_removed == 0);
  CHECK(fs::exists(c.Files(1).PartitionDir("sd1", part)));
  CHECK(fs::exists(db));
  client.down.clear();
  stats = one.RunOnce();
  CHECK(stats.handoffs_removed == 1);
  CHECK(stats.databases.handoffs_removed == 1);
  CHECK(!fs::exists(c.Files(1).PartitionDir("sd1", part)));
  CHECK(!fs::exists(db));
  for (const ring::Device* d : r->Primaries(part)) {
    const int i = d->device == "sd2" ? 2 : 3;
    CHECK(ReadObject(c.Files(i), {d->device, part, name}) == "handed");
    CHECK(ListingDb(client.DbPath({c.Host(i), d->device}, "containers", part, hash)).Info().ok());
  }
}

TEST_CASE("auditor: a corrupt copy is quarantined, then replaced by replication", "[object]") {
  Cluster c;
  FakeClock clock;
  auto rings = ring::RingHolder::Create(WriteRing(c, 3), clock);
  REQUIRE(rings.ok());
  const uint32_t part = (*rings)->Get()->Partition("AUTH_a", "c", "o");
  for (int i = 1; i <= 3; ++i) {
    REQUIRE(PutObject(c.Files(i), {c.Device(i), part, "/AUTH_a/c/o"}, "good bytes", "100").ok());
  }
  const ObjectLocation bad{"sd3", part, "/AUTH_a/c/o"};
  const SuffixHashes before = *c.Files(3).hashes().Get("sd3", part);
  const std::string data = c.Files(3).HashDir(bad) + "/0000000100.00000.data";
  {
    std::fstream f(data, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(0);
    f.write("BAD", 3);
  }
  Auditor auditor(c.Files(3), clock, 1 << 20);
  AuditStats stats = auditor.RunOnce();
  CHECK(stats.checked == 1);
  CHECK(stats.quarantined == 1);
  CHECK(ReadObject(c.Files(3), bad) == "<none>");
  CHECK(fs::exists(c.Files(3).DeviceDir("sd3") + "/quarantined/objects/" + Md5Hex("/AUTH_a/c/o")));
  CHECK(*c.Files(3).hashes().Get("sd3", part) != before);
  CHECK(auditor.RunOnce().quarantined == 0);

  LocalReplicaClient client(c);
  Replicator one(ReplicatorDeps{c.Files(1), **rings, client, "127.0.0.2", 1});
  CHECK(one.RunOnce().files_sent == 1);
  CHECK(ReadObject(c.Files(3), bad) == "good bytes");
}

class NoListings final : public ListingClient {
 public:
  absl::Status Send(const ListingUpdate& u) override {
    sent.push_back(u);
    return absl::OkStatus();
  }
  std::vector<ListingUpdate> sent;
};

TEST_CASE("expirer: an object past X-Delete-At is deleted and its rows updated", "[object]") {
  Cluster c;
  FakeClock clock(absl::FromUnixSeconds(1000));
  auto rings = ring::RingHolder::Create(WriteRing(c, 3), clock);
  REQUIRE(rings.ok());
  NoListings listings;
  AsyncPending pending(c.Files(1).root(), listings);
  ObjectManager objects(c.Files(1), listings, pending, clock);
  const ObjectLocation where{"sd1", 1, "/AUTH_a/c/o"};
  REQUIRE(PutObject(c.Files(1), where, "x", "0000000900", 1100).ok());
  REQUIRE(PutObject(c.Files(1), {"sd1", 1, "/AUTH_a/c/keep"}, "x", "0000000900", 5000).ok());
  Expirer expirer(ExpirerDeps{c.Files(1), objects, **rings, clock, "127.0.0.2", 1});
  CHECK(expirer.RunOnce().expired == 0);
  clock.Advance(absl::Seconds(200));
  ExpiryStats stats = expirer.RunOnce();
  CHECK(stats.expired == 1);
  absl::StatusOr<ObjectState> state = c.Files(1).Open(where);
  CHECK(state->deleted);
  CHECK(state->timestamp == ReplTs("1100"));
  REQUIRE(listings.sent.size() == 3);  // every replica of the container
  CHECK(listings.sent[0].entry.deleted);
  CHECK(listings.sent[0].entry.name == "o");
  CHECK(c.Files(1).Expiring("sd1").size() == 1);  // "keep" is still to come
  CHECK(expirer.RunOnce().expired == 0);
}

TEST_CASE("replicator: container databases converge, rows newest first", "[object]") {
  Cluster c;
  FakeClock clock;
  auto rings = ring::RingHolder::Create(WriteRing(c, 3), clock);
  REQUIRE(rings.ok());
  LocalReplicaClient client(c);
  const uint32_t part = (*rings)->Get()->Partition("AUTH_a", "c");
  const std::string hash = Md5Hex("/AUTH_a/c");
  auto db = [&](int i) {
    return ListingDb(client.DbPath({c.Host(i), c.Device(i)}, "containers", part, hash));
  };
  ListingInfo parent;
  parent.parent_host = "127.0.0.9:1";
  REQUIRE(db(1).Initialize(ReplTs("100"), {{"X-Container-Meta-K", "v"}}, parent).ok());
  REQUIRE(db(2).Initialize(ReplTs("99"), {}, {}).ok());  // missed the PUT at 100
  for (int n = 0; n < 2500; ++n) {                       // more than one batch
    ListingEntry e;
    e.name = "o" + std::to_string(n);
    e.timestamp = ReplTs("101");
    e.size = 1;
    REQUIRE(db(1).Put(e).ok());
  }
  ListingEntry newer{"o1", ReplTs("105"), 7};
  REQUIRE(db(2).Put(newer).ok());
  ListingEntry deleted{"o2", ReplTs("106")};
  deleted.deleted = true;
  REQUIRE(db(2).Put(deleted).ok());

  Replicator one(ReplicatorDeps{c.Files(1), **rings, client, "127.0.0.2", 1});
  ReplicationStats stats = one.RunOnce();
  CHECK(stats.databases.databases == 1);
  CHECK(stats.databases.synced == 2);  // server 3 had none, server 2 an older copy
  Replicator two(ReplicatorDeps{c.Files(2), **rings, client, "127.0.0.3", 1});
  CHECK(two.RunOnce().databases.synced == 2);
  CHECK(one.RunOnce().databases.synced == 0);  // in step now
  for (int i = 1; i <= 3; ++i) {
    absl::StatusOr<ListingInfo> info = db(i).Info();
    REQUIRE(info.ok());
    CHECK(info->count == 2499);
    CHECK(info->bytes == 2498 + 7);
    CHECK(info->headers.at("X-Container-Meta-K") == "v");
    CHECK(*db(i).Digest() == *db(1).Digest());
  }
  CHECK(db(3).Info()->parent_host == "127.0.0.9:1");
}

TEST_CASE("replicator: a server not in the ring does nothing", "[object]") {
  Cluster c;
  FakeClock clock;
  auto rings = ring::RingHolder::Create(WriteRing(c, 2), clock);
  REQUIRE(rings.ok());
  LocalReplicaClient client(c);
  REQUIRE(PutObject(c.Files(1), {"sd1", 1, "/AUTH_a/c/o"}, "x", "100").ok());
  Replicator lost(ReplicatorDeps{c.Files(1), **rings, client, "0.0.0.0", 1});
  ReplicationStats stats = lost.RunOnce();
  CHECK(!stats.in_ring);
  CHECK(stats.files_sent == 0);
  CHECK(fs::exists(c.Files(1).PartitionDir("sd1", 1)));
}

}  // namespace
}  // namespace gureum::object
