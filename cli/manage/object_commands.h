// `gureum-manage object ring ...`: the object ring builder (issue 19). Works on a ring
// file (object-storage/ring/ring_file.h) and needs no configuration or database.
//
//   object ring create FILE [--part-power 10] [--replicas 3] [--hash-prefix P]
//   object ring add FILE --ip IP --port PORT --device NAME [--region 1] [--zone 1]
//                        [--weight 100]
//   object ring set-weight FILE ID WEIGHT
//   object ring remove FILE ID        (weight 0; the next rebalance drops it)
//   object ring rebalance FILE
//   object ring show FILE [--json]
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace gureum::cli {

// Adds the object subcommands to `app`; `run` is set to the chosen action.
void AddObjectCommands(CLI::App& app, std::function<int()>& run);

}  // namespace gureum::cli
