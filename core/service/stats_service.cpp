#include "core/service/stats_service.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "core/store/store_rules.hpp"
#include "core/text/topic_words.hpp"

namespace tribune {
namespace {

std::size_t status_index(question_status s) {
    for (std::size_t i = 0; i < status_count; ++i)
        if (all_statuses[i] == s) return i;
    return 0;
}

bool is_rejected(question_status s) {
    return s == question_status::rejected || s == question_status::auto_rejected;
}

struct bucket_tally {
    std::array<std::int64_t, status_count> by_status{};
    std::array<double, attribute_count> sum{};
    std::array<std::int64_t, attribute_count> over{};
    std::int64_t questions = 0;
};

struct group_visibility {
    std::int64_t size = 0;
    std::int64_t visible = 0;
    std::int64_t first_visible = 0;
};

struct word_tally {
    std::int64_t rejected = 0;
    std::int64_t approved = 0;
};

// Everything one scan gathers.
struct tally {
    std::map<std::int64_t, bucket_tally> buckets;  // by bucket index
    std::unordered_map<std::int64_t, group_visibility> groups;
    std::unordered_map<std::string, word_tally> words;
    std::map<std::string, std::int64_t> languages;
    double rejected_words = 0;
    double approved_words = 0;
};

void count_question(const stats_query& sq, const question& q, event_stats& out, tally& t) {
    const bool visible = !sq.public_only || is_public(q.status);
    group_visibility& g = t.groups[q.cluster_id];
    ++g.size;
    if (!visible) return;
    if (g.visible++ == 0) g.first_visible = q.id;

    ++out.total;
    const std::size_t si = status_index(q.status);
    ++out.by_status[si];
    // floor division, so a (theoretical) time before 1970 still lands in its bucket
    std::int64_t index = q.created_at / sq.bucket_ms;
    if (q.created_at < 0 && q.created_at % sq.bucket_ms != 0) --index;
    bucket_tally& b = t.buckets[index];
    ++b.by_status[si];
    ++b.questions;
    for (std::size_t a = 0; a < attribute_count; ++a) {
        const float v = q.scored.values.values[a];
        b.sum[a] += v;
        if (v >= sq.threshold) ++b.over[a];
    }
    ++t.languages[q.scored.lang.empty() ? std::string("und") : q.scored.lang];

    if (!sq.with_words) return;
    const bool rejected = is_rejected(q.status);
    if (!rejected && !is_public(q.status)) return;
    for (std::string& w : topic_words(q.text)) {
        word_tally& wt = t.words[std::move(w)];
        if (rejected) {
            ++wt.rejected;
            ++t.rejected_words;
        } else {
            ++wt.approved;
            ++t.approved_words;
        }
    }
}

void fill_buckets(const stats_query& sq, const tally& t, event_stats& out) {
    if (t.buckets.empty()) return;
    const std::int64_t last = t.buckets.rbegin()->first;
    const std::int64_t first = std::max(t.buckets.begin()->first,
                                        last - static_cast<std::int64_t>(stats_service::max_buckets) + 1);
    out.first_bucket_start = first * sq.bucket_ms;
    auto it = t.buckets.lower_bound(first);
    for (std::int64_t i = first; i <= last; ++i) {
        arrival_bucket a;
        attribute_bucket s;
        a.start = s.start = i * sq.bucket_ms;
        if (it != t.buckets.end() && it->first == i) {
            const bucket_tally& b = it->second;
            a.by_status = b.by_status;
            s.questions = b.questions;
            s.over = b.over;
            for (std::size_t k = 0; k < attribute_count; ++k)
                s.mean[k] = b.sum[k] / static_cast<double>(b.questions);
            ++it;
        }
        out.arrivals.push_back(a);
        if (sq.with_scores) out.attributes.push_back(s);
    }
}

void fill_words(const stats_query& sq, const tally& t, event_stats& out) {
    if (!sq.with_words || t.rejected_words == 0 || t.approved_words == 0) return;
    std::vector<word_stat> all;
    for (const auto& [word, c] : t.words)
        if (c.rejected + c.approved >= stats_service::min_word_count)
            all.push_back(stats_service::separation(word, c.rejected, c.approved,
                                                    t.rejected_words, t.approved_words));
    const auto take = [&](std::vector<word_stat>& into, auto better, auto keep) {
        std::vector<word_stat> side;
        for (const word_stat& w : all)
            if (keep(w)) side.push_back(w);
        const std::size_t n = std::min(sq.top_words, side.size());
        std::partial_sort(side.begin(), side.begin() + static_cast<std::ptrdiff_t>(n), side.end(),
                          better);
        side.resize(n);
        into = std::move(side);
    };
    take(
        out.words_rejected,
        [](const word_stat& a, const word_stat& b) { return a.z != b.z ? a.z > b.z : a.word < b.word; },
        [](const word_stat& w) { return w.z > 0; });
    take(
        out.words_approved,
        [](const word_stat& a, const word_stat& b) { return a.z != b.z ? a.z < b.z : a.word < b.word; },
        [](const word_stat& w) { return w.z < 0; });
}

status fill_groups(const stats_query& sq, const tally& t, question_store& questions,
                   event_stats& out) {
    std::vector<group_stat> all;
    for (const auto& [cluster, g] : t.groups) {
        if (g.visible == 0) continue;
        group_stat s;
        s.cluster_id = cluster;
        s.size = g.size;
        s.visible = g.visible;
        s.shown = question{};
        s.shown->id = g.first_visible;
        all.push_back(std::move(s));
    }
    const std::size_t n = std::min(sq.top_groups, all.size());
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n), all.end(),
                      [](const group_stat& a, const group_stat& b) {
                          return a.size != b.size ? a.size > b.size : a.cluster_id < b.cluster_id;
                      });
    all.resize(n);
    for (group_stat& g : all) {
        auto q = questions.get_question(g.shown->id);
        if (!q) return q.error();
        // Taken back by a moderator since the scan: shown without a question.
        if (sq.public_only && !is_public(q->status)) g.shown.reset();
        else g.shown = std::move(*q);
    }
    out.groups = std::move(all);
    return status::ok();
}

}  // namespace

std::int64_t arrival_bucket::total() const {
    std::int64_t n = 0;
    for (std::int64_t v : by_status) n += v;
    return n;
}

word_stat stats_service::separation(std::string word, std::int64_t y_rejected,
                                    std::int64_t y_approved, double n_rejected,
                                    double n_approved) {
    const double yr = static_cast<double>(y_rejected);
    const double ya = static_cast<double>(y_approved);
    const double a0 = prior_strength;
    const double aw = a0 * (yr + ya) / (n_rejected + n_approved);
    word_stat w;
    w.word = std::move(word);
    w.rejected = y_rejected;
    w.approved = y_approved;
    w.log_odds = std::log((yr + aw) / (n_rejected + a0 - yr - aw)) -
                 std::log((ya + aw) / (n_approved + a0 - ya - aw));
    w.z = w.log_odds / std::sqrt(1.0 / (yr + aw) + 1.0 / (ya + aw));
    return w;
}

result<event_stats> stats_service::compute(const stats_query& sq) {
    if (sq.bucket_ms < min_bucket_ms || sq.bucket_ms > max_bucket_ms)
        return invalid("invalid_bucket", "bucket must be from 1s to 86400s (e.g. 60s, 5m, 1h)");
    auto ev = events_.find_event(sq.event_slug);
    if (!ev) return ev.error();
    event_stats out;
    out.bucket_ms = sq.bucket_ms;
    out.threshold = sq.threshold;
    tally t;
    status scanned = questions_.scan_questions(
        ev->id, [&](const question& q) { count_question(sq, q, out, t); });
    if (!scanned) return scanned;
    fill_buckets(sq, t, out);
    fill_words(sq, t, out);
    for (const auto& [lang, n] : t.languages) out.languages.push_back({lang, n});
    std::stable_sort(out.languages.begin(), out.languages.end(),
                     [](const language_stat& a, const language_stat& b) {
                         return a.questions > b.questions;
                     });
    if (status g = fill_groups(sq, t, questions_, out); !g) return g;
    return out;
}

}  // namespace tribune
