#include "cli/report_page.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <sstream>

#include "server/wire/json_codec.hpp"

namespace tribune::server {
namespace {

constexpr double chart_w = 720, chart_h = 200, pad_l = 44, pad_b = 22, pad_t = 8;

// The states' and attributes' colours, as the dashboard's.
constexpr std::array<const char*, status_count> state_colors = {
    "#e9a23b", "#3aa566", "#d9534f", "#c2467a", "#7b82e0", "#2a9d8f"};
constexpr std::array<const char*, attribute_count> attr_colors = {
    "#c53030", "#822727", "#dd6b20", "#b7791f", "#6b46c1", "#2b6cb0"};  // indexed by attribute

constexpr const char* style = R"(
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b2230;background:#f4f5f7;margin:0}
main{max-width:860px;margin:0 auto;padding:24px}
h1{margin:0 0 4px}h2{margin:28px 0 8px;font-size:1.15rem}
.muted{color:#5a6474}section{background:#fff;border:1px solid #e1e4e9;border-radius:8px;padding:12px 16px;margin:12px 0}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:4px 8px;border-bottom:1px solid #e1e4e9;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.legend span{display:inline-block;margin-right:12px;font-size:.85rem}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
.answer{margin:4px 0 0;padding:6px 10px;border-left:3px solid #2a9d8f;background:#eef8f6;white-space:pre-wrap}
svg text{font:11px system-ui,sans-serif;fill:#5a6474}
)";

std::string num(double v, int decimals = 1) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string clock_of(timestamp_ms t) {
    const std::string iso = format_time(t);  // 2026-11-28T05:30:00.123Z
    return iso.substr(11, 5);
}

std::string legend_item(const char* color, std::string_view name) {
    return std::string("<span><i style=\"background:") + color + "\"></i>" + html_escape(name) + "</span>";
}

// The frame of a time chart: the axes, the y range's top, the first and last times.
std::string frame(const event_stats& s, const std::string& top) {
    std::string out;
    const double x0 = pad_l, y0 = chart_h - pad_b;
    out += "<line x1=\"" + num(x0) + "\" y1=\"" + num(y0) + "\" x2=\"" + num(chart_w) + "\" y2=\"" +
           num(y0) + "\" stroke=\"#cdd2da\"/>";
    out += "<text x=\"" + num(x0 - 4) + "\" y=\"" + num(pad_t + 10) + "\" text-anchor=\"end\">" + top + "</text>";
    out += "<text x=\"" + num(x0 - 4) + "\" y=\"" + num(y0) + "\" text-anchor=\"end\">0</text>";
    if (!s.arrivals.empty()) {
        out += "<text x=\"" + num(x0) + "\" y=\"" + num(chart_h - 6) + "\">" +
               clock_of(s.arrivals.front().start) + " UTC</text>";
        out += "<text x=\"" + num(chart_w) + "\" y=\"" + num(chart_h - 6) + "\" text-anchor=\"end\">" +
               clock_of(s.arrivals.back().start + s.bucket_ms) + " UTC</text>";
    }
    return out;
}

std::string svg_open(std::string_view label) {
    return "<svg role=\"img\" aria-label=\"" + html_escape(label) + "\" viewBox=\"0 0 " + num(chart_w) +
           " " + num(chart_h) + "\" width=\"100%\" xmlns=\"http://www.w3.org/2000/svg\">";
}

// Arrivals per bucket, stacked by state.
std::string arrivals_chart(const event_stats& s) {
    std::int64_t top = 1;
    for (const arrival_bucket& b : s.arrivals) top = std::max(top, b.total());
    const double n = static_cast<double>(std::max<std::size_t>(1, s.arrivals.size()));
    const double bw = (chart_w - pad_l) / n, plot_h = chart_h - pad_b - pad_t;
    std::string out = svg_open("Arrivals per bucket by state") + frame(s, std::to_string(top));
    for (std::size_t i = 0; i < s.arrivals.size(); ++i) {
        double y = chart_h - pad_b;
        for (std::size_t k = 0; k < status_count; ++k) {
            const auto v = s.arrivals[i].by_status[k];
            if (v == 0) continue;
            const double h = plot_h * static_cast<double>(v) / static_cast<double>(top);
            y -= h;
            out += "<rect class=\"arrival\" x=\"" + num(pad_l + bw * static_cast<double>(i), 2) +
                   "\" y=\"" + num(y, 2) + "\" width=\"" + num(std::max(0.5, bw * 0.85), 2) +
                   "\" height=\"" + num(h, 2) + "\" fill=\"" + state_colors[k] + "\"><title>" +
                   std::string(to_string(all_statuses[k])) + ": " + std::to_string(v) + "</title></rect>";
        }
    }
    out += "</svg><p class=\"legend\">";
    for (std::size_t k = 0; k < status_count; ++k)
        out += legend_item(state_colors[k], to_string(all_statuses[k]));
    return out + "</p>";
}

// The share of questions at or over the threshold, one line per attribute.
std::string attributes_chart(const event_stats& s) {
    const double n = static_cast<double>(std::max<std::size_t>(1, s.attributes.size()));
    const double bw = (chart_w - pad_l) / n, plot_h = chart_h - pad_b - pad_t;
    std::string out = svg_open("Share of questions over the threshold per attribute") + frame(s, "100%");
    for (attribute a : all_attributes) {
        const auto k = static_cast<std::size_t>(a);
        std::string points;
        for (std::size_t i = 0; i < s.attributes.size(); ++i) {
            const attribute_bucket& b = s.attributes[i];
            if (b.questions == 0) continue;
            const double share = static_cast<double>(b.over[k]) / static_cast<double>(b.questions);
            points += num(pad_l + bw * (static_cast<double>(i) + 0.5), 2) + "," +
                      num(chart_h - pad_b - plot_h * share, 2) + " ";
        }
        out += "<polyline class=\"share\" fill=\"none\" stroke-width=\"2\" stroke=\"" +
               std::string(attr_colors[k]) + "\" points=\"" + points + "\"><title>" +
               std::string(to_string(a)) + "</title></polyline>";
    }
    out += "</svg><p class=\"legend\">";
    for (attribute a : all_attributes)
        out += legend_item(attr_colors[static_cast<std::size_t>(a)], to_string(a));
    return out + "</p>";
}

std::string languages_chart(const event_stats& s) {
    std::int64_t top = 1;
    for (const language_stat& l : s.languages) top = std::max(top, l.questions);
    const double row = 22, h = row * static_cast<double>(s.languages.size()) + 4;
    std::string out = "<svg role=\"img\" aria-label=\"Languages\" viewBox=\"0 0 " + num(chart_w) + " " +
                      num(h) + "\" width=\"100%\" xmlns=\"http://www.w3.org/2000/svg\">";
    for (std::size_t i = 0; i < s.languages.size(); ++i) {
        const language_stat& l = s.languages[i];
        const double y = row * static_cast<double>(i) + 2;
        const double w = (chart_w - 140) * static_cast<double>(l.questions) / static_cast<double>(top);
        out += "<text x=\"0\" y=\"" + num(y + 14) + "\">" + html_escape(l.lang) + "</text>";
        out += "<rect class=\"language\" x=\"60\" y=\"" + num(y + 3) + "\" width=\"" + num(std::max(1.0, w), 2) +
               "\" height=\"14\" fill=\"#2f5bd3\"/>";
        out += "<text x=\"" + num(66 + w) + "\" y=\"" + num(y + 14) + "\">" + std::to_string(l.questions) + "</text>";
    }
    return out + "</svg>";
}

std::string figures_table(const report_data& r) {
    const event_stats& s = r.stats;
    const moderation_figures& f = r.figures;
    std::string out = "<table id=\"figures\"><tr><th>Questions</th><td class=\"n\">" +
                      std::to_string(s.total) + "</td></tr>";
    for (std::size_t k = 0; k < status_count; ++k)
        out += "<tr><th>" + std::string(to_string(all_statuses[k])) + "</th><td class=\"n\">" +
               std::to_string(s.by_status[k]) + "</td></tr>";
    out += "<tr><th>Decisions by people</th><td class=\"n\">" + std::to_string(f.human_decisions) + "</td></tr>";
    for (const auto& [action, n] : f.by_action)
        out += "<tr><th>&nbsp;&nbsp;" + html_escape(action) + "</th><td class=\"n\">" + std::to_string(n) + "</td></tr>";
    out += "<tr><th>Questions decided by a person</th><td class=\"n\">" + std::to_string(f.decided_questions) +
           "</td></tr><tr><th>Minutes to the first decision (median, 90th percentile)</th><td class=\"n\">" +
           num(f.median_minutes) + ", " + num(f.p90_minutes) + "</td></tr></table>";
    if (!f.by_actor.empty()) {
        out += "<h3>Decisions per person</h3><table>";
        for (const auto& [actor, n] : f.by_actor)
            out += "<tr><td>" + html_escape(actor) + "</td><td class=\"n\">" + std::to_string(n) + "</td></tr>";
        out += "</table>";
    }
    return out;
}

std::string groups_table(const event_stats& s) {
    if (s.groups.empty()) return "<p class=\"muted\">No questions.</p>";
    std::string out = "<table id=\"groups\"><tr><th class=\"n\">asked</th><th>question</th><th>state</th></tr>";
    for (const group_stat& g : s.groups)
        out += "<tr><td class=\"n\">" + std::to_string(g.size) + "</td><td>" +
               (g.shown ? html_escape(g.shown->text) : std::string()) + "</td><td>" +
               (g.shown ? std::string(to_string(g.shown->status)) : std::string()) + "</td></tr>";
    return out + "</table>";
}

std::string words_table(const std::vector<word_stat>& words, const char* id) {
    if (words.empty()) return "<p class=\"muted\">None stood out.</p>";
    std::string out = std::string("<table id=\"") + id +
                      "\"><tr><th>word</th><th class=\"n\">rejected</th><th class=\"n\">approved</th><th class=\"n\">z</th></tr>";
    for (const word_stat& w : words)
        out += "<tr><td>" + html_escape(w.word) + "</td><td class=\"n\">" + std::to_string(w.rejected) +
               "</td><td class=\"n\">" + std::to_string(w.approved) + "</td><td class=\"n\">" + num(w.z, 2) +
               "</td></tr>";
    return out + "</table>";
}

std::string answered_list(const report_data& r) {
    if (r.answered.empty()) return "<p class=\"muted\">No question was marked answered.</p>";
    std::string out = "<ol id=\"answered\">";
    for (const answered_question& a : r.answered) {
        out += "<li><p>" + html_escape(a.q.text);
        if (a.q.author) out += " <span class=\"muted\">— " + html_escape(*a.q.author) + "</span>";
        out += "</p>";
        if (!a.note.empty())
            out += "<p class=\"answer\">" + html_escape(a.note) +
                   (a.note_by.empty() ? "" : "<br><span class=\"muted\">— " + html_escape(a.note_by) + "</span>") +
                   "</p>";
        out += "</li>";
    }
    return out + "</ol>";
}

}  // namespace

std::string html_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string render_report(const report_data& r) {
    const event_stats& s = r.stats;
    const std::string title = r.event.title.empty() ? r.event.slug : r.event.title;
    std::string out = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                      "<title>" + html_escape(title) + " · report</title><style>" + style +
                      "</style></head><body><main>";
    out += "<h1>" + html_escape(title) + "</h1><p class=\"muted\">Event <code>" + html_escape(r.event.slug) +
           "</code> · report made " + format_time(r.generated_at) + " · " + std::to_string(s.total) +
           " questions</p>";
    out += "<section><h2>Moderation</h2>" + figures_table(r) + "</section>";
    out += "<section><h2>Arrivals per " + num(static_cast<double>(s.bucket_ms) / 60000.0, 1) +
           " minutes, by state</h2>" + arrivals_chart(s) + "</section>";
    out += "<section><h2>Share of questions scoring " + num(s.threshold, 2) +
           " or more, per attribute</h2>" + attributes_chart(s) + "</section>";
    out += "<section><h2>Languages</h2>" + languages_chart(s) + "</section>";
    out += "<section><h2>What people asked most</h2>" + groups_table(s) + "</section>";
    out += "<section><h2>Words that separated rejected from approved questions</h2>"
           "<p class=\"muted\">Log-odds ratio with an informative Dirichlet prior; z above 2 or below -2 "
           "stands out.</p><h3>Towards rejected</h3>" +
           words_table(s.words_rejected, "words-rejected") + "<h3>Towards approved</h3>" +
           words_table(s.words_approved, "words-approved") + "</section>";
    out += "<section><h2>Answered questions</h2>" + answered_list(r) + "</section>";
    return out + "</main></body></html>\n";
}

}  // namespace tribune::server
