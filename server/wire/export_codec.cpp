#include "server/wire/export_codec.hpp"

#include <cstdio>

#include "server/wire/json_codec.hpp"
#include "server/wire/question_codec.hpp"

namespace tribune::server {
namespace {

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", v);
    return buf;
}

// The trail of `q` within the page's trail (ordered by question id).
json trail_of(const export_page& page, std::int64_t id, std::size_t& from) {
    json out = json::array();
    while (from < page.trail.size() && page.trail[from].question_id < id) ++from;
    while (from < page.trail.size() && page.trail[from].question_id == id)
        out.push_back(to_json(page.trail[from++]));
    return out;
}

void append_csv_row(std::string& out, const question& q, const json& trail) {
    const auto field = [&](std::string_view v, bool text) {
        out += csv_field(v, text);
        out += ',';
    };
    field(std::to_string(q.id), false);
    field(format_time(q.created_at), false);
    field(format_time(q.updated_at), false);
    field(to_string(q.status), false);
    field(std::to_string(q.version), false);
    field(q.author.value_or(""), true);
    field(q.source.value_or(""), true);
    field(q.external_id.value_or(""), true);
    field(q.scored.lang, false);
    for (attribute a : {attribute::toxicity, attribute::severe_toxicity, attribute::insult,
                        attribute::profanity, attribute::threat, attribute::identity_attack})
        field(number(q.scored.values[a]), false);
    field(q.verdict, true);
    field(q.question_probability ? number(*q.question_probability) : std::string(), false);
    field(std::to_string(q.cluster_id), false);
    field(std::to_string(q.cluster_size), false);
    field(std::to_string(q.votes), false);
    field(q.text, true);
    out += csv_field(encode(trail), false);
    out += "\r\n";
}

}  // namespace

std::optional<export_format> export_format_from_string(std::string_view s) {
    if (s == "csv") return export_format::csv;
    if (s == "jsonl") return export_format::jsonl;
    return std::nullopt;
}

std::string_view content_type_of(export_format f) {
    return f == export_format::csv ? "text/csv; charset=utf-8" : "application/x-ndjson";
}

std::string_view extension_of(export_format f) { return f == export_format::csv ? "csv" : "jsonl"; }

std::string csv_field(std::string_view value, bool guard_formula) {
    std::string v;
    if (guard_formula && !value.empty() &&
        (value.front() == '=' || value.front() == '+' || value.front() == '-' ||
         value.front() == '@' || value.front() == '\t' || value.front() == '\r'))
        v += '\'';
    v += value;
    if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
    std::string quoted = "\"";
    for (char c : v) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

std::string export_preamble(export_format f) {
    if (f != export_format::csv) return {};
    std::string out;
    for (std::string_view c : csv_columns) {
        out += c;
        out += ',';
    }
    out += "trail\r\n";
    return out;
}

std::string encode_page(const export_page& page, export_format f) {
    std::string out;
    std::size_t at = 0;
    for (const question& q : page.items) {
        json trail = trail_of(page, q.id, at);
        if (f == export_format::csv) {
            append_csv_row(out, q, trail);
            continue;
        }
        json line = to_json(q, question_fields{});
        line["trail"] = std::move(trail);
        out += encode(line);
        out += '\n';
    }
    return out;
}

}  // namespace tribune::server
