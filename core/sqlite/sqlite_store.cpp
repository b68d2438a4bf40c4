#include "core/sqlite/sqlite_store.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <functional>
#include <unordered_map>

#include "core/text/text_normalizer.hpp"

namespace tribune {
namespace {

constexpr std::string_view question_columns =
    "SELECT q.id, q.event_id, e.slug, q.text, q.author, q.source, q.external_id, q.created_at, "
    "q.updated_at, q.status, q.version, q.lang, q.verdict, q.s_toxicity, q.s_severe_toxicity, "
    "q.s_insult, q.s_profanity, q.s_threat, q.s_identity_attack, q.votes, q.severity, "
    "coalesce(q.cluster_id, q.id), coalesce(c.size, 1) "
    "FROM questions q JOIN events e ON e.id = q.event_id "
    "LEFT JOIN question_clusters c ON c.id = q.cluster_id ";

std::int64_t severity_milli(const question& q) {
    return static_cast<std::int64_t>(std::lround(severity_of(q) * 1000.0f));
}

// The text in the normal form the classifier and the word lists use, for full-text search.
std::string search_text_of(const std::string& text) {
    auto n = normalize(text);
    return n ? n->text : text;
}

// An FTS5 query: every term must match; "term*" is a prefix query.
std::string fts_query(const std::vector<std::string>& terms) {
    std::string q;
    for (const std::string& t : terms) {
        if (!q.empty()) q += ' ';
        const bool prefix = t.back() == '*';
        q += '"' + (prefix ? t.substr(0, t.size() - 1) : t) + '"';
        if (prefix) q += '*';
    }
    return q;
}

timestamp_ms now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

question read_question_row(const sqlite_statement& s) {
    question q;
    q.id = s.column_int(0);
    q.event_id = s.column_int(1);
    q.event = s.column_text(2);
    q.text = s.column_text(3);
    q.author = s.column_optional_text(4);
    q.source = s.column_optional_text(5);
    q.external_id = s.column_optional_text(6);
    q.created_at = s.column_int(7);
    q.updated_at = s.column_int(8);
    q.status = status_from_string(s.column_text(9)).value_or(question_status::pending);
    q.version = s.column_int(10);
    q.scored.lang = s.column_text(11);
    q.verdict = s.column_text(12);
    for (std::size_t i = 0; i < attribute_count; ++i)
        q.scored.values.values[i] = static_cast<float>(s.column_double(13 + static_cast<int>(i)));
    q.votes = s.column_int(19);
    q.cluster_id = s.column_int(21);
    q.cluster_size = s.column_int(22);
    return q;
}

event_info read_event_row(const sqlite_statement& s) {
    return {s.column_int(0), s.column_text(1), s.column_text(2), s.column_int(3) != 0,
            s.column_int(4)};
}

// Fills the spans of `qs` with one query.
status load_spans(sqlite_connection& db, std::vector<question>& qs) {
    if (qs.empty()) return status::ok();
    std::string sql =
        "SELECT question_id, start, \"end\", attribute, weight, rule FROM question_spans "
        "WHERE question_id IN (";
    for (std::size_t i = 0; i < qs.size(); ++i) sql += i == 0 ? "?" : ",?";
    sql += ") ORDER BY question_id, rowid";
    auto st = db.prepare(sql);
    if (!st) return st.error();
    std::unordered_map<std::int64_t, question*> by_id;
    for (std::size_t i = 0; i < qs.size(); ++i) {
        st->bind(static_cast<int>(i) + 1, qs[i].id);
        by_id[qs[i].id] = &qs[i];
    }
    int rc;
    while ((rc = st->step()) == SQLITE_ROW) {
        auto it = by_id.find(st->column_int(0));
        if (it == by_id.end()) continue;
        span sp;
        sp.start = static_cast<std::size_t>(st->column_int(1));
        sp.end = static_cast<std::size_t>(st->column_int(2));
        sp.attr = attribute_from_string(st->column_text(3)).value_or(attribute::toxicity);
        sp.weight = static_cast<float>(st->column_double(4));
        sp.rule = st->column_text(5);
        it->second->scored.spans.push_back(std::move(sp));
    }
    if (rc != SQLITE_DONE) return db.last_error("read spans");
    return status::ok();
}

result<question> load_question(sqlite_connection& db, std::int64_t id) {
    auto st = db.prepare(std::string(question_columns) + "WHERE q.id = ?");
    if (!st) return st.error();
    st->bind(1, id);
    int rc = st->step();
    if (rc == SQLITE_DONE)
        return status::error(error_kind::not_found, "question_not_found",
                             "no question with id " + std::to_string(id));
    if (rc != SQLITE_ROW) return db.last_error("read question");
    std::vector<question> one{read_question_row(*st)};
    if (status s = load_spans(db, one); !s) return s;
    return std::move(one.front());
}

result<event_info> load_event(sqlite_connection& db, const std::string& slug) {
    auto st = db.prepare("SELECT id, slug, title, premoderate, created_at FROM events WHERE slug = ?");
    if (!st) return st.error();
    st->bind(1, std::string_view(slug));
    int rc = st->step();
    if (rc == SQLITE_DONE)
        return status::error(error_kind::not_found, "event_not_found", "no event '" + slug + "'");
    if (rc != SQLITE_ROW) return db.last_error("read event");
    return read_event_row(*st);
}

result<std::optional<question>> load_external(sqlite_connection& db, std::int64_t event_id,
                                              const std::string& source,
                                              const std::string& external_id) {
    auto st = db.prepare(std::string(question_columns) +
                         "WHERE q.event_id = ? AND coalesce(q.source, '') = ? AND q.external_id = ?");
    if (!st) return st.error();
    st->bind(1, event_id);
    st->bind(2, std::string_view(source));
    st->bind(3, std::string_view(external_id));
    int rc = st->step();
    if (rc == SQLITE_DONE) return std::optional<question>{};
    if (rc != SQLITE_ROW) return db.last_error("read question");
    std::vector<question> one{read_question_row(*st)};
    if (status s = load_spans(db, one); !s) return s;
    return std::optional<question>(std::move(one.front()));
}

// The event's shortlist with its questions (spans included), oldest addition first.
result<std::vector<shortlist_entry>> shortlist_of(sqlite_connection& db, std::int64_t event_id) {
    std::string sql(question_columns);
    const auto from = sql.find("FROM questions q");
    sql.insert(from, ", s.added_by, s.added_at ");
    sql += "JOIN shortlist s ON s.question_id = q.id WHERE s.event_id = ? "
           "ORDER BY s.added_at, s.question_id";
    auto st = db.prepare(sql);
    if (!st) return st.error();
    st->bind(1, event_id);
    std::vector<question> qs;
    std::vector<shortlist_entry> out;
    int rc;
    while ((rc = st->step()) == SQLITE_ROW) {
        qs.push_back(read_question_row(*st));
        shortlist_entry e;
        e.added_by = st->column_text(23);
        e.added_at = st->column_int(24);
        out.push_back(std::move(e));
    }
    if (rc != SQLITE_DONE) return db.last_error("read shortlist");
    if (status s = load_spans(db, qs); !s) return s;
    for (std::size_t i = 0; i < qs.size(); ++i) out[i].q = std::move(qs[i]);
    return out;
}

// Runs `body` inside BEGIN IMMEDIATE ... COMMIT, rolling back when it fails.
template <typename T, typename F>
result<T> in_transaction(sqlite_connection& db, F&& body) {
    if (status s = db.exec("BEGIN IMMEDIATE"); !s) return s;
    result<T> r = body();
    if (!r) {
        db.exec("ROLLBACK");
        return r;
    }
    if (status s = db.exec("COMMIT"); !s) {
        db.exec("ROLLBACK");
        return s;
    }
    return r;
}

}  // namespace

// Returns its connection to the pool when it goes out of scope.
class sqlite_store::reader_lease {
public:
    explicit reader_lease(sqlite_store& s) : store_(s), conn_(s.acquire_reader()) {}
    ~reader_lease() { store_.release_reader(std::move(conn_)); }
    reader_lease(const reader_lease&) = delete;
    reader_lease& operator=(const reader_lease&) = delete;
    sqlite_connection& operator*() { return conn_; }

private:
    sqlite_store& store_;
    sqlite_connection conn_;
};

result<std::unique_ptr<sqlite_store>> sqlite_store::open(const std::string& path,
                                                         const std::string& migrations_dir,
                                                         std::size_t readers) {
    auto files = migrator::scan(migrations_dir);
    if (!files) return files.error();

    std::error_code ec;
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec)
        return status::error(error_kind::unavailable, "database_unavailable",
                             "cannot create directory " + parent.string() + ": " + ec.message());

    auto writer = sqlite_connection::open(path, false);
    if (!writer) return writer.error();
    auto report = migrator::apply(*writer, *files);
    if (!report) return report.error();
    if (report->to_version < required_schema_version)
        return status::error(error_kind::unavailable, "database_outdated",
                             "the database is at schema version " +
                                 std::to_string(report->to_version) + " but this server needs " +
                                 std::to_string(required_schema_version) + "; " + migrations_dir +
                                 " lacks the newer migrations");

    std::unique_ptr<sqlite_store> s(new sqlite_store());
    s->writer_ = std::move(writer.value());
    s->schema_version_ = report->to_version;
    for (std::size_t i = 0; i < readers; ++i) {
        auto r = sqlite_connection::open(path, true);
        if (!r) return r.error();
        s->readers_.push_back(std::move(r.value()));
    }
    return s;
}

status sqlite_store::write_transaction(const std::function<status(sqlite_connection&)>& f) {
    std::lock_guard lock(write_mutex_);
    auto r = in_transaction<bool>(writer_, [&]() -> result<bool> {
        if (status st = f(writer_); !st) return st;
        return true;
    });
    return r ? status::ok() : r.error();
}

status sqlite_store::read(const std::function<status(sqlite_connection&)>& f) {
    reader_lease db(*this);
    return f(*db);
}

sqlite_connection sqlite_store::acquire_reader() {
    std::unique_lock lock(readers_mutex_);
    readers_cv_.wait(lock, [this] { return !readers_.empty(); });
    sqlite_connection c = std::move(readers_.back());
    readers_.pop_back();
    return c;
}

void sqlite_store::release_reader(sqlite_connection c) {
    {
        std::lock_guard lock(readers_mutex_);
        readers_.push_back(std::move(c));
    }
    readers_cv_.notify_one();
}

result<event_info> sqlite_store::create_event(const new_event& e) {
    std::lock_guard lock(write_mutex_);
    auto st = writer_.prepare(
        "INSERT INTO events (slug, title, premoderate, created_at) VALUES (?, ?, ?, ?)");
    if (!st) return st.error();
    st->bind(1, std::string_view(e.slug));
    st->bind(2, std::string_view(e.title));
    st->bind(3, std::int64_t{e.premoderate ? 1 : 0});
    st->bind(4, now_ms());
    int rc = st->step();
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return status::error(error_kind::conflict, "event_exists",
                             "an event with slug '" + e.slug + "' already exists");
    if (rc != SQLITE_DONE) return writer_.last_error("create event");
    return load_event(writer_, e.slug);
}

result<event_info> sqlite_store::find_event(const std::string& slug) {
    reader_lease db(*this);
    return load_event(*db, slug);
}

result<std::vector<event_info>> sqlite_store::list_events() {
    reader_lease db(*this);
    auto st = (*db).prepare("SELECT id, slug, title, premoderate, created_at FROM events ORDER BY id");
    if (!st) return st.error();
    std::vector<event_info> out;
    int rc;
    while ((rc = st->step()) == SQLITE_ROW) out.push_back(read_event_row(*st));
    if (rc != SQLITE_DONE) return (*db).last_error("list events");
    return out;
}

result<status_counts> sqlite_store::count_by_status(std::int64_t event_id) {
    reader_lease db(*this);
    auto st = (*db).prepare("SELECT status, count(*) FROM questions WHERE event_id = ? GROUP BY status");
    if (!st) return st.error();
    st->bind(1, event_id);
    status_counts counts;
    for (question_status s : all_statuses) counts[s] = 0;
    int rc;
    while ((rc = st->step()) == SQLITE_ROW) {
        if (auto s = status_from_string(st->column_text(0))) counts[*s] = st->column_int(1);
    }
    if (rc != SQLITE_DONE) return (*db).last_error("count questions");
    return counts;
}

result<std::vector<insert_outcome>> sqlite_store::insert_batch(const std::vector<question>& qs) {
    std::lock_guard lock(write_mutex_);
    return in_transaction<std::vector<insert_outcome>>(writer_, [&]() -> result<std::vector<insert_outcome>> {
        auto ins = writer_.prepare(
            "INSERT INTO questions (event_id, text, author, source, external_id, created_at, "
            "updated_at, status, version, lang, verdict, s_toxicity, s_severe_toxicity, s_insult, "
            "s_profanity, s_threat, s_identity_attack, severity, search_text) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
        if (!ins) return ins.error();
        auto ins_span = writer_.prepare(
            "INSERT INTO question_spans (question_id, start, \"end\", attribute, weight, rule) "
            "VALUES (?, ?, ?, ?, ?, ?)");
        if (!ins_span) return ins_span.error();
        auto ins_decision = writer_.prepare(
            "INSERT INTO decisions (question_id, actor, action, from_status, to_status, reason, at) "
            "VALUES (?, 'triage', 'auto', NULL, ?, ?, ?)");
        if (!ins_decision) return ins_decision.error();
        auto groups = prepare_group_statements();
        if (!groups) return groups.error();

        std::vector<insert_outcome> out;
        out.reserve(qs.size());
        const timestamp_ms now = now_ms();
        for (const question& q : qs) {
            ins->reset();
            ins->bind(1, q.event_id);
            ins->bind(2, std::string_view(q.text));
            ins->bind(3, q.author);
            ins->bind(4, q.source);
            ins->bind(5, q.external_id);
            ins->bind(6, now);
            ins->bind(7, now);
            ins->bind(8, to_string(q.status));
            ins->bind(9, std::string_view(q.scored.lang));
            ins->bind(10, std::string_view(q.verdict));
            for (std::size_t i = 0; i < attribute_count; ++i)
                ins->bind(11 + static_cast<int>(i), static_cast<double>(q.scored.values.values[i]));
            ins->bind(17, severity_milli(q));
            ins->bind(18, std::string_view(search_text_of(q.text)));
            if (ins->step() != SQLITE_DONE) return writer_.last_error("insert question");

            if (sqlite3_changes(writer_.get()) == 0) {
                // Same (source, external_id) already stored: answer with the existing one.
                auto existing = load_external(writer_, q.event_id, q.source.value_or(""),
                                              q.external_id.value_or(""));
                if (!existing) return existing.error();
                if (!existing->has_value())
                    return status::error(error_kind::internal, "storage_error",
                                         "insert ignored but no existing question found");
                out.push_back({std::move(**existing), false});
                continue;
            }
            question stored = q;
            stored.id = sqlite3_last_insert_rowid(writer_.get());
            stored.created_at = now;
            stored.updated_at = now;
            stored.version = 1;
            if (status g = assign_group(stored, *groups); !g) return g;
            for (const span& sp : q.scored.spans) {
                ins_span->reset();
                ins_span->bind(1, stored.id);
                ins_span->bind(2, static_cast<std::int64_t>(sp.start));
                ins_span->bind(3, static_cast<std::int64_t>(sp.end));
                ins_span->bind(4, to_string(sp.attr));
                ins_span->bind(5, static_cast<double>(sp.weight));
                ins_span->bind(6, std::string_view(sp.rule));
                if (ins_span->step() != SQLITE_DONE) return writer_.last_error("insert span");
            }
            ins_decision->reset();
            ins_decision->bind(1, stored.id);
            ins_decision->bind(2, to_string(q.status));
            ins_decision->bind(3, std::string_view(q.verdict));
            ins_decision->bind(4, now);
            if (ins_decision->step() != SQLITE_DONE) return writer_.last_error("insert audit row");
            out.push_back({std::move(stored), true});
        }
        return out;
    });
}

result<sqlite_store::group_statements> sqlite_store::prepare_group_statements() {
    group_statements g;
    auto prep = [&](sqlite_statement& into, std::string_view sql) -> status {
        auto st = writer_.prepare(sql);
        if (!st) return st.error();
        into = std::move(st.value());
        return status::ok();
    };
    if (status s = prep(g.by_band,
                        "SELECT question_id FROM question_bands WHERE event_id = ? AND band = ? "
                        "ORDER BY question_id DESC LIMIT ?");
        !s)
        return s;
    if (status s = prep(g.cand, "SELECT text, coalesce(cluster_id, id) FROM questions WHERE id = ?"); !s)
        return s;
    if (status s = prep(g.ins_band,
                        "INSERT OR IGNORE INTO question_bands (event_id, band, question_id) VALUES (?, ?, ?)");
        !s)
        return s;
    if (status s = prep(g.set, "UPDATE questions SET cluster_id = ? WHERE id = ?"); !s) return s;
    if (status s = prep(g.grow,
                        "INSERT INTO question_clusters (id, size) VALUES (?, 1) "
                        "ON CONFLICT (id) DO UPDATE SET size = size + 1 RETURNING size");
        !s)
        return s;
    return g;
}

status sqlite_store::assign_group(question& q, group_statements& g) {
    // Candidates: for each band key, the latest few questions of the event with that key;
    // the ones sharing most keys (the most similar, in expectation) are checked first.
    constexpr int per_band = 4;
    constexpr std::size_t max_checked = 16;
    const auto fp = dedup_.fingerprint_of(q.text);
    std::int64_t group = q.id;
    if (!fp.empty()) {
        std::unordered_map<std::int64_t, int> hits;
        for (std::int64_t key : fp.bands) {
            g.by_band.reset();
            g.by_band.bind(1, q.event_id);
            g.by_band.bind(2, key);
            g.by_band.bind(3, std::int64_t{per_band});
            int rc;
            while ((rc = g.by_band.step()) == SQLITE_ROW) ++hits[g.by_band.column_int(0)];
            if (rc != SQLITE_DONE) return writer_.last_error("find similar questions");
        }
        std::vector<std::pair<int, std::int64_t>> order;  // (keys shared, id)
        order.reserve(hits.size());
        for (auto [id, n] : hits) order.emplace_back(n, id);
        std::sort(order.begin(), order.end(), std::greater<>());
        if (order.size() > max_checked) order.resize(max_checked);

        for (const auto& [shared, id] : order) {
            g.cand.reset();
            g.cand.bind(1, id);
            int rc = g.cand.step();
            if (rc == SQLITE_DONE) continue;
            if (rc != SQLITE_ROW) return writer_.last_error("read similar question");
            if (dedup_.same_question(fp, dedup_.fingerprint_of(g.cand.column_text(0)))) {
                group = g.cand.column_int(1);
                break;
            }
        }

        for (std::int64_t key : fp.bands) {
            g.ins_band.reset();
            g.ins_band.bind(1, q.event_id);
            g.ins_band.bind(2, key);
            g.ins_band.bind(3, q.id);
            if (g.ins_band.step() != SQLITE_DONE) return writer_.last_error("store band keys");
        }
    }

    g.set.reset();
    g.set.bind(1, group);
    g.set.bind(2, q.id);
    if (g.set.step() != SQLITE_DONE) return writer_.last_error("set group");
    g.grow.reset();
    g.grow.bind(1, group);
    if (g.grow.step() != SQLITE_ROW) return writer_.last_error("count group");
    q.cluster_id = group;
    q.cluster_size = g.grow.column_int(0);
    g.grow.reset();
    return status::ok();
}

result<question> sqlite_store::get_question(std::int64_t id) {
    reader_lease db(*this);
    return load_question(*db, id);
}

result<std::optional<question>> sqlite_store::find_external(std::int64_t event_id,
                                                            const std::string& source,
                                                            const std::string& external_id) {
    reader_lease db(*this);
    return load_external(*db, event_id, source, external_id);
}

result<question_page> sqlite_store::list_questions(const question_query& q) {
    reader_lease db(*this);
    auto ev = load_event(*db, q.event_slug);
    if (!ev) return ev.error();
    const question_filter& f = q.filter;

    // Column names below come from enums, never from the client.
    std::string sql = std::string(question_columns) + "WHERE q.event_id = ?";
    if (!f.statuses.empty()) {
        sql += " AND q.status IN (";
        for (std::size_t i = 0; i < f.statuses.size(); ++i) sql += i == 0 ? "?" : ",?";
        sql += ")";
    }
    const std::string score_col =
        f.score_attr ? "q.s_" + std::string(to_string(*f.score_attr)) : std::string();
    if (f.score_attr) sql += " AND " + score_col + " >= ? AND " + score_col + " <= ?";
    if (f.lang) sql += " AND q.lang = ?";
    if (f.author) sql += " AND q.author = ?";
    if (f.source) sql += " AND q.source = ?";
    if (f.cluster) sql += " AND q.cluster_id = ?";
    const auto terms = search_terms(f.search);
    if (!terms.empty())
        sql += " AND q.id IN (SELECT rowid FROM questions_fts WHERE questions_fts MATCH ?)";

    const char* key_col = q.sort == question_sort::severity ? "q.severity"
                          : q.sort == question_sort::votes  ? "q.votes"
                                                            : nullptr;
    if (q.after) {
        if (q.sort == question_sort::newest) sql += " AND q.id < ?";
        else if (q.sort == question_sort::oldest) sql += " AND q.id > ?";
        else sql += std::string(" AND (") + key_col + " < ? OR (" + key_col + " = ? AND q.id < ?))";
    }
    if (q.sort == question_sort::oldest) sql += " ORDER BY q.id ASC";
    else if (key_col != nullptr) sql += std::string(" ORDER BY ") + key_col + " DESC, q.id DESC";
    else sql += " ORDER BY q.id DESC";
    sql += " LIMIT ?";

    auto st = (*db).prepare(sql);
    if (!st) return st.error();
    int i = 1;
    st->bind(i++, ev->id);
    for (question_status s : f.statuses) st->bind(i++, to_string(s));
    if (f.score_attr) {
        // Scores are stored as REAL from floats: compare in the same precision.
        st->bind(i++, static_cast<double>(f.min_score) - 1e-7);
        st->bind(i++, static_cast<double>(f.max_score) + 1e-7);
    }
    if (f.lang) st->bind(i++, std::string_view(*f.lang));
    if (f.author) st->bind(i++, std::string_view(*f.author));
    if (f.source) st->bind(i++, std::string_view(*f.source));
    if (f.cluster) st->bind(i++, *f.cluster);
    if (!terms.empty()) st->bind(i++, std::string_view(fts_query(terms)));
    if (q.after) {
        if (key_col == nullptr) {
            st->bind(i++, q.after->id);
        } else {
            st->bind(i++, q.after->key);
            st->bind(i++, q.after->key);
            st->bind(i++, q.after->id);
        }
    }
    st->bind(i++, static_cast<std::int64_t>(q.limit + 1));

    question_page page;
    std::vector<std::int64_t> severities;  // the stored sort key, exact
    int rc;
    while ((rc = st->step()) == SQLITE_ROW) {
        page.items.push_back(read_question_row(*st));
        severities.push_back(st->column_int(20));
    }
    if (rc != SQLITE_DONE) return (*db).last_error("list questions");
    if (page.items.size() > q.limit) {
        page.items.resize(q.limit);
        const question& last = page.items.back();
        std::int64_t key = q.sort == question_sort::severity ? severities[q.limit - 1]
                           : q.sort == question_sort::votes  ? last.votes
                                                             : 0;
        page.next = page_cursor{key, last.id};
    }
    if (status s = load_spans(*db, page.items); !s) return s;
    return page;
}

result<decision_outcome> sqlite_store::apply_one(const decision_request& d) {
    auto cur = writer_.prepare("SELECT status, version, event_id FROM questions WHERE id = ?");
    if (!cur) return cur.error();
    cur->bind(1, d.question_id);
    int rc = cur->step();
    if (rc == SQLITE_DONE || (rc == SQLITE_ROW && d.event_id && cur->column_int(2) != *d.event_id))
        return status::error(error_kind::not_found, "question_not_found",
                             "no question with id " + std::to_string(d.question_id) +
                                 (d.event_id ? " in this event" : ""));
    if (rc != SQLITE_ROW) return writer_.last_error("read question");
    decision_outcome out;
    out.from = status_from_string(cur->column_text(0)).value_or(question_status::pending);
    const std::int64_t version = cur->column_int(1);
    if (d.expected_version && *d.expected_version != version)
        return status::error(error_kind::conflict, "version_conflict",
                             "question " + std::to_string(d.question_id) + " is at version " +
                                 std::to_string(version) + ", not " +
                                 std::to_string(*d.expected_version) + "; someone decided first");
    if (out.from == d.to) {
        out.changed = false;
        return out;
    }
    if (!d.allowed_from.empty() &&
        std::find(d.allowed_from.begin(), d.allowed_from.end(), out.from) == d.allowed_from.end())
        return status::error(error_kind::conflict, "invalid_transition",
                             "cannot " + d.action + " a question that is " +
                                 std::string(to_string(out.from)));
    const timestamp_ms now = now_ms();
    auto upd = writer_.prepare(
        "UPDATE questions SET status = ?, version = version + 1, updated_at = ? WHERE id = ?");
    if (!upd) return upd.error();
    upd->bind(1, to_string(d.to));
    upd->bind(2, now);
    upd->bind(3, d.question_id);
    if (upd->step() != SQLITE_DONE) return writer_.last_error("update question");
    auto ins = writer_.prepare(
        "INSERT INTO decisions (question_id, actor, action, from_status, to_status, reason, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!ins) return ins.error();
    ins->bind(1, d.question_id);
    ins->bind(2, std::string_view(d.actor));
    ins->bind(3, std::string_view(d.action));
    ins->bind(4, to_string(out.from));
    ins->bind(5, to_string(d.to));
    ins->bind(6, std::string_view(d.reason));
    ins->bind(7, now);
    if (ins->step() != SQLITE_DONE) return writer_.last_error("insert audit row");
    return out;
}

result<decision_outcome> sqlite_store::apply_decision(const decision_request& d) {
    std::lock_guard lock(write_mutex_);
    auto r = in_transaction<decision_outcome>(writer_, [&] { return apply_one(d); });
    if (!r) return r;
    auto q = load_question(writer_, d.question_id);
    if (!q) return q.error();
    r->updated = std::move(q.value());
    return r;
}

result<std::vector<result<decision_outcome>>> sqlite_store::apply_decisions(
    const std::vector<decision_request>& ds) {
    using outcomes = std::vector<result<decision_outcome>>;
    std::lock_guard lock(write_mutex_);
    auto r = in_transaction<outcomes>(writer_, [&]() -> result<outcomes> {
        outcomes out;
        out.reserve(ds.size());
        for (const decision_request& d : ds) {
            auto one = apply_one(d);
            // A storage failure aborts the whole transaction; a per-item refusal does not.
            if (!one && (one.error().kind() == error_kind::unavailable ||
                         one.error().kind() == error_kind::internal))
                return one.error();
            out.push_back(std::move(one));
        }
        return out;
    });
    if (!r) return r;
    for (std::size_t i = 0; i < ds.size(); ++i) {
        if (!(*r)[i]) continue;
        auto q = load_question(writer_, ds[i].question_id);
        if (!q) return q.error();
        (*r)[i]->updated = std::move(q.value());
    }
    return r;
}

result<decision_outcome> sqlite_store::undo_last(const undo_request& u) {
    std::lock_guard lock(write_mutex_);
    auto r = in_transaction<decision_outcome>(writer_, [&]() -> result<decision_outcome> {
        auto last = writer_.prepare(
            "SELECT actor, action, from_status, to_status, at FROM decisions "
            "WHERE question_id = ? ORDER BY id DESC LIMIT 1");
        if (!last) return last.error();
        last->bind(1, u.question_id);
        int rc = last->step();
        if (rc == SQLITE_DONE)
            return status::error(error_kind::not_found, "question_not_found",
                                 "no question with id " + std::to_string(u.question_id));
        if (rc != SQLITE_ROW) return writer_.last_error("read audit trail");
        const std::string actor = last->column_text(0);
        const std::string action = last->column_text(1);
        auto unavailable = [](const std::string& why) {
            return status::error(error_kind::conflict, "undo_unavailable", why);
        };
        if (action == "auto" || action == "undo" || last->column_is_null(2))
            return unavailable("the last change was not a moderator's decision");
        if (actor != u.actor)
            return unavailable("the last decision was made by " + actor + ", not " + u.actor);
        if (now_ms() - last->column_int(4) > u.window_ms)
            return unavailable("the decision is older than " + std::to_string(u.window_ms / 1000) +
                               " seconds");
        decision_request back;
        back.question_id = u.question_id;
        back.to = status_from_string(last->column_text(2)).value_or(question_status::pending);
        back.action = "undo";
        back.actor = u.actor;
        back.reason = "undo " + action;
        last = sqlite_statement();
        return apply_one(back);
    });
    if (!r) return r;
    auto q = load_question(writer_, u.question_id);
    if (!q) return q.error();
    r->updated = std::move(q.value());
    return r;
}

result<std::vector<decision_record>> sqlite_store::list_decisions(std::int64_t question_id) {
    reader_lease db(*this);
    auto exists = (*db).prepare("SELECT 1 FROM questions WHERE id = ?");
    if (!exists) return exists.error();
    exists->bind(1, question_id);
    if (exists->step() != SQLITE_ROW)
        return status::error(error_kind::not_found, "question_not_found",
                             "no question with id " + std::to_string(question_id));
    auto st = (*db).prepare(
        "SELECT id, question_id, actor, action, from_status, to_status, reason, at "
        "FROM decisions WHERE question_id = ? ORDER BY id");
    if (!st) return st.error();
    st->bind(1, question_id);
    std::vector<decision_record> out;
    int rc;
    while ((rc = st->step()) == SQLITE_ROW) {
        decision_record d;
        d.id = st->column_int(0);
        d.question_id = st->column_int(1);
        d.actor = st->column_text(2);
        d.action = st->column_text(3);
        if (!st->column_is_null(4)) d.from = status_from_string(st->column_text(4));
        d.to = status_from_string(st->column_text(5)).value_or(question_status::pending);
        d.reason = st->column_text(6);
        d.at = st->column_int(7);
        out.push_back(std::move(d));
    }
    if (rc != SQLITE_DONE) return (*db).last_error("list decisions");
    return out;
}

result<event_policy> sqlite_store::get_policy(std::int64_t event_id) {
    reader_lease db(*this);
    event_policy p;
    auto ev = (*db).prepare("SELECT premoderate FROM events WHERE id = ?");
    if (!ev) return ev.error();
    ev->bind(1, event_id);
    int rc = ev->step();
    if (rc == SQLITE_DONE)
        return status::error(error_kind::not_found, "event_not_found", "no such event");
    if (rc != SQLITE_ROW) return (*db).last_error("read event");
    p.premoderate = ev->column_int(0) != 0;

    auto th = (*db).prepare(
        "SELECT attribute, review_above, reject_above FROM event_thresholds WHERE event_id = ?");
    if (!th) return th.error();
    th->bind(1, event_id);
    while ((rc = th->step()) == SQLITE_ROW) {
        if (auto a = attribute_from_string(th->column_text(0)))
            p.thresholds.at(*a) = {static_cast<float>(th->column_double(1)),
                                   static_cast<float>(th->column_double(2))};
    }
    if (rc != SQLITE_DONE) return (*db).last_error("read thresholds");

    auto terms = (*db).prepare(
        "SELECT kind, term FROM event_terms WHERE event_id = ? ORDER BY kind, position");
    if (!terms) return terms.error();
    terms->bind(1, event_id);
    while ((rc = terms->step()) == SQLITE_ROW)
        (terms->column_text(0) == "banned" ? p.banned : p.suspect).push_back(terms->column_text(1));
    if (rc != SQLITE_DONE) return (*db).last_error("read word lists");
    return p;
}

status sqlite_store::save_policy(std::int64_t event_id, const event_policy& p) {
    std::lock_guard lock(write_mutex_);
    auto r = in_transaction<bool>(writer_, [&]() -> result<bool> {
        auto ev = writer_.prepare("UPDATE events SET premoderate = ? WHERE id = ?");
        if (!ev) return ev.error();
        ev->bind(1, std::int64_t{p.premoderate ? 1 : 0});
        ev->bind(2, event_id);
        if (ev->step() != SQLITE_DONE) return writer_.last_error("update event");
        if (sqlite3_changes(writer_.get()) == 0)
            return status::error(error_kind::not_found, "event_not_found", "no such event");
        auto del = writer_.prepare("DELETE FROM event_thresholds WHERE event_id = ?");
        if (!del) return del.error();
        del->bind(1, event_id);
        if (del->step() != SQLITE_DONE) return writer_.last_error("replace thresholds");
        auto th = writer_.prepare(
            "INSERT INTO event_thresholds (event_id, attribute, review_above, reject_above) "
            "VALUES (?, ?, ?, ?)");
        if (!th) return th.error();
        for (attribute a : all_attributes) {
            th->reset();
            th->bind(1, event_id);
            th->bind(2, to_string(a));
            th->bind(3, static_cast<double>(p.thresholds.at(a).review_above));
            th->bind(4, static_cast<double>(p.thresholds.at(a).reject_above));
            if (th->step() != SQLITE_DONE) return writer_.last_error("insert threshold");
        }
        auto del_terms = writer_.prepare("DELETE FROM event_terms WHERE event_id = ?");
        if (!del_terms) return del_terms.error();
        del_terms->bind(1, event_id);
        if (del_terms->step() != SQLITE_DONE) return writer_.last_error("replace word lists");
        auto ins = writer_.prepare(
            "INSERT OR IGNORE INTO event_terms (event_id, kind, term, position) VALUES (?, ?, ?, ?)");
        if (!ins) return ins.error();
        for (const auto* list : {&p.banned, &p.suspect}) {
            const char* kind = list == &p.banned ? "banned" : "suspect";
            std::int64_t pos = 0;
            for (const std::string& term : *list) {
                ins->reset();
                ins->bind(1, event_id);
                ins->bind(2, std::string_view(kind));
                ins->bind(3, std::string_view(term));
                ins->bind(4, pos++);
                if (ins->step() != SQLITE_DONE) return writer_.last_error("insert term");
            }
        }
        return true;
    });
    if (!r) return r.error();
    return status::ok();
}

status sqlite_store::scan_questions(std::int64_t event_id,
                                    const std::function<void(const question&)>& f) {
    reader_lease db(*this);
    auto st = (*db).prepare(std::string(question_columns) + "WHERE q.event_id = ? ORDER BY q.id");
    if (!st) return st.error();
    st->bind(1, event_id);
    int rc;
    while ((rc = st->step()) == SQLITE_ROW) f(read_question_row(*st));
    if (rc != SQLITE_DONE) return (*db).last_error("scan questions");
    return status::ok();
}

result<question> sqlite_store::add_vote(std::int64_t question_id, const std::string& voter) {
    std::lock_guard lock(write_mutex_);
    auto r = in_transaction<bool>(writer_, [&]() -> result<bool> {
        auto cur = writer_.prepare("SELECT status FROM questions WHERE id = ?");
        if (!cur) return cur.error();
        cur->bind(1, question_id);
        int rc = cur->step();
        if (rc == SQLITE_DONE)
            return status::error(error_kind::not_found, "question_not_found",
                                 "no question with id " + std::to_string(question_id));
        if (rc != SQLITE_ROW) return writer_.last_error("read question");
        const std::string st = cur->column_text(0);
        if (st != "approved" && st != "answered")
            return status::error(error_kind::conflict, "not_votable",
                                 "only approved questions can be voted on");
        auto ins = writer_.prepare(
            "INSERT OR IGNORE INTO votes (question_id, voter, at) VALUES (?, ?, ?)");
        if (!ins) return ins.error();
        ins->bind(1, question_id);
        ins->bind(2, std::string_view(voter));
        ins->bind(3, now_ms());
        if (ins->step() != SQLITE_DONE) return writer_.last_error("insert vote");
        if (sqlite3_changes(writer_.get()) == 0) return false;
        auto upd = writer_.prepare("UPDATE questions SET votes = votes + 1 WHERE id = ?");
        if (!upd) return upd.error();
        upd->bind(1, question_id);
        if (upd->step() != SQLITE_DONE) return writer_.last_error("count vote");
        return true;
    });
    if (!r) return r.error();
    return load_question(writer_, question_id);
}

result<shortlist_entry> sqlite_store::shortlist_add(std::int64_t event_id, std::int64_t question_id,
                                                  const std::string& actor) {
    std::lock_guard lock(write_mutex_);
    auto r = in_transaction<bool>(writer_, [&]() -> result<bool> {
        auto cur = writer_.prepare("SELECT status, event_id FROM questions WHERE id = ?");
        if (!cur) return cur.error();
        cur->bind(1, question_id);
        int rc = cur->step();
        if (rc == SQLITE_DONE || (rc == SQLITE_ROW && cur->column_int(1) != event_id))
            return status::error(error_kind::not_found, "question_not_found",
                                 "no question with id " + std::to_string(question_id) + " in this event");
        if (rc != SQLITE_ROW) return writer_.last_error("read question");
        const std::string st = cur->column_text(0);
        if (st != "approved" && st != "answered")
            return status::error(error_kind::conflict, "not_shortlistable",
                                 "only approved or answered questions go on the shortlist; this one is " + st);
        auto ins = writer_.prepare(
            "INSERT OR IGNORE INTO shortlist (event_id, question_id, added_by, added_at) "
            "VALUES (?, ?, ?, ?)");
        if (!ins) return ins.error();
        ins->bind(1, event_id);
        ins->bind(2, question_id);
        ins->bind(3, std::string_view(actor));
        ins->bind(4, now_ms());
        if (ins->step() != SQLITE_DONE) return writer_.last_error("add to shortlist");
        return true;
    });
    if (!r) return r.error();
    auto all = shortlist_of(writer_, event_id);
    if (!all) return all.error();
    for (shortlist_entry& e : *all)
        if (e.q.id == question_id) return std::move(e);
    return status::error(error_kind::internal, "storage_error", "shortlist entry vanished");
}

status sqlite_store::shortlist_remove(std::int64_t event_id, std::int64_t question_id) {
    std::lock_guard lock(write_mutex_);
    auto del = writer_.prepare("DELETE FROM shortlist WHERE event_id = ? AND question_id = ?");
    if (!del) return del.error();
    del->bind(1, event_id);
    del->bind(2, question_id);
    if (del->step() != SQLITE_DONE) return writer_.last_error("remove from shortlist");
    if (sqlite3_changes(writer_.get()) == 0)
        return status::error(error_kind::not_found, "not_on_shortlist",
                             "question " + std::to_string(question_id) + " is not on the shortlist");
    return status::ok();
}

result<std::vector<shortlist_entry>> sqlite_store::shortlist(std::int64_t event_id) {
    reader_lease db(*this);
    return shortlist_of(*db, event_id);
}

namespace {

constexpr std::string_view token_columns =
    "SELECT t.id, t.name, t.role, t.event_id, coalesce(e.slug, ''), t.prefix, t.created_at, "
    "t.revoked_at, t.quota_requests, t.quota_period_s "  // quota: migration 0007
    "FROM tokens t LEFT JOIN events e ON e.id = t.event_id ";

token_info read_token_row(const sqlite_statement& s) {
    token_info t;
    t.id = s.column_int(0);
    t.name = s.column_text(1);
    t.r = role_from_string(s.column_text(2)).value_or(role::audience);
    if (!s.column_is_null(3)) t.event_id = s.column_int(3);
    t.event_slug = s.column_text(4);
    t.prefix = s.column_text(5);
    t.created_at = s.column_int(6);
    if (!s.column_is_null(7)) t.revoked_at = s.column_int(7);
    if (!s.column_is_null(8)) t.quota = token_quota{s.column_int(8), s.column_int(9)};
    return t;
}

result<std::optional<token_info>> one_token(sqlite_connection& db, sqlite_statement& st) {
    int rc = st.step();
    if (rc == SQLITE_DONE) return std::optional<token_info>{};
    if (rc != SQLITE_ROW) return db.last_error("read token");
    return std::optional<token_info>(read_token_row(st));
}

}  // namespace

result<token_info> sqlite_store::create_token(const std::string& name, role r,
                                              std::optional<std::int64_t> event_id,
                                              const std::string& hash, const std::string& prefix) {
    std::lock_guard lock(write_mutex_);
    auto st = writer_.prepare(
        "INSERT INTO tokens (name, role, event_id, hash, prefix, created_at) VALUES (?, ?, ?, ?, ?, ?)");
    if (!st) return st.error();
    st->bind(1, std::string_view(name));
    st->bind(2, to_string(r));
    if (event_id) st->bind(3, *event_id);
    else st->bind_null(3);
    st->bind(4, std::string_view(hash));
    st->bind(5, std::string_view(prefix));
    st->bind(6, now_ms());
    if (st->step() != SQLITE_DONE) return writer_.last_error("create token");
    auto q = writer_.prepare(std::string(token_columns) + "WHERE t.id = ?");
    if (!q) return q.error();
    q->bind(1, static_cast<std::int64_t>(sqlite3_last_insert_rowid(writer_.get())));
    auto t = one_token(writer_, *q);
    if (!t) return t.error();
    return **t;
}

result<std::vector<token_info>> sqlite_store::list_tokens() {
    reader_lease db(*this);
    auto st = (*db).prepare(std::string(token_columns) + "ORDER BY t.id");
    if (!st) return st.error();
    std::vector<token_info> out;
    int rc;
    while ((rc = st->step()) == SQLITE_ROW) out.push_back(read_token_row(*st));
    if (rc != SQLITE_DONE) return (*db).last_error("list tokens");
    return out;
}

status sqlite_store::revoke_token(std::int64_t id) {
    std::lock_guard lock(write_mutex_);
    auto r = in_transaction<bool>(writer_, [&]() -> result<bool> {
        auto st = writer_.prepare(
            "UPDATE tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?");
        if (!st) return st.error();
        st->bind(1, now_ms());
        st->bind(2, id);
        if (st->step() != SQLITE_DONE) return writer_.last_error("revoke token");
        if (sqlite3_changes(writer_.get()) == 0)
            return status::error(error_kind::not_found, "token_not_found",
                                 "no token with id " + std::to_string(id));
        auto del = writer_.prepare("DELETE FROM sessions WHERE token_id = ?");
        if (!del) return del.error();
        del->bind(1, id);
        if (del->step() != SQLITE_DONE) return writer_.last_error("end sessions");
        return true;
    });
    if (!r) return r.error();
    return status::ok();
}

result<std::optional<token_info>> sqlite_store::find_token(const std::string& hash) {
    reader_lease db(*this);
    auto st = (*db).prepare(std::string(token_columns) + "WHERE t.hash = ?");
    if (!st) return st.error();
    st->bind(1, std::string_view(hash));
    return one_token(*db, *st);
}

result<bool> sqlite_store::has_active_admin() {
    reader_lease db(*this);
    auto st = (*db).prepare("SELECT 1 FROM tokens WHERE role = 'admin' AND revoked_at IS NULL LIMIT 1");
    if (!st) return st.error();
    int rc = st->step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return (*db).last_error("read tokens");
    return rc == SQLITE_ROW;
}

status sqlite_store::create_session(const std::string& hash, std::int64_t token_id,
                                    timestamp_ms expires_at) {
    std::lock_guard lock(write_mutex_);
    // Expired sessions are swept on the way, so the table does not grow without bound.
    auto sweep = writer_.prepare("DELETE FROM sessions WHERE expires_at < ?");
    if (!sweep) return sweep.error();
    sweep->bind(1, now_ms());
    if (sweep->step() != SQLITE_DONE) return writer_.last_error("sweep sessions");
    auto st = writer_.prepare(
        "INSERT INTO sessions (hash, token_id, created_at, expires_at) VALUES (?, ?, ?, ?)");
    if (!st) return st.error();
    st->bind(1, std::string_view(hash));
    st->bind(2, token_id);
    st->bind(3, now_ms());
    st->bind(4, expires_at);
    if (st->step() != SQLITE_DONE) return writer_.last_error("create session");
    return status::ok();
}

result<std::optional<token_info>> sqlite_store::find_session(const std::string& hash,
                                                             timestamp_ms now) {
    reader_lease db(*this);
    auto st = (*db).prepare(std::string(token_columns) +
                            "JOIN sessions s ON s.token_id = t.id "
                            "WHERE s.hash = ? AND s.expires_at > ? AND t.revoked_at IS NULL");
    if (!st) return st.error();
    st->bind(1, std::string_view(hash));
    st->bind(2, now);
    return one_token(*db, *st);
}

status sqlite_store::delete_session(const std::string& hash) {
    std::lock_guard lock(write_mutex_);
    auto st = writer_.prepare("DELETE FROM sessions WHERE hash = ?");
    if (!st) return st.error();
    st->bind(1, std::string_view(hash));
    if (st->step() != SQLITE_DONE) return writer_.last_error("delete session");
    return status::ok();
}

}  // namespace tribune
