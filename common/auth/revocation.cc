#include "common/auth/revocation.h"

#include "absl/strings/str_cat.h"

namespace gureum::auth {
namespace {

// Keeps the latest cut-off when several events hit the same key.
void Upsert(absl::flat_hash_map<std::string, RevocationEvent>& map, const std::string& key,
            const RevocationEvent& event) {
  auto [it, inserted] = map.try_emplace(key, event);
  if (!inserted && event.issued_before > it->second.issued_before) it->second = event;
}

bool IssuedBefore(const absl::flat_hash_map<std::string, RevocationEvent>& map,
                  const std::string& key, absl::Time issued_at) {
  auto it = map.find(key);
  return it != map.end() && issued_at <= it->second.issued_before;
}

template <typename Map>
void EraseOlder(Map& map, absl::Time cutoff) {
  for (auto it = map.begin(); it != map.end();) {
    auto current = it++;
    if (current->second.revoked_at < cutoff) map.erase(current);
  }
}

}  // namespace

void RevocationList::Add(const RevocationEvent& event) {
  absl::MutexLock lock(&mu_);
  if (!event.audit_id.empty()) {
    by_audit_.try_emplace(event.audit_id, event);
  } else if (!event.user_id.empty() && !event.project_id.empty()) {
    Upsert(by_user_project_, absl::StrCat(event.user_id, "/", event.project_id), event);
  } else if (!event.user_id.empty()) {
    Upsert(by_user_, event.user_id, event);
  } else if (!event.project_id.empty()) {
    Upsert(by_project_, event.project_id, event);
  }
}

bool RevocationList::IsRevoked(const TokenClaims& c) const {
  absl::ReaderMutexLock lock(&mu_);
  if (by_audit_.contains(c.audit_id)) return true;
  for (const std::string& parent : c.audit_chain) {
    if (by_audit_.contains(parent)) return true;
  }
  if (IssuedBefore(by_user_, c.user_id, c.issued_at)) return true;
  if (!c.project_id.empty()) {
    if (IssuedBefore(by_project_, c.project_id, c.issued_at)) return true;
    if (!by_user_project_.empty() &&
        IssuedBefore(by_user_project_, absl::StrCat(c.user_id, "/", c.project_id), c.issued_at)) {
      return true;
    }
  }
  return false;
}

void RevocationList::Expire(absl::Time now, absl::Duration max_token_life) {
  absl::MutexLock lock(&mu_);
  absl::Time cutoff = now - max_token_life;
  EraseOlder(by_audit_, cutoff);
  EraseOlder(by_user_, cutoff);
  EraseOlder(by_user_project_, cutoff);
  EraseOlder(by_project_, cutoff);
}

std::vector<RevocationEvent> RevocationList::Events() const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<RevocationEvent> out;
  for (const auto* map : {&by_audit_, &by_user_, &by_user_project_, &by_project_}) {
    for (const auto& [k, e] : *map) out.push_back(e);
  }
  return out;
}

size_t RevocationList::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return by_audit_.size() + by_user_.size() + by_user_project_.size() + by_project_.size();
}

}  // namespace gureum::auth
