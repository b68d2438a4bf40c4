// tribune_load: the load tool of the benchmarks in bench/ (docs/benchmarks.md). It posts
// questions to a server at a fixed rate (open loop, latency measured from when each request
// was due, so a server that falls behind is charged for it) or as fast as its connections
// allow, while holding view-protocol dashboards open, and prints one JSON report.
//
//   tribune_load --url http://127.0.0.1:8080 --token trb_... [--event demo]
//                [--bodies FILE --rate 5000 --duration 20 | --count N] [--connections 64]
//                [--dashboards 1000] [--subscribe JSON] [--until-counted N] [--timeout S]
//                [--linger S] [--threads 1] [--prefix P] [--dashboard-url URL]
//
// --dashboard-url: the dashboards connect there rather than to --url (another instance on
// the same database: the fan-out across instances).
// --bodies: one JSON object per line ({"text": ..., "author": ...}), used in turn; each post
// adds "source":"load" and "external_id":"<prefix><n>". --subscribe defaults to the
// dashboard's subscription of the Review tab's states sorted newest first (web/app.js: 50
// items, activity on, page frames, acks; the Review tab's own order, impact, gets no page frames). --until-counted N: stop once every dashboard's counts add up to N (the flood
// benchmark; reports when that happened, in Unix milliseconds).
//
// Delivery delays: "page" = from a question's 201 to the first frame that upserts it (makes it
// visible), for the questions that reach the page; "counted" = from a question's 201 to the first message whose
// counts include it (ids are handed out in commit order, so the event's total reaching the
// question's ordinal), for every question on every dashboard.

#include <sys/resource.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "bench/load/dashboard.hpp"
#include "bench/load/poster.hpp"

namespace net = boost::asio;
using namespace tribune::bench;

namespace {

constexpr const char* default_subscribe =
    R"({"type":"subscribe","id":1,"view":{"sort":"newest","status":["pending","held"]},)"
    R"("limit":50,"activity":true,"page":true,"ack":true})";

[[noreturn]] void usage(const std::string& why) {
    std::cerr << "tribune_load: " << why << " (see the header of bench/load/main.cpp)\n";
    std::exit(2);
}

struct options {
    std::string url = "http://127.0.0.1:8080", token, event = "demo", bodies, subscribe,
                prefix, dashboard_url;
    double rate = 0, duration = 0, timeout = 120, linger = 2;
    std::size_t count = 0, connections = 64, dashboards = 0;
    int threads = 1;
    std::int64_t until_counted = -1;
};

options parse(int argc, char** argv) {
    options o;
    o.subscribe = default_subscribe;
    o.prefix = "L" + std::to_string(::getpid()) + "-";
    std::map<std::string, std::string*> strings{{"--url", &o.url},       {"--token", &o.token},
                                                {"--dashboard-url", &o.dashboard_url},
                                                {"--event", &o.event},   {"--bodies", &o.bodies},
                                                {"--subscribe", &o.subscribe},
                                                {"--prefix", &o.prefix}};
    std::map<std::string, double*> reals{{"--rate", &o.rate},
                                         {"--duration", &o.duration},
                                         {"--timeout", &o.timeout},
                                         {"--linger", &o.linger}};
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (i + 1 >= argc) usage(a + " needs a value");
        const std::string v = argv[++i];
        if (auto s = strings.find(a); s != strings.end()) *s->second = v;
        else if (auto r = reals.find(a); r != reals.end()) *r->second = std::stod(v);
        else if (a == "--count") o.count = std::stoul(v);
        else if (a == "--connections") o.connections = std::stoul(v);
        else if (a == "--dashboards") o.dashboards = std::stoul(v);
        else if (a == "--threads") o.threads = std::stoi(v);
        else if (a == "--until-counted") o.until_counted = std::stoll(v);
        else usage("unknown option " + a);
    }
    if (o.token.empty()) usage("--token is required");
    if (o.rate > 0 && o.duration > 0) o.count = static_cast<std::size_t>(o.rate * o.duration);
    if (o.count > 0 && o.bodies.empty()) usage("--bodies is required to post");
    return o;
}

target target_of(const options& o, const std::string& url) {
    const std::string rest = url.substr(url.find("://") + 3);
    const auto colon = rest.find(':');
    const std::string host = rest.substr(0, colon);
    const auto port = static_cast<unsigned short>(
        colon == std::string::npos ? 80 : std::stoi(rest.substr(colon + 1)));
    target t;
    t.endpoint = {net::ip::make_address(host == "localhost" ? "127.0.0.1" : host), port};
    t.host = rest.substr(0, rest.find('/'));
    t.post_path = "/api/v1/events/" + o.event + "/questions";
    t.authorization = "Bearer " + o.token;
    return t;
}

std::vector<std::string> read_bodies(const std::string& path) {
    std::vector<std::string> out;
    if (path.empty()) return out;
    std::ifstream in(path);
    if (!in) usage("cannot read " + path);
    for (std::string line; std::getline(in, line);)
        if (line.find('}') != std::string::npos) out.push_back(line);
    if (out.empty()) usage(path + " has no JSON lines");
    return out;
}

std::string millis(const latency_histogram& h) {
    std::ostringstream s;
    s << "{\"count\":" << h.count();
    for (auto [name, p] : {std::pair{"p50", 50.0}, {"p90", 90.0}, {"p99", 99.0}, {"p999", 99.9}})
        s << ",\"" << name << "\":" << static_cast<double>(h.percentile(p)) / 1000.0;
    s << ",\"max\":" << static_cast<double>(h.max()) / 1000.0 << "}";
    return s.str();
}

// Delay from each question's 201 to the first message whose counts include it.
void counted_delays(const load_run& run, steady::time_point origin,
                    const std::vector<std::shared_ptr<dashboard>>& dashboards,
                    latency_histogram& into) {
    auto ids = run.answered_ids();
    if (ids.empty()) return;
    std::sort(ids.begin(), ids.end());
    const std::int64_t start_us = micros_between(origin, run.started_at());
    for (const auto& d : dashboards) {
        const auto& c = d->stats().counted;
        // The total just before the run's first question: the ordinal of id min_id - 1.
        std::int64_t before = 0;
        for (const auto& [t, total] : c)
            if (t <= start_us) before = total;
        const std::int64_t offset = ids.front().first - 1 - before;
        std::size_t f = 0;
        for (const auto& [id, answered] : ids) {
            while (f < c.size() && c[f].second < id - offset) ++f;
            if (f == c.size()) break;  // never counted while we watched
            into.record(std::max<std::int64_t>(0, c[f].first - start_us - answered));
        }
    }
}

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

std::int64_t unix_ms(steady::time_point t) {
    const auto sys = std::chrono::system_clock::now() + (t - steady::now());
    return std::chrono::duration_cast<std::chrono::milliseconds>(sys.time_since_epoch()).count();
}

}  // namespace

int main(int argc, char** argv) {
    const options o = parse(argc, argv);
    const target tgt = target_of(o, o.url);
    // Dashboards may watch another instance than the one posted to (several on one database).
    const target dashboard_tgt = target_of(o, o.dashboard_url.empty() ? o.url : o.dashboard_url);
    load_run run(read_bodies(o.bodies), o.prefix, o.count, o.rate);
    latency_histogram page_delay, counted_delay;
    std::atomic<std::uint64_t> bytes{0};
    net::io_context ioc(o.threads);
    const auto origin = steady::now();

    dashboard_options dopt{"/api/v1/events/" + o.event + "/stream?mode=view", o.subscribe, origin,
                           o.until_counted};
    std::vector<std::shared_ptr<dashboard>> dashboards;
    std::atomic<std::size_t> ready{0}, counted{0};
    std::mutex counted_mutex;
    std::vector<steady::time_point> counted_at;
    for (std::size_t i = 0; i < o.dashboards; ++i) {
        auto d = std::make_shared<dashboard>(ioc, dashboard_tgt, dopt, run, page_delay, bytes);
        d->start([&] { ready.fetch_add(1); },
                 [&](steady::time_point t) {
                     std::lock_guard lock(counted_mutex);
                     counted_at.push_back(t);
                     counted.fetch_add(1);
                 });
        dashboards.push_back(std::move(d));
    }
    auto guard = net::make_work_guard(ioc);  // before the threads, so run() waits for work
    std::vector<std::thread> threads;
    for (int i = 0; i < std::max(1, o.threads); ++i) threads.emplace_back([&] { ioc.run(); });

    const auto deadline = steady::now() + std::chrono::duration_cast<steady::duration>(
                                              std::chrono::duration<double>(o.timeout));
    while (ready.load() < o.dashboards && steady::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const auto connected_at = steady::now();
    std::cerr << "tribune_load: ready" << std::endl;  // callers start their own load now

    const double cpu0 = cpu_seconds();
    const std::uint64_t bytes0 = bytes.load();
    run.start();
    std::atomic<std::size_t> posters_done{0};
    const std::size_t posters = o.count > 0 ? o.connections : 0;
    for (std::size_t i = 0; i < posters; ++i)
        std::make_shared<poster>(ioc, tgt, run)->start([&] { posters_done.fetch_add(1); });
    while ((posters_done.load() < posters || !run.done()) && steady::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const auto posted_at = run.last_answer() > run.started_at() ? run.last_answer() : steady::now();
    const std::uint64_t bytes1 = bytes.load();
    const double cpu1 = cpu_seconds();

    if (o.until_counted > 0) {
        while (counted.load() < o.dashboards && steady::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
    } else {
        std::this_thread::sleep_for(std::chrono::duration<double>(o.linger));
    }
    for (auto& d : dashboards) d->close();
    guard.reset();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    ioc.stop();
    for (auto& t : threads) t.join();

    counted_delays(run, origin, dashboards, counted_delay);
    dashboard_stats sum;
    std::size_t failed = 0, ready_n = 0, resynced = 0;
    for (const auto& d : dashboards) {
        const auto& s = d->stats();
        failed += s.failed;
        ready_n += s.ready;
        resynced += s.snapshots > 1;
        sum.snapshots += s.snapshots;
        sum.frames += s.frames;
        sum.bytes += s.bytes;
        sum.changes += s.changes;
        sum.max_message = std::max(sum.max_message, s.max_message);
    }
    const double post_s = std::chrono::duration<double>(posted_at - run.started_at()).count();
    const std::uint64_t answered = run.created + run.ok + run.unavailable + run.client_errors +
                                   run.server_errors;
    std::ostringstream r;
    r << "{\"posted\":" << o.count << ",\"rate\":" << o.rate << ",\"connections\":" << posters
      << ",\"created\":" << run.created << ",\"ok\":" << run.ok
      << ",\"unavailable\":" << run.unavailable << ",\"client_errors\":" << run.client_errors
      << ",\"server_errors\":" << run.server_errors
      << ",\"transport_errors\":" << run.transport_errors << ",\"late_sends\":" << run.late_sends
      << ",\"post_seconds\":" << post_s
      << ",\"achieved_rate\":" << (post_s > 0 ? static_cast<double>(answered) / post_s : 0)
      << ",\"latency_ms\":" << millis(run.from_due) << ",\"service_ms\":" << millis(run.from_sent)
      << ",\"connect_seconds\":" << std::chrono::duration<double>(connected_at - origin).count()
      << ",\"dashboards\":{\"opened\":" << o.dashboards << ",\"ready\":" << ready_n
      << ",\"failed\":" << failed << ",\"resynced\":" << resynced
      << ",\"snapshots\":" << sum.snapshots << ",\"frames\":" << sum.frames
      << ",\"changes\":" << sum.changes << ",\"bytes\":" << sum.bytes
      << ",\"bytes_per_s_while_posting\":"
      << (post_s > 0 ? static_cast<double>(bytes1 - bytes0) / post_s : 0)
      << ",\"max_message\":" << sum.max_message << "}"
      << ",\"page_delay_ms\":" << millis(page_delay)
      << ",\"counted_delay_ms\":" << millis(counted_delay)
      << ",\"client_cpu_seconds_while_posting\":" << cpu1 - cpu0;
    if (o.until_counted > 0) {
        std::sort(counted_at.begin(), counted_at.end());
        r << ",\"until_counted\":" << o.until_counted << ",\"counted_dashboards\":" << counted_at.size();
        if (!counted_at.empty())
            r << ",\"counted_first_unix_ms\":" << unix_ms(counted_at.front())
              << ",\"counted_last_unix_ms\":" << unix_ms(counted_at.back());
    }
    r << "}\n";
    std::cout << r.str();
    return 0;
}
