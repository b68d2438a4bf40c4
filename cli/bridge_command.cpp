#include "cli/bridge_command.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <iostream>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "cli/command_support.hpp"
#include "core/service/source_service.hpp"
#include "server/bridges/bridge_runner.hpp"
#include "server/net/client_tls.hpp"
#include "server/wire/json_codec.hpp"

namespace tribune::server {
namespace {

constexpr const char* usage =
    "usage: tribune bridge test (--source ID [--db PATH] | --mastodon URL [--access-token-env VAR]\n"
    "                            | --bluesky [JETSTREAM]) [--tag TAG] [--seconds N] [--posts N]\n"
    "                            [--ca-file PEM]\n\n"
    "Runs one source's bridge for N seconds (default 60), or until it printed --posts posts, and\n"
    "prints what it would ingest, one JSON line per post ({\"source\", \"external_id\", \"author\",\n"
    "\"url\", \"posted_at\", \"text\"}), storing nothing. A Mastodon source first catches up with\n"
    "the newest page of the tag's timeline. The access token is read from the environment\n"
    "variable VAR (never from the command line, where ps shows it). Logs go to stderr and never\n"
    "show the token.\n";

struct test_options {
    bridge_source source;
    bool from_store = false;
    std::int64_t source_id = 0;
    int seconds = 60;
    int posts = 0;  // 0: no limit
    std::string ca_file;
    std::vector<std::string> serve_args;  // --db, --migrations
};

result<test_options> parse_test_options(const std::vector<std::string>& args) {
    test_options o;
    o.source.id = 0;
    o.source.event_slug = "(test)";
    bool kind_given = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string a = args[i];
        if (a == "--bluesky" && (i + 1 >= args.size() || args[i + 1].starts_with("--"))) {
            o.source.kind = source_kind::bluesky;
            o.source.endpoint = bluesky_default_jetstream;
            kind_given = true;
            continue;
        }
        auto opt = option_at(args, i);
        if (!opt) return opt.error();
        const auto& [name, value] = *opt;
        if (name == "--source") {
            try {
                o.source_id = std::stoll(value);
            } catch (const std::exception&) {
                return invalid("usage", "--source takes a source's id");
            }
            o.from_store = true;
        } else if (name == "--db" || name == "--migrations") {
            o.serve_args.push_back(name + "=" + value);
        } else if (name == "--mastodon" || name == "--bluesky") {
            o.source.kind = name == "--mastodon" ? source_kind::mastodon : source_kind::bluesky;
            o.source.endpoint = value;
            kind_given = true;
        } else if (name == "--tag") {
            auto tag = source_service::normalize_tag(value);
            if (!tag) return tag.error();
            o.source.tag = *tag;
        } else if (name == "--access-token-env") {
            const char* v = std::getenv(value.c_str());
            if (v == nullptr) return invalid("usage", "the environment variable " + value + " is not set");
            o.source.access_token = v;
        } else if (name == "--seconds") {
            try {
                o.seconds = std::stoi(value);
            } catch (const std::exception&) {
                o.seconds = 0;
            }
            if (o.seconds < 1 || o.seconds > 3600) return invalid("usage", "--seconds takes 1 to 3600");
        } else if (name == "--posts") {
            try {
                o.posts = std::stoi(value);
            } catch (const std::exception&) {
                o.posts = 0;
            }
            if (o.posts < 1) return invalid("usage", "--posts takes a positive number");
        } else if (name == "--ca-file") {
            o.ca_file = value;
        } else {
            return invalid("usage", "unknown option " + name);
        }
    }
    if (o.from_store == kind_given) return invalid("usage", "give --source ID, or --mastodon URL or --bluesky");
    if (!o.from_store && o.source.tag.empty()) return invalid("usage", "--tag is required");
    if (kind_given) {
        const bool mastodon = o.source.kind == source_kind::mastodon;
        if (status st = source_service::check_endpoint(o.source.endpoint, mastodon ? std::vector<std::string>{"https", "http"}
                                                                                   : std::vector<std::string>{"wss", "ws"},
                                                       !mastodon);
            !st)
            return st;
    }
    return o;
}

}  // namespace

int run_bridge_command(const std::vector<std::string>& args, const std::string& argv0) {
    if (args.empty() || args[0] != "test" || (args.size() > 1 && (args[1] == "--help" || args[1] == "-h"))) {
        std::cout << usage;
        return args.size() > 1 ? 0 : 2;
    }
    auto o = parse_test_options(std::vector<std::string>(args.begin() + 1, args.end()));
    if (!o) return fail(o.error().message() + "\n" + usage);
    if (o->from_store) {
        auto opts = resolved_options(o->serve_args, argv0);
        if (!opts) return fail(opts.error().message());
        auto db = open_database(*opts);
        if (!db) return fail(db.error().message());
        auto s = (*db)->get_source(o->source_id);
        if (!s) return fail(s.error().message());
        o->source = *s;
        o->source.cursor.clear();  // a test starts fresh: the newest page, then live
    }
    boost::asio::io_context ioc;
    boost::asio::ssl::context tls(boost::asio::ssl::context::tls_client);
    if (status st = load_client_trust(tls, o->ca_file, "--ca-file"); !st) return fail(st.message());
    config cfg;
    source_health health;
    std::shared_ptr<bridge_runner> runner;
    boost::asio::steady_timer timer(ioc, std::chrono::seconds(o->seconds));
    bool finished = false;
    const auto finish = [&] {
        if (finished) return;
        finished = true;
        timer.cancel();
        runner->stop();
        boost::asio::post(ioc, [&] { ioc.stop(); });
    };
    int printed = 0;
    bridge_context ctx{ioc, tls,
                       [&](submission s, ingest_pipeline::submit_callback done) {
                           nlohmann::json line = {{"source", s.source.value_or("")},
                                                  {"external_id", s.external_id.value_or("")},
                                                  {"author", s.author.value_or("")},
                                                  {"url", s.origin_url.value_or("")},
                                                  {"posted_at", s.posted_at ? format_time(*s.posted_at) : ""},
                                                  {"text", s.text}};
                           std::cout << line.dump() << std::endl;
                           submit_outcome out;
                           out.q.text = std::move(s.text);
                           done(out);
                           if (o->posts > 0 && ++printed >= o->posts) finish();
                           return status::ok();
                       },
                       health, cfg};
    runner = bridge_runner::make(ctx, o->source);
    runner->start();
    timer.async_wait([&](const boost::system::error_code& ec) {
        if (!ec) finish();
    });
    ioc.run();
    return 0;
}

}  // namespace tribune::server
