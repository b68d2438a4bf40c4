#include "cli/replay_source.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "core/util/sha256.hpp"

namespace tribune::cli {
namespace {

using json = nlohmann::json;

status malformed(std::size_t number, const std::string& what) {
    return status::error(error_kind::invalid_argument, "malformed_line",
                         "line " + std::to_string(number) + ": " + what);
}

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// Reads exactly `n` digits at s[*at], advancing *at.
bool digits(std::string_view s, std::size_t* at, std::size_t n, int* out) {
    if (*at + n > s.size()) return false;
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const char c = s[*at + i];
        if (c < '0' || c > '9') return false;
        v = v * 10 + (c - '0');
    }
    *at += n;
    *out = v;
    return true;
}

bool expect(std::string_view s, std::size_t* at, char c) {
    if (*at >= s.size() || s[*at] != c) return false;
    ++*at;
    return true;
}

// An optional string member: absent or null -> nullopt; a string; an integer (ids only).
result<std::optional<std::string>> optional_member(const json& line, const char* name,
                                                   bool integers, std::size_t number) {
    auto it = line.find(name);
    if (it == line.end() || it->is_null()) return std::optional<std::string>();
    if (it->is_string()) return std::optional<std::string>(it->get<std::string>());
    if (integers && it->is_number_integer()) return std::optional<std::string>(it->dump());
    return malformed(number, std::string(name) + " must be a string");
}

result<std::optional<double>> created_at_of(const json& line, std::size_t number) {
    auto it = line.find("created_at");
    if (it == line.end() || it->is_null()) return std::optional<double>();
    if (it->is_number()) {
        const double ms = it->get<double>();
        if (std::isfinite(ms)) return std::optional<double>(ms);
    } else if (it->is_string()) {
        if (auto ms = parse_iso8601_ms(it->get<std::string>())) return std::optional<double>(*ms);
    }
    return malformed(number, "created_at must be an ISO-8601 time or epoch milliseconds, got " +
                                 it->dump());
}

}  // namespace

std::optional<double> parse_iso8601_ms(std::string_view s) {
    std::size_t at = 0;
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    if (!digits(s, &at, 4, &y) || !expect(s, &at, '-') || !digits(s, &at, 2, &mo) ||
        !expect(s, &at, '-') || !digits(s, &at, 2, &d))
        return std::nullopt;
    if (at >= s.size() || (s[at] != 'T' && s[at] != 't' && s[at] != ' ')) return std::nullopt;
    ++at;
    if (!digits(s, &at, 2, &h) || !expect(s, &at, ':') || !digits(s, &at, 2, &mi) ||
        !expect(s, &at, ':') || !digits(s, &at, 2, &sec))
        return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
    double fraction = 0;
    if (at < s.size() && (s[at] == '.' || s[at] == ',')) {
        ++at;
        double scale = 0.1;
        const std::size_t first = at;
        for (; at < s.size() && s[at] >= '0' && s[at] <= '9'; ++at, scale /= 10)
            fraction += (s[at] - '0') * scale;
        if (at == first) return std::nullopt;
    }
    int offset_min = 0;
    if (at < s.size()) {
        if (s[at] == 'Z' || s[at] == 'z') {
            ++at;
        } else if (s[at] == '+' || s[at] == '-') {
            const int sign = s[at] == '-' ? -1 : 1;
            ++at;
            int oh = 0, om = 0;
            if (!digits(s, &at, 2, &oh)) return std::nullopt;
            if (at < s.size() && s[at] == ':') ++at;
            if (at < s.size() && !digits(s, &at, 2, &om)) return std::nullopt;
            if (oh > 23 || om > 59) return std::nullopt;
            offset_min = sign * (oh * 60 + om);
        }
    }
    if (at != s.size()) return std::nullopt;
    const std::int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
    const std::int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - offset_min * 60;
    return static_cast<double>(secs) * 1000.0 + std::round(fraction * 1e6) / 1e3;
}

result<std::optional<replay_line>> parse_replay_line(std::string_view raw, std::size_t number) {
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    bool blank = true;
    for (char c : raw)
        if (!std::isspace(static_cast<unsigned char>(c))) blank = false;
    if (blank) return std::optional<replay_line>();

    json line = json::parse(raw, nullptr, /*allow_exceptions=*/false);
    if (line.is_discarded()) return malformed(number, "not valid JSON (or not valid UTF-8)");
    if (!line.is_object()) return malformed(number, "not a JSON object");
    auto text = line.find("text");
    if (text == line.end() || !text->is_string())
        return malformed(number, "\"text\" is missing or not a string");
    auto author = optional_member(line, "author", false, number);
    if (!author) return author.error();
    auto source = optional_member(line, "source", false, number);
    if (!source) return source.error();
    auto external_id = optional_member(line, "external_id", true, number);
    if (!external_id) return external_id.error();
    auto at = created_at_of(line, number);
    if (!at) return at.error();

    json body = {{"text", *text}};
    if (*author) body["author"] = **author;
    body["source"] = source->value_or(std::string(default_replay_source));
    if (*external_id) {
        body["external_id"] = **external_id;
    } else {
        body["external_id"] = "replay-" + std::to_string(number) + "-" +
                              sha256_hex(raw).substr(0, 16);
    }
    replay_line out;
    out.number = number;
    out.body = body.dump();
    out.at_ms = *at;
    return std::optional<replay_line>(std::move(out));
}

result<replay_source> replay_source::open(const std::string& path) {
    replay_source s;
    {
        std::ifstream count(path, std::ios::binary);
        if (!count)
            return status::error(error_kind::not_found, "cannot_open",
                                 "cannot read " + path);
        char buf[1 << 16];
        std::size_t n = 0;
        bool last_newline = true;
        while (count.read(buf, sizeof buf) || count.gcount() > 0) {
            const auto got = static_cast<std::size_t>(count.gcount());
            for (std::size_t i = 0; i < got; ++i) n += buf[i] == '\n';
            last_newline = buf[got - 1] == '\n';
        }
        s.total_lines_ = n + (last_newline ? 0 : 1);
    }
    s.in_.open(path, std::ios::binary);
    if (!s.in_)
        return status::error(error_kind::not_found, "cannot_open", "cannot read " + path);
    return s;
}

std::optional<replay_source::item> replay_source::next() {
    std::string raw;
    if (!std::getline(in_, raw)) return std::nullopt;
    ++number_;
    item it;
    it.number = number_;
    it.parsed = parse_replay_line(raw, number_);
    return it;
}

}  // namespace tribune::cli
