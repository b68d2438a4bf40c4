#pragma once
// `tribune report --event SLUG --db PATH [--out FILE] [--bucket 5m]`: writes the event's
// report (report_page.hpp) as one self-contained HTML file, to FILE or to stdout. Reads the
// database only (it must exist; the migrations bring it up to date as for `tribune serve`),
// while the server runs or not. The numbers are stats_service's and the export's pages
// (export_service), so memory stays bounded on a large event.
//
// Thread safety: runs on the calling thread.

#include <string>
#include <vector>

#include "cli/report_page.hpp"
#include "core/store/store.hpp"

namespace tribune::server {

// Returns the process exit code: 0 written, 1 failed, 2 bad usage.
int run_report_command(const std::vector<std::string>& args, const std::string& argv0);

// Gathers the report of the event `slug` from `db`. Errors: not_found (event_not_found),
// invalid_argument (invalid_bucket), unavailable.
result<report_data> gather_report(store& db, const std::string& slug, timestamp_ms bucket_ms);

}  // namespace tribune::server
