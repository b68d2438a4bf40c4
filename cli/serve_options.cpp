#include "cli/serve_options.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "core/store/database_location.hpp"

namespace tribune::server {
namespace fs = std::filesystem;
namespace {

status bad(const std::string& msg) {
    return status::error(error_kind::invalid_argument, "bad_argument", msg);
}

template <typename T>
status parse_number(const std::string& name, const std::string& text, T min, T max, T& out) {
    long long v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || p != text.data() + text.size() || v < static_cast<long long>(min) ||
        v > static_cast<long long>(max))
        return bad(name + " must be a whole number from " + std::to_string(min) + " to " +
                   std::to_string(max) + ", got '" + text + "'");
    out = static_cast<T>(v);
    return status::ok();
}

// A duration: whole seconds ("30", "30s") or milliseconds ("500ms"), from 1 ms to a day.
status parse_duration(const std::string& name, const std::string& text,
                      std::chrono::milliseconds& out) {
    std::string digits = text;
    long long scale = 1000;
    if (digits.size() > 2 && digits.ends_with("ms")) {
        digits.resize(digits.size() - 2);
        scale = 1;
    } else if (digits.size() > 1 && digits.ends_with("s")) {
        digits.resize(digits.size() - 1);
    }
    long long v = 0;
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec != std::errc{} || p != digits.data() + digits.size() || v < 1 ||
        v * scale > 86'400'000)
        return bad(name + " must be a duration like 30 (seconds), 30s or 500ms, up to a day; got '" +
                   text + "'");
    out = std::chrono::milliseconds(v * scale);
    return status::ok();
}

struct setting {
    const char* flag;
    const char* env;
    const char* help;
};

constexpr setting settings[] = {
    {"--address", "TRIBUNE_ADDRESS", "IP address to listen on (default 127.0.0.1)"},
    {"--port", "TRIBUNE_PORT", "TCP port, 0 for any free port (default 8080)"},
    {"--db", "TRIBUNE_DB", "SQLite database file, or postgresql://user@host/db (default var/tribune.db)"},
    {"--threads", "TRIBUNE_THREADS", "network threads (default 2)"},
    {"--scoring-workers", "TRIBUNE_SCORING_WORKERS", "classifier threads (default 1)"},
    {"--web-root", "TRIBUNE_WEB_ROOT", "dashboard files (default <resources>/web)"},
    {"--migrations", "TRIBUNE_MIGRATIONS", "migrations directory (default <resources>/migrations)"},
    {"--model", "TRIBUNE_MODEL", "classifier model file (default <resources>/models/toxicity.tlm)"},
    {"--classifier", "TRIBUNE_CLASSIFIER", "model | placeholder (default model)"},
    {"--max-body", "TRIBUNE_MAX_BODY", "largest request body in bytes (default 65536)"},
    {"--max-text", "TRIBUNE_MAX_TEXT", "longest question in characters (default 2000)"},
    {"--queue", "TRIBUNE_QUEUE", "ingest queue capacity in questions (default 10000)"},
    {"--rate-ip", "TRIBUNE_RATE_IP", "requests/s per address without a token, 0 off (default 20)"},
    {"--rate-token", "TRIBUNE_RATE_TOKEN", "requests/s per access token, 0 off (default 500)"},
    {"--rate-audience", "TRIBUNE_RATE_AUDIENCE", "questions and votes per minute per audience participant, 0 off (default 60)"},
    {"--metrics-access", "TRIBUNE_METRICS_ACCESS", "loopback | open | admin (default loopback)"},
    {"--max-header", "TRIBUNE_MAX_HEADER", "largest request line + headers in bytes (default 16384)"},
    {"--max-json-depth", "TRIBUNE_MAX_JSON_DEPTH", "deepest JSON nesting of a body (default 32)"},
    {"--ws-max-message", "TRIBUNE_WS_MAX_MESSAGE", "largest WebSocket message from a client in bytes (default 4096)"},
    {"--max-connections", "TRIBUNE_MAX_CONNECTIONS", "open HTTP + WebSocket connections; beyond: 503 (default 1024)"},
    {"--read-timeout", "TRIBUNE_READ_TIMEOUT", "time to receive a whole request, e.g. 30s or 500ms (default 30s)"},
    {"--idle-timeout", "TRIBUNE_IDLE_TIMEOUT", "keep-alive wait for the next request (default 60s)"},
    {"--drain-timeout", "TRIBUNE_DRAIN_TIMEOUT", "graceful stop: time to finish requests and close (default 10s)"},
    {"--activity-interval-ms", "TRIBUNE_ACTIVITY_INTERVAL_MS", "live stream: how often changed arrivals per minute are sent, in ms (default 5000)"},
    // the Perspective-compatible API and webhooks (docs/perspective.md, docs/api.md "Webhooks")
    {"--perspective-prefix", "TRIBUNE_PERSPECTIVE_PREFIX", "also serve the Perspective API under /PREFIX/v1alpha1/... (default: root only)"},
    {"--public-url", "TRIBUNE_PUBLIC_URL", "rootUrl of the discovery document, e.g. https://tribune.example/ (default: from the request)"},
    {"--webhook-ca-file", "TRIBUNE_WEBHOOK_CA_FILE", "PEM certificates trusted for https webhooks besides the system's"},
    {"--webhook-timeout", "TRIBUNE_WEBHOOK_TIMEOUT", "time one webhook attempt may take, e.g. 10s or 500ms (default 10s)"},
    {"--webhook-retry-base", "TRIBUNE_WEBHOOK_RETRY_BASE", "first retry delay of a failing webhook, doubling up to 10 min (default 1s)"},
    {"--webhook-disable-after", "TRIBUNE_WEBHOOK_DISABLE_AFTER", "consecutive failed attempts before a webhook is disabled (default 15)"},
    // the social bridges (docs/api.md "Sources")
    {"--bridge-ca-file", "TRIBUNE_BRIDGE_CA_FILE", "PEM certificates trusted for the social bridges besides the system's"},
    {"--bridge-retry-base", "TRIBUNE_BRIDGE_RETRY_BASE", "first reconnect delay of a failing bridge, doubling up to 5 min (default 1s)"},
    {"--bridge-rewind", "TRIBUNE_BRIDGE_REWIND", "how far a Jetstream cursor is rewound on resume (default 5s)"},
};

status apply(serve_options& o, const std::string& flag, const std::string& value) {
    config& c = o.cfg;
    if (flag == "--address") c.address = value;
    else if (flag == "--port") return parse_number<std::uint16_t>(flag, value, 0, 65535, c.port);
    else if (flag == "--db") {
        auto where = parse_database_location(value);
        if (!where) return bad("--db: " + where.error().message());
        c.db_path = value;
    }
    else if (flag == "--threads") return parse_number<int>(flag, value, 1, 256, c.threads);
    else if (flag == "--scoring-workers")
        return parse_number<int>(flag, value, 1, 64, c.scoring_workers);
    else if (flag == "--web-root") c.web_root = value;
    else if (flag == "--migrations") c.migrations_dir = value;
    else if (flag == "--model") c.model_path = value;
    else if (flag == "--classifier") {
        if (value != "model" && value != "placeholder")
            return bad("--classifier must be model or placeholder");
        o.classifier_kind = value;
    } else if (flag == "--max-body")
        return parse_number<std::size_t>(flag, value, 1024, 64u << 20, c.max_body_bytes);
    else if (flag == "--max-text")
        return parse_number<std::size_t>(flag, value, 1, 100000, c.max_text_chars);
    else if (flag == "--queue")
        return parse_number<std::size_t>(flag, value, 1, 10000000, c.ingest_queue_capacity);
    else if (flag == "--rate-ip" || flag == "--rate-token") {
        double v = 0;
        auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
        if (ec != std::errc{} || p != value.data() + value.size() || v < 0 || v > 1e9)
            return bad(flag + " must be a number of requests per second (0 turns it off)");
        // Bursts of three seconds' worth are allowed.
        (flag == "--rate-ip" ? c.rate_per_ip : c.rate_per_token) = v;
        (flag == "--rate-ip" ? c.rate_per_ip_burst : c.rate_per_token_burst) = std::max(1.0, v * 3);
    } else if (flag == "--rate-audience")
        return parse_number<int>(flag, value, 0, 1000000, c.rate_audience_per_minute);
    else if (flag == "--metrics-access") {
        if (value != "loopback" && value != "open" && value != "admin")
            return bad("--metrics-access must be loopback, open or admin");
        c.metrics_access = value;
    } else if (flag == "--max-header")
        return parse_number<std::size_t>(flag, value, 1024, 1u << 20, c.max_header_bytes);
    else if (flag == "--max-json-depth")
        return parse_number<std::size_t>(flag, value, 1, 1000, c.max_json_depth);
    else if (flag == "--ws-max-message")
        return parse_number<std::size_t>(flag, value, 128, 16u << 20, c.ws_max_message_bytes);
    else if (flag == "--max-connections")
        return parse_number<std::size_t>(flag, value, 1, 1000000, c.max_connections);
    else if (flag == "--read-timeout") return parse_duration(flag, value, c.read_timeout);
    else if (flag == "--idle-timeout") return parse_duration(flag, value, c.idle_timeout);
    else if (flag == "--drain-timeout") return parse_duration(flag, value, c.drain_timeout);
    else if (flag == "--activity-interval-ms") {
        long long ms = 0;
        if (status s = parse_number<long long>(flag, value, 10, 3'600'000, ms); !s) return s;
        c.activity_interval = std::chrono::milliseconds(ms);
    }
    else if (flag == "--perspective-prefix") {
        std::string p = value;
        while (!p.empty() && p.front() == '/') p.erase(0, 1);
        while (!p.empty() && p.back() == '/') p.pop_back();
        if (p.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./") !=
                std::string::npos || p.find("..") != std::string::npos)
            return bad("--perspective-prefix must be a path such as /perspective");
        c.perspective_prefix = p;
    } else if (flag == "--public-url") {
        if (value.rfind("http://", 0) != 0 && value.rfind("https://", 0) != 0)
            return bad("--public-url must start with http:// or https://");
        c.public_url = value;
    } else if (flag == "--webhook-ca-file") c.webhook_ca_file = value;
    else if (flag == "--webhook-timeout") return parse_duration(flag, value, c.webhook_timeout);
    else if (flag == "--webhook-retry-base") return parse_duration(flag, value, c.webhook_retry_base);
    else if (flag == "--webhook-disable-after")
        return parse_number<int>(flag, value, 1, 1000, c.webhook_disable_after);
    else if (flag == "--bridge-ca-file") c.bridge_ca_file = value;
    else if (flag == "--bridge-retry-base") return parse_duration(flag, value, c.bridge_retry_base);
    else if (flag == "--bridge-rewind") return parse_duration(flag, value, c.bridge_rewind);
    else return bad("unknown option " + flag + " (see tribune serve --help)");
    return status::ok();
}

}  // namespace

std::string serve_usage() {
    std::string s =
        "usage: tribune serve [options]\n\n"
        "Starts the HTTP + WebSocket server. Each option can also be set by the environment\n"
        "variable named beside it; a flag wins over the environment.\n\n";
    for (const auto& st : settings) {
        std::string left = std::string("  ") + st.flag + " VALUE";
        left.resize(std::max<std::size_t>(28, left.size() + 2), ' ');
        s += left + st.help + "  [" + st.env + "]\n";
    }
    s += "  --quiet                   no log line per request\n";
    s += "  --no-bridges              do not run the social bridges of the events' sources\n";
    return s;
}

result<serve_options> parse_serve_args(const std::vector<std::string>& args) {
    serve_options o;
    for (const auto& st : settings) {
        if (const char* v = std::getenv(st.env); v != nullptr && *v != '\0') {
            if (status s = apply(o, st.flag, v); !s)
                return bad(std::string(st.env) + ": " + s.message());
        }
    }
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string a = args[i];
        if (a == "-h" || a == "--help") {
            o.help = true;
            continue;
        }
        if (a == "--quiet") {
            o.cfg.quiet = true;
            continue;
        }
        if (a == "--no-bridges") {
            o.cfg.bridges = false;
            continue;
        }
        std::string value;
        if (auto eq = a.find('='); a.rfind("--", 0) == 0 && eq != std::string::npos) {
            value = a.substr(eq + 1);
            a = a.substr(0, eq);
        } else {
            if (i + 1 >= args.size()) return bad("option " + a + " needs a value");
            value = args[++i];
        }
        if (status s = apply(o, a, value); !s) return s;
    }
    return o;
}

std::string find_resource_root(const std::string& argv0) {
    auto has = [](const fs::path& p) {
        std::error_code ec;
        return fs::exists(p / "migrations" / "0001_initial.sql", ec);
    };
    std::error_code ec;
    if (has(fs::current_path(ec))) return fs::current_path(ec).string();
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) exe = fs::absolute(argv0, ec);
    const fs::path dir = exe.parent_path();
    for (const fs::path& candidate :
         {dir / ".." / "share" / "tribune", dir / ".." / ".." / "..", dir / ".." / ".."}) {
        if (has(candidate)) return fs::weakly_canonical(candidate, ec).string();
    }
    return fs::current_path(ec).string();
}

void resolve_paths(serve_options& o, const std::string& argv0) {
    const std::string root = find_resource_root(argv0);
    if (o.cfg.web_root.empty()) o.cfg.web_root = root + "/web";
    if (o.cfg.migrations_dir.empty()) o.cfg.migrations_dir = root + "/migrations";
    if (o.cfg.model_path.empty()) o.cfg.model_path = root + "/models/toxicity.tlm";
}

}  // namespace tribune::server
