// event_learning_sim: the moderated flood OFFLINE, in seconds, to design and tune the per-event
// correction (core/triage/event_learner.hpp) before measuring it on the server with
// bench/moderated_flood. Not a Google Benchmark; results in docs/benchmarks.md.
//
//   event_learning_sim FLOOD.jsonl [--waves 8] [--no-learn] [--no-inherit]
//                      [--group original|canon|post] [--half all|a|b] [--json] [--by-source]
//                      [--kappa K --offset C --l2-text L --l2-inputs L --lr R --epochs N
//                       --bound-max B --bound-half H] [--unsure K --unsure-below F]
//                      [--try "unsure=K unsure_below=A unsure_reject=R unsure_labels=N" ...]
//                      [--try "unsure=K unsure_cal=1 ua_err=A ur_err=R own_rej=0|1" ...]
//                      [--model M.tlm] [--try "review.toxicity=X reject.insult=Y ..."]
//
// --model scores with another model file (default models/toxicity.tlm); review.ATTR / reject.ATTR
// in a --try replace the default policy's lines, so a candidate model is judged with lines
// derived from its own card (core/triage/triage_policy.cpp says how), not the shipped model's.
// It reads a flood from scripts/make-flood and, in arrival order, runs the shipped classifier
// on each question's text as prepare_text() gives it, then the default triage policy with the
// event correction in force (event_correction::apply). After each wave the moderator of
// bench/moderated_flood clears the review queue: one decision per group with members in
// review, by the majority of their gold labels (a tie rejects); each decided question becomes
// a label, and the correction is fitted again. With inheritance on (the default), a question
// joining a group a human decided takes the decision (reject: auto-rejected; approve:
// approved unless the shipped model or policy rejects it), as issue 10 part 2 specifies.
// With --unsure K (or unsure=K in a --try), "auto-decided, unsure" (core/triage/
// unsure_decision.hpp, the function ingest calls): a question in review by a score in an
// undecided group of fewer than K members is decided on the corrected band position, and the
// moderator's later decision on its group covers it. unsure_cal=1: the zones are the
// correction's unsure lines (event_correction.hpp, learned_band; calibrated_unsure_rule), drawn
// with the error limits ua_err / ur_err; as on the server, the correction then does not reject
// on its own (own_rej=1 lets it, own_rej=0 forbids it with the rule off too).
//
// Groups: `original` = the flood's `original` field (what perfect near-duplicate grouping on
// canonical text would give), `canon` = the exact normal form of the text after stripping
// bridge noise here (sim_canonical below), `post` = every post alone. --half a|b keeps the
// posts of the originals whose id hashes even|odd: two floods with disjoint texts, to check
// that settings tuned on one hold on the other.
//
// Leak = hostile questions that ended approved with no human approving them / hostile;
// loss = genuine questions auto-rejected / genuine; decisions per 1,000 questions.

#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/classify/linear_classifier.hpp"
#include "core/classify/question_detector.hpp"
#include "core/text/prepared_text.hpp"
#include "core/triage/event_learner.hpp"
#include "core/triage/event_prior.hpp"
#include "core/triage/triage_policy.hpp"
#include "core/triage/unsure_decision.hpp"

using namespace tribune;

namespace {

struct post {
    std::string text;
    std::string original;
    bool hostile = false;
    std::string kind;
    std::string source;  // the flood's `dataset` and `lang`, e.g. "olid2019/en" (--by-source)
    model_features features;
    classification raw;
    std::string canon;
    float question = -1.0f;  // models/question.tlm's probability (--auc only; -1: not computed)
};

struct settings {
    std::string flood;
    int waves = 8;
    bool learn = true;
    bool inherit = true;
    bool narrow = false;  // --narrow: the calibrated band (event_learner.hpp)
    unsure_rule unsure{0, 0.25f, 0.25f, 100, false};  // --unsure K --unsure-below F: auto-decided, unsure (off: K = 0)
    bool prior = true;  // prior=0|1: the label-free prior shift (event_prior.hpp), as the server
    event_prior_options prior_options;
    int own_rejections = -1;  // own_rej=0|1: whether the correction rejects on its own; -1: as the server, not with unsure
    bool strip_noise = true;
    std::string group = "original";
    std::string half = "all";
    bool json = false;
    bool brief = false;
    bool auc = false;
    bool by_source = false;  // --by-source: decisions, leak and loss per source set and language
    std::string dump;
    float band_lo = -100, band_hi = 100;  // --auc: only texts whose raw margin is in [lo, hi)
    learning_options lo;
    std::vector<std::string> tries;  // "key=value ..." settings, each run in turn
    std::string model = std::string(TRIBUNE_SOURCE_DIR) + "/models/toxicity.tlm";  // --model
    // The triage lines (review.ATTR=X, reject.ATTR=X in --try): a candidate model's own lines.
    triage_policy policy = triage_policy::defaults();
};

bool starts_with(const std::string& s, const char* p) { return s.rfind(p, 0) == 0; }

// A crude stand-in for issue 10 part 1's canonical text, for the simulator only: drops a
// retweet prefix, leading and trailing @mentions and hashtags, links, wrapping quotes, and
// collapses runs of ! and ?.
std::string sim_canonical(const std::string& text) {
    std::vector<std::string> words;
    std::string w;
    for (char c : text + " ") {
        if (c == ' ') {
            if (!w.empty()) words.push_back(w);
            w.clear();
        } else {
            w += c;
        }
    }
    std::size_t b = 0, e = words.size();
    if (b < e && words[b] == "RT") ++b;
    auto noise = [](const std::string& t) {
        return starts_with(t, "@") || starts_with(t, "#") || starts_with(t, "http");
    };
    while (b < e && noise(words[b])) ++b;
    while (e > b && noise(words[e - 1])) --e;
    std::string out;
    for (std::size_t i = b; i < e; ++i) {
        if (starts_with(words[i], "http")) continue;
        if (!out.empty()) out += ' ';
        out += words[i];
    }
    std::string collapsed;
    for (char c : out) {
        const bool mark = c == '!' || c == '?';
        if (mark && !collapsed.empty() && (collapsed.back() == '!' || collapsed.back() == '?')) continue;
        collapsed += c;
    }
    for (const char* q : {"\xe2\x80\x9c", "\xe2\x80\x9d", "\""}) {  // “ ” "
        std::string::size_type p;
        while ((p = collapsed.find(q)) != std::string::npos) collapsed.erase(p, std::strlen(q));
    }
    return collapsed.empty() ? text : collapsed;
}

std::vector<post> load(const settings& s, const linear_classifier& model) {
    std::ifstream in(s.flood);
    if (!in) {
        std::fprintf(stderr, "event_learning_sim: cannot read %s\n", s.flood.c_str());
        std::exit(2);
    }
    std::vector<post> posts;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        auto j = nlohmann::json::parse(line);
        post p;
        p.text = j.at("text").get<std::string>();
        p.original = j.at("original").get<std::string>();
        p.hostile = j.at("label").get<std::string>() == "hostile";
        p.kind = j.value("kind", "?");
        p.source = j.value("dataset", "?") + "/" + j.value("lang", "?");
        if (s.half != "all") {
            const bool even = std::hash<std::string>{}(p.original) % 2 == 0;
            if (even != (s.half == "a")) continue;
        }
        const std::string scored = s.strip_noise ? sim_canonical(p.text) : p.text;
        auto prepared = prepare_text(scored);
        if (!prepared) continue;
        p.canon = prepared->normal.text;
        auto c = model.classify(*prepared);
        if (!c) continue;
        p.raw = std::move(c.value());
        model.features(*prepared, p.features);
        posts.push_back(std::move(p));
    }
    return posts;
}

struct wave_stats {
    int posted = 0, approved = 0, rejected = 0, review = 0, decisions = 0, moved_up = 0,
        moved_down = 0, inherited = 0, unsure = 0, leak = 0, loss = 0, escalated = 0, loss_by_correction = 0;
};

struct group_state {
    int decided = -1;  // -1 none, 1 hostile, 0 genuine
    int decisions = 0;  // the moderator's decisions on the group
    std::uint32_t members = 0;  // questions in the group so far
    std::vector<std::size_t> unsure;  // members decided unsure (unsure_decision.hpp)
};

enum class fate { approved, auto_rejected, review, human_approved, human_rejected };

// --by-source: per source set and language of the flood (its `dataset` and `lang`): posts,
// the moderator's decisions on groups whose first post came from it, leak and loss.
void print_by_source(const std::vector<post>& posts, const std::vector<int>& group_of,
                     const std::vector<fate>& fates, const std::vector<group_state>& groups) {
    struct row { long posts = 0, decisions = 0, hostile = 0, leak = 0, genuine = 0, loss = 0; };
    std::map<std::string, row> rows;
    std::vector<bool> first_seen(posts.size(), false);
    for (std::size_t i = 0; i < posts.size(); ++i) {
        row& r = rows[posts[i].source];
        ++r.posts;
        const auto g = static_cast<std::size_t>(group_of[i]);
        if (!first_seen[g]) {
            first_seen[g] = true;
            r.decisions += groups[g].decisions;
        }
        if (posts[i].hostile) {
            ++r.hostile;
            if (fates[i] == fate::approved) ++r.leak;
        } else {
            ++r.genuine;
            if (fates[i] == fate::auto_rejected) ++r.loss;
        }
    }
    std::printf("source/lang | posts | decisions per 1,000 of its posts | hostile | leak | genuine | loss\n");
    for (const auto& [name, r] : rows)
        std::printf("%s | %ld | %.1f | %ld | %.2f%% | %ld | %.2f%%\n", name.c_str(), r.posts,
                    1000.0 * static_cast<double>(r.decisions) / static_cast<double>(std::max(1L, r.posts)),
                    r.hostile, 100.0 * static_cast<double>(r.leak) / static_cast<double>(std::max(1L, r.hostile)),
                    r.genuine, 100.0 * static_cast<double>(r.loss) / static_cast<double>(std::max(1L, r.genuine)));
}

int simulate(const settings& s, const std::vector<post>& posts, double load_s) {
    const triage_policy& policy = s.policy;

    std::vector<int> group_of(posts.size());
    {
        std::unordered_map<std::string, int> ids;
        for (std::size_t i = 0; i < posts.size(); ++i) {
            const std::string key = s.group == "original" ? posts[i].original
                                    : s.group == "canon"  ? posts[i].canon
                                                          : std::to_string(i);
            group_of[i] = ids.try_emplace(key, static_cast<int>(ids.size())).first->second;
        }
    }
    std::vector<group_state> groups(posts.size());
    std::vector<fate> fates(posts.size(), fate::review);
    event_learner learner(s.lo);
    event_prior prior(s.prior_options);
    // As the server publishes at start: the fit of no labels (no shift; the escalation applies).
    auto correction = s.learn ? learner.fit(policy) : std::make_shared<const event_correction>();
    std::vector<wave_stats> waves;
    const std::size_t per_wave = (posts.size() + static_cast<std::size_t>(s.waves) - 1) / static_cast<std::size_t>(s.waves);
    double fit_s = 0;

    for (std::size_t begin = 0; begin < posts.size(); begin += per_wave) {
        const std::size_t end = std::min(posts.size(), begin + per_wave);
        wave_stats w;
        for (std::size_t i = begin; i < end; ++i) {
            const post& p = posts[i];
            ++w.posted;
            const bool own = s.own_rejections >= 0 ? s.own_rejections == 1 : !(s.inherit && s.unsure.review_at > 0);
            float prior_shift = 0.0f;
            if (s.learn && s.prior) {
                prior.observe(p.raw.values[attribute::toxicity]);
                if (correction->counts().groups() < s.prior_options.until_labels) prior_shift = prior.shift();
            }
            corrected_triage t = correction->apply(p.features, p.raw, policy, false, {}, s.narrow, own, prior_shift);
            question_status st = t.final.status;
            group_state& g = groups[static_cast<std::size_t>(group_of[i])];
            // What ingest_pipeline does: the group's decision, else the correction's escalation.
            question q;
            q.status = st;
            q.scored = p.raw;
            if (t.delta != 0.0f)
                q.correction = correction_note{t.delta, t.moved() ? std::optional(t.raw.status) : std::nullopt};
            if (s.inherit && g.decided >= 0) {
                const bool raw_rejected = t.raw.status == question_status::auto_rejected;
                st = g.decided == 1 ? question_status::auto_rejected
                     : raw_rejected  ? question_status::pending
                                     : question_status::approved;
                ++w.inherited;
            } else if (s.inherit && s.learn && correction->escalates(q, policy, g.members)) {
                st = question_status::pending;
                ++w.escalated;
            } else {
                if (t.moved()) (st == question_status::approved ? w.moved_down : w.moved_up) += 1;
                if (s.inherit && s.unsure.review_at > 0)
                    if (auto u = unsure_verdict(t.final, t.corrected.values, policy, g.members,
                                                correction->counts().groups(),
                                                calibrated_unsure_rule(s.unsure, *correction, s.narrow))) {
                        st = u->status;
                        g.unsure.push_back(i);
                        ++w.unsure;
                    }
            }
            ++g.members;
            if (st == question_status::approved) {
                ++w.approved;
                fates[i] = fate::approved;
                if (p.hostile) ++w.leak;
            } else if (st == question_status::auto_rejected) {
                ++w.rejected;
                fates[i] = fate::auto_rejected;
                if (!p.hostile) ++w.loss;
                if (!p.hostile && t.raw.status != question_status::auto_rejected) ++w.loss_by_correction;
            } else {
                ++w.review;
                fates[i] = fate::review;
            }
        }
        // The moderator clears the queue: every question in review, by group.
        std::map<int, std::vector<std::size_t>> queue;
        for (std::size_t i = 0; i < end; ++i)
            if (fates[i] == fate::review) queue[group_of[i]].push_back(i);
        for (const auto& [gid, members] : queue) {
            int hostile = 0;
            for (std::size_t i : members) hostile += posts[i].hostile ? 1 : 0;
            const bool reject = 2 * hostile >= static_cast<int>(members.size());
            ++w.decisions;
            group_state& g = groups[static_cast<std::size_t>(gid)];
            g.decided = reject ? 1 : 0;
            ++g.decisions;
            // The decision covers the members decided unsure (decision_inheritance.hpp).
            for (std::size_t i : g.unsure) fates[i] = reject ? fate::auto_rejected : fate::approved;
            g.unsure.clear();
            for (std::size_t i : members) {
                fates[i] = reject ? fate::human_rejected : fate::human_approved;
                if (s.learn)
                    learner.set_label(static_cast<std::int64_t>(i), gid, reject,
                                      {posts[i].features, posts[i].raw.values, {}});
            }
        }
        if (s.learn) {
            const auto f0 = std::chrono::steady_clock::now();
            correction = learner.fit(policy);
            fit_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - f0).count();
        }
        waves.push_back(w);
    }

    long hostile = 0, genuine = 0, leak = 0, loss = 0, decisions = 0;
    for (std::size_t i = 0; i < posts.size(); ++i) {
        (posts[i].hostile ? hostile : genuine) += 1;
        if (posts[i].hostile && fates[i] == fate::approved) ++leak;
        if (!posts[i].hostile && fates[i] == fate::auto_rejected) ++loss;
    }
    long loss_by_correction = 0;
    for (const wave_stats& w : waves) decisions += w.decisions, loss_by_correction += w.loss_by_correction;
    const double per_1000 = 1000.0 * static_cast<double>(decisions) / static_cast<double>(posts.size());
    const double leak_pct = 100.0 * static_cast<double>(leak) / static_cast<double>(std::max(1L, hostile));
    const double loss_pct = 100.0 * static_cast<double>(loss) / static_cast<double>(std::max(1L, genuine));
    const label_counts c = learner.counts();
    if (s.json) {
        nlohmann::json out = {{"posts", posts.size()}, {"decisions", decisions},
                              {"per_1000", per_1000}, {"leak_pct", leak_pct}, {"loss_pct", loss_pct},
                              {"bound", correction->bound()}, {"waves", nlohmann::json::array()}};
        for (const wave_stats& w : waves)
            out["waves"].push_back({{"review", w.review}, {"decisions", w.decisions},
                                    {"approved", w.approved}, {"rejected", w.rejected}});
        std::cout << out.dump() << "\n";
        return 0;
    }
    std::printf("flood %s: %zu posts (%ld hostile, %ld genuine); scored in %.1f s, fits took %.2f s\n",
                s.flood.c_str(), posts.size(), hostile, genuine, load_s, fit_s);
    std::printf("learn %s, inherit %s, groups %s, kappa %.2f offset %.2f reject_at %.2f l2 %.0e/%.0e lr %.2f "
                "epochs %d bound %.1f/%.0f escalation %u/%.1f/%.1f\n",
                s.learn ? "on" : "off", s.inherit ? "on" : "off", s.group.c_str(), s.lo.kappa,
                s.lo.offset, s.lo.reject_at, s.lo.l2_text, s.lo.l2_inputs, s.lo.learning_rate, s.lo.epochs,
                s.lo.bound_max, s.lo.bound_half, s.lo.escalation.after_members,
                s.lo.escalation.approve_margin, s.lo.escalation.reject_margin);
    if (!s.brief) {
        std::printf("wave | approved | auto-rej | review | decisions | moved up | moved down | inherited | leak | loss | escalated\n");
        for (std::size_t k = 0; k < waves.size(); ++k) {
            const wave_stats& w = waves[k];
            std::printf("%4zu | %8d | %8d | %6d | %9d | %8d | %10d | %9d | %4d | %4d | %9d\n", k + 1, w.approved,
                        w.rejected, w.review, w.decisions, w.moved_up, w.moved_down, w.inherited, w.leak, w.loss,
                        w.escalated);
        }
    } else {
        std::printf("per wave:");
        for (const wave_stats& w : waves) std::printf(" %d", w.decisions);
        std::printf("\n");
    }
    std::printf("loss by the correction or inheritance %.2f%%\n", 100.0 * static_cast<double>(loss_by_correction) / static_cast<double>(std::max(1L, genuine)));
    std::printf("decisions %ld = %.1f per 1,000; leak %.2f%% (%ld); loss %.2f%% (%ld); labels %lld hostile + %lld genuine groups; bound %.2f\n",
                decisions, per_1000, leak_pct, leak, loss_pct, loss,
                static_cast<long long>(c.hostile_groups), static_cast<long long>(c.genuine_groups),
                static_cast<double>(correction->bound()));
    const learned_band& b = correction->band();
    std::printf("band [%.2f, %.2f) of [0, %.2f)%s: approve error %.3f on %lld, reject error %.3f on %lld held-out groups\n",
                static_cast<double>(b.approve_at), static_cast<double>(b.reject_at), static_cast<double>(s.lo.reject_at),
                b.narrowed ? " narrowed" : "", static_cast<double>(b.approve_error),
                static_cast<long long>(b.approve_checked), static_cast<double>(b.reject_error),
                static_cast<long long>(b.reject_checked));
    if (s.unsure.calibrated)
        std::printf("unsure lines [%.2f, %.2f): approve error %.3f on %lld, reject error %.3f on %lld held-out groups; unsure decided %d\n",
                    static_cast<double>(b.unsure_approve_at), static_cast<double>(b.unsure_reject_at),
                    static_cast<double>(b.unsure_approve_error), static_cast<long long>(b.unsure_approve_checked),
                    static_cast<double>(b.unsure_reject_error), static_cast<long long>(b.unsure_reject_checked),
                    [&] { int n = 0; for (const wave_stats& w : waves) n += w.unsure; return n; }());
    if (s.by_source) print_by_source(posts, group_of, fates, groups);
    return 0;
}

// Applies "key=value key=value" to a copy of the settings.
bool apply_try(const std::string& spec, settings& s) {
    std::size_t pos = 0;
    while (pos < spec.size()) {
        std::size_t end = spec.find(' ', pos);
        if (end == std::string::npos) end = spec.size();
        const std::string kv = spec.substr(pos, end - pos);
        pos = end + 1;
        if (kv.empty()) continue;
        const auto eq = kv.find('=');
        if (eq == std::string::npos) return false;
        const std::string k = kv.substr(0, eq), v = kv.substr(eq + 1);
        if (k == "kappa") s.lo.kappa = std::stof(v);
        else if (k == "offset") s.lo.offset = std::stof(v);
        else if (k == "l2_text") s.lo.l2_text = std::stof(v);
        else if (k == "l2_inputs") s.lo.l2_inputs = std::stof(v);
        else if (k == "lr") s.lo.learning_rate = std::stof(v);
        else if (k == "epochs") s.lo.epochs = std::stoi(v);
        else if (k == "reject_at") s.lo.reject_at = std::stof(v);
        else if (k == "min_groups") s.lo.min_groups = static_cast<std::uint32_t>(std::stoul(v));
        else if (k == "bound_max") s.lo.bound_max = std::stof(v);
        else if (k == "bound_half") s.lo.bound_half = std::stof(v);
        else if (k == "learn") s.learn = v == "1";
        else if (k == "approve_error") s.lo.band.approve_error = std::stof(v);
        else if (k == "reject_error") s.lo.band.reject_error = std::stof(v);
        else if (k == "min_checked") s.lo.band.min_checked = std::stoll(v);
        else if (k == "min_labels") s.lo.band.min_labels = std::stoll(v);
        else if (k == "narrow") s.narrow = v == "1";
        else if (k == "esc_k") s.lo.escalation.after_members = static_cast<std::uint32_t>(std::stoul(v));
        else if (k == "esc_lo") s.lo.escalation.approve_margin = std::stof(v);
        else if (k == "esc_hi") s.lo.escalation.reject_margin = std::stof(v);
        else if (k == "inherit") s.inherit = v == "1";
        else if (k == "prior") s.prior = v == "1";
        else if (k == "prior_max") s.prior_options.max_shift = std::stof(v);
        else if (k == "prior_window") s.prior_options.window = static_cast<std::uint32_t>(std::stoul(v));
        else if (k == "unsure") s.unsure.review_at = static_cast<std::uint32_t>(std::stoul(v));
        else if (k == "unsure_below") s.unsure.approve_below = std::stof(v);
        else if (k == "unsure_reject") s.unsure.reject_from = std::stof(v);
        else if (k == "unsure_cal") s.unsure.calibrated = v == "1";
        else if (k == "ua_err") s.lo.band.unsure_approve_error = std::stof(v);
        else if (k == "ur_err") s.lo.band.unsure_reject_error = std::stof(v);
        else if (k == "own_rej") s.own_rejections = std::stoi(v);
        else if (k == "unsure_labels") s.unsure.min_labels = std::stoll(v);
        else if (starts_with(k, "review.") || starts_with(k, "reject.")) {
            const auto a = attribute_from_string(k.substr(7));
            if (!a) return false;
            (k[2] == 'v' ? s.policy.at(*a).review_above : s.policy.at(*a).reject_above) = std::stof(v);
        }
        else return false;
    }
    return true;
}

// ROC AUC of `score` for telling hostile from genuine over the given items.
double auc(std::vector<std::pair<float, bool>> v) {
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    double rank_sum = 0, pos = 0;
    for (std::size_t i = 0; i < v.size();) {
        std::size_t j = i;
        while (j < v.size() && v[j].first == v[i].first) ++j;
        const double mid = (static_cast<double>(i) + static_cast<double>(j) + 1) / 2;
        for (std::size_t k = i; k < j; ++k)
            if (v[k].second) rank_sum += mid, pos += 1;
        i = j;
    }
    const double neg = static_cast<double>(v.size()) - pos;
    return (rank_sum - pos * (pos + 1) / 2) / (pos * neg);
}

// How well the correction can separate at best: fit on every text of one half of the
// originals (one example each, no selection by the review band), measure on the other half.
int discrimination(const settings& s, const std::vector<post>& posts) {
    const triage_policy& policy = s.policy;
    std::unordered_map<std::string, std::size_t> first;
    for (std::size_t i = 0; i < posts.size(); ++i) first.try_emplace(posts[i].original, i);
    event_learner learner(s.lo);
    std::vector<std::size_t> test;
    auto in_band = [&](std::size_t i) {
        const float m = event_correction::review_margin(posts[i].raw.values, policy);
        return m >= s.band_lo && m < s.band_hi;
    };
    for (const auto& [orig, i] : first) {
        if (!in_band(i)) continue;
        if (std::hash<std::string>{}(orig) % 2 == 0)
            learner.set_label(static_cast<std::int64_t>(i), static_cast<std::int64_t>(i), posts[i].hostile,
                              {posts[i].features, posts[i].raw.values, {}});
        else
            test.push_back(i);
    }
    auto c = learner.fit(policy);
    std::vector<std::pair<float, bool>> raw, corrected, train_raw, train_corrected;
    for (const auto& [orig, i] : first) {
        if (std::hash<std::string>{}(orig) % 2 != 0 || !in_band(i)) continue;
        const float m = event_correction::review_margin(posts[i].raw.values, policy);
        train_raw.emplace_back(m, posts[i].hostile);
        train_corrected.emplace_back(m + c->learned_shift(posts[i].features, posts[i].raw.values, policy), posts[i].hostile);
    }
    std::printf("AUC on training texts: raw %.4f, corrected %.4f\n", auc(train_raw), auc(train_corrected));
    for (std::size_t i : test) {
        const float m = event_correction::review_margin(posts[i].raw.values, policy);
        raw.emplace_back(m, posts[i].hostile);
        corrected.emplace_back(m + c->learned_shift(posts[i].features, posts[i].raw.values, policy), posts[i].hostile);
    }
    std::printf("texts: train %zu, test %zu; AUC on test texts: raw margin %.4f, corrected %.4f (bound %.2f)\n",
                first.size() - test.size(), test.size(), auc(raw), auc(corrected), static_cast<double>(c->bound()));
    // Nearest labelled neighbours in the model's feature space (cosine over the hashed
    // features): does a test text's k most similar training texts' label add to the correction?
    std::vector<std::size_t> train;
    for (const auto& [orig, i] : first)
        if (std::hash<std::string>{}(orig) % 2 == 0 && in_band(i)) train.push_back(i);
    std::unordered_map<std::uint32_t, std::vector<std::pair<std::uint32_t, float>>> postings;
    std::vector<float> norm(train.size());
    for (std::uint32_t t = 0; t < train.size(); ++t) {
        const model_features& f = posts[train[t]].features;
        double n2 = 0;
        for (std::size_t k = 0; k < f.ids.size(); ++k) {
            postings[f.ids[k]].emplace_back(t, f.values[k]);
            n2 += static_cast<double>(f.values[k]) * f.values[k];
        }
        norm[t] = static_cast<float>(std::sqrt(n2));
    }
    const int ks[] = {5, 20};
    for (const int kn : ks) {
        std::vector<std::pair<float, bool>> knn, mixed[3];
        std::vector<float> dot(train.size());
        std::vector<std::uint32_t> touched;
        double top_sim_sum = 0;
        for (std::size_t i : test) {
            const model_features& f = posts[i].features;
            double n2 = 0;
            for (std::size_t k = 0; k < f.ids.size(); ++k) {
                n2 += static_cast<double>(f.values[k]) * f.values[k];
                auto it = postings.find(f.ids[k]);
                if (it == postings.end()) continue;
                for (const auto& [t, v] : it->second) {
                    if (dot[t] == 0.0f) touched.push_back(t);
                    dot[t] += v * f.values[k];
                }
            }
            const float ni = static_cast<float>(std::sqrt(n2));
            std::vector<std::pair<float, std::uint32_t>> sims;
            for (std::uint32_t t : touched) {
                sims.emplace_back(dot[t] / (ni * norm[t] + 1e-9f), t);
                dot[t] = 0.0f;
            }
            touched.clear();
            const std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(kn), sims.size());
            std::partial_sort(sims.begin(), sims.begin() + static_cast<std::ptrdiff_t>(n), sims.end(),
                              [](const auto& a, const auto& b) { return a.first > b.first; });
            double h = 1, w = 2;  // (hostile + 1) / (n + 2), similarity-weighted
            for (std::size_t k = 0; k < n; ++k) {
                w += sims[k].first;
                if (posts[train[sims[k].second]].hostile) h += sims[k].first;
            }
            if (n > 0) top_sim_sum += sims[0].first;
            const float p = static_cast<float>(h / w);
            knn.emplace_back(p, posts[i].hostile);
            const float m = event_correction::review_margin(posts[i].raw.values, policy) +
                            c->learned_shift(posts[i].features, posts[i].raw.values, policy);
            const float lp = std::log(p / (1 - p));
            const float betas[3] = {0.5f, 1.0f, 2.0f};
            for (int b = 0; b < 3; ++b) mixed[b].emplace_back(m + betas[b] * lp, posts[i].hostile);
        }
        std::printf("k=%d nearest labelled neighbours (cosine, mean top similarity %.3f): AUC %.4f; corrected + "
                    "0.5/1/2 x logit: %.4f %.4f %.4f\n",
                    kn, top_sim_sum / std::max<std::size_t>(1, test.size()), auc(knn), auc(mixed[0]), auc(mixed[1]),
                    auc(mixed[2]));
    }
    // The question detector (models/question.tlm): does "is it a question" add to the correction?
    auto qd = question_detector::load(std::string(TRIBUNE_SOURCE_DIR) + "/models/question.tlm");
    if (qd) {
        std::vector<std::pair<float, bool>> alone, mixed[3];
        for (std::size_t i : test) {
            auto prepared = prepare_text(s.strip_noise ? sim_canonical(posts[i].text) : posts[i].text);
            if (!prepared) continue;
            const float q = std::clamp((*qd)->question_probability(*prepared), 1e-4f, 1.0f - 1e-4f);
            alone.emplace_back(-q, posts[i].hostile);
            const float m = event_correction::review_margin(posts[i].raw.values, policy) +
                            c->learned_shift(posts[i].features, posts[i].raw.values, policy);
            const float betas[3] = {0.25f, 0.5f, 1.0f};
            for (int b = 0; b < 3; ++b) mixed[b].emplace_back(m - betas[b] * std::log(q / (1 - q)), posts[i].hostile);
        }
        std::printf("question probability: AUC %.4f (lower = hostile); corrected - 0.25/0.5/1 x logit: %.4f %.4f %.4f\n",
                    auc(alone), auc(mixed[0]), auc(mixed[1]), auc(mixed[2]));
    }
    return 0;
}

int run(const settings& s) {
    auto model = linear_classifier::load(s.model);
    if (!model) {
        std::fprintf(stderr, "event_learning_sim: %s\n", model.error().message().c_str());
        return 2;
    }
    const auto t0 = std::chrono::steady_clock::now();
    const std::vector<post> posts = load(s, **model);
    const double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (s.auc) return discrimination(s, posts);
    if (!s.dump.empty()) {  // one line per post: original, hostile, raw review margin, six scores
        std::ofstream out(s.dump);
        const triage_policy& policy = s.policy;
        for (const post& p : posts) {
            out << p.original << ' ' << p.hostile << ' ' << event_correction::review_margin(p.raw.values, policy);
            for (float v : p.raw.values.values) out << ' ' << v;
            out << ' ' << p.kind << '\n';
        }
        return 0;
    }
    if (s.tries.empty()) return simulate(s, posts, load_s);
    for (const std::string& t : s.tries) {
        settings each = s;
        if (!apply_try(t, each)) {
            std::fprintf(stderr, "event_learning_sim: bad --try '%s'\n", t.c_str());
            return 2;
        }
        std::printf("--try '%s'\n", t.c_str());
        if (int rc = simulate(each, posts, load_s); rc != 0) return rc;
    }
    return 0;
}

bool parse(int argc, char** argv, settings& s) {
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : ""; };
        if (a == "--waves") s.waves = std::atoi(next());
        else if (a == "--no-learn") s.learn = false;
        else if (a == "--no-inherit") s.inherit = false;
        else if (a == "--narrow") s.narrow = true;
        else if (a == "--unsure") s.unsure.review_at = static_cast<std::uint32_t>(std::stoul(next()));
        else if (a == "--unsure-below") s.unsure.approve_below = std::stof(next());
        else if (a == "--raw-text") s.strip_noise = false;
        else if (a == "--group") s.group = next();
        else if (a == "--half") s.half = next();
        else if (a == "--json") s.json = true;
        else if (a == "--brief") s.brief = true;
        else if (a == "--auc") s.auc = true;
        else if (a == "--by-source") s.by_source = true;
        else if (a == "--dump") s.dump = next();
        else if (a == "--band") {
            s.band_lo = std::stof(next());
            s.band_hi = std::stof(next());
        }
        else if (a == "--try") s.tries.push_back(next());
        else if (a == "--model") s.model = next();
        else if (a == "--kappa") s.lo.kappa = std::stof(next());
        else if (a == "--offset") s.lo.offset = std::stof(next());
        else if (a == "--l2-text") s.lo.l2_text = std::stof(next());
        else if (a == "--l2-inputs") s.lo.l2_inputs = std::stof(next());
        else if (a == "--lr") s.lo.learning_rate = std::stof(next());
        else if (a == "--epochs") s.lo.epochs = std::atoi(next());
        else if (a == "--bound-max") s.lo.bound_max = std::stof(next());
        else if (a == "--bound-half") s.lo.bound_half = std::stof(next());
        else if (a == "--min-groups") s.lo.min_groups = static_cast<std::uint32_t>(std::stoul(next()));
        else if (!a.empty() && a[0] != '-' && s.flood.empty()) s.flood = a;
        else return false;
    }
    return !s.flood.empty() && s.waves > 0;
}

}  // namespace

int main(int argc, char** argv) {
    settings s;
    if (!parse(argc, argv, s)) {
        std::fprintf(stderr, "usage: event_learning_sim FLOOD.jsonl [--waves N] [--no-learn] [--no-inherit] "
                             "[--raw-text] [--group original|canon|post] [--half all|a|b] [--json] "
                             "[--kappa K] [--offset C] [--l2-text L] [--l2-inputs L] [--lr R] [--epochs N] "
                             "[--bound-max B] [--bound-half H] [--model M.tlm] [--try \"key=value ...\"]...\n");
        return 2;
    }
    return run(s);
}
