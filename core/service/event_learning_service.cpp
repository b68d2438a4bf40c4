#include "core/service/event_learning_service.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_map>

#include "core/text/prepared_text.hpp"
#include "core/util/wall_clock.hpp"

namespace tribune {
namespace {

constexpr std::size_t report_groups = 2000;  // recent labelled groups whose words are ranked
constexpr std::size_t report_words = 5000;   // distinct words ranked at most
constexpr std::size_t top_word_count = 12;

// The words of a normal form: runs of letters, digits and apostrophes, 2 to 40 bytes.
std::vector<std::string> words_of(const std::string& normal) {
    std::vector<std::string> out;
    std::string w;
    auto flush = [&] {
        if (w.size() >= 2 && w.size() <= 40) out.push_back(w);
        w.clear();
    };
    for (char c : normal) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || u >= 0x80 || c == '\'') w += c;
        else flush();
    }
    flush();
    return out;
}

}  // namespace

event_learning_service::event_learning_service(event_store& events, learning_store& labels,
                                               const classifier& model, policy_service& policies,
                                               options o)
    : events_(events), labels_(labels), model_(model), policies_(policies), options_(o) {}

event_learning_service::~event_learning_service() { stop(); }

status event_learning_service::start() {
    auto all = events_.list_events();
    if (!all) return all.error();
    for (const event_info& e : *all)
        if (status s = refresh(e.id); !s) return s;
    trainer_ = std::thread([this] { trainer_loop(); });
    return status::ok();
}

void event_learning_service::stop() {
    {
        std::lock_guard lock(wake_mutex_);
        if (stopping_) return;
        stopping_ = true;
    }
    wake_.notify_all();
    if (trainer_.joinable()) trainer_.join();
}

std::shared_ptr<const event_correction> event_learning_service::correction_for(
    std::int64_t event_id) const {
    std::lock_guard lock(snapshot_mutex_);
    auto it = snapshots_.find(event_id);
    return it == snapshots_.end() ? nullptr : it->second;
}

bool event_learning_service::prior_applies(const event_correction* c) const {
    return c == nullptr || c->counts().groups() < options_.prior.until_labels;
}

float event_learning_service::observe_prior(std::int64_t event_id, float toxicity,
                                            const event_correction* in_force) const {
    std::lock_guard lock(prior_mutex_);
    event_prior& p = priors_.try_emplace(event_id, options_.prior).first->second;
    p.observe(toxicity);
    return prior_applies(in_force) ? p.shift() : 0.0f;
}

float event_learning_service::prior_shift(std::int64_t event_id, const event_correction* in_force) const {
    if (!prior_applies(in_force)) return 0.0f;
    std::lock_guard lock(prior_mutex_);
    auto it = priors_.find(event_id);
    return it == priors_.end() ? 0.0f : it->second.shift();
}

void event_learning_service::decided(std::int64_t event_id) {
    {
        std::lock_guard lock(wake_mutex_);
        dirty_.insert(event_id);
    }
    wake_.notify_one();
}

void event_learning_service::trainer_loop() {
    // Polls every poll_interval even while decisions keep waking the thread.
    auto next_poll = std::chrono::steady_clock::now() + options_.poll_interval;
    for (;;) {
        std::set<std::int64_t> todo;
        {
            std::unique_lock lock(wake_mutex_);
            wake_.wait_until(lock, next_poll, [&] { return stopping_ || !dirty_.empty(); });
            if (stopping_) return;
            todo.swap(dirty_);
        }
        const auto now = std::chrono::steady_clock::now();
        if (now >= next_poll) {
            next_poll = now + options_.poll_interval;
            // Policies saved through another instance: in force here from now on (the next
            // fit uses them too). A failed read is retried at the next poll.
            (void)policies_.reload_if_changed();
            // Decisions or resets made by another instance: refresh every event when the
            // trail grew or a watermark moved.
            auto mark = labels_.learning_mark();
            if (mark && *mark != polled_) {
                polled_ = *mark;
                if (auto all = events_.list_events())
                    for (const event_info& e : *all) todo.insert(e.id);
            }
        }
        // A failed refresh is retried at the next decision or poll; scoring keeps the
        // correction it has.
        for (std::int64_t id : todo) (void)refresh(id);
    }
}

event_learning_service::event_state& event_learning_service::state_of(std::int64_t event_id) {
    return states_.try_emplace(event_id, options_.learner).first->second;
}

void event_learning_service::apply(event_state& st, const label_decision& d,
                                   const canonical_options& canonical) {
    const bool genuine = d.action == "approve" || d.action == "answer";
    if (!genuine && d.action != "reject") {  // hold, restore, undo: no label any more
        st.learner.remove_label(d.question_id);
        return;
    }
    learning_example ex;
    if (!st.learner.has_example(d.cluster_id)) {
        // The text as ingest scored it: the canonical text under the event's policy now.
        auto text = prepare_text(d.text, canonical, st.slug);
        if (!text) return;  // never for a stored question: it was validated at ingest
        auto c = model_.classify(*text);
        if (!c) return;
        ex.raw = c->values;
        model_.features(*text, ex.features);
        ex.text = text->normal.text;
    }
    st.learner.set_label(d.question_id, d.cluster_id, !genuine, ex);
}

status event_learning_service::refresh(std::int64_t event_id) {
    std::lock_guard lock(refresh_mutex_);
    return refresh_locked(event_id);
}

status event_learning_service::refresh_locked(std::int64_t event_id) {
    event_state& st = state_of(event_id);
    if (st.slug.empty()) {
        auto all = events_.list_events();
        if (!all) return all.error();
        for (const event_info& e : *all)
            if (e.id == event_id) st.slug = e.slug;
    }
    auto pol = policies_.in_force(event_id);
    if (!pol) return pol.error();
    auto reset = labels_.get_learning_reset(event_id);
    if (!reset) return reset.error();
    bool changed = !st.loaded;
    if (!st.loaded || reset->after_decision != st.reset_after) {
        // First load, or a reset (here or on another instance): start again from its watermark.
        st.learner.clear();
        st.reset_after = reset->after_decision;
        st.after = reset->after_decision;
        changed = true;
    }
    for (;;) {
        auto rows = labels_.label_decisions(event_id, st.after, options_.read_batch);
        if (!rows) return rows.error();
        for (const label_decision& d : *rows) {
            apply(st, d, (*pol)->source.canonical);
            st.after = d.decision_id;
            changed = true;
        }
        if (rows->size() < options_.read_batch) break;
    }
    st.loaded = true;
    if (!changed) return status::ok();
    publish(event_id, st.learner.fit((*pol)->source.thresholds));
    return status::ok();
}

void event_learning_service::publish(std::int64_t event_id,
                                     std::shared_ptr<const event_correction> c) {
    std::lock_guard lock(snapshot_mutex_);
    snapshots_[event_id] = std::move(c);
}

std::vector<std::pair<std::string, float>> event_learning_service::top_words(
    const event_state& st, const event_correction& c) const {
    std::vector<std::string> words;
    std::unordered_map<std::string, bool> seen;
    st.learner.recent_examples(report_groups, [&](const learning_example& ex) {
        for (std::string& w : words_of(ex.text))
            if (words.size() < report_words && seen.emplace(w, true).second) words.push_back(std::move(w));
    });
    std::vector<std::pair<std::string, float>> ranked;
    model_features f;
    for (const std::string& w : words) {
        auto text = prepare_text(w);
        if (!text) continue;
        model_.features(*text, f);
        const float shift = c.text_shift(f);
        if (std::fabs(shift) >= 0.01f) ranked.emplace_back(w, shift);
    }
    const std::size_t k = std::min(top_word_count, ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(k), ranked.end(),
                      [](const auto& a, const auto& b) {
                          return std::fabs(a.second) > std::fabs(b.second) ||
                                 (std::fabs(a.second) == std::fabs(b.second) && a.first < b.first);
                      });
    ranked.resize(k);
    return ranked;
}

result<learning_report> event_learning_service::report(const std::string& event_slug) {
    auto ev = events_.find_event(event_slug);
    if (!ev) return ev.error();
    auto pol = policies_.in_force(ev->id);
    if (!pol) return pol.error();
    std::lock_guard lock(refresh_mutex_);
    if (status s = refresh_locked(ev->id); !s) return s;
    const event_state& st = states_.at(ev->id);
    auto c = correction_for(ev->id);
    learning_report r;
    r.enabled = (*pol)->source.learn_from_decisions;
    r.narrowing = (*pol)->source.narrow_review_band;
    r.unsure = (*pol)->source.auto_decide_unsure && (*pol)->source.inherit_group_decisions;
    r.unsure_rule_in_force = calibrated_unsure_rule(options_.unsure, event_correction{}, r.narrowing);
    r.band.reject_at = options_.learner.reject_at;
    r.band.unsure_reject_at = options_.learner.reject_at;
    r.options = options_.learner;
    r.last_decision = st.after;
    if (c) {
        r.counts = c->counts();
        r.bound = c->bound();
        r.band = c->band();
        r.unsure_rule_in_force = calibrated_unsure_rule(options_.unsure, *c, r.narrowing);
        r.top_words = top_words(st, *c);
    }
    r.prior_options = options_.prior;
    r.prior_share = options_.prior.reference_prior;
    {
        std::lock_guard prior_lock(prior_mutex_);
        if (auto it = priors_.find(ev->id); it != priors_.end()) {
            r.prior_share = it->second.estimate();
            r.prior_shift = it->second.shift();
            r.prior_observed = it->second.observed();
        }
    }
    r.prior_in_force = r.enabled && prior_applies(c.get());
    auto reset = labels_.get_learning_reset(ev->id);
    if (!reset) return reset.error();
    if (reset->at != 0) r.reset = *reset;
    return r;
}

result<learning_report> event_learning_service::reset(const std::string& event_slug,
                                                      const std::string& actor) {
    auto ev = events_.find_event(event_slug);
    if (!ev) return ev.error();
    {
        std::lock_guard lock(refresh_mutex_);
        auto last = labels_.last_decision_id();
        if (!last) return last.error();
        const learning_reset r{*last, wall_clock_ms(), actor};
        if (status s = labels_.save_learning_reset(ev->id, r); !s) return s;
        if (status s = refresh_locked(ev->id); !s) return s;
    }
    return report(event_slug);
}

}  // namespace tribune
