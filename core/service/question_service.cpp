#include "core/service/question_service.hpp"

#include "core/text/text_normalizer.hpp"

namespace tribune {
namespace {

std::size_t code_points(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
    return n;
}

// Blank: nothing but whitespace and invisible characters, Unicode ones included (the
// normaliser drops zero-width characters and folds every space to ' ').
bool is_blank(std::string_view s) {
    auto n = normalize(s);
    if (!n) return false;  // not valid UTF-8: reported as such by the caller
    for (char c : n->text)
        if (c != ' ') return false;
    return true;
}

status invalid(std::string code, std::string message) {
    return status::error(error_kind::invalid_argument, std::move(code), std::move(message));
}

status check_field(const std::optional<std::string>& v, std::string_view name, std::size_t limit) {
    if (!v) return status::ok();
    if (!is_valid_utf8(*v)) return invalid("invalid_utf8", std::string(name) + " is not valid UTF-8");
    if (code_points(*v) > limit)
        return invalid("invalid_field", std::string(name) + " is longer than " +
                                            std::to_string(limit) + " characters");
    return status::ok();
}

using clock = std::chrono::steady_clock;

double seconds_since(clock::time_point t) {
    return std::chrono::duration<double>(clock::now() - t).count();
}

// Fills in the target state and the states an action may start from.
status action_target(const std::string& action, decision_request& r) {
    using qs = question_status;
    if (action == "approve") r.to = qs::approved;
    else if (action == "reject") r.to = qs::rejected;
    else if (action == "hold") r.to = qs::held;
    else if (action == "restore") {
        // An automatic or human rejection back into the review queue.
        r.to = qs::pending;
        r.allowed_from = {qs::auto_rejected, qs::rejected, qs::held};
    } else if (action == "answer") {
        r.to = qs::answered;
        r.allowed_from = {qs::approved};
    } else {
        return invalid("unknown_action", "action must be approve, reject, hold, restore or answer");
    }
    return status::ok();
}

std::string actor_or_anonymous(const std::string& actor) {
    return actor.empty() || is_blank(actor) ? "anonymous" : actor;
}

}  // namespace

question_service::question_service(store& db, const classifier& model, event_sink& sink,
                                   service_options options)
    : db_(db),
      model_(model),
      sink_(sink),
      options_(std::move(options)),
      queue_(options_.queue_capacity) {}

question_service::~question_service() { stop(); }

void question_service::start() {
    for (int i = 0; i < std::max(1, options_.workers); ++i)
        workers_.emplace_back([this] { worker_loop(); });
}

void question_service::stop() {
    if (stopped_.exchange(true)) return;
    queue_.close();
    for (auto& t : workers_) t.join();
    workers_.clear();
}

status question_service::submit(submission s, submit_callback done) {
    if (!is_valid_utf8(s.text)) return invalid("invalid_utf8", "text is not valid UTF-8");
    if (is_blank(s.text)) return invalid("text_required", "text is required and must not be blank");
    if (std::size_t n = code_points(s.text); n > options_.max_text_chars)
        return invalid("text_too_long", "text has " + std::to_string(n) +
                                            " characters; the limit is " +
                                            std::to_string(options_.max_text_chars));
    if (status st = check_field(s.author, "author", options_.max_field_chars); !st) return st;
    if (status st = check_field(s.source, "source", options_.max_field_chars); !st) return st;
    if (status st = check_field(s.external_id, "external_id", options_.max_field_chars); !st)
        return st;

    auto ev = db_.find_event(s.event_slug);
    if (!ev) return ev.error();

    // A retry of a stored question answers at once without queueing. A retry racing the
    // first attempt is caught by the store's unique index inside the group commit.
    if (s.external_id) {
        auto existing = db_.find_external(ev->id, s.source.value_or(""), *s.external_id);
        if (!existing) return existing.error();
        if (existing->has_value()) {
            done(submit_outcome{std::move(**existing), false});
            return status::ok();
        }
    }

    pending_item item;
    item.q.event = ev->slug;
    item.q.event_id = ev->id;
    item.q.text = std::move(s.text);
    item.q.author = std::move(s.author);
    item.q.source = std::move(s.source);
    item.q.external_id = std::move(s.external_id);
    item.done = std::move(done);
    if (stopped_.load())
        return status::error(error_kind::unavailable, "shutting_down", "the server is shutting down");
    if (!queue_.try_push(item))
        return status::error(error_kind::unavailable, "queue_full",
                             "the ingest queue is full (" + std::to_string(queue_.capacity()) +
                                 " questions); retry shortly");
    return status::ok();
}

void question_service::worker_loop() {
    for (;;) {
        std::vector<pending_item> batch = queue_.pop_batch(options_.max_batch);
        if (batch.empty()) return;  // closed and drained
        process(std::move(batch));
    }
}

void question_service::process(std::vector<pending_item> batch) {
    std::vector<question> rows;
    rows.reserve(batch.size());
    for (pending_item& item : batch) {
        // The policy in force now: an admin's change applies to the next question at once.
        auto pol = policy_for(item.q.event_id);
        const auto t0 = clock::now();
        auto c = model_.classify(item.q.text);
        if (options_.on_scored) options_.on_scored(seconds_since(t0));
        verdict v;
        if (c && pol) {
            item.q.scored = std::move(c.value());
            std::vector<word_match> words;
            if (!(*pol)->words->empty()) {
                if (auto m = (*pol)->words->match(item.q.text)) words = std::move(m.value());
            }
            for (const word_match& w : words) item.q.scored.spans.push_back(w.to_span());
            v = (*pol)->source.thresholds.evaluate(item.q.scored, (*pol)->source.premoderate, words);
        } else if (!pol) {
            item.q.scored.lang = c ? c->lang : "und";
            if (c) item.q.scored = std::move(c.value());
            v = triage_policy::unscored("policy unavailable: " + pol.error().message());
        } else {
            // Never published unscored: a human must look at it.
            item.q.scored.lang = "und";
            v = triage_policy::unscored(c.error().message());
        }
        item.q.status = v.status;
        item.q.verdict = std::move(v.reason);
        rows.push_back(item.q);
    }

    const auto t0 = clock::now();
    auto stored = db_.insert_batch(rows);
    if (options_.on_committed) options_.on_committed(rows.size(), seconds_since(t0));
    if (!stored) {
        for (pending_item& item : batch) item.done(stored.error());
        return;
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
        insert_outcome& o = (*stored)[i];
        batch[i].done(submit_outcome{o.stored, o.inserted});
        if (o.inserted) sink_.question_changed({change_kind::created, std::nullopt, std::move(o.stored), {}});
    }
}

result<question> question_service::decide(const decision_input& d) {
    decision_request r;
    if (status st = action_target(d.action, r); !st) return st;
    if (!is_valid_utf8(d.reason) || !is_valid_utf8(d.actor))
        return invalid("invalid_utf8", "reason and moderator must be valid UTF-8");
    if (code_points(d.reason) > options_.max_reason_chars)
        return invalid("invalid_field", "reason is longer than " +
                                            std::to_string(options_.max_reason_chars) + " characters");
    if (code_points(d.actor) > options_.max_field_chars)
        return invalid("invalid_field", "moderator is longer than " +
                                            std::to_string(options_.max_field_chars) + " characters");
    r.question_id = d.question_id;
    r.action = d.action;
    r.actor = actor_or_anonymous(d.actor);
    r.reason = d.reason;
    r.expected_version = d.expected_version;

    auto out = db_.apply_decision(r);
    if (!out) return out.error();
    if (out->changed)
        sink_.question_changed({change_kind::updated, out->from, out->updated, r.actor});
    return std::move(out->updated);
}

namespace {
status check_thresholds(const triage_policy& t);
}  // namespace

result<std::shared_ptr<const question_service::compiled_policy>> question_service::compile(
    const event_policy& p) {
    if (status st = check_thresholds(p.thresholds); !st) return st;
    auto words = word_list::build(p.banned, p.suspect);
    if (!words) return words.error();
    auto c = std::make_shared<compiled_policy>();
    c->source = p;
    c->words = std::make_shared<const word_list>(std::move(words.value()));
    return std::shared_ptr<const compiled_policy>(std::move(c));
}

result<std::shared_ptr<const question_service::compiled_policy>> question_service::policy_for(
    std::int64_t event_id) {
    {
        std::lock_guard lock(policies_mutex_);
        if (auto it = policies_.find(event_id); it != policies_.end()) return it->second;
    }
    auto p = db_.get_policy(event_id);
    if (!p) return p.error();
    auto c = compile(*p);
    if (!c) return c.error();
    std::lock_guard lock(policies_mutex_);
    // Another thread may have loaded it meanwhile; keep the first so all agree.
    return policies_.emplace(event_id, *c).first->second;
}

result<event_policy> question_service::policy(const std::string& event_slug) {
    auto ev = db_.find_event(event_slug);
    if (!ev) return ev.error();
    auto p = policy_for(ev->id);
    if (!p) return p.error();
    return (*p)->source;
}

namespace {

status check_thresholds(const triage_policy& t) {
    for (attribute a : all_attributes) {
        const threshold& th = t.at(a);
        auto ok = [](float v) { return v >= 0.0f && v <= 1.01f; };
        if (!ok(th.review_above) || !ok(th.reject_above))
            return invalid("invalid_threshold", std::string(to_string(a)) +
                                                    ": thresholds must be between 0 and 1 "
                                                    "(above 1 turns the rule off)");
        if (th.review_above > th.reject_above)
            return invalid("invalid_threshold", std::string(to_string(a)) +
                                                    ": review_above must not exceed reject_above");
    }
    return status::ok();
}

}  // namespace

result<event_policy> question_service::set_policy(const std::string& event_slug,
                                                  const event_policy& p) {
    auto ev = db_.find_event(event_slug);
    if (!ev) return ev.error();
    auto compiled = compile(p);
    if (!compiled) return compiled.error();
    if (status st = db_.save_policy(ev->id, p); !st) return st;
    std::lock_guard lock(policies_mutex_);
    policies_[ev->id] = *compiled;
    return p;
}

result<dry_run_report> question_service::dry_run(const std::string& event_slug,
                                                 const event_policy& p) {
    auto ev = db_.find_event(event_slug);
    if (!ev) return ev.error();
    auto compiled = compile(p);
    if (!compiled) return compiled.error();
    const compiled_policy& cp = **compiled;
    constexpr std::size_t max_samples = 20;
    dry_run_report report;
    status st = db_.scan_questions(ev->id, [&](const question& q) {
        // Only verdicts no human has touched would be re-decided by a policy.
        if (q.version != 1 || q.verdict.rfind("not scored", 0) == 0) return;
        ++report.considered;
        std::vector<word_match> words;
        if (!cp.words->empty())
            if (auto m = cp.words->match(q.text)) words = std::move(m.value());
        verdict v = cp.source.thresholds.evaluate(q.scored, cp.source.premoderate, words);
        if (v.status == q.status) return;
        ++report.would_move;
        ++report.moves[{q.status, v.status}];
        if (report.samples.size() < max_samples) report.samples.push_back({q, v.status, v.reason});
    });
    if (!st) return st;
    return report;
}

result<bulk_outcome> question_service::decide_bulk(const bulk_decision_input& d) {
    decision_request proto;
    if (status st = action_target(d.action, proto); !st) return st;
    if (d.cluster && !d.ids.empty())
        return invalid("invalid_field", "give either ids or cluster, not both");
    if (!d.cluster && d.ids.empty()) return invalid("invalid_field", "ids must name at least one question");
    if (d.ids.size() > options_.max_bulk)
        return invalid("too_many", "at most " + std::to_string(options_.max_bulk) +
                                       " questions in one bulk decision");
    if (!is_valid_utf8(d.reason) || !is_valid_utf8(d.actor))
        return invalid("invalid_utf8", "reason and moderator must be valid UTF-8");
    if (code_points(d.reason) > options_.max_reason_chars)
        return invalid("invalid_field", "reason is too long");
    auto ev = db_.find_event(d.event_slug);
    if (!ev) return ev.error();

    bulk_outcome done;
    std::vector<std::int64_t> ids = d.ids;
    std::map<std::int64_t, std::int64_t> versions = d.expected_versions;
    std::vector<question_status> group_from;
    if (d.cluster) {
        // The group as it is now; each member is decided from the version read here, so a
        // member someone decided meanwhile is reported, not overridden.
        group_from = d.from.empty() ? std::vector{question_status::pending, question_status::held}
                                    : d.from;
        question_query q;
        q.event_slug = d.event_slug;
        q.filter.cluster = *d.cluster;
        q.filter.statuses = group_from;
        q.sort = question_sort::oldest;
        q.limit = options_.max_bulk;
        auto page = db_.list_questions(q);
        if (!page) return page.error();
        done.more = page->next.has_value();
        for (const question& m : page->items) {
            ids.push_back(m.id);
            versions[m.id] = m.version;
        }
    }

    std::vector<decision_request> reqs;
    reqs.reserve(ids.size());
    for (std::int64_t id : ids) {
        decision_request r = proto;
        r.question_id = id;
        r.event_id = ev->id;
        r.action = d.action;
        r.actor = actor_or_anonymous(d.actor);
        r.reason = d.reason;
        if (d.cluster && r.allowed_from.empty()) r.allowed_from = group_from;
        if (auto it = versions.find(id); it != versions.end()) r.expected_version = it->second;
        reqs.push_back(std::move(r));
    }
    if (reqs.empty()) return done;
    auto out = db_.apply_decisions(reqs);
    if (!out) return out.error();
    std::vector<question_change> changes;
    for (std::size_t i = 0; i < reqs.size(); ++i) {
        auto& r = (*out)[i];
        if (!r) {
            done.items.push_back({reqs[i].question_id, r.error()});
            continue;
        }
        if (r->changed)
            changes.push_back({change_kind::updated, r->from, r->updated, reqs[i].actor});
        done.items.push_back({reqs[i].question_id, r->updated});
    }
    if (!changes.empty()) sink_.questions_changed(changes);
    return done;
}

result<question> question_service::undo(std::int64_t question_id, const std::string& actor) {
    undo_request u;
    u.question_id = question_id;
    u.actor = actor_or_anonymous(actor);
    u.window_ms = options_.undo_window.count();
    auto out = db_.undo_last(u);
    if (!out) return out.error();
    if (out->changed)
        sink_.question_changed({change_kind::updated, out->from, out->updated, u.actor});
    return std::move(out->updated);
}

result<question> question_service::vote(std::int64_t question_id, const std::string& voter) {
    if (voter.empty() || !is_valid_utf8(voter) || code_points(voter) > options_.max_field_chars)
        return invalid("invalid_field", "voter must be a non-empty string of at most " +
                                            std::to_string(options_.max_field_chars) + " characters");
    auto before = db_.get_question(question_id);
    if (!before) return before.error();
    auto q = db_.add_vote(question_id, voter);
    if (!q) return q.error();
    if (q->votes != before->votes)
        sink_.question_changed({change_kind::updated, q->status, *q, {}});
    return q;
}

}  // namespace tribune
