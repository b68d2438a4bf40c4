#pragma once
// replay_options: the command line of `tribune replay` (cli/replay_command.hpp), parsed and
// checked before anything touches the network. A parse error is a usage error (exit 2).
//
// Thread safety: plain values.

#include <cstdint>
#include <string>
#include <vector>

#include "core/domain/status.hpp"

namespace tribune::cli {

// How the lines are spaced in time.
enum class replay_pacing {
    max,    // as fast as the server answers (bounded by the connections)
    rate,   // `rate` lines per second
    speed,  // the gaps between the lines' created_at, divided by `speed`
};

struct replay_target {
    std::string host;         // as written in the URL (a name or an address)
    std::string port = "80";  // decimal
    std::string base_path;    // the URL's path without a trailing '/', e.g. "" or "/tribune"
};

struct replay_options {
    bool help = false;
    std::string file;
    std::string url;  // as given, for messages
    replay_target target;
    std::string event;
    std::string token;  // --token, else $TRIBUNE_TOKEN
    replay_pacing pacing = replay_pacing::max;
    double rate = 0;   // lines per second, when pacing == rate
    double speed = 1;  // speed-up factor, when pacing == speed
    // A 201 comes after the group commit and the fsync that covers it (about 5 ms per request
    // in the 80,000-question flood on the dev VM, the fsync itself under 1 ms), so a client's
    // rate is at most connections / that latency: 32 kept a --max replay of the flood near
    // 6,000/s while the committer was idle half the time. More in flight makes each group
    // commit larger and the server's CPU per question smaller: 64, 128, 256 and 512 took
    // medians of 11.6, 9.0, 7.7 and 7.9 s for the flood, and 256 is a quarter of the server's
    // default --max-connections (docs/benchmarks.md, "Session 14").
    int connections = 256;
    int timeout_s = 60;  // one request, from connect to the last byte of the answer
    bool json = false;   // the summary as one JSON object on stdout
    bool quiet = false;  // no progress, only the summary (and the errors)
};

// Limits on the options.
inline constexpr int max_replay_connections = 1024;

// args: everything after the word `replay`. Errors carry the line to print (code "usage").
result<replay_options> parse_replay_args(const std::vector<std::string>& args);

std::string replay_usage();

}  // namespace tribune::cli
