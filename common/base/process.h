// Process-wide settings every Gureum main() applies first.
#pragma once

namespace gureum {

// Turns off Abseil's mutex deadlock detection, which Debian's Abseil build leaves on:
// it records every lock-order edge in a global graph on each acquisition (profiled at
// ~5% of a gRPC server's CPU, with the contention it adds), and gRPC's own mutexes are
// Abseil's. Lock ordering is checked by the thread annotations instead.
void InitProcess();

}  // namespace gureum
