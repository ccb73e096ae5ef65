// Exports volumes over NBD/TCP: one qemu-storage-daemon per attachment, serving the volume's
// image (qcow2 read by the daemon, raw on the wire) on `address`:<port from the range> under
// an unguessable export name (64 hex characters, from two random UUIDs), writable unless the
// attachment is read-only. The export is added through QMP once the daemon runs, so its name
// never appears on a command line. With `nftables` set, a rule also drops connections to the port
// from anywhere but the connector's address (nft_filter.h).
//
// Each daemon has a QMP monitor socket, through which a volume in use is snapshotted
// (blockdev-snapshot-internal-sync) and grown (the export is dropped, block_resize, the
// export is added again under the same name: NBD fixes the size per connection and QEMU's
// NBD export refuses a resize while it exists, so clients reconnect to see the new size).
//
// State: `<state_dir>/exports/<attachment_id>.json` (mode 0600: it holds the export name)
// with the daemon's pid file and monitor socket beside it. The daemons are not children of
// the agent (--daemonize), so they keep serving while the agent restarts; Create reads the
// state files, keeps every daemon still alive and starts a dead one again on the same port
// with the same export name, so the compute host's connection info stays valid.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "block-storage/agent/nft_filter.h"
#include "block-storage/agent/volume_exporter.h"
#include "common/base/clock.h"
#include "common/base/ids.h"
#include "common/process/command_runner.h"

namespace gureum::volume_agent {

struct NbdExporterOptions {
  std::string state_dir;
  std::string address = "127.0.0.1";  // the storage network address compute hosts reach
  int port_min = 10809;
  int port_max = 11808;
  bool nftables = false;
  std::string nft_table = "gureum_volume";
};

class NbdExporter final : public VolumeExporter {
 public:
  struct Deps {
    process::CommandRunner& runner;
    const Clock& clock;
    IdGenerator& ids;
  };

  // Reads the state directory and serves every export it holds again (see above).
  static absl::StatusOr<std::unique_ptr<NbdExporter>> Create(NbdExporterOptions options, Deps deps);

  absl::StatusOr<ExportInfo> Export(const ExportRequest& request) override;
  absl::Status Unexport(const std::string& attachment_id) override;
  std::unique_ptr<LiveImage> Live(const std::string& volume_id) override;
  std::vector<ExportInfo> List() override;

  // The pid of the attachment's daemon (0: none); tests kill it to see it restarted.
  int DaemonPid(const std::string& attachment_id);

  // One export as kept in its state file.
  struct State {
    ExportRequest request;
    ExportInfo info;
    int pid = 0;
  };

 private:
  NbdExporter(NbdExporterOptions options, Deps deps);

  absl::Status Restore() ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<int> FreePort() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status StartDaemon(State& state) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status StopDaemon(const State& state) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool Alive(const State& state) const;
  absl::Status Save(const State& state) const;
  std::string Base(const std::string& attachment_id) const;

  const NbdExporterOptions options_;
  Deps deps_;
  NftFilter filter_;
  absl::Mutex mu_;
  std::map<std::string, State> exports_ ABSL_GUARDED_BY(mu_);  // by attachment id
};

}  // namespace gureum::volume_agent
