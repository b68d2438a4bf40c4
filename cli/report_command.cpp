#include "cli/report_command.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "cli/command_support.hpp"
#include "core/service/export_service.hpp"
#include "core/store/database_location.hpp"
#include "core/util/wall_clock.hpp"
#include "server/wire/stats_codec.hpp"

namespace tribune::server {
namespace {

constexpr const char* report_usage =
    "usage: tribune report --event SLUG [--db PATH] [--out FILE] [--bucket 5m] [--migrations DIR]\n\n"
    "Writes the event's report as one self-contained HTML page (inline CSS and SVG charts: the\n"
    "moderation figures, arrivals by state, attributes over time, languages, what people asked\n"
    "most, the words that separated rejected from approved questions, the answered questions\n"
    "with their written answers) to FILE, or to stdout. The database is --db, else $TRIBUNE_DB,\n"
    "else var/tribune.db, and must exist. --bucket: the charts' time step (default 5m).\n";

struct report_args {
    std::string event;
    std::string out;
    std::string bucket = "5m";
    std::vector<std::string> serve_args;  // --db, --migrations
};

result<report_args> parse_report_args(const std::vector<std::string>& args) {
    report_args r;
    for (std::size_t i = 0; i < args.size(); ++i) {
        auto option = option_at(args, i);
        if (!option) return option.error();
        const auto& [a, value] = *option;
        if (a == "--event") r.event = value;
        else if (a == "--out") r.out = value;
        else if (a == "--bucket") r.bucket = value;
        else if (a == "--db" || a == "--migrations") r.serve_args.insert(r.serve_args.end(), {a, value});
        else return invalid("usage", "unknown option " + a);
    }
    if (r.event.empty()) return invalid("usage", "--event SLUG is required");
    return r;
}

double percentile(std::vector<double>& v, double p) {
    if (v.empty()) return 0;
    const auto k = static_cast<std::size_t>(std::floor(p * static_cast<double>(v.size() - 1)));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return v[k];
}

// The audit trail's figures and the answered questions, a page of the export at a time.
status walk_questions(store& db, const std::string& slug, report_data& r) {
    export_service exports(db, db, db);
    auto cursor = exports.open(slug);
    if (!cursor) return cursor.error();
    auto shortlist = db.shortlist(r.event.id);
    if (!shortlist) return shortlist.error();
    std::map<std::int64_t, const shortlist_entry*> notes;
    for (const shortlist_entry& e : *shortlist) notes[e.q.id] = &e;
    std::vector<double> waits;
    moderation_figures& f = r.figures;
    while (!cursor->done()) {
        auto page = cursor->next();
        if (!page) return page.error();
        std::map<std::int64_t, timestamp_ms> first_human;
        for (const decision_record& d : page->trail) {
            if (d.actor == "triage" && d.action == "auto") continue;
            ++f.human_decisions;
            ++f.by_action[d.action];
            ++f.by_actor[d.actor];
            first_human.emplace(d.question_id, d.at);
        }
        for (const question& q : page->items) {
            if (auto it = first_human.find(q.id); it != first_human.end())
                waits.push_back(static_cast<double>(std::max<timestamp_ms>(0, it->second - q.created_at)) / 60000.0);
            if (q.status != question_status::answered) continue;
            answered_question a{q, {}, {}};
            if (auto n = notes.find(q.id); n != notes.end()) {
                a.note = n->second->note;
                a.note_by = n->second->note_by;
            }
            r.answered.push_back(std::move(a));
        }
    }
    f.decided_questions = static_cast<std::int64_t>(waits.size());
    f.median_minutes = percentile(waits, 0.5);
    f.p90_minutes = percentile(waits, 0.9);
    return status::ok();
}

}  // namespace

result<report_data> gather_report(store& db, const std::string& slug, timestamp_ms bucket_ms) {
    report_data r;
    auto ev = db.find_event(slug);
    if (!ev) return ev.error();
    r.event = *ev;
    r.generated_at = wall_clock_ms();
    stats_service gauge(db, db);
    stats_query q;
    q.event_slug = slug;
    q.bucket_ms = bucket_ms;
    q.top_groups = 10;
    auto stats = gauge.compute(q);
    if (!stats) return stats.error();
    r.stats = std::move(*stats);
    if (status s = walk_questions(db, slug, r); !s) return s;
    return r;
}

int run_report_command(const std::vector<std::string>& args, const std::string& argv0) {
    if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
        std::cout << report_usage;
        return 0;
    }
    auto a = parse_report_args(args);
    if (!a) {
        std::cerr << "tribune report: " << a.error().message() << "\n\n" << report_usage;
        return 2;
    }
    auto bucket = parse_bucket(a->bucket);
    if (!bucket) return fail("--bucket must be a duration such as 60s, 5m or 1h");
    auto o = resolved_options(a->serve_args, argv0);
    if (!o) return fail(o.error().message());
    std::error_code ec;
    const auto where = parse_database_location(o->cfg.db_path);
    const bool is_url = where && where->kind == database_kind::postgresql;
    if (!is_url && !std::filesystem::is_regular_file(o->cfg.db_path, ec))
        return fail("no database at " + o->cfg.db_path);
    auto db = open_database(*o);
    if (!db) return fail(db.error().message());
    auto data = gather_report(**db, a->event, *bucket);
    if (!data) return fail(data.error().message());
    const std::string page = render_report(*data);
    if (a->out.empty()) {
        std::cout << page;
        return std::cout ? 0 : 1;
    }
    std::ofstream out(a->out, std::ios::binary | std::ios::trunc);
    out << page;
    out.close();
    if (!out) return fail("cannot write " + a->out);
    std::cout << "tribune: wrote the report of " << a->event << " to " << a->out << " ("
              << data->stats.total << " questions, " << data->answered.size() << " answered)\n";
    return 0;
}

}  // namespace tribune::server
