// PgComputeStore: the volume_attachments table (migration 0003).
#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/macros.h"
#include "compute/api/pg_store_internal.h"

namespace gureum::compute::internal {
namespace {

VolumeAttachment AttachmentFromRow(const db::Row& r) {
  return {.instance_uuid = r.Get<std::string>("instance_uuid"),
          .volume_id = r.Get<std::string>("volume_id"),
          .attachment_id = r.Get<std::optional<std::string>>("attachment_id").value_or(""),
          .device = r.Get<std::string>("device"),
          .status = r.Get<std::string>("status"),
          .boot_index = r.Get<int>("boot_index"),
          .delete_on_termination = r.Get<bool>("delete_on_termination"),
          .source_type = r.Get<std::string>("source_type"),
          .created_at = r.Get<absl::Time>("created_at"),
          .updated_at = r.Get<absl::Time>("updated_at")};
}

absl::Status NotAttached(const std::string& instance_uuid, const std::string& volume_id) {
  return absl::NotFoundError(
      absl::StrCat("Volume ", volume_id, " is not attached to instance ", instance_uuid, "."));
}

}  // namespace

absl::Status PgComputeStore::CreateVolumeAttachment(const VolumeAttachment& a) {
  absl::Status s = pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(db::Rows found,
                            tx.Exec("SELECT 1 FROM instances WHERE uuid = $1", {a.instance_uuid}));
    if (found.empty()) {
      return absl::NotFoundError("Instance " + a.instance_uuid + " could not be found.");
    }
    return tx
        .Exec(
            "INSERT INTO volume_attachments (instance_uuid, volume_id, attachment_id, device, "
            "status, boot_index, delete_on_termination, source_type) VALUES ($1,$2,NULLIF($3, "
            "''),$4,$5,$6,$7,$8)",
            {a.instance_uuid, a.volume_id, a.attachment_id, a.device, a.status, a.boot_index,
             a.delete_on_termination, a.source_type})
        .status();
  });
  // Mapped outside the transaction, which reports a unique violation in its own words.
  return Duplicate(s, absl::StrCat("Volume ", a.volume_id, " is already attached to instance ",
                                   a.instance_uuid, "."));
}

absl::StatusOr<VolumeAttachment> PgComputeStore::GetVolumeAttachment(
    const std::string& instance_uuid, const std::string& volume_id) {
  VolumeAttachment out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows,
        tx.Exec("SELECT * FROM volume_attachments WHERE instance_uuid = $1 AND volume_id = $2",
                {instance_uuid, volume_id}));
    if (rows.empty()) return NotAttached(instance_uuid, volume_id);
    out = AttachmentFromRow(rows[0]);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<VolumeAttachment>> PgComputeStore::ListVolumeAttachments(
    const std::string& instance_uuid) {
  std::vector<VolumeAttachment> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows,
                            tx.Exec("SELECT * FROM volume_attachments WHERE instance_uuid = $1 "
                                    "ORDER BY created_at, volume_id",
                                    {instance_uuid}));
    for (const db::Row& r : rows) out.push_back(AttachmentFromRow(r));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<VolumeAttachment> PgComputeStore::UpdateVolumeAttachment(
    const std::string& attachment_id, const std::vector<std::string>& expected,
    const std::string& status, const std::string& device) {
  VolumeAttachment out;
  GUREUM_RETURN_IF_ERROR(pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows,
        tx.Exec("SELECT * FROM volume_attachments WHERE attachment_id = $1 FOR UPDATE",
                {attachment_id}));
    if (rows.empty()) {
      return absl::NotFoundError("Volume attachment " + attachment_id + " could not be found.");
    }
    out = AttachmentFromRow(rows[0]);
    if (!expected.empty() &&
        std::find(expected.begin(), expected.end(), out.status) == expected.end()) {
      return absl::FailedPreconditionError(absl::StrCat("Volume ", out.volume_id, " is ",
                                                        out.status, ", not ",
                                                        absl::StrJoin(expected, " or "), "."));
    }
    GUREUM_ASSIGN_OR_RETURN(
        db::Row row,
        tx.ExecOne("UPDATE volume_attachments SET status = $2, device = CASE WHEN $3 = '' THEN "
                   "device ELSE $3 END, updated_at = now() WHERE attachment_id = $1 RETURNING *",
                   {attachment_id, status, device}, "volume attachment " + attachment_id));
    out = AttachmentFromRow(row);
    return absl::OkStatus();
  }));
  return out;
}

absl::Status PgComputeStore::DeleteVolumeAttachment(const std::string& attachment_id) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        int64_t n, tx.ExecAffected("DELETE FROM volume_attachments WHERE attachment_id = $1",
                                   {attachment_id}));
    return n == 1
               ? absl::OkStatus()
               : absl::NotFoundError("Volume attachment " + attachment_id + " could not be found.");
  });
}

absl::StatusOr<VolumeAttachment> PgComputeStore::SetVolumeAttachmentId(
    const std::string& instance_uuid, const std::string& volume_id,
    const std::string& attachment_id) {
  VolumeAttachment out;
  absl::Status s = pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows,
                            tx.Exec("SELECT * FROM volume_attachments WHERE instance_uuid = $1 "
                                    "AND volume_id = $2 FOR UPDATE",
                                    {instance_uuid, volume_id}));
    if (rows.empty()) return NotAttached(instance_uuid, volume_id);
    out = AttachmentFromRow(rows[0]);
    if (out.attachment_id == attachment_id) return absl::OkStatus();
    if (!out.attachment_id.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("Volume ", volume_id, " has attachment ", out.attachment_id, " already."));
    }
    GUREUM_ASSIGN_OR_RETURN(
        db::Row row,
        tx.ExecOne("UPDATE volume_attachments SET attachment_id = $3, updated_at = now() WHERE "
                   "instance_uuid = $1 AND volume_id = $2 RETURNING *",
                   {instance_uuid, volume_id, attachment_id}, "volume attachment " + volume_id));
    out = AttachmentFromRow(row);
    return absl::OkStatus();
  });
  GUREUM_RETURN_IF_ERROR(Duplicate(s, "Volume attachment " + attachment_id + " is taken."));
  return out;
}

}  // namespace gureum::compute::internal
