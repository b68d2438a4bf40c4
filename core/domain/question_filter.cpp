#include "core/domain/question_filter.hpp"

#include <algorithm>
#include <cmath>

#include "core/text/text_normalizer.hpp"

namespace tribune {
namespace {

// Splits normalised text into words of letters and digits (ASCII and beyond).
std::vector<std::string> words_of(const std::string& normalised) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : normalised) {
        unsigned char u = static_cast<unsigned char>(c);
        bool word = (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u >= 0x80 || c == '*';
        if (word) {
            cur.push_back(c);
        } else if (!cur.empty()) {
            out.push_back(std::move(cur));
            cur.clear();
        }
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    return out;
}

}  // namespace

std::optional<question_sort> sort_from_string(const std::string& s) {
    if (s == "newest") return question_sort::newest;
    if (s == "oldest" || s == "age") return question_sort::oldest;
    if (s == "severity") return question_sort::severity;
    if (s == "votes") return question_sort::votes;
    if (s == "impact") return question_sort::impact;
    return std::nullopt;
}

const char* to_string(question_sort s) {
    switch (s) {
        case question_sort::newest: return "newest";
        case question_sort::oldest: return "oldest";
        case question_sort::severity: return "severity";
        case question_sort::votes: return "votes";
        case question_sort::impact: return "impact";
    }
    return "newest";
}

float severity_of(const question& q) {
    return *std::max_element(q.scored.values.values.begin(), q.scored.values.values.end());
}

std::int64_t severity_milli(const question& q) {
    return static_cast<std::int64_t>(std::lround(severity_of(q) * 1000.0f));
}

std::vector<std::string> search_terms(const std::string& search) {
    auto n = normalize(search);
    if (!n) return {};
    std::vector<std::string> out;
    // A trailing '*' on a word asks for a prefix match; keep it as the word's last char.
    for (std::string& w : words_of(n->text)) {
        bool prefix = w.size() > 1 && w.back() == '*';
        w.erase(std::remove(w.begin(), w.end(), '*'), w.end());
        if (w.empty()) continue;
        if (prefix) w.push_back('*');
        out.push_back(std::move(w));
    }
    return out;
}

bool matches(const question_filter& f, const question& q) {
    if (!f.statuses.empty() &&
        std::find(f.statuses.begin(), f.statuses.end(), q.status) == f.statuses.end())
        return false;
    if (f.score_attr) {
        float s = q.scored.values[*f.score_attr];
        if (s < f.min_score || s > f.max_score) return false;
    }
    if (f.lang && q.scored.lang != *f.lang) return false;
    if (f.author && q.author != *f.author) return false;
    if (f.source && q.source != *f.source) return false;
    if (f.cluster && q.cluster_id != *f.cluster) return false;
    if (!f.search.empty()) {
        auto terms = search_terms(f.search);
        if (terms.empty()) return true;
        auto n = normalize(q.text);
        if (!n) return false;
        auto words = words_of(n->text);
        for (const std::string& t : terms) {
            const bool prefix = t.back() == '*';
            const std::string_view stem = prefix ? std::string_view(t).substr(0, t.size() - 1) : t;
            bool found = std::any_of(words.begin(), words.end(), [&](const std::string& w) {
                return prefix ? w.compare(0, stem.size(), stem) == 0 : w == stem;
            });
            if (!found) return false;
        }
    }
    return true;
}

}  // namespace tribune
