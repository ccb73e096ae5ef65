// Orderly shutdown on SIGTERM/SIGINT for every Gureum process. main() calls
// BlockTerminationSignals() before it starts any thread (threads inherit the mask, so no
// thread is interrupted at a random point), then WaitForTerminationSignal() once the
// servers are up, and shuts down gracefully when it returns.
#pragma once

namespace gureum {

void BlockTerminationSignals();

// Blocks until SIGTERM or SIGINT arrives; returns the signal number.
int WaitForTerminationSignal();

}  // namespace gureum
