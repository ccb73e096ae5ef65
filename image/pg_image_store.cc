// PostgreSQL ImageStore. Tags and properties travel as JSON text (JSONB columns).
#include "image/pg_image_store.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/macros.h"
#include "image/image_errors.h"

namespace gureum::image {
namespace {

constexpr char kColumns[] =
    "id, name, status, disk_format, container_format, size, virtual_size, checksum, "
    "os_hash_algo, os_hash_value, min_disk, min_ram, visibility, protected, os_hidden, owner, "
    "tags::text AS tags, properties::text AS properties, location, created_at, updated_at";

Image ToImage(const db::Row& r) {
  Image i;
  i.id = r.Get<std::string>("id");
  i.name = r.Get<std::string>("name");
  i.status = r.Get<std::string>("status");
  i.disk_format = r.Get<std::string>("disk_format");
  i.container_format = r.Get<std::string>("container_format");
  i.size = r.Get<std::optional<int64_t>>("size");
  i.virtual_size = r.Get<std::optional<int64_t>>("virtual_size");
  i.checksum = r.Get<std::string>("checksum");
  i.os_hash_algo = r.Get<std::string>("os_hash_algo");
  i.os_hash_value = r.Get<std::string>("os_hash_value");
  i.min_disk = r.Get<int>("min_disk");
  i.min_ram = r.Get<int>("min_ram");
  i.visibility = r.Get<std::string>("visibility");
  i.is_protected = r.Get<bool>("protected");
  i.os_hidden = r.Get<bool>("os_hidden");
  i.owner = r.Get<std::string>("owner");
  i.tags = nlohmann::json::parse(r.Get<std::string>("tags")).get<std::vector<std::string>>();
  i.properties = nlohmann::json::parse(r.Get<std::string>("properties"))
                     .get<std::map<std::string, std::string>>();
  i.location = r.Get<std::string>("location");
  i.created_at = r.Get<absl::Time>("created_at");
  i.updated_at = r.Get<absl::Time>("updated_at");
  return i;
}

Member ToMember(const db::Row& r) {
  return Member{r.Get<std::string>("image_id"), r.Get<std::string>("member_id"),
                r.Get<std::string>("status"), r.Get<absl::Time>("created_at"),
                r.Get<absl::Time>("updated_at")};
}

std::string TagsJson(const Image& i) { return nlohmann::json(i.tags).dump(); }
std::string PropsJson(const Image& i) { return nlohmann::json(i.properties).dump(); }

absl::StatusOr<int64_t> ScalarInt(db::Tx& tx, const std::string& sql, const db::Params& params) {
  GUREUM_ASSIGN_OR_RETURN(db::Row row, tx.ExecOne(sql, params, "aggregate"));
  return row.Get<int64_t>("n");
}

class PgImageStore final : public ImageStore {
 public:
  explicit PgImageStore(db::ConnectionPool& pool) : pool_(pool) {}

  absl::Status CreateImage(const Image& i, int64_t max_images) override {
    return pool_.Transact([&](db::Tx& tx) -> absl::Status {
      if (max_images >= 0) {
        // Serialise creations per owner so two concurrent ones cannot both pass the check.
        GUREUM_RETURN_IF_ERROR(
            tx.Exec("SELECT pg_advisory_xact_lock(hashtext($1))", {"image-quota:" + i.owner})
                .status());
        GUREUM_ASSIGN_OR_RETURN(
            int64_t n,
            ScalarInt(tx, "SELECT count(*) AS n FROM images WHERE owner = $1", {i.owner}));
        if (n >= max_images) {
          return absl::ResourceExhaustedError(
              absl::StrCat("Maximum number of images exceeded: project ", i.owner, " has ", n,
                           " images and the limit (image_count_quota) is ", max_images, "."));
        }
      }
      return tx
          .Exec(
              "INSERT INTO images (id, name, status, disk_format, container_format, size, "
              "virtual_size, checksum, os_hash_algo, os_hash_value, min_disk, min_ram, "
              "visibility, protected, os_hidden, owner, tags, properties, location, "
              "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
              "$11, $12, $13, $14, $15, $16, $17::jsonb, $18::jsonb, $19, $20, $21)",
              {i.id,        i.name,         i.status,     i.disk_format,  i.container_format,
               i.size,      i.virtual_size, i.checksum,   i.os_hash_algo, i.os_hash_value,
               i.min_disk,  i.min_ram,      i.visibility, i.is_protected, i.os_hidden,
               i.owner,     TagsJson(i),    PropsJson(i), i.location,     i.created_at,
               i.updated_at})
          .status();
    });
  }

  absl::StatusOr<Image> GetImage(const std::string& id) override {
    Image out;
    GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
      GUREUM_ASSIGN_OR_RETURN(
          db::Rows rows,
          tx.Exec(absl::StrCat("SELECT ", kColumns, " FROM images WHERE id = $1"), {id}));
      if (rows.empty()) return ImageNotFound(id);
      out = ToImage(rows[0]);
      return absl::OkStatus();
    }));
    return out;
  }

  absl::StatusOr<std::vector<Image>> ListImages(const ImageQuery& q) override {
    std::vector<std::string> where;
    db::Params params;
    auto next = [&](db::Param p) {
      params.push_back(std::move(p));
      return absl::StrCat("$", params.size());
    };
    if (!q.all_projects) {
      std::string project = next(q.project_id);
      std::string member_cond =
          q.member_status == "all" ? "" : absl::StrCat(" AND m.status = ", next(q.member_status));
      where.push_back(absl::StrCat(
          "(owner = ", project, " OR visibility = 'public'",
          q.visibility.value_or("") == kCommunity ? " OR visibility = 'community'" : "",
          " OR (visibility = 'shared' AND EXISTS (SELECT 1 FROM image_members m WHERE "
          "m.image_id = images.id AND m.member_id = ",
          project, member_cond, ")))"));
    }
    if (q.visibility) where.push_back("visibility = " + next(*q.visibility));
    if (q.name) where.push_back("name = " + next(*q.name));
    if (q.status) where.push_back("status = " + next(*q.status));
    if (q.owner) where.push_back("owner = " + next(*q.owner));
    if (!q.tags.empty())
      where.push_back("tags @> " + next(nlohmann::json(q.tags).dump()) + "::jsonb");
    if (!q.include_hidden) where.push_back("NOT os_hidden");
    if (!q.marker.empty()) {
      std::string m = next(q.marker);
      where.push_back(absl::StrCat(
          "(created_at, id) < (SELECT created_at, id FROM images WHERE id = ", m, ")"));
    }
    std::string sql = absl::StrCat("SELECT ", kColumns, " FROM images");
    if (!where.empty()) sql += " WHERE " + absl::StrJoin(where, " AND ");
    sql += absl::StrCat(" ORDER BY created_at DESC, id DESC LIMIT ", q.limit);
    std::vector<Image> out;
    GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
      out.clear();
      GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx.Exec(sql, params));
      for (const db::Row& r : rows) out.push_back(ToImage(r));
      return absl::OkStatus();
    }));
    return out;
  }

  absl::Status UpdateImage(const Image& i) override {
    return Affect(
        i.id,
        "UPDATE images SET name = $2, disk_format = $3, container_format = $4, "
        "min_disk = $5, min_ram = $6, visibility = $7, protected = $8, "
        "os_hidden = $9, tags = $10::jsonb, properties = $11::jsonb, updated_at = $12, "
        "owner = $13 WHERE id = $1",
        {i.id, i.name, i.disk_format, i.container_format, i.min_disk, i.min_ram, i.visibility,
         i.is_protected, i.os_hidden, TagsJson(i), PropsJson(i), i.updated_at, i.owner});
  }

  absl::Status SetStatus(const std::string& id, const std::vector<std::string>& from,
                         const std::string& to, absl::Time now) override {
    return pool_.Transact([&](db::Tx& tx) -> absl::Status {
      GUREUM_ASSIGN_OR_RETURN(db::Rows rows,
                              tx.Exec("SELECT status FROM images WHERE id = $1 FOR UPDATE", {id}));
      if (rows.empty()) return ImageNotFound(id);
      std::string current = rows[0].Get<std::string>("status");
      if (std::find(from.begin(), from.end(), current) == from.end()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "Image ", id, " is ", current, "; expected ", absl::StrJoin(from, " or "), "."));
      }
      return tx.Exec("UPDATE images SET status = $2, updated_at = $3 WHERE id = $1", {id, to, now})
          .status();
    });
  }

  absl::Status CompleteUpload(const Image& i, int64_t max_bytes) override {
    return pool_.Transact([&](db::Tx& tx) -> absl::Status {
      GUREUM_ASSIGN_OR_RETURN(
          db::Rows rows,
          tx.Exec("SELECT status, owner FROM images WHERE id = $1 FOR UPDATE", {i.id}));
      if (rows.empty()) return ImageNotFound(i.id);
      if (rows[0].Get<std::string>("status") != kSaving) {
        return absl::FailedPreconditionError(absl::StrCat(
            "Image ", i.id, " is ", rows[0].Get<std::string>("status"), ", not saving."));
      }
      std::string owner = rows[0].Get<std::string>("owner");
      if (max_bytes >= 0) {
        GUREUM_RETURN_IF_ERROR(
            tx.Exec("SELECT pg_advisory_xact_lock(hashtext($1))", {"image-bytes:" + owner})
                .status());
        GUREUM_ASSIGN_OR_RETURN(
            int64_t used,
            ScalarInt(tx,
                      "SELECT COALESCE(sum(size), 0)::bigint AS n FROM images WHERE owner = $1 "
                      "AND id <> $2",
                      {owner, i.id}));
        if (used + i.size.value_or(0) > max_bytes) {
          return absl::ResourceExhaustedError(absl::StrCat(
              "Storage quota exceeded: project ", owner, " uses ", used, " bytes; this image (",
              i.size.value_or(0), " bytes) would exceed the limit (image_size_total_quota) of ",
              max_bytes, " bytes."));
        }
      }
      return tx
          .Exec(
              "UPDATE images SET status = 'active', size = $2, virtual_size = $3, "
              "checksum = $4, os_hash_algo = $5, os_hash_value = $6, location = $7, "
              "updated_at = $8 WHERE id = $1",
              {i.id, i.size, i.virtual_size, i.checksum, i.os_hash_algo, i.os_hash_value,
               i.location, i.updated_at})
          .status();
    });
  }

  absl::StatusOr<Image> DeleteImage(const std::string& id) override {
    Image out;
    GUREUM_RETURN_IF_ERROR(pool_.Transact([&](db::Tx& tx) -> absl::Status {
      GUREUM_ASSIGN_OR_RETURN(
          db::Rows rows,
          tx.Exec(absl::StrCat("DELETE FROM images WHERE id = $1 RETURNING ", kColumns), {id}));
      if (rows.empty()) return ImageNotFound(id);
      out = ToImage(rows[0]);
      return absl::OkStatus();
    }));
    return out;
  }

  absl::Status AddMember(const Member& m) override {
    absl::Status s = pool_.Transact([&](db::Tx& tx) -> absl::Status {
      return tx
          .Exec(
              "INSERT INTO image_members (image_id, member_id, status, created_at, "
              "updated_at) VALUES ($1, $2, $3, $4, $5)",
              {m.image_id, m.member_id, m.status, m.created_at, m.updated_at})
          .status();
    });
    if (absl::IsAlreadyExists(s)) {
      return absl::AlreadyExistsError(
          absl::StrCat("Member ", m.member_id, " already exists for image ", m.image_id, "."));
    }
    if (absl::IsFailedPrecondition(s)) return ImageNotFound(m.image_id);
    return s;
  }

  absl::StatusOr<Member> GetMember(const std::string& image_id,
                                   const std::string& member_id) override {
    Member out;
    GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
      GUREUM_ASSIGN_OR_RETURN(db::Rows rows,
                              tx.Exec("SELECT * FROM image_members WHERE image_id = $1 AND "
                                      "member_id = $2",
                                      {image_id, member_id}));
      if (rows.empty()) return MemberNotFound(image_id, member_id);
      out = ToMember(rows[0]);
      return absl::OkStatus();
    }));
    return out;
  }

  absl::Status UpdateMember(const Member& m) override {
    absl::Status s = pool_.Transact([&](db::Tx& tx) -> absl::Status {
      GUREUM_ASSIGN_OR_RETURN(
          int64_t n, tx.ExecAffected("UPDATE image_members SET status = $3, updated_at = $4 "
                                     "WHERE image_id = $1 AND member_id = $2",
                                     {m.image_id, m.member_id, m.status, m.updated_at}));
      return n == 1 ? absl::OkStatus() : MemberNotFound(m.image_id, m.member_id);
    });
    return s;
  }

  absl::Status DeleteMember(const std::string& image_id, const std::string& member_id) override {
    return pool_.Transact([&](db::Tx& tx) -> absl::Status {
      GUREUM_ASSIGN_OR_RETURN(
          int64_t n,
          tx.ExecAffected("DELETE FROM image_members WHERE image_id = $1 AND member_id = $2",
                          {image_id, member_id}));
      return n == 1 ? absl::OkStatus() : MemberNotFound(image_id, member_id);
    });
  }

  absl::StatusOr<std::vector<Member>> ListMembers(const std::string& image_id) override {
    std::vector<Member> out;
    GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
      out.clear();
      GUREUM_ASSIGN_OR_RETURN(db::Rows rows,
                              tx.Exec("SELECT * FROM image_members WHERE image_id = $1 "
                                      "ORDER BY member_id",
                                      {image_id}));
      for (const db::Row& r : rows) out.push_back(ToMember(r));
      return absl::OkStatus();
    }));
    return out;
  }

  absl::StatusOr<int64_t> KillInterruptedUploads(absl::Time now) override {
    int64_t n = 0;
    GUREUM_RETURN_IF_ERROR(pool_.Transact([&](db::Tx& tx) -> absl::Status {
      GUREUM_ASSIGN_OR_RETURN(n, tx.ExecAffected("UPDATE images SET status = 'killed', "
                                                 "updated_at = $1 WHERE status = 'saving'",
                                                 {now}));
      return absl::OkStatus();
    }));
    return n;
  }

  absl::StatusOr<Usage> GetUsage(const std::string& project_id) override {
    Usage out;
    GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
      GUREUM_ASSIGN_OR_RETURN(
          db::Row row, tx.ExecOne("SELECT count(*)::bigint AS n, COALESCE(sum(size), 0)::bigint "
                                  "AS bytes FROM images WHERE owner = $1",
                                  {project_id}, "usage"));
      out.image_count = row.Get<int64_t>("n");
      out.total_bytes = row.Get<int64_t>("bytes");
      return absl::OkStatus();
    }));
    return out;
  }

 private:
  absl::Status Affect(const std::string& id, const std::string& sql, const db::Params& params) {
    return pool_.Transact([&](db::Tx& tx) -> absl::Status {
      GUREUM_ASSIGN_OR_RETURN(int64_t n, tx.ExecAffected(sql, params));
      return n == 1 ? absl::OkStatus() : ImageNotFound(id);
    });
  }

  db::ConnectionPool& pool_;
};

}  // namespace

std::unique_ptr<ImageStore> NewPgImageStore(db::ConnectionPool& pool) {
  return std::make_unique<PgImageStore>(pool);
}

}  // namespace gureum::image
