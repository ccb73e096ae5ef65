#include "scheduler/scheduler_manager.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status/macros.h"

namespace gureum::scheduler {
namespace {

namespace cv1 = gureum::compute::v1;

bool IsMove(const cv1::ScheduleRequest& r) { return r.operation() != cv1::ScheduleRequest::BUILD; }

std::string ClaimKey(const cv1::ScheduleRequest& r, int attempt) {
  return absl::StrCat(r.task_id().empty() ? r.spec().uuid() : r.task_id(), "/", attempt);
}

int Attempt(const cv1::ScheduleRequest& r) { return std::max(1, r.attempt()); }

}  // namespace

Scheduler::Scheduler(PlacementStore& store, HostStateSource& hosts, amqp::Bus& bus,
                     const Clock& clock, SchedulerOptions options)
    : store_(store),
      bus_(bus),
      clock_(clock),
      options_(options),
      host_states_(hosts, clock, options.host_state_refresh),
      providers_(store, clock, options.provider_refresh) {}

absl::Status Scheduler::Refresh() {
  GUREUM_RETURN_IF_ERROR(providers_.Reload());
  return host_states_.Refresh().status();
}

size_t Scheduler::Pick(size_t n) {
  absl::MutexLock lock(&rng_mu_);
  rng_state_ ^= rng_state_ << 13;
  rng_state_ ^= rng_state_ >> 7;
  rng_state_ ^= rng_state_ << 17;
  return static_cast<size_t>(rng_state_ % n);
}

absl::StatusOr<RequestSpec> Scheduler::BuildSpec(const cv1::ScheduleRequest& request,
                                                 const std::string& failed_host) {
  RequestSpec spec;
  const cv1::InstanceSpec& in = request.spec();
  spec.instance_uuid = in.uuid();
  spec.resources = ResourcesFromFlavor(in.flavor());
  spec.requested_host = request.requested_host();
  // "zone:host" (and "zone:host:node") as Nova's API accepts it.
  std::vector<std::string> az = absl::StrSplit(in.availability_zone(), ':');
  spec.availability_zone = az[0];
  if (az.size() > 1 && spec.requested_host.empty()) spec.requested_host = az[1];
  spec.excluded_hosts.insert(request.ignore_hosts().begin(), request.ignore_hosts().end());
  for (absl::string_view h : absl::StrSplit(failed_host, ',', absl::SkipEmpty())) {
    spec.excluded_hosts.insert(std::string(h));
  }
  bool same_host_ok =
      request.operation() == cv1::ScheduleRequest::RESIZE && request.allow_same_host();
  if (IsMove(request) && !request.source_host().empty() && !same_host_ok) {
    spec.excluded_hosts.insert(request.source_host());
  }
  spec.extra_specs.insert(in.flavor().extra_specs().begin(), in.flavor().extra_specs().end());
  spec.image_properties.insert(in.image().properties().begin(), in.image().properties().end());
  if (!request.group().uuid().empty()) {
    GroupPolicy g;
    g.uuid = request.group().uuid();
    g.policy = request.group().policy();
    g.max_per_host = std::max(1, request.group().max_server_per_host());
    spec.group = g;
    GUREUM_ASSIGN_OR_RETURN(spec.group_members, store_.GroupMembers(g.uuid));
    if (IsMove(request)) {
      // The instance itself is a member where it is now.
      std::string source = providers_.UuidOf(request.source_host());
      auto it = spec.group_members.find(source);
      if (it != spec.group_members.end() && --it->second <= 0) spec.group_members.erase(it);
    }
  }
  return spec;
}

absl::StatusOr<std::vector<Scheduler::Ranked>> Scheduler::Rank(const RequestSpec& spec,
                                                               size_t limit, FilterReport* report) {
  GUREUM_ASSIGN_OR_RETURN(std::shared_ptr<const HostStates> states, host_states_.Get());
  std::vector<Ranked> out;
  bool unknown_host = false;
  GUREUM_RETURN_IF_ERROR(providers_.Read(
      states, [&](const std::vector<Provider>& providers, const std::vector<HostFacts>& facts,
                  const std::vector<const HostState*>& state_of) {
        std::vector<Candidate> hosts(providers.size());
        for (size_t i = 0; i < providers.size(); ++i) {
          if (state_of[i] == nullptr) unknown_host = true;
          hosts[i] = {&providers[i], state_of[i], &facts[i], static_cast<int>(i), 0};
        }
        std::vector<Candidate> passed = RunFilters(spec, *states, std::move(hosts), report);
        Weigh(spec, options_, passed, limit);
        for (size_t i = 0; i < passed.size() && i < limit; ++i) {
          out.push_back({passed[i].provider->uuid, passed[i].provider->name});
        }
      }));
  if (out.empty() && unknown_host) {
    // A host registered with placement that compute-api's answer did not name yet (a
    // new agent): ask compute-api again on the next decision.
    (void)host_states_.Refresh();
  }
  return out;
}

ClaimRequest Scheduler::MakeClaim(const cv1::ScheduleRequest& request, const RequestSpec& spec,
                                  const std::string& provider_uuid) const {
  ClaimRequest claim;
  claim.consumer_uuid = request.spec().uuid();
  claim.project_id = request.spec().project_id();
  claim.user_id = request.spec().user_id();
  claim.provider_uuid = provider_uuid;
  claim.resources = spec.resources;
  claim.claim_key = ClaimKey(request, Attempt(request));
  claim.group = spec.group;
  return claim;
}

absl::StatusOr<Outcome> Scheduler::Schedule(const cv1::ScheduleRequest& request) {
  if (std::optional<absl::StatusOr<Outcome>> refused = Refuse(request)) return *refused;
  Decision d{request, ClaimKey(request, Attempt(request))};
  GUREUM_ASSIGN_OR_RETURN(d.keep, KeptProvider(request));
  std::string failed_hosts;
  if (d.attempt() > 1) {
    GUREUM_ASSIGN_OR_RETURN(failed_hosts, FailedAttemptHosts(d));
  }
  GUREUM_ASSIGN_OR_RETURN(d.spec, BuildSpec(request, failed_hosts));
  if (d.attempt() > 1) {
    GUREUM_ASSIGN_OR_RETURN(std::optional<Outcome> placed, TryAlternates(d));
    if (placed) return *std::move(placed);
  }
  FilterReport report;
  bool had_candidates = false;
  GUREUM_ASSIGN_OR_RETURN(std::optional<Outcome> placed, TryBest(d, report, had_candidates));
  if (placed) return *std::move(placed);
  return NothingFits(d, report, had_candidates);
}

std::optional<absl::StatusOr<Outcome>> Scheduler::Refuse(const cv1::ScheduleRequest& request) {
  const std::string& uuid = request.spec().uuid();
  if (uuid.empty()) {
    spdlog::error("schedule request without an instance uuid (task {}): dropped",
                  request.task_id());
    return absl::StatusOr<Outcome>(Outcome{});
  }
  if (!request.spec().has_flavor() || ResourcesFromFlavor(request.spec().flavor()).empty()) {
    return Fail(request, kNoValidHost, "The request names no flavor (no resources to claim).");
  }
  if (Attempt(request) > options_.max_attempts) {
    return Fail(request,
                absl::StrCat("No valid host was found. Exceeded maximum number of retries (",
                             options_.max_attempts, ")."),
                absl::StrCat("Exhausted all hosts available for retrying build failures for "
                             "instance ",
                             uuid, ". Last failure: ",
                             request.last_fault().empty() ? "unknown" : request.last_fault()));
  }
  return std::nullopt;
}

absl::StatusOr<std::string> Scheduler::KeptProvider(const cv1::ScheduleRequest& request) {
  // The source of a move keeps its allocation.
  std::string keep;
  if (request.operation() == cv1::ScheduleRequest::RESIZE ||
      request.operation() == cv1::ScheduleRequest::MIGRATE) {
    keep = providers_.UuidOf(request.source_host());
    if (keep.empty() && !request.source_host().empty()) {
      GUREUM_RETURN_IF_ERROR(providers_.Reload());
      keep = providers_.UuidOf(request.source_host());
    }
  }
  return keep;
}

absl::StatusOr<std::string> Scheduler::FailedAttemptHosts(Decision& d) {
  // The host of the attempt that failed still holds the claim unless its agent gave it
  // back: never pick it again for this instance.
  std::string failed_hosts;
  GUREUM_ASSIGN_OR_RETURN(ConsumerAllocations held, store_.GetAllocations(d.request.spec().uuid()));
  for (const ProviderAllocation& a : held.allocations) {
    if (a.provider_uuid == d.keep || held.claim_key == d.key) continue;
    absl::StrAppend(&failed_hosts, a.provider_name, ",");
    d.released.push_back(a);
  }
  return failed_hosts;
}

absl::StatusOr<std::optional<ClaimResult>> Scheduler::TryClaim(const Decision& d,
                                                               const Ranked& host) {
  ClaimRequest claim = MakeClaim(d.request, d.spec, host.uuid);
  claim.keep_provider_uuid = d.keep;
  absl::StatusOr<ClaimResult> r = store_.Claim(claim);
  if (r.ok()) {
    if (!r->already_claimed) {
      providers_.AddUsage(r->provider_uuid, d.spec.resources, 1);
      for (const ProviderAllocation& a : d.released) {
        providers_.AddUsage(a.provider_uuid, a.resources, -1);
      }
    }
    return std::optional<ClaimResult>(*r);
  }
  switch (r.status().code()) {
    case absl::StatusCode::kResourceExhausted:   // lost a race: the copy was stale
    case absl::StatusCode::kFailedPrecondition:  // a group member got there first
      providers_.ReloadOne(host.uuid);
      return std::optional<ClaimResult>();
    case absl::StatusCode::kNotFound:  // provider deleted since the copy was made
      return std::optional<ClaimResult>();
    default:
      return r.status();
  }
}

absl::StatusOr<std::optional<Outcome>> Scheduler::TryAlternates(const Decision& d) {
  // A reschedule tries the alternates it was given first.
  std::vector<std::string> alternates(d.request.alternates().begin(), d.request.alternates().end());
  for (size_t i = 0; i < alternates.size(); ++i) {
    if (d.spec.excluded_hosts.count(alternates[i])) continue;
    RequestSpec only = d.spec;
    only.requested_host = alternates[i];
    GUREUM_ASSIGN_OR_RETURN(std::vector<Ranked> fit, Rank(only, 1, nullptr));
    if (fit.empty()) continue;
    GUREUM_ASSIGN_OR_RETURN(std::optional<ClaimResult> claimed, TryClaim(d, fit[0]));
    if (!claimed) continue;
    std::vector<std::string> rest(alternates.begin() + i + 1, alternates.end());
    GUREUM_ASSIGN_OR_RETURN(Outcome out, Cast(d.request, *claimed, d.spec.resources, rest));
    return std::optional<Outcome>(std::move(out));
  }
  return std::optional<Outcome>();
}

absl::StatusOr<std::optional<Outcome>> Scheduler::TryBest(const Decision& d, FilterReport& report,
                                                          bool& had_candidates) {
  const size_t want =
      static_cast<size_t>(options_.claim_tries + options_.alternates + options_.host_subset_size);
  for (int round = 0; round < 3; ++round) {
    report = FilterReport{};
    GUREUM_ASSIGN_OR_RETURN(std::vector<Ranked> ranked, Rank(d.spec, want, &report));
    if (ranked.empty()) break;
    had_candidates = true;
    size_t subset = std::min(ranked.size(), static_cast<size_t>(options_.host_subset_size));
    if (subset > 1) std::swap(ranked[0], ranked[Pick(subset)]);
    size_t tries = std::min(ranked.size(), static_cast<size_t>(options_.claim_tries));
    for (size_t k = 0; k < tries; ++k) {
      GUREUM_ASSIGN_OR_RETURN(std::optional<ClaimResult> claimed, TryClaim(d, ranked[k]));
      if (!claimed) continue;
      std::vector<std::string> alts;
      for (size_t j = 0;
           j < ranked.size() && alts.size() < static_cast<size_t>(options_.alternates); ++j) {
        if (ranked[j].name != claimed->provider_name) alts.push_back(ranked[j].name);
      }
      GUREUM_ASSIGN_OR_RETURN(Outcome out,
                              Cast(d.request, *claimed, d.spec.resources, std::move(alts)));
      return std::optional<Outcome>(std::move(out));
    }
    GUREUM_RETURN_IF_ERROR(providers_.Reload());
  }
  return std::optional<Outcome>();
}

absl::StatusOr<Outcome> Scheduler::NothingFits(const Decision& d, const FilterReport& report,
                                               bool had_candidates) {
  // A redelivered request whose own claim filled the last room lands here too: its
  // claim stands, and the build is cast again.
  const std::string& uuid = d.request.spec().uuid();
  GUREUM_ASSIGN_OR_RETURN(ConsumerAllocations held, store_.GetAllocations(uuid));
  if (held.claim_key == d.key && !held.allocations.empty()) {
    ClaimResult again;
    again.already_claimed = true;
    for (const ProviderAllocation& a : held.allocations) {
      if (again.provider_uuid.empty() || a.provider_uuid != d.keep) {
        again.provider_uuid = a.provider_uuid;
        again.provider_name = a.provider_name;
      }
    }
    return Cast(d.request, again, d.spec.resources, {});
  }
  std::string details =
      absl::StrCat("Filtering removed all hosts for the request with instance ID '", uuid, "'. ",
                   report.Describe());
  if (had_candidates) {
    details = absl::StrCat(
        "Every host that passed the filters was taken by concurrent requests "
        "before the claim (3 rounds of ",
        options_.claim_tries, " hosts). ", report.Describe());
  }
  return Fail(d.request, kNoValidHost, details);
}

absl::StatusOr<Outcome> Scheduler::Cast(const cv1::ScheduleRequest& request,
                                        const ClaimResult& claim, const Resources& resources,
                                        std::vector<std::string> alternates) {
  cv1::Cast cast;
  cv1::BuildInstance* build = cast.mutable_build();
  *build->mutable_request() = request;
  build->set_host(claim.provider_name);
  build->set_node(claim.provider_uuid);
  for (const std::string& a : alternates) build->add_alternates(a);
  amqp::Message message;
  message.body = cast.SerializeAsString();
  message.content_type = "application/x-protobuf";
  absl::Status sent = bus_.Cast(options_.compute_queue_prefix + claim.provider_name, message);
  if (!sent.ok()) {
    if (!claim.already_claimed) {
      // Without the build, the claim would hold room for nothing: give it back, and
      // let the consumer redeliver the request.
      absl::Status undone = store_.Unclaim(request.spec().uuid(), claim.provider_uuid, resources);
      if (undone.ok()) providers_.AddUsage(claim.provider_uuid, resources, -1);
      if (!undone.ok()) {
        spdlog::error(
            "instance {}: cast to compute.{} failed and the claim could not be "
            "given back: {}",
            request.spec().uuid(), claim.provider_name, undone.ToString());
      }
    }
    return sent;
  }
  spdlog::info("instance {} (task {}, attempt {}): {} on {}{}", request.spec().uuid(),
               request.task_id(), Attempt(request),
               cv1::ScheduleRequest::Operation_Name(request.operation()), claim.provider_name,
               claim.already_claimed ? " (claimed before: cast again)" : "");
  Outcome out;
  out.placed = true;
  out.already_claimed = claim.already_claimed;
  out.host = claim.provider_name;
  out.node = claim.provider_uuid;
  out.alternates = std::move(alternates);
  return out;
}

absl::StatusOr<Outcome> Scheduler::Fail(const cv1::ScheduleRequest& request,
                                        const std::string& message, const std::string& details) {
  const std::string& uuid = request.spec().uuid();
  if (!IsMove(request)) {
    // An instance in error without a host holds no room anywhere.
    GUREUM_RETURN_IF_ERROR(store_.DeleteAllocations(uuid, ""));
  }
  cv1::Cast cast;
  cv1::InstanceUpdate* u = cast.mutable_instance_update();
  u->set_instance_uuid(uuid);
  u->set_task_id(request.task_id());
  if (IsMove(request)) {
    // A move that finds no host leaves the instance as it was, on its host.
    u->set_migration_id(request.migration_id());
    u->set_migration_status("error");
  } else {
    u->set_vm_state("error");
  }
  u->set_task_state("");
  u->set_power_state(-1);
  u->mutable_fault()->set_code(500);
  u->mutable_fault()->set_message(message);
  u->mutable_fault()->set_details(details);
  u->set_event("schedule_instance");
  u->set_event_failed(true);
  u->set_at_unix_ms(absl::ToUnixMillis(clock_.Now()));
  amqp::Message m;
  m.body = cast.SerializeAsString();
  m.content_type = "application/x-protobuf";
  GUREUM_RETURN_IF_ERROR(bus_.Cast(options_.conductor_queue, m));
  spdlog::warn("instance {} (task {}): {} {}", uuid, request.task_id(), message, details);
  Outcome out;
  out.fault_details = details;
  return out;
}

}  // namespace gureum::scheduler
