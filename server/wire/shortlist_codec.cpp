#include "server/wire/shortlist_codec.hpp"

#include "server/wire/request_errors.hpp"

namespace tribune::server {
namespace {

json optional_time(timestamp_ms t) { return t != 0 ? json(format_time(t)) : json(nullptr); }

json display_item(const shortlist_entry& e, bool anonymous) {
    const question& q = e.q;
    json j = {{"id", q.id},
              {"text", q.text},
              {"author", anonymous ? json(nullptr) : optional_string(q.author)},
              {"asked", q.cluster_size},
              {"votes", q.votes},
              {"status", to_string(q.status)}};
    if (e.answering_since) j["since"] = format_time(*e.answering_since);
    return j;
}

}  // namespace

json to_json(const shortlist_entry& e, question_fields f) {
    return {{"question", to_json(e.q, f)},
            {"added_by", e.added_by},
            {"added_at", format_time(e.added_at)},
            {"position", e.position},
            {"note", e.note},
            {"note_by", e.note_by.empty() ? json(nullptr) : json(e.note_by)},
            {"note_at", optional_time(e.note_at)},
            {"answering_now", e.answering_since.has_value()},
            {"answering_since",
             e.answering_since ? json(format_time(*e.answering_since)) : json(nullptr)}};
}

json to_json(const std::vector<shortlist_entry>& entries, question_fields f) {
    return item_list(entries, [f](const shortlist_entry& e) { return to_json(e, f); });
}

result<std::int64_t> decode_shortlist_addition(const json& body) {
    auto qid = body.find("question_id");
    if (qid == body.end() || !qid->is_number_integer() || qid->get<std::int64_t>() <= 0)
        return invalid("invalid_field", "question_id must be a question id");
    return qid->get<std::int64_t>();
}

json shortlist_removal(std::int64_t question_id) { return {{"removed", question_id}}; }

result<shortlist_edit_input> decode_shortlist_edit(const json& body) {
    shortlist_edit_input in;
    for (const auto& [key, value] : body.items()) {
        if (key == "note") {
            if (value.is_null()) in.note = std::string();
            else if (value.is_string()) in.note = value.get<std::string>();
            else return invalid("invalid_field", "note must be a string or null");
        } else if (key == "answering_now") {
            if (!value.is_boolean()) return invalid("invalid_field", "answering_now must be true or false");
            in.answering_now = value.get<bool>();
        } else if (key == "answered") {
            if (!value.is_boolean() || !value.get<bool>())
                return invalid("invalid_field", "answered can only be set to true");
            in.answered = true;
        } else {
            return invalid("invalid_field",
                           "unknown member '" + key + "'; send note, answering_now or answered");
        }
    }
    return in;
}

result<std::vector<std::int64_t>> decode_shortlist_order(const json& body) {
    auto order = body.find("order");
    if (order == body.end() || !order->is_array())
        return invalid("invalid_field", "order must be an array of question ids");
    std::vector<std::int64_t> ids;
    for (const json& id : *order) {
        if (!id.is_number_integer() || id.get<std::int64_t>() <= 0)
            return invalid("invalid_field", "order must be an array of question ids");
        ids.push_back(id.get<std::int64_t>());
    }
    return ids;
}

std::string encode_shortlist_change(const shortlist_change& c, question_fields f) {
    json items = to_json(c.entries, f)["items"];
    return json{{"type", "shortlist"},
                {"action", c.action},
                {"question_id", c.question_id != 0 ? json(c.question_id) : json(nullptr)},
                {"actor", c.actor.empty() ? json(nullptr) : json(c.actor)},
                {"items", std::move(items)}}
        .dump(-1, ' ', false, json::error_handler_t::replace);
}

json display_json(const event_info& ev, const event_settings& s, const display_state& d) {
    json next = json::array();
    for (const shortlist_entry& e : d.next) next.push_back(display_item(e, s.anonymous));
    return {{"event", ev.slug},
            {"title", ev.title},
            {"anonymous", s.anonymous},
            {"now", d.now ? display_item(*d.now, s.anonymous) : json(nullptr)},
            {"next", std::move(next)}};
}

std::string display_message(std::uint64_t seq, const event_info& ev, const event_settings& s,
                            const display_state& d) {
    json j = display_json(ev, s, d);
    j["type"] = "display";
    j["seq"] = seq;
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

const std::string& display_pong_message() {
    static const std::string pong = R"({"type":"pong"})";
    return pong;
}

}  // namespace tribune::server
