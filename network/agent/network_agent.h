// gureum-network-agent's logic: converge the host to the HostState the server computes
// for it (fetch, observe, plan, execute, report the ports it wired), at start, on every
// cast on network-agent.<host> (debounced: a burst of casts costs one convergence), and
// every resync_interval; plus the ReportAgent heartbeat.
//
// Thread safety: Converge/Apply run on the caller's thread and must not run concurrently
// with each other; Start() runs them on one background thread, and RequestConverge()
// may be called from any thread (the AMQP consumer).
#pragma once

#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/base/clock.h"
#include "network/agent/agent_options.h"
#include "network/agent/datapath_plan.h"
#include "network/agent/host_system.h"
#include "network/agent/server_client.h"

#include "network.pb.h"

namespace gureum::network_agent {

struct ApplyResult {
  int steps = 0;                                   // steps run
  std::vector<std::string> failed;                 // "task: error"
  std::vector<std::string> warnings;               // from the plan
  std::map<std::string, std::string> port_status;  // port id -> status reported
};

// Runs the plan's tasks in order; a failing step (unless may_fail) ends its task.
// Returns the error of every failed task, by task name. `clock` times the wait for a
// stopped process to go (a real process: the real clock, the default).
std::map<std::string, absl::Status> ExecutePlan(HostSystem& host, const Plan& plan, int* steps_run,
                                                const Clock& clock = RealClock::Get());

class NetworkAgent {
 public:
  // All collaborators must outlive the agent. `clock` (the real one unless a test gives
  // another) stamps the reports and times the resyncs.
  NetworkAgent(const AgentOptions& options, HostSystem& host, ServerClient& server,
               const Clock& clock = RealClock::Get());
  ~NetworkAgent();  // Stop()

  // Makes the host match `state` and sends UpdatePortStatus for the ports whose status
  // changed. Errors only when the host could not be observed; failed tasks are in the
  // result (and retried at the next convergence).
  absl::Status Apply(const pb::HostState& state, ApplyResult* result);
  // GetHostState, then Apply.
  absl::Status Converge(ApplyResult* result = nullptr);
  absl::Status Report();

  // Background convergence: once now, then on RequestConverge (debounced) and every
  // resync_interval.
  void Start();
  void RequestConverge(const std::string& reason);
  void Stop();

  int64_t convergences() const;

 private:
  void Loop();

  const AgentOptions& options_;
  HostSystem& host_;
  ServerClient& server_;
  const Clock& clock_;
  DatapathPlanner planner_;
  std::thread thread_;
  mutable absl::Mutex mu_;
  bool pending_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  int64_t convergences_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace gureum::network_agent
