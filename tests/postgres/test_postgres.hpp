#pragma once
// test_postgres: PostgreSQL databases for the tests. The cluster is the one ctest's fixture
// started (tests/postgres/pg-cluster, its directory in $TRIBUNE_TEST_POSTGRES_DIR); a test
// binary run by hand without it starts its own cluster the same way on first use and stops it
// at exit. Each call hands out a new, empty database on that cluster.
//
// Thread safety: call from the test thread.

#include <string>

namespace tribune::testing {

// The URL of a new empty database; "" when PostgreSQL is not available, with the reason in
// *why_not (no server binaries installed, or the cluster failed to start).
std::string fresh_postgres_database(std::string* why_not);

}  // namespace tribune::testing
