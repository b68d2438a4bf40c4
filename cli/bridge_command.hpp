#pragma once
// bridge_command: `tribune bridge test` — runs one source's bridge for a while (60 s by
// default) and prints, one JSON line per post on stdout, what it would ingest, without storing
// anything (issue 16). The source is a stored one (--source ID, from --db) or given on the
// command line (--mastodon URL or --bluesky [JETSTREAM], with --tag). Logs go to stderr.
//
// Thread safety: runs on the calling thread (the bridge on its own io_context, here).

#include <string>
#include <vector>

namespace tribune::server {

int run_bridge_command(const std::vector<std::string>& args, const std::string& argv0);

}  // namespace tribune::server
