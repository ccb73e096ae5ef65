#include "object-storage/server/listing_db.h"

#include <filesystem>
#include <memory>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "object-storage/server/names.h"

namespace gureum::object {
namespace {

using json = nlohmann::json;

constexpr char kSchema[] = R"sql(
PRAGMA journal_mode = WAL;
CREATE TABLE IF NOT EXISTS entries (
  name TEXT PRIMARY KEY, timestamp TEXT NOT NULL, size INTEGER NOT NULL,
  object_count INTEGER NOT NULL, content_type TEXT NOT NULL, etag TEXT NOT NULL,
  deleted INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS info (
  id INTEGER PRIMARY KEY CHECK (id = 1), put_timestamp TEXT NOT NULL,
  delete_timestamp TEXT NOT NULL, count INTEGER NOT NULL, object_count INTEGER NOT NULL,
  bytes INTEGER NOT NULL, headers TEXT NOT NULL, headers_timestamp TEXT NOT NULL,
  parent_host TEXT NOT NULL, parent_device TEXT NOT NULL, parent_partition TEXT NOT NULL);
)sql";

// One open database; statements are prepared per call (they are few and short).
class Sql {
 public:
  static absl::StatusOr<std::unique_ptr<Sql>> Open(const std::string& path, bool create,
                                                   ListingConnections* pool) {
    if (pool != nullptr) {
      if (sqlite3* idle = pool->Take(path)) return std::unique_ptr<Sql>(new Sql(idle, pool, path));
    }
    sqlite3* db = nullptr;
    const int flags =
        SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
      sqlite3_close(db);
      if (!create) return absl::NotFoundError(absl::StrCat("no database ", path));
      return absl::InternalError(absl::StrCat("cannot open ", path));
    }
    sqlite3_busy_timeout(db, 10000);
    // WAL with synchronous=NORMAL: a commit is not fsync'd (checkpoints are), so a power
    // cut may lose the last listing updates but never corrupts the database. Swift takes
    // the same bet with its unsynced .pending files; the object itself is fsync'd, and
    // replication (later) repairs listings.
    sqlite3_exec(db, "PRAGMA synchronous = NORMAL", nullptr, nullptr, nullptr);
    // A closing connection would checkpoint the WAL into the database (and fsync it);
    // SQLite's automatic checkpoints, every 1000 pages, do it instead.
    sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    return std::unique_ptr<Sql>(new Sql(db, pool, path));
  }
  ~Sql() {
    if (pool_ == nullptr) {
      sqlite3_close(db_);
      return;
    }
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    pool_->Give(path_, db_);
  }

  absl::Status Exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      absl::Status s = absl::InternalError(absl::StrCat("sqlite: ", error ? error : "?"));
      sqlite3_free(error);
      return s;
    }
    return absl::OkStatus();
  }

  // A prepared statement with text/integer parameters, stepped row by row.
  class Stmt {
   public:
    Stmt(sqlite3* db, const std::string& sql) {
      sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr);
    }
    ~Stmt() { sqlite3_finalize(stmt_); }
    bool ok() const { return stmt_ != nullptr; }
    Stmt& Bind(int i, const std::string& v) {
      sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
      return *this;
    }
    Stmt& Bind(int i, int64_t v) {
      sqlite3_bind_int64(stmt_, i, v);
      return *this;
    }
    // true while there is a row.
    absl::StatusOr<bool> Step() {
      const int rc = sqlite3_step(stmt_);
      if (rc == SQLITE_ROW) return true;
      if (rc == SQLITE_DONE) return false;
      return absl::InternalError(
          absl::StrCat("sqlite: ", sqlite3_errmsg(sqlite3_db_handle(stmt_))));
    }
    std::string Text(int col) const {
      const unsigned char* t = sqlite3_column_text(stmt_, col);
      return t ? std::string(reinterpret_cast<const char*>(t), sqlite3_column_bytes(stmt_, col))
               : std::string();
    }
    int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }

   private:
    sqlite3_stmt* stmt_ = nullptr;
  };
  Stmt Prepare(const std::string& sql) { return Stmt(db_, sql); }

 private:
  Sql(sqlite3* db, ListingConnections* pool, std::string path)
      : db_(db), pool_(pool), path_(std::move(path)) {}
  sqlite3* db_;
  ListingConnections* pool_;  // may be null: the connection is closed with this
  std::string path_;
};

Timestamp Ts(const std::string& text) { return Timestamp::Parse(text).value_or(Timestamp()); }

absl::StatusOr<ListingInfo> ReadInfo(Sql& sql) {
  Sql::Stmt q = sql.Prepare(
      "SELECT put_timestamp, delete_timestamp, count, object_count, bytes, headers, "
      "headers_timestamp, parent_host, parent_device, parent_partition FROM info");
  if (!q.ok()) return absl::NotFoundError("no listing database");
  absl::StatusOr<bool> row = q.Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::NotFoundError("no listing database");
  ListingInfo info;
  info.put_timestamp = Ts(q.Text(0));
  info.delete_timestamp = Ts(q.Text(1));
  info.count = q.Int(2);
  info.object_count = q.Int(3);
  info.bytes = q.Int(4);
  json headers = json::parse(q.Text(5), nullptr, false);
  if (headers.is_object()) info.headers = headers.get<std::map<std::string, std::string>>();
  info.headers_timestamp = Ts(q.Text(6));
  info.parent_host = q.Text(7);
  info.parent_device = q.Text(8);
  info.parent_partition = q.Text(9);
  return info;
}

// The smallest string above every string that starts with `prefix` ("" if none).
std::string PrefixEnd(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xff) prefix.pop_back();
  if (!prefix.empty()) prefix.back() = static_cast<char>(prefix.back() + 1);
  return prefix;
}

absl::Status MergeHeaders(Sql& sql, Timestamp ts,
                          const std::map<std::string, std::string>& headers) {
  if (headers.empty()) return absl::OkStatus();
  absl::StatusOr<ListingInfo> info = ReadInfo(sql);
  if (!info.ok()) return info.status();
  for (const auto& [k, v] : headers) {
    if (v.empty())
      info->headers.erase(k);
    else
      info->headers[k] = v;
  }
  Sql::Stmt u = sql.Prepare("UPDATE info SET headers = ?, headers_timestamp = ?");
  u.Bind(1, json(info->headers).dump()).Bind(2, std::max(ts, info->headers_timestamp).ToString());
  return u.Step().status();
}

// Adds or replaces a row unless the stored one is newer, and the totals with it; inside
// the caller's transaction.
absl::Status PutRow(Sql& db, const ListingEntry& e) {
  Sql::Stmt old =
      db.Prepare("SELECT timestamp, size, object_count, deleted FROM entries WHERE name = ?");
  old.Bind(1, e.name);
  absl::StatusOr<bool> found = old.Step();
  if (!found.ok()) return found.status();
  if (*found && Ts(old.Text(0)) > e.timestamp) return absl::OkStatus();
  const bool was_live = *found && old.Int(3) == 0;
  const int64_t d_count = (e.deleted ? 0 : 1) - (was_live ? 1 : 0);
  const int64_t d_bytes = (e.deleted ? 0 : e.size) - (was_live ? old.Int(1) : 0);
  const int64_t d_objects = (e.deleted ? 0 : e.object_count) - (was_live ? old.Int(2) : 0);
  Sql::Stmt put = db.Prepare("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?, ?, ?)");
  put.Bind(1, e.name).Bind(2, e.timestamp.ToString()).Bind(3, e.size).Bind(4, e.object_count);
  put.Bind(5, e.content_type).Bind(6, e.etag).Bind(7, int64_t{e.deleted ? 1 : 0});
  if (absl::Status s = put.Step().status(); !s.ok()) return s;
  Sql::Stmt totals = db.Prepare(
      "UPDATE info SET count = count + ?, bytes = bytes + ?, object_count = object_count + ?");
  totals.Bind(1, d_count).Bind(2, d_bytes).Bind(3, d_objects);
  return totals.Step().status();
}

// A replica's listing-wide fields, taken in where newer.
absl::Status MergeInfo(Sql& db, const ListingInfo& in) {
  Sql::Stmt insert =
      db.Prepare("INSERT OR IGNORE INTO info VALUES (1, ?, ?, 0, 0, 0, ?, ?, ?, ?, ?)");
  insert.Bind(1, in.put_timestamp.ToString()).Bind(2, in.delete_timestamp.ToString());
  insert.Bind(3, json(in.headers).dump()).Bind(4, in.headers_timestamp.ToString());
  insert.Bind(5, in.parent_host).Bind(6, in.parent_device).Bind(7, in.parent_partition);
  if (absl::Status s = insert.Step().status(); !s.ok()) return s;
  Sql::Stmt times = db.Prepare(
      "UPDATE info SET put_timestamp = max(put_timestamp, ?), "
      "delete_timestamp = max(delete_timestamp, ?)");
  times.Bind(1, in.put_timestamp.ToString()).Bind(2, in.delete_timestamp.ToString());
  if (absl::Status s = times.Step().status(); !s.ok()) return s;
  Sql::Stmt headers =
      db.Prepare("UPDATE info SET headers = ?, headers_timestamp = ? WHERE headers_timestamp < ?");
  headers.Bind(1, json(in.headers).dump()).Bind(2, in.headers_timestamp.ToString());
  headers.Bind(3, in.headers_timestamp.ToString());
  if (absl::Status s = headers.Step().status(); !s.ok()) return s;
  Sql::Stmt parent = db.Prepare(
      "UPDATE info SET parent_host = ?, parent_device = ?, parent_partition = ? "
      "WHERE parent_host = ''");
  parent.Bind(1, in.parent_host).Bind(2, in.parent_device).Bind(3, in.parent_partition);
  return parent.Step().status();
}

}  // namespace

ListingConnections::~ListingConnections() {
  absl::MutexLock lock(&mu_);
  for (auto& [path, dbs] : idle_) {
    for (sqlite3* db : dbs) sqlite3_close(db);
  }
}

sqlite3* ListingConnections::Take(const std::string& path) {
  absl::MutexLock lock(&mu_);
  auto it = idle_.find(path);
  if (it == idle_.end() || it->second.empty()) return nullptr;
  sqlite3* db = it->second.back();
  it->second.pop_back();
  if (it->second.empty()) idle_.erase(it);
  --count_;
  return db;
}

void ListingConnections::Give(const std::string& path, sqlite3* db) {
  {
    absl::MutexLock lock(&mu_);
    if (count_ < max_idle_) {
      idle_[path].push_back(db);
      ++count_;
      return;
    }
  }
  sqlite3_close(db);  // enough idle ones already
}

void ListingConnections::Forget(const std::string& path) {
  std::vector<sqlite3*> dbs;
  {
    absl::MutexLock lock(&mu_);
    auto it = idle_.find(path);
    if (it == idle_.end()) return;
    dbs = std::move(it->second);
    count_ -= dbs.size();
    idle_.erase(it);
  }
  for (sqlite3* db : dbs) sqlite3_close(db);
}

absl::Status ListingDb::Initialize(Timestamp ts, const std::map<std::string, std::string>& headers,
                                   const ListingInfo& parent) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path_).parent_path(), ec);
  absl::StatusOr<std::unique_ptr<Sql>> sql = Sql::Open(path_, /*create=*/true, connections_);
  if (!sql.ok()) return sql.status();
  Sql& db = **sql;
  if (absl::Status s = db.Exec(kSchema); !s.ok()) return s;
  if (absl::Status s = db.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  Sql::Stmt insert = db.Prepare(
      "INSERT OR IGNORE INTO info VALUES (1, ?, '0000000000.00000', 0, 0, 0, '{}', ?, ?, ?, ?)");
  insert.Bind(1, ts.ToString()).Bind(2, ts.ToString());
  insert.Bind(3, parent.parent_host).Bind(4, parent.parent_device).Bind(5, parent.parent_partition);
  absl::Status s = insert.Step().status();
  if (s.ok()) {
    Sql::Stmt update = db.Prepare(
        "UPDATE info SET put_timestamp = max(put_timestamp, ?), "
        "parent_host = ?, parent_device = ?, parent_partition = ?");
    update.Bind(1, ts.ToString()).Bind(2, parent.parent_host).Bind(3, parent.parent_device);
    update.Bind(4, parent.parent_partition);
    s = update.Step().status();
  }
  if (s.ok()) s = MergeHeaders(db, ts, headers);
  if (!s.ok()) {
    (void)db.Exec("ROLLBACK");
    return s;
  }
  return db.Exec("COMMIT");
}

absl::StatusOr<ListingInfo> ListingDb::Info() const {
  absl::StatusOr<std::unique_ptr<Sql>> sql = Sql::Open(path_, /*create=*/false, connections_);
  if (!sql.ok()) return sql.status();
  return ReadInfo(**sql);
}

absl::Status ListingDb::Put(const ListingEntry& e) { return PutAll({e}); }

absl::Status ListingDb::PutAll(const std::vector<ListingEntry>& entries) {
  absl::StatusOr<std::unique_ptr<Sql>> sql = Sql::Open(path_, /*create=*/false, connections_);
  if (!sql.ok()) return sql.status();
  Sql& db = **sql;
  if (absl::Status s = db.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  absl::Status s;
  for (size_t i = 0; s.ok() && i < entries.size(); ++i) s = PutRow(db, entries[i]);
  if (!s.ok()) {
    (void)db.Exec("ROLLBACK");
    return s;
  }
  return db.Exec("COMMIT");
}

absl::StatusOr<std::vector<ListingEntry>> ListingDb::List(const ListingQuery& q) const {
  absl::StatusOr<std::unique_ptr<Sql>> sql = Sql::Open(path_, /*create=*/false, connections_);
  if (!sql.ok()) return sql.status();
  std::vector<ListingEntry> out;
  std::string marker = q.marker;
  // In reverse, the range starts just below the prefix's end.
  if (q.reverse && !q.prefix.empty()) {
    const std::string end = PrefixEnd(q.prefix);
    if (!end.empty() && (marker.empty() || end < marker)) marker = end;
  }
  while (static_cast<int>(out.size()) < q.limit) {
    std::string where = "deleted = 0";
    if (!marker.empty()) where += q.reverse ? " AND name < ?1" : " AND name > ?1";
    if (!q.end_marker.empty()) where += q.reverse ? " AND name > ?2" : " AND name < ?2";
    if (!q.prefix.empty() && !q.reverse) where += " AND name >= ?3";
    const int want = q.limit - static_cast<int>(out.size());
    Sql::Stmt s = (*sql)->Prepare(absl::StrCat(
        "SELECT name, timestamp, size, object_count, content_type, etag FROM entries WHERE ", where,
        " ORDER BY name ", q.reverse ? "DESC" : "ASC", " LIMIT ", want));
    if (!marker.empty()) s.Bind(1, marker);
    if (!q.end_marker.empty()) s.Bind(2, q.end_marker);
    if (!q.prefix.empty() && !q.reverse) s.Bind(3, q.prefix);
    int rows = 0;
    bool jumped = false;
    while (true) {
      absl::StatusOr<bool> row = s.Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      ++rows;
      std::string name = s.Text(0);
      if (!absl::StartsWith(name, q.prefix)) return out;
      marker = name;
      const size_t cut =
          q.delimiter.empty() ? std::string::npos : name.find(q.delimiter, q.prefix.size());
      // As Swift: a name that ends at the delimiter is an object of its own, and the
      // common prefix a client passed as its marker (paging) is not listed again.
      if (cut != std::string::npos && name.size() > cut + q.delimiter.size()) {
        ListingEntry dir;
        dir.name = name.substr(0, cut + q.delimiter.size());
        dir.subdir = true;
        if (dir.name != q.marker) out.push_back(dir);
        // Skip past every name under this common prefix.
        marker = q.reverse ? dir.name : PrefixEnd(dir.name);
        jumped = true;
        break;
      }
      out.push_back({name, Ts(s.Text(1)), s.Int(2), s.Int(3), s.Text(4), s.Text(5)});
    }
    if (!jumped && rows < want) break;
  }
  return out;
}

absl::Status ListingDb::UpdateHeaders(Timestamp ts,
                                      const std::map<std::string, std::string>& headers) {
  absl::StatusOr<std::unique_ptr<Sql>> sql = Sql::Open(path_, /*create=*/false, connections_);
  if (!sql.ok()) return sql.status();
  return MergeHeaders(**sql, ts, headers);
}

absl::Status ListingDb::MarkDeleted(Timestamp ts) {
  absl::StatusOr<std::unique_ptr<Sql>> sql = Sql::Open(path_, /*create=*/false, connections_);
  if (!sql.ok()) return sql.status();
  Sql& db = **sql;
  absl::StatusOr<ListingInfo> info = ReadInfo(db);
  if (!info.ok()) return info.status();
  if (info->count > 0) return absl::FailedPreconditionError("There are objects in it.");
  Sql::Stmt u = db.Prepare("UPDATE info SET delete_timestamp = max(delete_timestamp, ?)");
  u.Bind(1, ts.ToString());
  return u.Step().status();
}

absl::StatusOr<std::vector<ListingEntry>> ListingDb::Rows(const std::string& after,
                                                          int limit) const {
  absl::StatusOr<std::unique_ptr<Sql>> sql = Sql::Open(path_, /*create=*/false, connections_);
  if (!sql.ok()) return sql.status();
  Sql::Stmt q = (*sql)->Prepare(
      "SELECT name, timestamp, size, object_count, content_type, etag, deleted FROM entries "
      "WHERE name > ? ORDER BY name LIMIT ?");
  q.Bind(1, after).Bind(2, int64_t{limit});
  std::vector<ListingEntry> out;
  while (true) {
    absl::StatusOr<bool> row = q.Step();
    if (!row.ok()) return row.status();
    if (!*row) return out;
    ListingEntry e{q.Text(0), Ts(q.Text(1)), q.Int(2), q.Int(3), q.Text(4), q.Text(5)};
    e.deleted = q.Int(6) != 0;
    out.push_back(std::move(e));
  }
}

absl::StatusOr<std::string> ListingDb::Digest() const {
  absl::StatusOr<ListingInfo> info = Info();
  if (!info.ok()) return info.status();
  std::string text =
      absl::StrCat(info->put_timestamp.ToString(), ";", info->delete_timestamp.ToString(), ";",
                   info->headers_timestamp.ToString(), ";");
  std::string after;
  while (true) {
    absl::StatusOr<std::vector<ListingEntry>> rows = Rows(after, 10000);
    if (!rows.ok()) return rows.status();
    for (const ListingEntry& e : *rows) {
      absl::StrAppend(&text, e.name, "/", e.timestamp.ToString(), "/", e.size, "/", e.object_count,
                      "/", e.deleted ? 1 : 0, ";");
    }
    if (rows->size() < 10000) break;
    after = rows->back().name;
    text = Md5Hex(text);  // keeps the text short for large listings
  }
  return Md5Hex(text);
}

absl::Status ListingDb::Merge(const ListingInfo& info, const std::vector<ListingEntry>& rows) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path_).parent_path(), ec);
  absl::StatusOr<std::unique_ptr<Sql>> sql = Sql::Open(path_, /*create=*/true, connections_);
  if (!sql.ok()) return sql.status();
  Sql& db = **sql;
  if (absl::Status s = db.Exec(kSchema); !s.ok()) return s;
  if (absl::Status s = db.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  absl::Status s = MergeInfo(db, info);
  for (size_t i = 0; s.ok() && i < rows.size(); ++i) s = PutRow(db, rows[i]);
  if (!s.ok()) {
    (void)db.Exec("ROLLBACK");
    return s;
  }
  return db.Exec("COMMIT");
}

}  // namespace gureum::object
