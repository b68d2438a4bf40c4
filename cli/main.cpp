// tribune: the command-line entry point. Dispatches to one file per subcommand; no globals.

#include <iostream>
#include <string>
#include <vector>

#include "cli/backup_command.hpp"
#include "cli/bridge_command.hpp"
#include "cli/classify_command.hpp"
#include "cli/import_command.hpp"
#include "cli/migrate_command.hpp"
#include "cli/replay_command.hpp"
#include "cli/report_command.hpp"
#include "cli/serve_command.hpp"
#include "cli/serve_options.hpp"
#include "cli/token_command.hpp"

namespace {

constexpr const char* usage =
    "usage: tribune <command> [options]\n\n"
    "Tribune moderates a live social Q&A: it scores each question for toxicity locally,\n"
    "triages it, and streams the queue to moderators.\n\n"
    "commands:\n"
    "  serve      run the HTTP + WebSocket server (tribune serve --help)\n"
    "  classify   score JSON or text lines from stdin, one JSON line out per line in\n"
    "             (tribune classify --help)\n"
    "  token      create, list or revoke access tokens (tribune token --help)\n"
    "  migrate    create or migrate the database, then exit (takes serve's --db, --migrations)\n"
    "  import     load a file of questions (JSON lines) into an event, scored and triaged\n"
    "             like ingest (--event SLUG [--db PATH|URL] FILE; tribune import --help)\n"
    "  backup     copy the database consistently while the server runs (--to FILE [--db PATH])\n"
    "  report     write an event's report as one self-contained HTML page\n"
    "             (--event SLUG [--db PATH] [--out FILE]; tribune report --help)\n"
    "  replay     post a recorded stream of questions (JSON lines) to a running server\n"
    "             (tribune replay --help)\n"
    "  bridge     bridge test: print what one social source would ingest for a minute,\n"
    "             storing nothing (tribune bridge test --help)\n"
    "  version    print the version\n"
    "  help       this text\n";

// classify reads its own argv (the words after "classify"); its model defaults to the one
// found next to the binary or in the repository.
int classify(int argc, char** argv, const std::string& argv0) {
    using namespace tribune::server;
    std::vector<char*> cargv(argv + 2, argv + argc);
    cargv.push_back(nullptr);
    serve_options defaults;
    resolve_paths(defaults, argv0);
    return run_classify_command(argc - 2, cargv.data(), defaults.cfg.model_path);
}

}  // namespace

int main(int argc, char** argv) {
    using namespace tribune::server;
    std::vector<std::string> args(argv + 1, argv + argc);
    const std::string argv0 = argc > 0 ? argv[0] : "tribune";
    if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
        std::cout << usage;
        return args.empty() ? 2 : 0;
    }
    const std::string command = args[0];
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "serve") return run_serve_command(rest, argv0);
    if (command == "migrate") return run_migrate_command(rest, argv0);
    if (command == "token") return run_token_command(rest, argv0);
    if (command == "classify") return classify(argc, argv, argv0);
    if (command == "import") return run_import_command(rest, argv0);
    if (command == "backup") return run_backup_command(rest);
    if (command == "report") return run_report_command(rest, argv0);
    if (command == "bridge") return run_bridge_command(rest, argv0);
    if (command == "replay") return tribune::cli::run_replay_command(rest);
    if (command == "version" || command == "--version") {
        std::cout << "tribune 0.1.0\n";
        return 0;
    }
    std::cerr << "tribune: unknown command '" << command << "'\n\n" << usage;
    return 2;
}
