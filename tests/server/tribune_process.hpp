#pragma once
// tribune_process: runs the real `tribune` binary (TRIBUNE_BINARY, a compile definition) as a
// child process, for the tests that need a real process: SIGKILL in the middle of ingest,
// SIGTERM draining, `tribune backup`.
//
// Thread safety: one test thread owns a tribune_process. port() may be read from any thread
// once start() returned.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tribune::test {

class tribune_process {
public:
    // Starts `tribune serve --port 0 --db <db> --classifier placeholder --quiet --rate-ip 0
    // --rate-token 0` with the
    // source tree's migrations/ and web/, plus `extra`, and waits (up to 30 s) for its
    // "listening on" line to learn the port. nullptr on failure, described in *error.
    static std::unique_ptr<tribune_process> serve(const std::string& db,
                                                  const std::vector<std::string>& extra,
                                                  std::string* error);

    // Starts `tribune <args>` with stdout and stderr on one pipe, and returns at once (for a
    // command the test interrupts, such as `tribune replay`). nullptr on failure, in *error.
    static std::unique_ptr<tribune_process> start(const std::vector<std::string>& args,
                                                  std::string* error);

    ~tribune_process();  // SIGKILL and reap when still running
    tribune_process(const tribune_process&) = delete;
    tribune_process& operator=(const tribune_process&) = delete;

    std::uint16_t port() const { return port_; }
    // The admin token printed on the first start of a new database ("" when none was).
    const std::string& admin_token() const { return admin_token_; }
    pid_t pid() const { return pid_; }
    void signal(int sig);
    // Waits for the process to end: its exit code, 128 + signal when a signal killed it,
    // nullopt when it still runs after `timeout`.
    std::optional<int> wait(std::chrono::milliseconds timeout);
    // Everything it printed on stdout (and stderr, after start()); complete once wait() returned.
    const std::string& output() const { return output_; }

private:
    tribune_process() = default;
    void read_available(int timeout_ms);

    pid_t pid_ = -1;
    int stdout_fd_ = -1;
    std::uint16_t port_ = 0;
    std::string admin_token_;
    std::string output_;
    std::optional<int> exit_code_;
};

// Runs `tribune <args>` to completion (at most `timeout`): its exit code (-1 when it had to
// be killed) and its stdout and stderr together in *output.
int run_tribune(const std::vector<std::string>& args, std::string* output,
                std::chrono::milliseconds timeout = std::chrono::milliseconds(60'000));

}  // namespace tribune::test
