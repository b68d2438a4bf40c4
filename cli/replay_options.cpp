#include "cli/replay_options.hpp"

#include <charconv>
#include <cstdlib>
#include <optional>

namespace tribune::cli {
namespace {

status usage_error(const std::string& line) {
    return status::error(error_kind::invalid_argument, "usage", line);
}

std::optional<double> parse_positive(const std::string& s) {
    if (s.empty()) return std::nullopt;
    char* end = nullptr;
    double v = std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size() || !(v > 0) || v > 1e9) return std::nullopt;
    return v;
}

std::optional<int> parse_int(const std::string& s, int lo, int hi) {
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v < lo || v > hi) return std::nullopt;
    return v;
}

// http://host[:port][/base]; https is refused (the command speaks plain HTTP).
result<replay_target> parse_url(const std::string& url) {
    const std::string scheme = "http://";
    if (url.rfind("https://", 0) == 0)
        return usage_error("--url " + url +
                           ": https is not supported; replay to the server's plain HTTP port");
    if (url.rfind(scheme, 0) != 0)
        return usage_error("--url must look like http://HOST:PORT, got '" + url + "'");
    std::string rest = url.substr(scheme.size());
    replay_target t;
    const auto slash = rest.find('/');
    std::string authority = rest.substr(0, slash);
    if (slash != std::string::npos) t.base_path = rest.substr(slash);
    while (!t.base_path.empty() && t.base_path.back() == '/') t.base_path.pop_back();
    if (t.base_path.find_first_of("?#") != std::string::npos)
        return usage_error("--url must not have a query or fragment: '" + url + "'");
    std::string port;
    if (!authority.empty() && authority.front() == '[') {  // [IPv6]:port
        const auto close = authority.find(']');
        if (close == std::string::npos) return usage_error("--url has an unclosed '[': " + url);
        t.host = authority.substr(1, close - 1);
        if (close + 1 < authority.size()) {
            if (authority[close + 1] != ':') return usage_error("--url: bad port in " + url);
            port = authority.substr(close + 2);
        }
    } else {
        const auto colon = authority.rfind(':');
        t.host = authority.substr(0, colon);
        if (colon != std::string::npos) port = authority.substr(colon + 1);
    }
    if (t.host.empty()) return usage_error("--url has no host: '" + url + "'");
    if (!port.empty()) {
        if (!parse_int(port, 1, 65535))
            return usage_error("--url: the port must be 1..65535, got '" + port + "'");
        t.port = port;
    }
    return t;
}

bool valid_slug(const std::string& s) {
    if (s.empty() || s.size() > 64) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0);
        if (!ok) return false;
    }
    return true;
}

// --speed takes "60x" or "60".
std::optional<double> parse_speed(std::string s) {
    if (!s.empty() && (s.back() == 'x' || s.back() == 'X')) s.pop_back();
    return parse_positive(s);
}

}  // namespace

std::string replay_usage() {
    return "usage: tribune replay FILE --url URL --event SLUG --token TOKEN\n"
           "                      [--rate N | --speed 60x | --max] [--connections N]\n"
           "                      [--timeout SECONDS] [--json] [--quiet]\n\n"
           "Posts a recorded stream of questions to POST /api/v1/events/SLUG/questions with many\n"
           "requests in flight (keep-alive connections, default 256).\n\n"
           "FILE: JSON lines, one question each: {\"text\": \"...\"} with optional \"author\",\n"
           "\"source\", \"external_id\" and \"created_at\" (ISO-8601, or epoch milliseconds as a\n"
           "number); other members are ignored. A line without external_id gets one derived from\n"
           "the line's content and number, and source \"replay\" when it has none, so an\n"
           "interrupted run can be started again: the server answers 200 for what it already\n"
           "stored and creates nothing twice.\n\n"
           "  --url URL          the server, http://HOST:PORT (a path prefix is kept)\n"
           "  --event SLUG       the event to post to (it must exist)\n"
           "  --token TOKEN      an api_client or admin token (else $TRIBUNE_TOKEN)\n"
           "  --max              as fast as the server answers (the default)\n"
           "  --rate N           N lines per second\n"
           "  --speed 60x        the created_at gaps, 60 times faster (lines in file order)\n"
           "  --connections N    keep-alive connections, each with one request in flight\n"
           "                     (1..1024, default 256)\n"
           "  --timeout S        give up on one request after S seconds and retry it (default 60)\n"
           "  --json             the summary as one JSON object on stdout\n"
           "  --quiet            no progress line\n\n"
           "503 (with Retry-After) and 429 are retried after the delay the server asks for. Other\n"
           "4xx are reported with the line number and the server's message; the run goes on.\n"
           "A 401, a 403 or an unknown event stops the run.\n"
           "Exit: 0 every line stored, 3 finished with lines in error or skipped, 1 the server\n"
           "cannot be reached or refuses the token or event, 2 bad usage, 130 interrupted.\n";
}

result<replay_options> parse_replay_args(const std::vector<std::string>& args) {
    replay_options o;
    int pacing_flags = 0;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string a = args[i];
        if (a == "-h" || a == "--help") {
            o.help = true;
            return o;
        }
        if (a == "--max") {
            o.pacing = replay_pacing::max;
            ++pacing_flags;
            continue;
        }
        if (a == "--json" || a == "--quiet") {
            (a == "--json" ? o.json : o.quiet) = true;
            continue;
        }
        if (a.rfind("--", 0) != 0) {
            if (!o.file.empty()) return usage_error("more than one FILE: '" + o.file + "', '" + a + "'");
            o.file = a;
            continue;
        }
        std::string value;
        if (auto eq = a.find('='); eq != std::string::npos) {
            value = a.substr(eq + 1);
            a = a.substr(0, eq);
        } else if (i + 1 < args.size()) {
            value = args[++i];
        } else {
            return usage_error("option " + a + " needs a value");
        }
        if (a == "--url") {
            auto t = parse_url(value);
            if (!t) return t.error();
            o.url = value;
            o.target = std::move(*t);
        } else if (a == "--event") {
            if (!valid_slug(value))
                return usage_error("--event must be a slug ([a-z0-9][a-z0-9-]{0,63}), got '" + value + "'");
            o.event = value;
        } else if (a == "--token") {
            o.token = value;
        } else if (a == "--rate") {
            auto r = parse_positive(value);
            if (!r) return usage_error("--rate must be a positive number of lines per second, got '" + value + "'");
            o.pacing = replay_pacing::rate;
            o.rate = *r;
            ++pacing_flags;
        } else if (a == "--speed") {
            auto s = parse_speed(value);
            if (!s) return usage_error("--speed must be a positive factor such as 60x, got '" + value + "'");
            o.pacing = replay_pacing::speed;
            o.speed = *s;
            ++pacing_flags;
        } else if (a == "--connections") {
            auto n = parse_int(value, 1, max_replay_connections);
            if (!n) return usage_error("--connections must be 1..1024, got '" + value + "'");
            o.connections = *n;
        } else if (a == "--timeout") {
            auto n = parse_int(value, 1, 3600);
            if (!n) return usage_error("--timeout must be 1..3600 seconds, got '" + value + "'");
            o.timeout_s = *n;
        } else {
            return usage_error("unknown option " + a);
        }
    }
    if (o.token.empty())
        if (const char* env = std::getenv("TRIBUNE_TOKEN"); env != nullptr) o.token = env;
    if (o.file.empty()) return usage_error("FILE is required (JSON lines, one question each)");
    if (o.url.empty()) return usage_error("--url is required (e.g. --url http://127.0.0.1:8080)");
    if (o.event.empty()) return usage_error("--event is required");
    if (o.token.empty()) return usage_error("--token is required (or set TRIBUNE_TOKEN)");
    if (pacing_flags > 1) return usage_error("give at most one of --rate, --speed and --max");
    return o;
}

}  // namespace tribune::cli
