#include "server/http/route_table.hpp"

#include <algorithm>
#include <stdexcept>

namespace tribune::server {

namespace http = boost::beast::http;

const std::string& route_params::operator[](std::string_view name) const {
    for (const auto& [n, v] : values_)
        if (n == name) return v;
    throw std::logic_error("route parameter '" + std::string(name) + "' is not in the pattern");
}

bool route_match::admits_anonymous() const {
    for (const route* r : routes)
        if (r->access.admits_anonymous()) return true;
    return false;
}

std::optional<std::string> route_table::compile(const std::string& pattern,
                                                std::vector<segment>& out) {
    if (pattern.empty() || pattern.front() != '/') return "a pattern starts with '/'";
    std::size_t pos = 1;
    while (pos < pattern.size()) {
        std::size_t next = pattern.find('/', pos);
        if (next == std::string::npos) next = pattern.size();
        const std::string text = pattern.substr(pos, next - pos);
        pos = next + 1;
        if (text.empty()) return "empty segment";
        if (!out.empty() && out.back().k == segment::kind::rest)
            return "a rest parameter {name...} must be the last segment";
        segment s;
        if (text.front() == '{') {
            if (text.back() != '}' || text.size() < 3) return "unclosed parameter '" + text + "'";
            s.text = text.substr(1, text.size() - 2);
            s.k = segment::kind::param;
            if (s.text.size() > 3 && s.text.ends_with("...")) {
                s.text.resize(s.text.size() - 3);
                s.k = segment::kind::rest;
            }
            for (const segment& earlier : out)
                if (earlier.k != segment::kind::literal && earlier.text == s.text)
                    return "parameter '" + s.text + "' named twice";
        } else {
            s.text = text;
        }
        if (s.text.find_first_of("{}") != std::string::npos)
            return "braces inside segment '" + text + "'";
        out.push_back(std::move(s));
    }
    return std::nullopt;
}

bool route_table::names_param(const std::vector<segment>& pattern, std::string_view name) {
    for (const segment& s : pattern)
        if (s.k == segment::kind::param && s.text == name) return true;
    return false;
}

bool route_table::same_shape(const std::vector<segment>& a, const std::vector<segment>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].k != b[i].k) return false;
        if (a[i].k == segment::kind::literal && a[i].text != b[i].text) return false;
    }
    return true;
}

void route_table::add(route r) {
    std::vector<segment> segments;
    const std::string where =
        (r.method ? std::string(http::to_string(*r.method)) : "*") + " " + r.pattern;
    if (auto fault = compile(r.pattern, segments)) {
        errors_.push_back(where + ": " + *fault);
        return;
    }
    if (!r.handler) {
        errors_.push_back(where + ": no handler");
        return;
    }
    if (r.access.event_scoped() && !r.access.handler_checks() && !names_param(segments, "slug")) {
        errors_.push_back(where +
                          ": an event's route names its event {slug} (or its handler checks)");
        return;
    }
    for (const entry& e : entries_) {
        if (!same_shape(e.segments, segments)) continue;
        if (e.r.pattern != r.pattern) {
            errors_.push_back(where + ": the same paths as " + e.r.pattern + "; spell it the same");
            return;
        }
        // Admission and the router read these off the path's pattern, before the method.
        if (e.r.speaks != r.speaks || e.r.access.credentials() != r.access.credentials()) {
            errors_.push_back(where + ": another route of this pattern speaks another dialect "
                                      "or takes credentials another way");
            return;
        }
        if (!e.r.method || !r.method || *e.r.method == *r.method) {
            errors_.push_back(where + ": added twice");
            return;
        }
    }
    entries_.push_back({std::move(r), std::move(segments)});
}

bool route_table::matches(const std::vector<segment>& pattern, const std::vector<std::string>& path,
                          route_params* params) {
    std::size_t i = 0;
    for (; i < pattern.size(); ++i) {
        const segment& s = pattern[i];
        if (s.k == segment::kind::rest) {
            if (params) {
                std::string rest;
                for (std::size_t j = i; j < path.size(); ++j) {
                    if (j > i) rest += '/';
                    rest += path[j];
                }
                params->set(s.text, std::move(rest));
            }
            return true;
        }
        if (i >= path.size()) return false;
        if (s.k == segment::kind::literal && s.text != path[i]) return false;
        if (s.k == segment::kind::param && params) params->set(s.text, path[i]);
    }
    return i == path.size();
}

int route_table::compare_specificity(const std::vector<segment>& a, const std::vector<segment>& b) {
    // literal (0) > param (1) > rest (2) at the first segment where they differ.
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        const int ra = static_cast<int>(a[i].k);
        const int rb = static_cast<int>(b[i].k);
        if (ra != rb) return ra < rb ? 1 : -1;
    }
    // Both matched the same path, so the longer one has only a rest parameter (matching
    // nothing) beyond the shorter: the shorter is the exact one.
    if (a.size() != b.size()) return a.size() < b.size() ? 1 : -1;
    return 0;
}

route_match route_table::match(http::verb method, const std::vector<std::string>& path) const {
    route_match out;
    const entry* best = nullptr;
    for (const entry& e : entries_) {
        if (!matches(e.segments, path, nullptr)) continue;
        if (best == nullptr || compare_specificity(e.segments, best->segments) > 0) best = &e;
    }
    if (best == nullptr) return out;
    for (const entry& e : entries_) {
        if (e.r.pattern != best->r.pattern) continue;
        if (!e.r.method || *e.r.method == method) {
            out.kind = match_kind::found;
            out.routes = {&e.r};
            matches(e.segments, path, &out.params);
            return out;
        }
        out.routes.push_back(&e.r);
    }
    out.kind = match_kind::wrong_method;
    return out;
}

std::vector<const route*> route_table::routes() const {
    std::vector<const route*> out;
    out.reserve(entries_.size());
    for (const entry& e : entries_) out.push_back(&e.r);
    return out;
}

}  // namespace tribune::server
