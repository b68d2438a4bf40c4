#pragma once
// import_command: `tribune import --event SLUG FILE` — loads a file of questions (JSON lines,
// each what POST /api/v1/events/SLUG/questions takes) into an event's queue, scored, triaged,
// grouped and audited exactly as ingest does it (the same question_service), in batches of
// up to 1,024. Every line is checked before anything is stored: a bad line is reported as
// "FILE:LINE: message" and nothing is imported. A line with a (source, external_id) already
// stored is not stored again, so running an import twice stores each question once. On
// PostgreSQL the questions are written with COPY (store_backend::prefer_bulk_writes) and
// announced like any new question, so every running instance's dashboards see them live; on
// SQLite a running server's dashboards see them in their next snapshot (a reload), since its
// hub numbers only its own process's changes.
//
// Thread safety: runs on the calling thread (the service's workers are started and stopped
// inside).

#include <string>
#include <vector>

namespace tribune::server {

// Exit code: 0 imported (or nothing to import), 1 a bad line or an error, 2 usage.
int run_import_command(const std::vector<std::string>& args, const std::string& argv0);

}  // namespace tribune::server
