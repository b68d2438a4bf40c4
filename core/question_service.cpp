#include "core/question_service.hpp"

#include "core/text_normalizer.hpp"

namespace tribune {
namespace {

std::size_t code_points(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
    return n;
}

bool is_blank(std::string_view s) {
    for (unsigned char c : s)
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') return false;
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

}  // namespace

question_service::question_service(store& db, const classifier& model, event_sink& sink,
                                   triage_policy policy, service_options options)
    : db_(db),
      model_(model),
      sink_(sink),
      policy_(policy),
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
    item.premoderate = ev->premoderate;
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
        const auto t0 = clock::now();
        auto c = model_.classify(item.q.text);
        if (options_.on_scored) options_.on_scored(seconds_since(t0));
        verdict v;
        if (c) {
            item.q.scored = std::move(c.value());
            v = policy_.evaluate(item.q.scored, item.premoderate);
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
    if (d.action == "approve") r.to = question_status::approved;
    else if (d.action == "reject") r.to = question_status::rejected;
    else if (d.action == "hold") r.to = question_status::held;
    else return invalid("unknown_action", "action must be approve, reject or hold");
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
    r.actor = d.actor.empty() || is_blank(d.actor) ? "anonymous" : d.actor;
    r.reason = d.reason;
    r.expected_version = d.expected_version;

    auto out = db_.apply_decision(r);
    if (!out) return out.error();
    if (out->changed)
        sink_.question_changed({change_kind::updated, out->from, out->updated, r.actor});
    return std::move(out->updated);
}

}  // namespace tribune
