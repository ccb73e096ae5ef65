// The access check below the export name: an nftables rule per export that drops
// connections to its port from any address but the attaching host's
// (`[volume] export_filter = nftables`). Rules live in one table of our own
// (`inet <table>`, chain `input`), each tagged with its attachment id, so they are found
// and removed again without touching anything else on the host. Needs root (CAP_NET_ADMIN).
#pragma once

#include <string>

#include "absl/status/status.h"
#include "common/process/command_runner.h"

namespace gureum::volume_agent {

class NftFilter {
 public:
  NftFilter(process::CommandRunner& runner, std::string table)
      : runner_(runner), table_(std::move(table)) {}

  // Only `allowed_ip` may reach `port` (idempotent: replaces the attachment's rules).
  absl::Status Allow(int port, const std::string& allowed_ip, const std::string& attachment_id);
  // Removes the attachment's rules (none is OK).
  absl::Status Remove(const std::string& attachment_id);
  // Deletes the whole table (tests, and an operator turning the filter off).
  absl::Status DropTable();

 private:
  absl::Status EnsureChain();
  absl::Status Nft(std::vector<std::string> args);

  process::CommandRunner& runner_;
  const std::string table_;
};

}  // namespace gureum::volume_agent
