#include "server/wire/social_codec.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ctime>

#include "core/text/html_text.hpp"
#include "server/wire/json_codec.hpp"
#include "server/wire/request_errors.hpp"

namespace tribune::server {
namespace {

status bad(std::string message) { return invalid("invalid_field", std::move(message)); }

std::optional<std::int64_t> whole_number(std::string_view s) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

const json* member(const json& j, const char* name, json::value_t type) {
    if (!j.is_object()) return nullptr;
    auto it = j.find(name);
    if (it == j.end() || it->type() != type) return nullptr;
    return &*it;
}

std::string string_member(const json& j, const char* name) {
    const json* v = member(j, name, json::value_t::string);
    return v ? v->get<std::string>() : std::string();
}

result<social_post> read_status(const json& s) {
    const json* id = member(s, "id", json::value_t::string);
    const json* content = member(s, "content", json::value_t::string);
    const json* account = member(s, "account", json::value_t::object);
    const json* acct = account ? member(*account, "acct", json::value_t::string) : nullptr;
    if (!id || !content || !acct) return bad("a status needs id, content and account.acct");
    social_post p;
    p.external_id = id->get<std::string>();
    p.position = whole_number(p.external_id);
    p.author = acct->get<std::string>();
    p.text = html_to_text(content->get<std::string>());
    p.url = string_member(s, "url");
    if (p.url.empty()) p.url = string_member(s, "uri");
    p.posted_at = parse_iso_time(string_member(s, "created_at")).value_or(0);
    return p;
}

json parse(std::string_view text) { return json::parse(text, nullptr, false); }

bool facets_carry(const json& record, std::string_view tag) {
    const json* facets = member(record, "facets", json::value_t::array);
    if (!facets) return false;
    for (const json& f : *facets) {
        const json* features = member(f, "features", json::value_t::array);
        if (!features) continue;
        for (const json& feat : *features) {
            if (string_member(feat, "$type") != "app.bsky.richtext.facet#tag") continue;
            if (has_hashtag("#" + string_member(feat, "tag"), tag)) return true;
        }
    }
    return false;
}

}  // namespace

std::optional<timestamp_ms> parse_iso_time(std::string_view s) {
    // YYYY-MM-DDTHH:MM:SS[.fff...](Z|+HH:MM|-HH:MM)
    if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' ||
        s[16] != ':')
        return std::nullopt;
    auto num = [&](std::size_t at, std::size_t n) { return whole_number(s.substr(at, n)); };
    auto y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2), se = num(17, 2);
    if (!y || !mo || !d || !h || !mi || !se) return std::nullopt;
    std::size_t at = 19;
    std::int64_t ms = 0;
    if (at < s.size() && s[at] == '.') {
        std::size_t digits = 0;
        for (++at; at < s.size() && std::isdigit(static_cast<unsigned char>(s[at])); ++at, ++digits)
            if (digits < 3) ms = ms * 10 + (s[at] - '0');
        for (; digits < 3; ++digits) ms *= 10;
    }
    std::int64_t offset_min = 0;
    if (at < s.size() && (s[at] == 'Z' || s[at] == 'z')) {
        ++at;
    } else if (at + 6 == s.size() && (s[at] == '+' || s[at] == '-') && s[at + 3] == ':') {
        auto oh = num(at + 1, 2), om = num(at + 4, 2);
        if (!oh || !om) return std::nullopt;
        offset_min = (*oh * 60 + *om) * (s[at] == '-' ? -1 : 1);
        at += 6;
    } else {
        return std::nullopt;
    }
    if (at != s.size()) return std::nullopt;
    std::tm tm{};
    tm.tm_year = static_cast<int>(*y - 1900);
    tm.tm_mon = static_cast<int>(*mo - 1);
    tm.tm_mday = static_cast<int>(*d);
    tm.tm_hour = static_cast<int>(*h);
    tm.tm_min = static_cast<int>(*mi);
    tm.tm_sec = static_cast<int>(*se);
    const std::int64_t secs = static_cast<std::int64_t>(timegm(&tm)) - offset_min * 60;
    return secs * 1000 + ms;
}

result<social_post> decode_mastodon_status(std::string_view json_text) {
    json s = parse(json_text);
    if (s.is_discarded()) return bad("a status is not JSON");
    return read_status(s);
}

result<std::vector<social_post>> decode_mastodon_timeline(std::string_view body, std::size_t& skipped) {
    json page = parse(body);
    if (!page.is_array()) return bad("a timeline page is a JSON array of statuses");
    std::vector<social_post> out;
    for (const json& s : page) {
        auto p = read_status(s);
        if (p) out.push_back(std::move(*p));
        else ++skipped;
    }
    return out;
}

result<std::optional<social_post>> decode_mastodon_stream_message(std::string_view message) {
    json m = parse(message);
    const json* event = member(m, "event", json::value_t::string);
    if (!event) return bad("a streaming message needs an event");
    if (*event != "update") return std::optional<social_post>();
    const json* payload = member(m, "payload", json::value_t::string);
    if (!payload) return bad("an update needs its status as a JSON string payload");
    auto p = decode_mastodon_status(payload->get_ref<const std::string&>());
    if (!p) return p.error();
    return std::optional<social_post>(std::move(*p));
}

result<jetstream_event> decode_jetstream_event(std::string_view message, std::string_view tag) {
    json m = parse(message);
    const json* time_us = member(m, "time_us", json::value_t::number_unsigned);
    if (!time_us) time_us = member(m, "time_us", json::value_t::number_integer);
    if (!time_us) return bad("a Jetstream event needs time_us");
    jetstream_event out;
    out.time_us = time_us->get<std::int64_t>();
    const std::string kind = string_member(m, "kind");
    if (kind == "identity") {
        const json* identity = member(m, "identity", json::value_t::object);
        std::string did = identity ? string_member(*identity, "did") : std::string();
        if (did.empty()) did = string_member(m, "did");
        if (did.empty()) return bad("an identity event needs a did");
        out.identity = jetstream_identity{did, identity ? string_member(*identity, "handle") : std::string()};
        return out;
    }
    if (kind != "commit") return out;
    const json* commit = member(m, "commit", json::value_t::object);
    if (!commit) return bad("a commit event needs its commit");
    if (string_member(*commit, "operation") != "create" ||
        string_member(*commit, "collection") != "app.bsky.feed.post")
        return out;
    const std::string did = string_member(m, "did");
    const std::string rkey = string_member(*commit, "rkey");
    const json* record = member(*commit, "record", json::value_t::object);
    if (did.empty() || rkey.empty() || !record) return bad("a created post needs did, rkey and record");
    const std::string text = string_member(*record, "text");
    if (!facets_carry(*record, tag) && !has_hashtag(text, tag)) return out;
    social_post p;
    p.position = out.time_us;
    p.external_id = "at://" + did + "/app.bsky.feed.post/" + rkey;
    p.author = did;
    p.text = text;
    p.url = "https://bsky.app/profile/" + did + "/post/" + rkey;
    p.posted_at = parse_iso_time(string_member(*record, "createdAt")).value_or(out.time_us / 1000);
    out.post = std::move(p);
    return out;
}

std::vector<sse_event> sse_parser::feed(std::string_view bytes) {
    std::vector<sse_event> out;
    for (char c : bytes) {
        if (failed_) break;
        if (c == '\r') continue;
        if (c != '\n') {
            line_ += c;
            if (line_.size() > max_line) failed_ = true;
            continue;
        }
        if (line_.empty()) {  // a blank line ends the event
            if (has_data_) {
                if (current_.event.empty()) current_.event = "message";
                out.push_back(std::move(current_));
            }
            current_ = {};
            has_data_ = false;
            continue;
        }
        if (line_.front() != ':') {
            const std::size_t colon = line_.find(':');
            std::string field = line_.substr(0, colon);
            std::string value = colon == std::string::npos ? "" : line_.substr(colon + 1);
            if (!value.empty() && value.front() == ' ') value.erase(0, 1);
            if (field == "event") {
                current_.event = value;
            } else if (field == "data") {
                if (has_data_) current_.data += '\n';
                current_.data += value;
                has_data_ = true;
            }
        }
        line_.clear();
    }
    return out;
}

}  // namespace tribune::server
