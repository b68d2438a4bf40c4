#include "core/service/policy_service.hpp"

#include "core/text/prepared_text.hpp"
#include "core/triage/unsure_decision.hpp"

namespace tribune {
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

status check_event_tags(const canonical_options& c) {
    constexpr std::size_t max_tags = 100, max_tag_chars = 100;
    if (c.event_tags.size() > max_tags)
        return invalid("invalid_field", "at most " + std::to_string(max_tags) + " event tags");
    for (const std::string& t : c.event_tags) {
        if (!is_valid_utf8(t)) return invalid("invalid_utf8", "an event tag is not valid UTF-8");
        const std::size_t n = count_code_points(t);
        if (n == 0 || (n == 1 && t == "#") || n > max_tag_chars)
            return invalid("invalid_field", "event tag '" + t + "' must have 1 to " +
                                                std::to_string(max_tag_chars) + " characters");
    }
    return status::ok();
}

}  // namespace

result<std::shared_ptr<const compiled_policy>> policy_service::compile(const event_policy& p) {
    if (status st = check_thresholds(p.thresholds); !st) return st;
    if (status st = check_event_tags(p.canonical); !st) return st;
    auto words = word_list::build(p.banned, p.suspect);
    if (!words) return words.error();
    auto c = std::make_shared<compiled_policy>();
    c->source = p;
    c->words = std::make_shared<const word_list>(std::move(words.value()));
    return std::shared_ptr<const compiled_policy>(std::move(c));
}

result<std::shared_ptr<const compiled_policy>> policy_service::in_force(std::int64_t event_id) {
    {
        std::lock_guard lock(mutex_);
        if (auto it = policies_.find(event_id); it != policies_.end()) return it->second;
    }
    auto p = events_.get_policy(event_id);
    if (!p) return p.error();
    auto c = compile(*p);
    if (!c) return c.error();
    std::lock_guard lock(mutex_);
    // Another thread may have loaded it meanwhile; keep the first so all agree. What was read
    // may predate a save another instance committed since a reload last read the mark: have
    // the next reload_if_changed() read every policy again.
    auto [it, inserted] = policies_.emplace(event_id, *c);
    if (inserted) {
        polled_.reset();
        ++published_;
    }
    return it->second;
}

result<event_policy> policy_service::policy(const std::string& event_slug) {
    auto ev = events_.find_event(event_slug);
    if (!ev) return ev.error();
    auto p = in_force(ev->id);
    if (!p) return p.error();
    return (*p)->source;
}

result<event_policy> policy_service::set_policy(const std::string& event_slug,
                                                const event_policy& p) {
    auto ev = events_.find_event(event_slug);
    if (!ev) return ev.error();
    auto compiled = compile(p);
    if (!compiled) return compiled.error();
    if (status st = events_.save_policy(ev->id, p); !st) return st;
    std::lock_guard lock(mutex_);
    policies_[ev->id] = *compiled;
    ++published_;
    return p;
}

result<std::vector<std::int64_t>> policy_service::reload_if_changed() {
    // The mark is read before the policies: a save committed after it is either in what is
    // read below or moves the mark again for the next call.
    auto mark = events_.policy_mark();
    if (!mark) return mark.error();
    if (!*mark) return std::vector<std::int64_t>{};  // only this process writes the store
    std::vector<std::int64_t> ids;
    std::uint64_t published = 0;
    {
        std::lock_guard lock(mutex_);
        if (polled_ == **mark) return std::vector<std::int64_t>{};
        published = published_;
        for (const auto& [id, p] : policies_) ids.push_back(id);
    }
    std::vector<std::pair<std::int64_t, std::shared_ptr<const compiled_policy>>> loaded;
    for (std::int64_t id : ids) {
        auto p = events_.get_policy(id);
        if (!p) return p.error();
        auto c = compile(*p);
        if (!c) return c.error();  // never for a saved policy: it was validated before
        loaded.emplace_back(id, std::move(*c));
    }
    std::vector<std::int64_t> changed;
    std::lock_guard lock(mutex_);
    // A policy set_policy or in_force published meanwhile may be newer than what was read
    // here, or older than the mark: keep what is in force and read again at the next call
    // (the mark is left as it was).
    if (published_ != published) return changed;
    for (auto& [id, c] : loaded) {
        auto& kept = policies_[id];
        if (kept && kept->source == c->source) continue;
        kept = std::move(c);
        changed.push_back(id);
    }
    polled_ = **mark;
    return changed;
}

result<dry_run_report> policy_service::dry_run(const std::string& event_slug,
                                               const event_policy& p) {
    auto ev = events_.find_event(event_slug);
    if (!ev) return ev.error();
    auto compiled = compile(p);
    if (!compiled) return compiled.error();
    const compiled_policy& cp = **compiled;
    std::shared_ptr<const event_correction> correction;
    float prior = 0.0f;  // the event's label-free shift in force now (event_prior.hpp)
    if (model_ && corrections_ && p.learn_from_decisions) {
        correction = corrections_->correction_for(ev->id);
        prior = corrections_->prior_shift(ev->id, correction.get());
    }
    static const event_correction none;
    constexpr std::size_t max_samples = 20;
    dry_run_report report;
    model_features features;
    status st = questions_.scan_questions(ev->id, [&](const question& q) {
        // Only verdicts no human has touched would be re-decided by a policy; an inherited
        // verdict is the group's decision, not the thresholds', and an unsure one waits for it.
        if (q.version != 1 || q.verdict.rfind("not scored", 0) == 0 ||
            q.verdict.rfind("inherited:", 0) == 0 || q.verdict.rfind(unsure_marker, 0) == 0)
            return;
        ++report.considered;
        std::vector<word_match> words;
        if (!cp.words->empty())
            if (auto m = cp.words->match(q.text)) words = std::move(m.value());
        corrected_triage t;
        if ((correction && !correction->empty()) || prior != 0.0f) {
            features.clear();
            if (correction && !correction->empty())
                if (auto text = prepare_text(q.text, p.canonical, ev->slug)) model_->features(*text, features);
            t = (correction ? *correction : none)
                    .apply(features, q.scored, cp.source.thresholds, cp.source.premoderate, words,
                           cp.source.narrow_review_band, true, prior);
        } else {
            t.raw = t.final = cp.source.thresholds.evaluate(q.scored, cp.source.premoderate, words);
        }
        if (t.final.status == q.status) return;
        ++report.would_move;
        if (t.moved()) ++report.moved_by_correction;
        ++report.moves[{q.status, t.final.status}];
        if (report.samples.size() < max_samples) {
            std::optional<correction_note> note;
            if (t.delta != 0.0f)
                note = correction_note{t.delta, t.moved() ? std::optional(t.raw.status) : std::nullopt};
            report.samples.push_back({q, t.final.status, t.final.reason, note});
        }
    });
    if (!st) return st;
    return report;
}

}  // namespace tribune
