// Test-only access to the real servers that ./tests/run.sh starts for integration tests.
// run.sh exports GUREUM_TEST_PG_URI (a libpq URI to a throw-away cluster, database
// "postgres"), GUREUM_TEST_AMQP_URL (amqp://user:pass@127.0.0.1:port/vhost) and
// GUREUM_TEST_RABBIT_CTL (a script taking stop|start|restart for that broker).
#pragma once

#include <string>

namespace gureum::testing {

// Returns the value of `name`, or aborts the test binary with a message telling the
// reader to run the suite through ./tests/run.sh. Integration tests never skip silently.
std::string RequireEnv(const char* name);

// A name unique to this process and call, for databases, queues and vhost objects.
std::string UniqueName(const std::string& prefix);

}  // namespace gureum::testing
