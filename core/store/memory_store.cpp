// memory_store: see the header. Each method mirrors the SQL of sqlite_store's method of the
// same name; the shared rules come from store_rules.hpp.

#include "core/store/memory_store.hpp"

#include <algorithm>
#include <tuple>

#include "core/domain/group_heat.hpp"
#include "core/store/store_rules.hpp"
#include "core/triage/decision_inheritance.hpp"
#include "core/triage/unsure_decision.hpp"
#include "core/util/wall_clock.hpp"

namespace tribune {
namespace {

status event_missing(const std::string& slug) {
    return status::error(error_kind::not_found, "event_not_found", "no event '" + slug + "'");
}

status no_such_event() {
    return status::error(error_kind::not_found, "event_not_found", "no such event");
}

// The terms of a list as stored: each once, first position kept.
std::vector<std::string> distinct(const std::vector<std::string>& terms) {
    std::vector<std::string> out;
    for (const std::string& t : terms)
        if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
    return out;
}

// The keyset order of a page: true when `a` comes before `b`.
bool before(question_sort sort, const question& a, const question& b) {
    switch (sort) {
        case question_sort::impact: return impact_key(a) > impact_key(b);
        case question_sort::oldest: return a.id < b.id;
        case question_sort::severity: {
            const auto ka = severity_milli(a), kb = severity_milli(b);
            return ka != kb ? ka > kb : a.id > b.id;
        }
        case question_sort::votes: return a.votes != b.votes ? a.votes > b.votes : a.id > b.id;
        case question_sort::newest: break;
    }
    return a.id > b.id;
}

std::int64_t sort_key(question_sort sort, const question& q) {
    return sort == question_sort::severity ? severity_milli(q)
           : sort == question_sort::votes  ? q.votes
                                           : 0;
}

// True when `q` comes after the cursor in the page order.
bool after_cursor(const question_query& query, const question& q) {
    if (!query.after) return true;
    const page_cursor& c = *query.after;
    switch (query.sort) {
        case question_sort::newest: return q.id < c.id;
        case question_sort::oldest: return q.id > c.id;
        case question_sort::impact:
            return impact_key(q) < std::tuple(c.key, c.heat, c.group, c.id);
        default: {
            const std::int64_t k = sort_key(query.sort, q);
            return k < c.key || (k == c.key && q.id < c.id);
        }
    }
}

}  // namespace

memory_store::memory_store() {
    event_row demo;
    demo.info = {next_event_id_++, "demo", "Demo Q&A", false, wall_clock_ms()};
    events_.emplace(demo.info.id, std::move(demo));
}

// --- events and policies ----------------------------------------------------------------

memory_store::event_row* memory_store::event_by_id(std::int64_t id) {
    auto it = events_.find(id);
    return it == events_.end() ? nullptr : &it->second;
}

const memory_store::event_row* memory_store::event_by_slug(const std::string& slug) const {
    for (const auto& [id, e] : events_)
        if (e.info.slug == slug) return &e;
    return nullptr;
}

result<event_info> memory_store::create_event(const new_event& e) {
    std::lock_guard lock(mutex_);
    if (event_by_slug(e.slug) != nullptr)
        return status::error(error_kind::conflict, "event_exists",
                             "an event with slug '" + e.slug + "' already exists");
    event_row row;
    row.info = {next_event_id_++, e.slug, e.title, e.premoderate, wall_clock_ms()};
    events_.emplace(row.info.id, row);
    return row.info;
}

result<event_info> memory_store::find_event(const std::string& slug) {
    std::lock_guard lock(mutex_);
    const event_row* e = event_by_slug(slug);
    if (e == nullptr) return event_missing(slug);
    return e->info;
}

result<std::vector<event_info>> memory_store::list_events() {
    std::lock_guard lock(mutex_);
    std::vector<event_info> out;
    for (const auto& [id, e] : events_) out.push_back(e.info);
    return out;
}

result<event_policy> memory_store::get_policy(std::int64_t event_id) {
    std::lock_guard lock(mutex_);
    const event_row* e = event_by_id(event_id);
    if (e == nullptr) return no_such_event();
    event_policy p = e->policy;
    p.premoderate = e->info.premoderate;
    return p;
}

status memory_store::save_policy(std::int64_t event_id, const event_policy& p) {
    std::lock_guard lock(mutex_);
    event_row* e = event_by_id(event_id);
    if (e == nullptr) return no_such_event();
    e->info.premoderate = p.premoderate;
    e->policy.thresholds = p.thresholds;
    e->policy.banned = distinct(p.banned);
    e->policy.suspect = distinct(p.suspect);
    e->policy.canonical = p.canonical;
    e->policy.canonical.event_tags = distinct(p.canonical.event_tags);
    e->policy.inherit_group_decisions = p.inherit_group_decisions;
    e->policy.learn_from_decisions = p.learn_from_decisions;
    e->policy.narrow_review_band = p.narrow_review_band;
    e->policy.auto_decide_unsure = p.auto_decide_unsure;
    return status::ok();
}

result<event_settings> memory_store::get_settings(std::int64_t event_id) {
    std::lock_guard lock(mutex_);
    event_row* e = event_by_id(event_id);
    if (e == nullptr) return no_such_event();
    return e->settings;
}

status memory_store::save_settings(std::int64_t event_id, const event_settings& s) {
    std::lock_guard lock(mutex_);
    event_row* e = event_by_id(event_id);
    if (e == nullptr) return no_such_event();
    e->settings = s;
    return status::ok();
}

// --- questions ---------------------------------------------------------------------------

question memory_store::read(const question_row& r, bool with_spans) const {
    question q = r.q;
    q.event = events_.at(q.event_id).info.slug;
    if (auto g = groups_.find(q.cluster_id); g != groups_.end()) {
        q.cluster_size = g->second.size;
        q.cluster_review = g->second.review;
        q.cluster_heat = g->second.heat;
    } else {
        q.cluster_size = 1;
    }
    if (!with_spans) q.scored.spans.clear();
    return q;
}

const memory_store::question_row* memory_store::external(std::int64_t event_id,
                                                         const std::string& source,
                                                         const std::string& external_id) const {
    for (const auto& [id, r] : questions_)
        if (r.q.event_id == event_id && r.q.external_id == external_id &&
            r.q.source.value_or("") == source)
            return &r;
    return nullptr;
}

memory_store::question_row memory_store::store_new(const question_insert& in,
                                                   const std::vector<insert_outcome>& done,
                                                   timestamp_ms now) {
    question_row row{in.q, in.search_text, in.group_text};
    question& q = row.q;
    q.id = next_question_id_++;
    q.created_at = asked_at(in.q, now);
    q.updated_at = now;
    q.version = 1;
    q.votes = 0;
    const std::int64_t group = group_of(in.group, done).value();
    q.cluster_id = group == 0 ? q.id : group;
    group_row& g = groups_[q.cluster_id];
    g.heat = g.size == 0 ? arrival_heat(q.created_at) : add_heat(g.heat, arrival_heat(q.created_at));
    q.cluster_size = ++g.size;
    q.cluster_review = g.review += in_review(q.status) ? 1 : 0;
    q.cluster_heat = g.heat;
    decisions_.push_back({next_decision_id_++, q.id, "triage",
                          std::string(insert_action(in.inherited, in.unsure)), std::nullopt,
                          q.status, q.verdict, now});
    return row;
}

result<std::vector<insert_outcome>> memory_store::insert_batch(
    const std::vector<question_insert>& batch) {
    std::lock_guard lock(mutex_);
    std::vector<insert_outcome> out;
    const timestamp_ms now = wall_clock_ms();
    // Checked first, so that a refused batch stores nothing (as a rolled-back transaction).
    for (std::size_t i = 0; i < batch.size(); ++i)
        if (batch[i].group.k == group_choice::kind::batch_item && batch[i].group.item >= i)
            return status::error(error_kind::internal, "invalid_group",
                                 "a question's group names a later item of its batch");
    for (const question_insert& in : batch) {
        const question& q = in.q;
        if (q.external_id)
            if (const question_row* r = external(q.event_id, q.source.value_or(""), *q.external_id)) {
                out.push_back({read(*r), false});
                continue;
            }
        question_row row = store_new(in, out, now);
        const question stored = row.q;
        questions_.emplace(stored.id, std::move(row));
        out.push_back({stored, true});
    }
    return out;
}

result<question> memory_store::get_question(std::int64_t id) {
    std::lock_guard lock(mutex_);
    auto it = questions_.find(id);
    if (it == questions_.end()) return question_missing(id);
    return read(it->second);
}

result<std::optional<question>> memory_store::find_external(std::int64_t event_id,
                                                            const std::string& source,
                                                            const std::string& external_id) {
    std::lock_guard lock(mutex_);
    const question_row* r = external(event_id, source, external_id);
    if (r == nullptr) return std::optional<question>{};
    return std::optional<question>(read(*r));
}

result<question_page> memory_store::list_questions(const question_query& query) {
    std::lock_guard lock(mutex_);
    const event_row* ev = event_by_slug(query.event_slug);
    if (ev == nullptr) return event_missing(query.event_slug);
    std::vector<question> all;
    for (const auto& [id, r] : questions_) {
        if (r.q.event_id != ev->info.id) continue;
        question q = read(r);
        if (matches(query.filter, q) && after_cursor(query, q)) all.push_back(std::move(q));
    }
    std::sort(all.begin(), all.end(),
              [&](const question& a, const question& b) { return before(query.sort, a, b); });
    question_page page;
    if (all.size() > query.limit) {
        all.resize(query.limit);
        const question& last = all.back();
        page.next = query.sort == question_sort::impact
                        ? page_cursor{last.cluster_review, last.id, last.cluster_heat, last.cluster_id}
                        : page_cursor{sort_key(query.sort, last), last.id};
    }
    page.items = std::move(all);
    return page;
}

result<status_counts> memory_store::count_by_status(std::int64_t event_id) {
    std::lock_guard lock(mutex_);
    status_counts counts;
    for (question_status s : all_statuses) counts[s] = 0;
    for (const auto& [id, r] : questions_)
        if (r.q.event_id == event_id) ++counts[r.q.status];
    return counts;
}

status memory_store::scan_group_decisions(const std::function<void(const group_decision&)>& f) {
    std::vector<group_decision> ds;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [id, g] : groups_)
            if (g.decision) ds.push_back(*g.decision);
    }
    for (const group_decision& d : ds) f(d);
    return status::ok();
}

result<std::optional<group_decision>> memory_store::group_decision_of(std::int64_t cluster_id) {
    std::lock_guard lock(mutex_);
    auto g = groups_.find(cluster_id);
    if (g == groups_.end()) return std::optional<group_decision>();
    return g->second.decision;
}

result<std::optional<grouping_row>> memory_store::grouping_of(std::int64_t id) {
    std::lock_guard lock(mutex_);
    auto it = questions_.find(id);
    if (it == questions_.end()) return std::optional<grouping_row>();
    const question_row& r = it->second;
    return std::optional<grouping_row>(grouping_row{
        r.q.id, r.q.event_id, r.q.cluster_id, r.group_text.empty() ? r.search_text : r.group_text});
}

status memory_store::scan_questions(std::int64_t event_id,
                                    const std::function<void(const question&)>& f) {
    std::vector<question> qs;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [id, r] : questions_)
            if (r.q.event_id == event_id) qs.push_back(read(r, false));
    }
    for (const question& q : qs) f(q);
    return status::ok();
}

status memory_store::scan_external_ids(const external_id_visitor& f) {
    std::vector<std::tuple<std::int64_t, std::string, std::string>> ids;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [id, row] : questions_)
            if (row.q.external_id) ids.emplace_back(row.q.event_id, row.q.source.value_or(""), *row.q.external_id);
    }
    for (const auto& [event_id, source, external_id] : ids) f(event_id, source, external_id);
    return status::ok();
}

status memory_store::scan_recent_groups(std::size_t limit,
                                        const std::function<void(const grouping_row&)>& f) {
    std::vector<grouping_row> rows;
    {
        std::lock_guard lock(mutex_);
        auto it = questions_.end();
        for (std::size_t n = 0; n < limit && it != questions_.begin(); ++n) {
            --it;
            const question& q = it->second.q;
            const question_row& r = it->second;
            rows.push_back({q.id, q.event_id, q.cluster_id,
                            r.group_text.empty() ? r.search_text : r.group_text});
        }
    }
    for (auto r = rows.rbegin(); r != rows.rend(); ++r) f(*r);
    return status::ok();
}

// --- decisions ---------------------------------------------------------------------------

result<decision_outcome> memory_store::apply_one(const decision_request& d) {
    auto it = questions_.find(d.question_id);
    if (it == questions_.end() || (d.event_id && it->second.q.event_id != *d.event_id))
        return decision_target_missing(d);
    question& q = it->second.q;
    decision_outcome out;
    out.from = q.status;
    auto apply = check_transition(d, q.status, q.version);
    if (!apply) return apply.error();
    if (*apply) {
        const timestamp_ms now = wall_clock_ms();
        q.status = d.to;
        ++q.version;
        q.updated_at = now;
        decisions_.push_back(
            {next_decision_id_++, q.id, d.actor, d.action, out.from, d.to, d.reason, now});
        groups_[q.cluster_id].review += (in_review(d.to) ? 1 : 0) - (in_review(out.from) ? 1 : 0);
        follow_group(d, q, out);
    }
    out.changed = *apply;
    out.updated = read(it->second);
    return out;
}

void memory_store::move_member(question_row& r, question_status to, std::string_view action,
                               std::string verdict, timestamp_ms now, decision_outcome& out) {
    question& m = r.q;
    const question_status from = m.status;
    groups_[m.cluster_id].review += (in_review(to) ? 1 : 0) - (in_review(from) ? 1 : 0);
    m.status = to;
    m.verdict = verdict;
    ++m.version;
    m.updated_at = now;
    decisions_.push_back({next_decision_id_++, m.id, "triage", std::string(action), from, to,
                          std::move(verdict), now});
    out.members.emplace_back(read(r), from);
}

void memory_store::follow_group(const decision_request& d, const question& q,
                                decision_outcome& out) {
    group_row& g = groups_[q.cluster_id];
    const timestamp_ms now = wall_clock_ms();
    const bool on = events_.at(q.event_id).policy.inherit_group_decisions;
    const group_effect e =
        group_effect_of(d.action, d.to, d.actor, q.id, q.cluster_id, g.decision, now, on);
    if (!e.changes) return;
    g.decision = e.next;
    out.group = group_decision_change{q.cluster_id, e.next};
    auto last_action = [&](std::int64_t id) {
        auto it = std::find_if(decisions_.rbegin(), decisions_.rend(),
                               [&](const decision_record& r) { return r.question_id == id; });
        return it == decisions_.rend() ? std::string() : it->action;
    };
    auto shortlisted = [&](std::int64_t id) {
        return std::any_of(shortlist_.begin(), shortlist_.end(),
                           [&](const shortlist_row& s) { return s.question_id == id; });
    };
    for (auto& [id, r] : questions_) {  // as sqlite_group_decisions: take down, then release
        const question& m = r.q;
        if (id == q.id || m.event_id != q.event_id || m.cluster_id != q.cluster_id) continue;
        if (e.retract && m.status == question_status::approved && m.version == 1 && !shortlisted(id))
            move_member(r, question_status::auto_rejected, inherit_action,
                        inherited_verdict(*e.next, m.verdict), now, out);
        else if (e.confirm && m.status == question_status::auto_rejected && last_action(id) == unsure_action)
            move_member(r, question_status::approved, inherit_action,
                        inherited_verdict(*e.next, m.verdict), now, out);
    }
    for (auto& [id, r] : questions_) {
        const question& m = r.q;
        if (!e.release || id == q.id || m.event_id != q.event_id || m.cluster_id != q.cluster_id ||
            m.status != *e.release || last_action(id) != inherit_action)
            continue;
        move_member(r, question_status::pending, release_action,
                    released_verdict(q.cluster_id, d.actor, m.verdict), now, out);
    }
}

result<decision_outcome> memory_store::apply_decision(const decision_request& d) {
    std::lock_guard lock(mutex_);
    return apply_one(d);
}

result<std::vector<result<decision_outcome>>> memory_store::apply_decisions(
    const std::vector<decision_request>& ds) {
    std::lock_guard lock(mutex_);
    std::vector<result<decision_outcome>> out;
    for (const decision_request& d : ds) out.push_back(apply_one(d));
    // As in one transaction: every outcome shows the questions after the whole batch.
    for (std::size_t i = 0; i < ds.size(); ++i) {
        if (!out[i]) continue;
        out[i]->updated = read(questions_.at(ds[i].question_id));
        for (auto& [m, from] : out[i]->members) m = read(questions_.at(m.id));
    }
    return out;
}

result<decision_outcome> memory_store::undo_last(const undo_request& u) {
    std::lock_guard lock(mutex_);
    auto last = std::find_if(decisions_.rbegin(), decisions_.rend(),
                             [&](const decision_record& d) { return d.question_id == u.question_id; });
    if (last == decisions_.rend()) return question_missing(u.question_id);
    if (status s = check_undo(*last, u, wall_clock_ms()); !s) return s;
    return apply_one(undo_of(*last, u));
}

result<std::vector<decision_record>> memory_store::list_decisions(std::int64_t question_id) {
    std::lock_guard lock(mutex_);
    if (questions_.count(question_id) == 0) return question_missing(question_id);
    std::vector<decision_record> out;
    for (const decision_record& d : decisions_)
        if (d.question_id == question_id) out.push_back(d);
    return out;
}

result<std::vector<decision_record>> memory_store::list_decisions_of(
    const std::vector<std::int64_t>& question_ids) {
    std::lock_guard lock(mutex_);
    std::vector<decision_record> out;
    for (const decision_record& d : decisions_)
        if (std::find(question_ids.begin(), question_ids.end(), d.question_id) != question_ids.end())
            out.push_back(d);
    std::stable_sort(out.begin(), out.end(), [](const decision_record& a, const decision_record& b) {
        return a.question_id < b.question_id;
    });
    return out;
}

// --- audience ----------------------------------------------------------------------------

result<question> memory_store::add_vote(std::int64_t question_id, const std::string& voter) {
    std::lock_guard lock(mutex_);
    auto it = questions_.find(question_id);
    if (it == questions_.end()) return question_missing(question_id);
    if (!is_public(it->second.q.status))
        return status::error(error_kind::conflict, "not_votable",
                             "only approved questions can be voted on");
    if (votes_.emplace(question_id, voter).second) ++it->second.q.votes;
    return read(it->second);
}

// --- access ------------------------------------------------------------------------------

token_info memory_store::read(const token_row& t) const {
    token_info info = t.info;
    info.event_slug = info.event_id ? events_.at(*info.event_id).info.slug : std::string();
    return info;
}

result<token_info> memory_store::create_token(const std::string& name, role r,
                                              std::optional<std::int64_t> event_id,
                                              const std::string& hash, const std::string& prefix,
                                              std::optional<token_quota> quota) {
    std::lock_guard lock(mutex_);
    token_row t;
    t.info.id = next_token_id_++;
    t.info.name = name;
    t.info.r = r;
    t.info.event_id = event_id;
    t.info.prefix = prefix;
    t.info.created_at = wall_clock_ms();
    t.info.quota = quota;
    t.hash = hash;
    tokens_.emplace(t.info.id, t);
    return read(t);
}

result<std::vector<token_info>> memory_store::list_tokens() {
    std::lock_guard lock(mutex_);
    std::vector<token_info> out;
    for (const auto& [id, t] : tokens_) out.push_back(read(t));
    return out;
}

status memory_store::revoke_token(std::int64_t id) {
    std::lock_guard lock(mutex_);
    auto it = tokens_.find(id);
    if (it == tokens_.end())
        return status::error(error_kind::not_found, "token_not_found",
                             "no token with id " + std::to_string(id));
    if (!it->second.info.revoked_at) it->second.info.revoked_at = wall_clock_ms();
    std::erase_if(sessions_, [&](const auto& s) { return s.second.token_id == id; });
    return status::ok();
}

result<std::optional<token_info>> memory_store::find_token(const std::string& hash) {
    std::lock_guard lock(mutex_);
    for (const auto& [id, t] : tokens_)
        if (t.hash == hash) return std::optional<token_info>(read(t));
    return std::optional<token_info>{};
}

result<bool> memory_store::has_active_admin() {
    std::lock_guard lock(mutex_);
    return std::any_of(tokens_.begin(), tokens_.end(), [](const auto& t) {
        return t.second.info.r == role::admin && !t.second.info.revoked_at;
    });
}

status memory_store::create_session(const std::string& hash, std::int64_t token_id,
                                    timestamp_ms expires_at) {
    std::lock_guard lock(mutex_);
    const timestamp_ms now = wall_clock_ms();
    std::erase_if(sessions_, [&](const auto& s) { return s.second.expires_at < now; });
    sessions_[hash] = {token_id, expires_at};
    return status::ok();
}

result<std::optional<token_info>> memory_store::find_session(const std::string& hash,
                                                             timestamp_ms now) {
    std::lock_guard lock(mutex_);
    auto s = sessions_.find(hash);
    if (s == sessions_.end() || s->second.expires_at <= now) return std::optional<token_info>{};
    const token_row& t = tokens_.at(s->second.token_id);
    if (t.info.revoked_at) return std::optional<token_info>{};
    return std::optional<token_info>(read(t));
}

status memory_store::delete_session(const std::string& hash) {
    std::lock_guard lock(mutex_);
    sessions_.erase(hash);
    return status::ok();
}

result<std::int64_t> memory_store::add_suggestion(const suggestion& s) {
    std::lock_guard lock(mutex_);
    suggestions_.push_back(s);
    suggestions_.back().id = static_cast<std::int64_t>(suggestions_.size());
    return suggestions_.back().id;
}

result<std::vector<suggestion>> memory_store::list_suggestions(std::int64_t after_id,
                                                               std::size_t limit) {
    std::lock_guard lock(mutex_);
    std::vector<suggestion> out;
    for (const suggestion& s : suggestions_)
        if (s.id > after_id && out.size() < limit) out.push_back(s);
    return out;
}

}  // namespace tribune
