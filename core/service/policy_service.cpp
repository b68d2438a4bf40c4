#include "core/service/policy_service.hpp"

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

}  // namespace

result<std::shared_ptr<const compiled_policy>> policy_service::compile(const event_policy& p) {
    if (status st = check_thresholds(p.thresholds); !st) return st;
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
    // Another thread may have loaded it meanwhile; keep the first so all agree.
    return policies_.emplace(event_id, *c).first->second;
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
    return p;
}

result<dry_run_report> policy_service::dry_run(const std::string& event_slug,
                                               const event_policy& p) {
    auto ev = events_.find_event(event_slug);
    if (!ev) return ev.error();
    auto compiled = compile(p);
    if (!compiled) return compiled.error();
    const compiled_policy& cp = **compiled;
    constexpr std::size_t max_samples = 20;
    dry_run_report report;
    status st = questions_.scan_questions(ev->id, [&](const question& q) {
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

}  // namespace tribune
