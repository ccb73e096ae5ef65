#include "cli/manage/object_commands.h"

#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "object-storage/ring/ring_builder.h"
#include "object-storage/ring/ring_file.h"

namespace gureum::cli {
namespace {

namespace ring = object::ring;

struct RingFlags {
  std::string file;
  int part_power = 10;
  int replicas = 3;
  std::string hash_prefix;
  ring::Device device{-1, 1, 1, "", 0, "", 100};
  int id = -1;
  double weight = 0;
  bool json = false;
};

int Fail(const absl::Status& s) {
  std::cerr << s.message() << "\n";
  return 1;
}

std::string RandomHex() {
  std::random_device random;
  std::string out;
  for (int i = 0; i < 4; ++i) absl::StrAppend(&out, absl::Hex(random(), absl::kZeroPad8));
  return out;
}

int Create(const RingFlags& f) {
  if (std::ifstream(f.file)) return Fail(absl::AlreadyExistsError(f.file + " already exists"));
  absl::StatusOr<ring::RingData> data =
      ring::NewRing(f.part_power, f.replicas, f.hash_prefix.empty() ? RandomHex() : f.hash_prefix);
  if (!data.ok()) return Fail(data.status());
  absl::Status written = ring::WriteRingFile(f.file, *data);
  if (!written.ok()) return Fail(written);
  std::cout << "created " << f.file << ": 2^" << f.part_power << " partitions, " << f.replicas
            << " replicas\n";
  return 0;
}

// Loads the ring, applies `change`, writes it back.
int Change(const RingFlags& f,
           const std::function<absl::StatusOr<std::string>(ring::RingData&)>& change) {
  absl::StatusOr<ring::RingData> data = ring::ReadRingFile(f.file);
  if (!data.ok()) return Fail(data.status());
  absl::StatusOr<std::string> message = change(*data);
  if (!message.ok()) return Fail(message.status());
  absl::Status written = ring::WriteRingFile(f.file, *data);
  if (!written.ok()) return Fail(written);
  std::cout << *message << "\n";
  return 0;
}

int Show(const RingFlags& f) {
  absl::StatusOr<ring::RingData> data = ring::ReadRingFile(f.file);
  if (!data.ok()) return Fail(data.status());
  if (f.json) {
    std::cout << ring::RingToJson(*data);
    return 0;
  }
  std::map<int, int> held;
  for (const auto& row : data->assignment) {
    for (int32_t id : row) ++held[id];
  }
  auto targets = ring::TargetCounts(*data);
  std::cout << absl::StrFormat("%s: version %d, 2^%d partitions, %d replicas, %d devices\n", f.file,
                               data->version, data->part_power, data->replicas,
                               data->devices.size());
  std::cout << absl::StrFormat("%4s %6s %4s %15s %5s %10s %8s %11s %8s\n", "id", "region", "zone",
                               "ip", "port", "device", "weight", "partitions", "target");
  for (const ring::Device& d : data->devices) {
    std::cout << absl::StrFormat("%4d %6d %4d %15s %5d %10s %8.2f %11d %8d\n", d.id, d.region,
                                 d.zone, d.ip, d.port, d.device, d.weight, held[d.id],
                                 targets[d.id]);
  }
  return 0;
}

// A ring subcommand; its first positional argument is the ring file.
CLI::App* RingCommand(CLI::App* ring_cmd, const std::string& name, const std::string& help,
                      RingFlags& f) {
  CLI::App* cmd = ring_cmd->add_subcommand(name, help);
  cmd->add_option("file", f.file, "The ring file")->required();
  return cmd;
}

void OnRun(CLI::App* cmd, std::function<int()>& run, std::function<int()> action) {
  cmd->callback([&run, action] { run = action; });
}

}  // namespace

void AddObjectCommands(CLI::App& app, std::function<int()>& run) {
  auto flags = std::make_shared<RingFlags>();
  RingFlags& f = *flags;
  auto* object = app.add_subcommand("object", "Object storage")->require_subcommand(1);
  auto* ring_cmd = object->add_subcommand("ring", "The object ring builder")->require_subcommand(1);

  auto* create = RingCommand(ring_cmd, "create", "Create an empty ring file", f);
  create->add_option("--part-power", f.part_power, "log2 of the partition count (0..24)");
  create->add_option("--replicas", f.replicas, "Replicas of every partition");
  create->add_option("--hash-prefix", f.hash_prefix, "The cluster's hash salt (default: random)");
  OnRun(create, run, [flags] { return Create(*flags); });

  auto* add = RingCommand(ring_cmd, "add", "Add a device", f);
  add->add_option("--region", f.device.region);
  add->add_option("--zone", f.device.zone);
  add->add_option("--ip", f.device.ip)->required();
  add->add_option("--port", f.device.port)->required();
  add->add_option("--device", f.device.device, "Directory name under the server's root")
      ->required();
  add->add_option("--weight", f.device.weight);
  OnRun(add, run, [flags] {
    return Change(*flags, [flags](ring::RingData& data) -> absl::StatusOr<std::string> {
      absl::StatusOr<int> id = ring::AddDevice(data, flags->device);
      if (!id.ok()) return id.status();
      return absl::StrCat("device ", *id, " added; rebalance to give it partitions");
    });
  });

  auto* weight = RingCommand(ring_cmd, "set-weight", "Change a device's weight", f);
  weight->add_option("id", f.id)->required();
  weight->add_option("weight", f.weight)->required();
  OnRun(weight, run, [flags] {
    return Change(*flags, [flags](ring::RingData& data) -> absl::StatusOr<std::string> {
      absl::Status s = ring::SetWeight(data, flags->id, flags->weight);
      if (!s.ok()) return s;
      return absl::StrCat("device ", flags->id, " weight ", flags->weight);
    });
  });

  auto* remove = RingCommand(ring_cmd, "remove", "Drain a device (removed at rebalance)", f);
  remove->add_option("id", f.id)->required();
  OnRun(remove, run, [flags] {
    return Change(*flags, [flags](ring::RingData& data) -> absl::StatusOr<std::string> {
      absl::Status s = ring::RemoveDevice(data, flags->id);
      if (!s.ok()) return s;
      return absl::StrCat("device ", flags->id, " will leave the ring at the next rebalance");
    });
  });

  auto* rebalance = RingCommand(ring_cmd, "rebalance", "Reassign partitions", f);
  OnRun(rebalance, run, [flags] {
    return Change(*flags, [](ring::RingData& data) -> absl::StatusOr<std::string> {
      absl::StatusOr<ring::RebalanceResult> result = ring::Rebalance(data);
      if (!result.ok()) return result.status();
      return absl::StrFormat("version %d: %d partition replicas moved, balance within %.2f%%",
                             data.version, result->moved, result->max_deviation);
    });
  });

  auto* show = RingCommand(ring_cmd, "show", "Print the ring", f);
  show->add_flag("--json", f.json, "The file's JSON");
  OnRun(show, run, [flags] { return Show(*flags); });
}

}  // namespace gureum::cli
