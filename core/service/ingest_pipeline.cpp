#include "core/service/ingest_pipeline.hpp"

#include <algorithm>
#include <cmath>

#include "core/service/question_signal.hpp"
#include "core/text/prepared_text.hpp"

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

near_duplicate_index::options index_options(const service_options& o) {
    near_duplicate_index::options io;
    io.capacity = o.grouping_window;
    return io;
}

}  // namespace

ingest_pipeline::ingest_pipeline(event_store& events, question_store& questions,
                                 const classifier& model, event_sink& sink,
                                 policy_service& policies, const service_options& options)
    : events_(events),
      questions_(questions),
      model_(model),
      sink_(sink),
      policies_(policies),
      options_(options),
      queue_(options.queue_capacity),
      commit_(questions, index_options(options), options.on_committed) {}

ingest_pipeline::~ingest_pipeline() { stop(); }

status ingest_pipeline::load_groups() {
    if (status s = commit_.load(); !s) return s;
    groups_loaded_ = true;
    return status::ok();
}

status ingest_pipeline::start() {
    if (!groups_loaded_)
        if (status s = load_groups(); !s) return s;
    for (int i = 0; i < std::max(1, options_.workers); ++i)
        workers_.emplace_back([this] { worker_loop(); });
    return status::ok();
}

void ingest_pipeline::stop() {
    if (stopped_.exchange(true)) return;
    queue_.close();
    for (auto& t : workers_) t.join();
    workers_.clear();
}

status ingest_pipeline::submit(submission s, submit_callback done) {
    if (status st = check_submission(s, options_); !st) return st;
    auto ev = events_.find_event(s.event_slug);
    if (!ev) return ev.error();

    // A retry of a stored question answers at once without queueing. A retry racing the
    // first attempt is caught by the store's unique index inside the group commit.
    if (s.external_id) {
        auto existing = questions_.find_external(ev->id, s.source.value_or(""), *s.external_id);
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

void ingest_pipeline::worker_loop() {
    for (;;) {
        std::vector<pending_item> batch = queue_.pop_batch(options_.max_batch);
        if (batch.empty()) return;  // closed and drained
        process(std::move(batch));
    }
}

group_commit::item ingest_pipeline::score_one(question q) {
    // The policy in force now: an admin's change applies to the next question at once.
    auto pol = policies_.in_force(q.event_id);
    const auto t0 = clock::now();
    auto text = prepare_text(q.text);
    // Text that cannot be prepared (never, once submit() validated it) is scored as sent.
    auto c = text ? model_.classify(*text) : model_.classify(std::string_view(q.text));
    if (text && options_.question_model) {
        const float p = options_.question_model->question_probability(*text);
        if (std::isfinite(p)) q.question_probability = std::clamp(p, 0.0f, 1.0f);
    }
    if (options_.on_scored) options_.on_scored(seconds_since(t0));
    verdict v;
    if (c && pol) {
        q.scored = std::move(c.value());
        std::vector<word_match> words;
        if (text && !(*pol)->words->empty()) words = (*pol)->words->match(text->normal);
        for (const word_match& w : words) q.scored.spans.push_back(w.to_span());
        v = (*pol)->source.thresholds.evaluate(q.scored, (*pol)->source.premoderate, words);
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
    if (text) {
        out.row.search_text = text->normal.text;
        out.fp = commit_.fingerprint_of(text->normal.text);
    } else {
        out.row.search_text = q.text;
    }
    out.row.q = std::move(q);
    return out;
}

void ingest_pipeline::process(std::vector<pending_item> batch) {
    std::vector<group_commit::item> rows;
    rows.reserve(batch.size());
    for (pending_item& item : batch) rows.push_back(score_one(std::move(item.q)));

    auto stored = commit_.run(rows);
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

}  // namespace tribune
