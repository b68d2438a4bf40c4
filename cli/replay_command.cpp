#include "cli/replay_command.hpp"

#include <atomic>
#include <csignal>
#include <iostream>
#include <memory>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "cli/replay_connection.hpp"
#include "cli/replay_console.hpp"
#include "cli/replay_dispatcher.hpp"
#include "cli/replay_options.hpp"
#include "cli/replay_source.hpp"
#include "cli/replay_stats.hpp"

namespace tribune::cli {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr int exit_ok = 0;
constexpr int exit_unreachable = 1;
constexpr int exit_usage = 2;
constexpr int exit_line_errors = 3;
constexpr int exit_interrupted = 130;
constexpr std::chrono::seconds probe_timeout{10};

int fail(int code, const std::string& line) {
    std::cerr << "tribune replay: " << line << "\n";
    if (code == exit_usage) std::cerr << "(tribune replay --help shows the options)\n";
    return code;
}

// GET /api/v1/events/SLUG with the token: ok, or the line explaining why the run cannot start.
status probe(const replay_request_target& t, const replay_options& o) {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    beast::flat_buffer buffer;
    http::request<http::empty_body> req{http::verb::get,
                                        o.target.base_path + "/api/v1/events/" + o.event, 11};
    req.set(http::field::host, t.host_header);
    req.set(http::field::user_agent, "tribune-replay");
    req.set(http::field::authorization, t.authorization);
    http::response<http::string_body> res;
    beast::error_code failure;
    std::string step = "connect to";
    stream.expires_after(probe_timeout);
    stream.async_connect(t.endpoints, [&](beast::error_code ec, const tcp::endpoint&) {
        if (ec) return void(failure = ec);
        step = "send to";
        http::async_write(stream, req, [&](beast::error_code ec2, std::size_t) {
            if (ec2) return void(failure = ec2);
            step = "read from";
            http::async_read(stream, buffer, res,
                             [&](beast::error_code ec3, std::size_t) { failure = ec3; });
        });
    });
    ioc.run();
    if (failure)
        return status::error(error_kind::unavailable, "unreachable",
                             "cannot " + step + " " + o.url + ": " + failure.message());
    if (res.result_int() == 200) return status::ok();
    const auto body = nlohmann::json::parse(res.body(), nullptr, false);
    std::string detail = std::to_string(res.result_int());
    if (body.is_object() && body.contains("error") && body["error"].is_object())
        detail += " " + body["error"].value("code", "") + ": " + body["error"].value("message", "");
    if (res.result_int() == 401 || res.result_int() == 403)
        return status::error(error_kind::unauthenticated, "token",
                             o.url + " refused the token (" + detail + ")");
    if (res.result_int() == 404)
        return status::error(error_kind::not_found, "event",
                             "no event '" + o.event + "' at " + o.url + " (" + detail + ")");
    return status::error(error_kind::unavailable, "probe",
                         "GET " + o.target.base_path + "/api/v1/events/" + o.event + " at " + o.url +
                             " answered " + detail);
}

// The connections, the progress timer and the signals of one run.
struct replay_run {
    net::io_context ioc;
    std::vector<std::shared_ptr<replay_connection>> connections;
    std::atomic<std::size_t> active{0};
    std::atomic<bool> interrupted{false};

    void stop_all() {
        for (auto& c : connections) c->stop();
    }
};

void tick(net::steady_timer& timer, replay_stats& stats, replay_console& console) {
    timer.expires_after(console.interval());
    timer.async_wait([&](beast::error_code ec) {
        if (ec) return;
        console.progress(stats.progress_line());
        tick(timer, stats, console);
    });
}

void on_signal(net::signal_set& signals, replay_run& run, replay_dispatcher& dispatcher,
               replay_console& console) {
    signals.async_wait([&](beast::error_code ec, int) {
        if (ec) return;
        if (run.interrupted.exchange(true)) {
            run.ioc.stop();  // the second signal: leave now
            return;
        }
        console.message("tribune replay: interrupted; waiting for the answers in flight "
                        "(again to leave at once)");
        dispatcher.stop();
        run.stop_all();
        on_signal(signals, run, dispatcher, console);
    });
}

}  // namespace

int run_replay_command(const std::vector<std::string>& args) {
    auto parsed = parse_replay_args(args);
    if (!parsed) return fail(exit_usage, parsed.error().message());
    const replay_options o = std::move(parsed.value());
    if (o.help) {
        std::cout << replay_usage();
        return exit_ok;
    }
    auto source = replay_source::open(o.file);
    if (!source) return fail(exit_usage, source.error().message());

    replay_request_target target;
    target.host_header = o.target.host + ":" + o.target.port;
    target.path = o.target.base_path + "/api/v1/events/" + o.event + "/questions";
    target.authorization = "Bearer " + o.token;
    target.timeout = std::chrono::seconds(o.timeout_s);
    {
        net::io_context resolve_ioc;
        tcp::resolver resolver(resolve_ioc);
        beast::error_code ec;
        target.endpoints = resolver.resolve(o.target.host, o.target.port, ec);
        if (ec) return fail(exit_unreachable, "cannot resolve " + o.target.host + ": " + ec.message());
    }
    if (status s = probe(target, o); !s) return fail(exit_unreachable, s.message());

    replay_stats stats(source->total_lines());
    replay_console console(o.quiet);
    replay_dispatcher dispatcher(std::move(source.value()), o.pacing, o.rate, o.speed, stats,
                                 console);
    replay_run run;
    for (int i = 0; i < o.connections; ++i)
        run.connections.push_back(
            std::make_shared<replay_connection>(run.ioc, target, dispatcher, stats, console));
    run.active = run.connections.size();
    for (auto& c : run.connections)
        c->start([&run, &dispatcher] {
            if (dispatcher.stopped()) run.stop_all();
            if (--run.active == 0) run.ioc.stop();
        });

    net::steady_timer progress(net::make_strand(run.ioc));
    if (!console.quiet()) tick(progress, stats, console);
    net::signal_set signals(net::make_strand(run.ioc), SIGINT, SIGTERM);
    on_signal(signals, run, dispatcher, console);

    const unsigned threads = std::max(1u, std::min(2u, std::thread::hardware_concurrency()));
    std::vector<std::thread> pool;
    for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&run] { run.ioc.run(); });
    run.ioc.run();
    for (auto& t : pool) t.join();

    console.finish();
    const bool interrupted = run.interrupted.load();
    std::cerr << stats.summary_text(interrupted);
    if (o.json) std::cout << stats.summary_json(interrupted) << std::endl;
    if (auto why = dispatcher.aborted()) return fail(exit_unreachable, *why);
    if (interrupted) return exit_interrupted;
    if (stats.errors() > 0 || stats.skipped() > 0) return exit_line_errors;
    return exit_ok;
}

}  // namespace tribune::cli
