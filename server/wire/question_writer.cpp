#include "server/wire/question_writer.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

namespace tribune::server {
namespace {

void append_int(std::string& out, std::int64_t v) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

// As nlohmann's serializer writes a double: null when not finite, else its shortest
// round-trip form (nlohmann::detail::to_chars, "1.0" for integral values).
void append_double(std::string& out, double v) {
    if (!std::isfinite(v)) {
        out += "null";
        return;
    }
    std::array<char, 64> buf{};
    char* end = nlohmann::detail::to_chars(buf.data(), buf.data() + buf.size(), v);
    out.append(buf.data(), static_cast<std::size_t>(end - buf.data()));
}

// The members of json_codec's add_scores, rounded the same way.
double thousandths(float v) { return std::round(v * 1000.0f) / 1000.0; }

void append_optional(std::string& out, const std::optional<std::string>& s) {
    if (s) append_json_string(out, *s);
    else out += "null";
}

// Attributes in the order of their names (nlohmann's objects are sorted maps).
const std::array<attribute, attribute_count>& attributes_by_name() {
    static const std::array<attribute, attribute_count> sorted = [] {
        auto a = all_attributes;
        std::sort(a.begin(), a.end(),
                  [](attribute x, attribute y) { return to_string(x) < to_string(y); });
        return a;
    }();
    return sorted;
}

void append_scores(std::string& out, const question& q) {
    out += '{';
    bool first = true;
    for (attribute a : attributes_by_name()) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, to_string(a));
        out += ':';
        append_double(out, thousandths(q.scored.values[a]));
    }
    out += '}';
}

void append_spans(std::string& out, const question& q) {
    out += '[';
    bool first = true;
    for (const span& s : q.scored.spans) {
        if (!first) out += ',';
        first = false;
        out += "{\"attribute\":";
        append_json_string(out, to_string(s.attr));
        out += ",\"end\":";
        append_int(out, static_cast<std::int64_t>(s.end));
        out += ",\"rule\":";
        if (s.rule.empty()) out += "null";
        else append_json_string(out, s.rule);
        out += ",\"start\":";
        append_int(out, static_cast<std::int64_t>(s.start));
        out += ",\"weight\":";
        append_double(out, thousandths(s.weight));
        out += '}';
    }
    out += ']';
}

// learning_codec's correction_json: {"delta" (hundredths), "moved_from"} or null.
void append_correction(std::string& out, const std::optional<correction_note>& c) {
    if (!c) {
        out += "null";
        return;
    }
    out += "{\"delta\":";
    append_double(out, std::round(static_cast<double>(c->delta) * 100.0) / 100.0);
    out += ",\"moved_from\":";
    if (c->moved_from) append_json_string(out, to_string(*c->moved_from));
    else out += "null";
    out += '}';
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    std::size_t plain = 0;  // start of the run of bytes copied as they are
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(s.data() + plain, i - plain);
        plain = i + 1;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
    out.append(s.data() + plain, s.size() - plain);
    out += '"';
}

void append_question(std::string& out, const question& q, question_fields f) {
    // Members in nlohmann's (sorted) order, names quoted with their colon (none needs
    // escaping); the classifier's members only with f.scores.
    out += "{\"author\":";
    append_optional(out, q.author);
    out += ",\"cluster\":{\"heat\":";
    append_int(out, q.cluster_heat);
    out += ",\"id\":";
    append_int(out, q.cluster_id);
    out += ",\"in_review\":";
    append_int(out, q.cluster_review);
    out += ",\"size\":";
    append_int(out, q.cluster_size);
    out += "},\"created_at\":";
    append_json_string(out, format_time(q.created_at));
    out += ",\"event\":";
    append_json_string(out, q.event);
    if (f.scores) {
        out += ",\"event_correction\":";
        append_correction(out, q.correction);
    }
    out += ",\"external_id\":";
    append_optional(out, q.external_id);
    out += ",\"id\":";
    append_int(out, q.id);
    out += ",\"is_question\":";
    if (!q.question_probability) out += "null";
    else out += *q.question_probability >= question_threshold ? "true" : "false";
    out += ",\"lang\":";
    append_json_string(out, q.scored.lang);
    out += ",\"origin_url\":";
    append_optional(out, q.origin_url);
    if (f.scores) {
        out += ",\"question_probability\":";
        if (q.question_probability) append_double(out, thousandths(*q.question_probability));
        else out += "null";
        out += ",\"scores\":";
        append_scores(out, q);
    }
    out += ",\"source\":";
    append_optional(out, q.source);
    if (f.scores) {
        out += ",\"spans\":";
        append_spans(out, q);
    }
    out += ",\"status\":";
    append_json_string(out, to_string(q.status));
    out += ",\"text\":";
    append_json_string(out, q.text);
    out += ",\"updated_at\":";
    append_json_string(out, format_time(q.updated_at));
    if (f.scores) {
        out += ",\"verdict\":";
        append_json_string(out, q.verdict);
    }
    out += ",\"version\":";
    append_int(out, q.version);
    out += ",\"votes\":";
    append_int(out, q.votes);
    out += '}';
}

std::string encode_question(const question& q, question_fields f) {
    std::string out;
    out.reserve(512 + q.text.size() + q.verdict.size() + 96 * q.scored.spans.size());
    append_question(out, q, f);
    return out;
}

std::string encode_question_minimal(const question& q) {
    std::string out;
    out.reserve(96);
    out += "{\"cluster\":{\"id\":";
    append_int(out, q.cluster_id);
    out += ",\"size\":";
    append_int(out, q.cluster_size);
    out += "},\"id\":";
    append_int(out, q.id);
    out += ",\"status\":";
    append_json_string(out, to_string(q.status));
    out += ",\"version\":";
    append_int(out, q.version);
    out += '}';
    return out;
}

}  // namespace tribune::server
