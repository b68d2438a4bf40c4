#include "server/wire/stream_codec.hpp"

#include <cmath>
#include <map>
#include <string_view>

#include "server/wire/question_codec.hpp"
#include "server/wire/question_writer.hpp"
#include "server/wire/request_errors.hpp"
#include "server/wire/shortlist_codec.hpp"

namespace tribune::server {
namespace {

// The view's members as the question list's query parameters, so that a view and
// GET /api/v1/events/{slug}/questions read the same filter the same way (decode_list_query).
result<stream_view> decode_view(const json& view) {
    stream_view v;
    if (view.is_null()) return v;
    if (!view.is_object()) return invalid("invalid_field", "view must be an object");
    std::map<std::string, std::string> params;
    for (const char* name : {"status", "sort", "attribute", "min_score", "max_score", "lang",
                             "author", "source", "q", "cluster"}) {
        auto it = view.find(name);
        if (it == view.end() || it->is_null()) continue;
        if (it->is_string()) {
            params[name] = it->get<std::string>();
        } else if (std::string_view(name) == "status" && it->is_array()) {
            std::string joined;
            for (const json& n : *it) {
                if (!n.is_string())
                    return invalid("invalid_status", "status must list state names");
                if (!joined.empty()) joined += ',';
                joined += n.get<std::string>();
            }
            params[name] = std::move(joined);
        } else if (it->is_number() && (std::string_view(name).ends_with("_score") ||
                                       std::string_view(name) == "cluster")) {
            params[name] = it->dump();
        } else {
            return invalid("invalid_field", std::string(name) + " has the wrong type");
        }
    }
    question_query q;
    if (status s = decode_list_query(params, q); !s) return s;
    v.filter = std::move(q.filter);
    v.sort = q.sort;
    return v;
}

}  // namespace

std::string encode_change(const question_change& c) {
    // Written directly (question_writer.hpp says why), in the order nlohmann sorts them:
    // {"actor","change","from","question","type"}.
    std::string out;
    out.reserve(600 + c.q.text.size() + c.q.verdict.size() + 96 * c.q.scored.spans.size());
    out += "{\"actor\":";
    if (c.actor.empty()) out += "null";
    else append_json_string(out, c.actor);
    out += c.kind == change_kind::created ? ",\"change\":\"created\",\"from\":"
                                          : ",\"change\":\"updated\",\"from\":";
    if (c.from) append_json_string(out, to_string(*c.from));
    else out += "null";
    out += ",\"question\":";
    append_question(out, c.q);
    out += ",\"type\":\"question\"}";
    return out;
}

std::string numbered_change(std::uint64_t seq, const std::string& change) {
    // `change` is "{...}"; splice "seq" in front of its members.
    std::string out;
    out.reserve(change.size() + 24);
    out += "{\"seq\":";
    out += std::to_string(seq);
    out += ',';
    out.append(change, 1, std::string::npos);
    return out;
}

std::string review_snapshot_message(const std::string& event, const std::string& epoch,
                                    std::uint64_t seq, const status_counts& counts,
                                    const std::vector<question>& items) {
    json list = json::array();
    for (const question& item : items) list.push_back(to_json(item));
    return json{
        {"type", "snapshot"},        {"event", event},          {"epoch", epoch}, {"seq", seq},
        {"counts", to_json(counts)}, {"items", std::move(list)}}
        .dump();
}

result<client_message> read_client_message(const std::string& text) {
    client_message out;
    json msg = json::parse(text, nullptr, false);
    if (msg.is_discarded() || !msg.is_object()) return out;
    // Pings and types of later versions are ignored; so is a "type" that is not a string.
    auto type = msg.find("type");
    if (type == msg.end() || !type->is_string()) return out;
    if (type->get<std::string>() == "ack") {
        auto seq = msg.find("seq");
        if (seq != msg.end() && seq->is_number_integer() && seq->get<std::int64_t>() >= 0)
            out.ack = static_cast<std::uint64_t>(seq->get<std::int64_t>());
        return out;
    }
    if (type->get<std::string>() != "subscribe") return out;
    auto req = decode_subscribe(msg);
    if (!req) return req.error();
    out.subscribe = std::move(*req);
    return out;
}

result<subscribe_request> decode_subscribe(const json& msg) {
    if (!msg.is_object() || !msg.contains("type") || msg["type"] != "subscribe")
        return invalid("invalid_json", "expected a subscribe message");
    subscribe_request r;
    auto view = decode_view(msg.contains("view") ? msg["view"] : json());
    if (!view) return view.error();
    r.view = std::move(*view);

    if (auto it = msg.find("limit"); it != msg.end() && !it->is_null()) {
        if (!it->is_number_integer() || it->get<std::int64_t>() < 1 ||
            it->get<std::int64_t>() > static_cast<std::int64_t>(max_stream_page))
            return invalid("invalid_limit",
                           "limit must be an integer from 1 to " + std::to_string(max_stream_page));
        r.view.limit = static_cast<std::size_t>(it->get<std::int64_t>());
    }
    if (auto it = msg.find("id"); it != msg.end() && !it->is_null()) {
        if (!it->is_number_integer()) return invalid("invalid_field", "id must be an integer");
        r.id = it->get<std::int64_t>();
    }
    if (auto it = msg.find("since"); it != msg.end() && !it->is_null()) {
        if (!it->is_number_integer() || it->get<std::int64_t>() < 0)
            return invalid("invalid_since", "since must be a non-negative integer");
        r.since = static_cast<std::uint64_t>(it->get<std::int64_t>());
    }
    if (auto it = msg.find("epoch"); it != msg.end() && !it->is_null()) {
        if (!it->is_string() || it->get<std::string>().size() > 64)
            return invalid("invalid_field", "epoch must be the string a snapshot gave");
        r.epoch = it->get<std::string>();
    }
    if (auto it = msg.find("activity"); it != msg.end() && !it->is_null()) {
        if (!it->is_boolean()) return invalid("invalid_field", "activity must be true or false");
        r.activity = it->get<bool>();
    }
    if (auto it = msg.find("page"); it != msg.end() && !it->is_null()) {
        if (!it->is_boolean()) return invalid("invalid_field", "page must be true or false");
        r.page = it->get<bool>();
    }
    if (auto it = msg.find("ack"); it != msg.end() && !it->is_null()) {
        if (!it->is_boolean()) return invalid("invalid_field", "ack must be true or false");
        r.ack = it->get<bool>();
    }
    if (auto it = msg.find("shortlist"); it != msg.end() && !it->is_null()) {
        if (!it->is_boolean()) return invalid("invalid_field", "shortlist must be true or false");
        r.shortlist = it->get<bool>();
    }
    return r;
}

json to_json(const stream_view& v) {
    json statuses = json::array();
    for (question_status s : v.filter.statuses) statuses.push_back(to_string(s));
    json out = {{"status", std::move(statuses)}, {"sort", to_string(v.sort)}};
    if (v.filter.score_attr) {
        out["attribute"] = to_string(*v.filter.score_attr);
        out["min_score"] = std::round(v.filter.min_score * 1000.0f) / 1000.0;
        out["max_score"] = std::round(v.filter.max_score * 1000.0f) / 1000.0;
    }
    if (v.filter.lang) out["lang"] = *v.filter.lang;
    if (v.filter.author) out["author"] = *v.filter.author;
    if (v.filter.source) out["source"] = *v.filter.source;
    if (!v.filter.search.empty()) out["q"] = v.filter.search;
    if (v.filter.cluster) out["cluster"] = *v.filter.cluster;
    out["limit"] = v.limit;
    return out;
}

json to_json(const state_counts& c) {
    json out = json::object();
    for (question_status s : all_statuses)
        out[std::string(to_string(s))] = c[static_cast<std::size_t>(s)];
    return out;
}

state_counts counts_from(const status_counts& c) {
    state_counts out{};
    for (const auto& [s, n] : c) out[static_cast<std::size_t>(s)] = n;
    return out;
}

namespace {

// `op` and `seq` in front of the members of `body` ("{...}").
std::string spliced(std::string_view op, std::uint64_t seq, const std::string& body) {
    std::string out = "{\"op\":\"";
    out += op;
    out += "\",\"seq\":";
    out += std::to_string(seq);
    out += ',';
    out.append(body, 1, std::string::npos);
    return out;
}

}  // namespace

std::string change_entry(const change_record& r, bool in_view, const stream_lens& lens) {
    const char* op = r.shortlist ? "shortlist" : in_view ? "upsert" : "remove";
    // What the shared message shows: every member (shortlists, upserts), every state (removals).
    const bool as_shared = (r.shortlist || in_view) ? lens.fields.scores : !lens.public_only;
    if (as_shared) {
        // r.message is "{...}"; splice "op" in front of its members.
        std::string out = "{\"op\":\"";
        out += op;
        out += "\",";
        out.append(r.message, 1, std::string::npos);
        return out;
    }
    if (r.shortlist) return spliced(op, r.seq, encode_shortlist_change(*r.shortlist, lens.fields));
    const question_change& c = r.change;
    if (!in_view) {
        // Public-only: the question left what this reader may see; say which, nothing more.
        return spliced(op, r.seq,
                       json{{"type", "question"},
                            {"change", "updated"},
                            {"question", {{"id", c.q.id}, {"version", c.q.version}}}}
                           .dump());
    }
    return spliced(op, r.seq,
                   json{{"type", "question"},
                        {"change", c.kind == change_kind::created ? "created" : "updated"},
                        {"from", c.from ? json(to_string(*c.from)) : json(nullptr)},
                        {"actor", c.actor.empty() ? json(nullptr) : json(c.actor)},
                        {"question", to_json(c.q, lens.fields)}}
                       .dump(-1, ' ', false, json::error_handler_t::replace));
}

std::string page_entry(const question& q, std::uint64_t seq, const stream_lens& lens) {
    return spliced("upsert", seq,
                   json{{"type", "question"},
                        {"change", "page"},
                        {"from", nullptr},
                        {"actor", nullptr},
                        {"question", to_json(q, lens.fields)}}
                       .dump(-1, ' ', false, json::error_handler_t::replace));
}

std::string page_tail(const std::vector<std::int64_t>& ids,
                      const std::optional<std::string>& next_cursor) {
    std::string out = ",\"page\":[";
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i) out += ',';
        out += std::to_string(ids[i]);
    }
    out += "],\"next_cursor\":";
    out += next_cursor ? json(*next_cursor).dump() : "null";
    return out;
}

std::string frame_message(std::int64_t subscription, std::uint64_t prev, std::uint64_t seq,
                          const state_counts& counts, const std::vector<frame_entry>& entries,
                          std::string_view tail) {
    std::size_t size = 160 + tail.size();
    for (const frame_entry& e : entries) size += e.text->size() + 1;
    std::string out;
    out.reserve(size);
    out += "{\"type\":\"frame\",\"subscription\":";
    out += std::to_string(subscription);
    out += ",\"prev\":";
    out += std::to_string(prev);
    out += ",\"seq\":";
    out += std::to_string(seq);
    out += ",\"counts\":";
    out += to_json(counts).dump();
    out += ",\"changes\":[";
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (i) out += ',';
        out += *entries[i].text;
    }
    out += ']';
    out += tail;
    out += '}';
    return out;
}

std::string snapshot_message(const std::string& event, const std::string& epoch, std::uint64_t seq,
                             const state_counts& counts, const snapshot_content& c) {
    json list = json::array();
    for (const question& q : *c.items) list.push_back(to_json(q, c.fields));
    json msg = {{"type", "snapshot"},
                {"event", event},
                {"epoch", epoch},
                {"seq", seq},
                {"counts", to_json(counts)},
                {"subscription", c.subscription},
                {"view", to_json(*c.view)},
                {"items", std::move(list)},
                {"next_cursor", c.next_cursor ? json(*c.next_cursor) : json(nullptr)}};
    if (c.shortlist) msg["shortlist"] = to_json(*c.shortlist, c.fields);
    return msg.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string activity_message(const std::string& event,
                             const std::vector<online_moderator>& moderators,
                             std::uint64_t arrivals_per_minute) {
    // Built by hand for "type" first, like a frame. Names are escaped by the JSON library;
    // one that is not valid UTF-8 is repaired rather than thrown on.
    auto quoted = [](const std::string& s) {
        return json(s).dump(-1, ' ', false, json::error_handler_t::replace);
    };
    std::string out = "{\"type\":\"activity\",\"event\":";
    out += quoted(event);
    out += ",\"moderators\":[";
    for (std::size_t i = 0; i < moderators.size(); ++i) {
        const online_moderator& m = moderators[i];
        if (i) out += ',';
        out += "{\"name\":";
        out += quoted(m.name);
        out += ",\"role\":\"";
        out += to_string(m.r);
        out += "\",\"connections\":";
        out += std::to_string(m.connections);
        out += '}';
    }
    out += "],\"arrivals_per_minute\":";
    out += std::to_string(arrivals_per_minute);
    out += '}';
    return out;
}

std::string error_message(const status& s) {
    // A message may quote a cut piece of the client's input: never let that throw.
    return json{{"type", "error"}, {"error", {{"code", s.code()}, {"message", s.message()}}}}.dump(
        -1, ' ', false, json::error_handler_t::replace);
}

}  // namespace tribune::server
