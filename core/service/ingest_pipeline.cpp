#include "core/service/ingest_pipeline.hpp"

#include <algorithm>
#include <cmath>

#include "core/service/question_signal.hpp"
#include "core/text/prepared_text.hpp"
#include "core/triage/decision_inheritance.hpp"
#include "core/triage/unsure_decision.hpp"
#include "core/util/thread_name.hpp"

namespace tribune {
namespace {

using clock = std::chrono::steady_clock;

double seconds_since(clock::time_point t) {
    return std::chrono::duration<double>(clock::now() - t).count();
}

status check_field(const std::optional<std::string>& v, std::string_view name, std::size_t limit) {
    if (!v) return status::ok();
    if (!is_valid_utf8(*v)) return invalid("invalid_utf8", std::string(name) + " is not valid UTF-8");
    if (count_code_points(*v) > limit)
        return invalid("invalid_field", std::string(name) + " is longer than " +
                                            std::to_string(limit) + " characters");
    return status::ok();
}

status check_submission(const submission& s, const service_options& o) {
    if (!is_valid_utf8(s.text)) return invalid("invalid_utf8", "text is not valid UTF-8");
    if (is_blank(s.text)) return invalid("text_required", "text is required and must not be blank");
    if (std::size_t n = count_code_points(s.text); n > o.max_text_chars)
        return invalid("text_too_long", "text has " + std::to_string(n) +
                                            " characters; the limit is " +
                                            std::to_string(o.max_text_chars));
    if (status st = check_field(s.author, "author", o.max_field_chars); !st) return st;
    if (status st = check_field(s.source, "source", o.max_field_chars); !st) return st;
    return check_field(s.external_id, "external_id", o.max_field_chars);
}

// Committed batches waiting for the completer: beyond this the committer waits.
constexpr std::size_t committed_batches_waiting = 4;

near_duplicate_index::options index_options(const service_options& o) {
    near_duplicate_index::options io;
    io.capacity = o.grouping_window;
    io.track_ids = o.shared_store;
    return io;
}

}  // namespace

ingest_pipeline::ingest_pipeline(event_store& events, question_store& questions,
                                 const classifier& model, event_sink& sink,
                                 policy_service& policies, const service_options& options,
                                 const correction_source* corrections)
    : events_(events),
      questions_(questions),
      model_(model),
      sink_(sink),
      policies_(policies),
      options_(options),
      corrections_(corrections),
      queue_(options.queue_capacity),
      scored_(std::max<std::size_t>(options.queue_capacity, options.max_batch)),
      committed_(committed_batches_waiting),
      commit_(questions, index_options(options), options.on_committed) {}

ingest_pipeline::~ingest_pipeline() { stop(); }

status ingest_pipeline::load_groups() {
    if (status s = commit_.load(); !s) return s;
    if (!known_ids_ready_.load(std::memory_order_acquire)) {
        // Without the stored identities every retry is looked up, as before the filter: slower,
        // never wrong, so a failed scan does not stop the server.
        const status scanned = questions_.scan_external_ids(
            [this](std::int64_t event_id, std::string_view source, std::string_view external_id) {
                known_ids_.add(event_id, source, external_id);
            });
        known_ids_ready_.store(scanned.is_ok(), std::memory_order_release);
    }
    groups_loaded_ = true;
    return status::ok();
}

status ingest_pipeline::start() {
    if (!groups_loaded_)
        if (status s = load_groups(); !s) return s;
    completer_ = std::thread([this] { complete_loop(); });
    committer_ = std::thread([this] { commit_loop(); });
    for (int i = 0; i < std::max(1, options_.workers); ++i)
        scorers_.emplace_back([this] { score_loop(); });
    return status::ok();
}

void ingest_pipeline::stop() {
    if (stopped_.exchange(true)) return;
    // Each stage drains what the one before it left, then ends.
    queue_.close();
    for (auto& t : scorers_) t.join();
    scorers_.clear();
    scored_.close();
    if (committer_.joinable()) committer_.join();
    committed_.close();
    if (completer_.joinable()) completer_.join();
}

status ingest_pipeline::check(const submission& s) const { return check_submission(s, options_); }

status ingest_pipeline::submit(submission s, submit_callback done) {
    if (status st = check_submission(s, options_); !st) return st;
    auto ev = known_events_.find_or_load(s.event_slug, events_);
    if (!ev) return ev.error();

    // A retry of a stored question answers at once without queueing. A retry racing the
    // first attempt is caught by the store's unique index inside the group commit.
    // The filter answers "never stored" for nearly every new question without a read
    // transaction; what it may contain is looked up.
    const std::string source = s.source.value_or("");
    if (s.external_id && (!known_ids_ready_.load(std::memory_order_acquire) ||
                          known_ids_.may_contain(ev->id, source, *s.external_id))) {
        auto existing = questions_.find_external(ev->id, source, *s.external_id);
        if (!existing) return existing.error();
        if (existing->has_value()) {
            // Found, it may have committed a moment ago and not be durable yet (rare: a
            // retry within a commit of the first attempt); the answer waits for that.
            if (status st = questions_.make_durable(); !st) return st;
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
    item.q.origin_url = std::move(s.origin_url);
    item.q.created_at = s.posted_at.value_or(0);
    item.done = std::move(done);
    item.submitted = clock::now();
    if (stopped_.load())
        return status::error(error_kind::unavailable, "shutting_down", "the server is shutting down");
    if (!queue_.try_push(item))
        return status::error(error_kind::unavailable, "queue_full",
                             "the ingest queue is full (" + std::to_string(queue_.capacity()) +
                                 " questions); retry shortly");
    return status::ok();
}

void ingest_pipeline::score_loop() {
    name_this_thread("tribune-score");
    for (;;) {
        std::vector<pending_item> batch = queue_.pop_batch(options_.max_batch);
        if (batch.empty()) return;  // closed and drained
        for (pending_item& item : batch) {
            const time_point taken = clock::now();
            scored_item scored{score_one(std::move(item.q)), std::move(item.done),
                               {item.submitted, taken, clock::now()}};
            // The scored queue closes only after every scorer ended.
            scored_.push(scored);
        }
    }
}

void ingest_pipeline::commit_loop() {
    name_this_thread("tribune-commit");
    for (;;) {
        std::vector<scored_item> batch = scored_.pop_batch(options_.max_batch);
        if (batch.empty()) return;  // closed and drained
        std::vector<group_commit::item> rows;
        committed_batch done;
        done.commit_started = clock::now();
        rows.reserve(batch.size());
        done.done.reserve(batch.size());
        done.times.reserve(batch.size());
        for (scored_item& s : batch) {
            rows.push_back(std::move(s.row));
            done.done.push_back(std::move(s.done));
            done.times.push_back(s.times);
        }
        done.outcomes = commit_.run(rows, [this](std::vector<group_commit::item>& b,
                                                 const std::vector<group_commit::planned>& g) {
            before_insert(b, g);
        });
        if (done.outcomes) {
            for (const insert_outcome& o : *done.outcomes)
                if (o.stored.external_id)
                    known_ids_.add(o.stored.event_id, o.stored.source.value_or(""), *o.stored.external_id);
        }
        done.committed = clock::now();
        // The committed queue closes only after the committer ended.
        committed_.push(done);
    }
}

void ingest_pipeline::complete_loop() {
    name_this_thread("tribune-answer");
    for (;;) {
        std::vector<committed_batch> batches = committed_.pop_batch(committed_batches_waiting);
        if (batches.empty()) return;  // closed and drained
        // One fsync for every batch waiting, while the committer writes the next.
        const time_point sync_started = clock::now();
        const status durable = questions_.make_durable();
        const time_point synced = clock::now();
        for (committed_batch& b : batches) complete(std::move(b), durable, sync_started, synced);
    }
}

group_commit::item ingest_pipeline::score_one(question q) {
    // The policy in force now: an admin's change applies to the next question at once.
    auto pol = policies_.in_force(q.event_id);
    static const canonical_options whole_text = canonical_options::off();
    const auto t0 = clock::now();
    auto text = prepare_text(q.text, pol ? (*pol)->source.canonical : whole_text, q.event);
    // Text that cannot be prepared (never, once submit() validated it) is scored as sent.
    auto c = text ? model_.classify(*text) : model_.classify(std::string_view(q.text));
    if (text && options_.question_model) {
        const float p = options_.question_model->question_probability(*text);
        if (std::isfinite(p)) q.question_probability = std::clamp(p, 0.0f, 1.0f);
    }
    if (options_.on_scored) options_.on_scored(seconds_since(t0));
    verdict v;
    std::optional<verdict_rule> raw_rule;
    std::vector<word_match> words;
    if (c && pol) {
        q.scored = std::move(c.value());
        // The word lists read the whole text (prepared_text.hpp says why).
        if (text && !(*pol)->words->empty()) words = (*pol)->words->match(text->full);
        for (const word_match& w : words) q.scored.spans.push_back(w.to_span());
        v = triage(q, text ? &*text : nullptr, **pol, words, raw_rule);
    } else if (!pol) {
        q.scored.lang = c ? c->lang : "und";
        if (c) q.scored = std::move(c.value());
        v = triage_policy::unscored("policy unavailable: " + pol.error().message());
    } else {
        // Never published unscored: a human must look at it.
        q.scored.lang = "und";
        v = triage_policy::unscored(c.error().message());
    }
    q.status = v.status;
    q.verdict = std::move(v.reason);

    group_commit::item out;
    // A group's decision overrides the correction's guess: inheritance reads the shipped
    // model's own rule.
    out.rule = raw_rule.value_or(v.rule);
    out.triaged_rule = v.rule;
    out.words = std::move(words);
    if (pol) out.policy = *pol;
    if (text) {
        out.row.search_text = text->full.text;
        if (text->normal.text != text->full.text) out.row.group_text = text->normal.text;
        out.fp = commit_.fingerprint_of(text->normal.text);
    } else {
        out.row.search_text = q.text;
    }
    out.row.q = std::move(q);
    return out;
}

verdict ingest_pipeline::triage(question& q, const prepared_text* text, const compiled_policy& pol,
                                const std::vector<word_match>& words,
                                std::optional<verdict_rule>& raw_rule) const {
    const event_policy& p = pol.source;
    std::shared_ptr<const event_correction> correction;
    float prior = 0.0f;
    if (corrections_ && p.learn_from_decisions && text) {
        correction = corrections_->correction_for(q.event_id);
        prior = corrections_->observe_prior(q.event_id, q.scored.values[attribute::toxicity], correction.get());
    }
    const bool learned = correction && !correction->empty();
    if (!learned && prior == 0.0f) return p.thresholds.evaluate(q.scored, p.premoderate, words);
    thread_local model_features features;
    if (learned)
        model_.features(*text, features);
    else
        features.clear();  // an empty correction reads none: only the prior shift applies
    static const event_correction none;
    // With "auto-decided, unsure" on, the correction does not reject on its own (OWN
    // REJECTIONS, event_correction.hpp): the unsure rule's checked guess decides instead.
    corrected_triage t = (correction ? *correction : none)
                             .apply(features, q.scored, p.thresholds, p.premoderate, words, p.narrow_review_band,
                                    !(p.auto_decide_unsure && p.inherit_group_decisions), prior);
    if (t.delta != 0.0f) {
        q.correction = correction_note{t.delta, t.moved() ? std::optional(t.raw.status) : std::nullopt};
        if (options_.on_corrected) options_.on_corrected(t.moved() ? "moved" : "shifted");
    }
    raw_rule = t.raw.rule;
    return std::move(t.final);
}

void ingest_pipeline::escalate(group_commit::item& it, std::uint32_t members) const {
    question& q = it.row.q;
    const event_policy& p = it.policy->source;
    if (!corrections_ || !p.learn_from_decisions || !p.inherit_group_decisions) return;
    auto correction = corrections_->correction_for(q.event_id);
    if (!correction || !correction->escalates(q, p.thresholds, members)) return;
    const question_status raw = q.correction && q.correction->moved_from ? *q.correction->moved_from : q.status;
    const float delta = q.correction ? q.correction->delta : 0.0f;
    q.correction = correction_note{delta, raw == question_status::pending ? std::nullopt : std::optional(raw)};
    q.status = question_status::pending;
    if (options_.on_corrected) options_.on_corrected("escalated");
    q.verdict += "; to review: its group has " + std::to_string(members) +
                 " questions and no moderator's decision, and this verdict is close to a line";
}

void ingest_pipeline::decide_unsure(group_commit::item& it, std::uint32_t members) const {
    question& q = it.row.q;
    const event_policy& p = it.policy->source;
    if (!p.auto_decide_unsure || !p.inherit_group_decisions) return;
    if (!corrections_ || !p.learn_from_decisions) return;  // no correction, no guess
    auto correction = corrections_->correction_for(q.event_id);
    if (!correction) return;
    const scores corrected =
        q.correction ? event_correction::shifted(q.scored.values, q.correction->delta) : q.scored.values;
    auto v = unsure_verdict(verdict{q.status, q.verdict, it.triaged_rule}, corrected, p.thresholds,
                            members, correction->counts().groups(),
                            calibrated_unsure_rule(options_.unsure, *correction, p.narrow_review_band));
    if (!v) return;
    q.status = v->status;
    q.verdict = std::move(v->reason);
    it.row.unsure = true;
    if (options_.on_corrected) options_.on_corrected("unsure");
}

void ingest_pipeline::before_insert(std::vector<group_commit::item>& batch,
                                    const std::vector<group_commit::planned>& groups) const {
    for (std::size_t i = 0; i < batch.size(); ++i) {
        group_commit::item& it = batch[i];
        if (!it.policy) continue;
        const auto& decided = groups[i].decision;
        if (!decided) {
            escalate(it, groups[i].members);
            decide_unsure(it, groups[i].members);
            continue;
        }
        if (!it.policy->source.inherit_group_decisions) continue;
        question& q = it.row.q;
        joined_verdict j = verdict_on_joining(verdict{q.status, q.verdict, it.rule}, *decided);
        q.status = j.v.status;
        q.verdict = std::move(j.v.reason);
        it.row.inherited = j.inherited;
    }
}

void ingest_pipeline::complete(committed_batch b, const status& durable, time_point sync_started,
                               time_point synced) {
    if (!b.outcomes) {
        for (submit_callback& done : b.done) done(b.outcomes.error());
        return;
    }
    const auto seconds = [](time_point from, time_point to) {
        return std::chrono::duration<double>(to - from).count();
    };
    for (std::size_t i = 0; i < b.done.size(); ++i) {
        insert_outcome& o = (*b.outcomes)[i];
        if (options_.on_stages && durable && o.inserted) {
            const item_times& t = b.times[i];
            options_.on_stages({seconds(t.submitted, t.scoring), seconds(t.scoring, t.scored),
                                seconds(t.scored, b.commit_started), seconds(b.commit_started, b.committed),
                                seconds(b.committed, sync_started), seconds(sync_started, synced)});
        }
        // Committed (so announced below), but not acknowledged unless known durable.
        if (durable) b.done[i](submit_outcome{o.stored, o.inserted});
        else b.done[i](durable);
        if (o.inserted) sink_.question_changed({change_kind::created, std::nullopt, std::move(o.stored), {}});
    }
}

}  // namespace tribune
