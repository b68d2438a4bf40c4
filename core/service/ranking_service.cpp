#include "core/service/ranking_service.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "core/store/store_rules.hpp"
#include "core/text/topic_words.hpp"

namespace tribune {
namespace {

constexpr std::size_t scan_page = 500;

// One group of near-duplicates as the scan meets its public questions (oldest first).
struct group_tally {
    std::int64_t first_id = 0;
    std::int64_t votes = 0;
    std::int64_t asked = 1;
    std::int64_t members = 0;
    bool answered = false;
    timestamp_ms newest = 0;
};

status check_query(const ranking_query& q) {
    if (q.limit < 1 || q.limit > ranking_service::max_limit)
        return invalid("invalid_limit", "limit must be an integer from 1 to " +
                                            std::to_string(ranking_service::max_limit));
    const rank_weights& w = q.weights;
    for (double v : {w.votes, w.group, w.recency})
        if (!(v >= 0.0 && v <= 100.0))
            return invalid("invalid_field", "weights must be numbers from 0 to 100");
    if (!(w.half_life_minutes >= 1.0 && w.half_life_minutes <= 10080.0))
        return invalid("invalid_field", "half_life must be from 1 to 10080 minutes");
    return status::ok();
}

std::vector<topic_count> top_topics(const std::map<std::string, std::int64_t>& counts) {
    std::vector<topic_count> all;
    for (const auto& [word, n] : counts)
        if (n >= 2) all.push_back({word, n});
    std::sort(all.begin(), all.end(), [](const topic_count& a, const topic_count& b) {
        return a.questions != b.questions ? a.questions > b.questions : a.word < b.word;
    });
    if (all.size() > ranking_service::max_topics) all.resize(ranking_service::max_topics);
    return all;
}

}  // namespace

rank_parts ranking_service::score(const rank_weights& w, std::int64_t votes, std::int64_t asked,
                                  double age_minutes) {
    rank_parts p;
    p.votes = w.votes * std::log1p(static_cast<double>(std::max<std::int64_t>(0, votes)));
    p.group = w.group * std::log(static_cast<double>(std::max<std::int64_t>(1, asked)));
    p.recency = w.recency * std::exp2(-std::max(0.0, age_minutes) / w.half_life_minutes);
    return p;
}

result<ranking> ranking_service::rank(const ranking_query& rq) {
    if (status s = check_query(rq); !s) return s;
    question_query page;
    page.event_slug = rq.event_slug;
    page.filter.statuses = {question_status::approved, question_status::answered};
    page.filter.lang = rq.lang;
    page.filter.search = rq.search;
    page.sort = question_sort::oldest;
    page.limit = scan_page;

    ranking out;
    std::unordered_map<std::int64_t, group_tally> groups;
    std::map<std::string, std::int64_t> topics;
    for (;;) {
        auto got = questions_.list_questions(page);
        if (!got) return got.error();
        for (const question& q : got->items) {
            if (rq.questions_only && q.question_probability &&
                *q.question_probability < question_threshold) {
                ++out.hidden_not_questions;
                continue;
            }
            for (std::string& w : topic_words(q.text)) ++topics[std::move(w)];
            group_tally& g = groups[q.cluster_id];
            if (g.members++ == 0) g.first_id = q.id;
            g.votes += q.votes;
            g.asked = std::max(g.asked, q.cluster_size);
            g.answered = g.answered || q.status == question_status::answered;
            g.newest = std::max(g.newest, q.created_at);
        }
        if (!got->next) break;
        page.after = got->next;
    }

    std::vector<ranked_question> scored;
    scored.reserve(groups.size());
    for (const auto& [cluster, g] : groups) {
        if (g.answered && !rq.include_answered) continue;
        ranked_question r;
        r.q.id = g.first_id;
        r.votes = g.votes;
        r.asked = g.asked;
        r.public_members = g.members;
        r.answered = g.answered;
        r.age_minutes = static_cast<double>(rq.now - g.newest) / 60000.0;
        r.parts = score(rq.weights, r.votes, r.asked, r.age_minutes);
        r.score = r.parts.score();
        scored.push_back(std::move(r));
    }
    out.groups = scored.size();
    const auto better = [](const ranked_question& a, const ranked_question& b) {
        return a.score != b.score ? a.score > b.score : a.q.id < b.q.id;
    };
    const std::size_t top = std::min(rq.limit, scored.size());
    std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(top),
                      scored.end(), better);
    scored.resize(top);
    for (ranked_question& r : scored) {
        auto q = questions_.get_question(r.q.id);
        if (!q) return q.error();
        // Taken back by a moderator since the scan: it is not shown.
        if (!is_public(q->status)) continue;
        r.q = std::move(*q);
        out.items.push_back(std::move(r));
    }
    out.topics = top_topics(topics);
    return out;
}

}  // namespace tribune
