// Decisions beyond approve/reject/hold over HTTP (docs/api.md "Questions"): restore and
// answer, optimistic concurrency, undo, the audit trail, and bulk decisions with their
// per-item errors and their broadcast on the live stream.

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/server/test_server.hpp"

namespace tribune::test {
namespace {

std::string decision_target(std::int64_t id) {
    return "/api/v1/questions/" + std::to_string(id) + "/decision";
}
std::string undo_target(std::int64_t id) {
    return "/api/v1/questions/" + std::to_string(id) + "/undo";
}
std::string bulk_target(std::string_view slug) {
    return "/api/v1/events/" + std::string(slug) + "/decisions";
}

// --- the live stream, whatever its framing ---------------------------------------------------
// The stream's framing is being reworked (one message per change, or frames of changes); these
// helpers look only at the question objects a message carries: a change's "question", a
// frame's change entries, a snapshot's items.

void collect_questions(const json& j, std::vector<json>& out) {
    if (j.is_object()) {
        if (j.contains("id") && j["id"].is_number_integer() && j.contains("status") &&
            j["status"].is_string() && j.contains("version") && j.contains("text")) {
            out.push_back(j);
            return;
        }
        for (const auto& [key, value] : j.items()) collect_questions(value, out);
    } else if (j.is_array()) {
        for (const json& v : j) collect_questions(v, out);
    }
}

// A state to wait for: the question in `status`, at `version` or later when given.
struct wanted {
    wanted(const char* s, std::int64_t v = 0) : status(s), version(v) {}  // NOLINT: implicit
    std::string status;
    std::int64_t version;
};

struct stream_log {
    std::vector<json> questions;  // in arrival order
    std::size_t messages = 0;

    // True when some received question has this id and status (and at least this version).
    bool saw(std::int64_t id, std::string_view status, std::int64_t version = 0) const {
        for (const json& q : questions)
            if (id_of(q) == id && q["status"] == status && q["version"].is_number_integer() &&
                q["version"].get<std::int64_t>() >= version)
                return true;
        return false;
    }
};

// Reads messages until every wanted state has been seen, or `timeout` passes.
stream_log read_until(ws_client& ws, const std::map<std::int64_t, wanted>& want,
                      std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    stream_log log;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto done = [&] {
        for (const auto& [id, w] : want)
            if (!log.saw(id, w.status, w.version)) return false;
        return true;
    };
    while (!done()) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        auto m = ws.read_json(left);
        if (!m) break;
        ++log.messages;
        collect_questions(*m, log.questions);
    }
    for (const auto& [id, w] : want)
        EXPECT_TRUE(log.saw(id, w.status, w.version))
            << "the stream did not bring question " << id << " as " << w.status
            << " (version >= " << w.version << ") within " << timeout.count() << " ms ("
            << log.messages << " messages)";
    return log;
}

class bulk_undo_test : public server_test {
protected:
    // With the admin token unless `headers` carry other credentials.
    http_response bulk(std::string_view slug, const json& body, const header_list& headers = {}) const {
        return call(http::verb::post, bulk_target(slug), body.dump(), headers);
    }
    http_response bulk_raw(std::string_view slug, std::string body) const {
        return call(http::verb::post, bulk_target(slug), std::move(body));
    }
    // Undo as the moderator named `moderator`, with that moderator's own token: the actor is
    // the token's name (docs/api.md "Access"), the body is `{}`.
    http_response undo(std::int64_t id, std::string_view moderator) {
        return call(http::verb::post, undo_target(id), "{}", bearer(token_for("moderator", moderator)));
    }
    // With the admin token unless `headers` carry other credentials.
    http_response decide_raw(std::int64_t id, const json& body, const header_list& headers = {}) const {
        return call(http::verb::post, decision_target(id), body.dump(), headers);
    }
    // `answer` is for executive (and admin) tokens: as the executive named `executive`.
    json answer(std::int64_t id, std::string_view executive, std::string_view reason = "") {
        json body = {{"action", "answer"}};
        if (!reason.empty()) body["reason"] = reason;
        auto r = decide_raw(id, body, bearer(token_for("executive", executive)));
        EXPECT_EQ(r.status, 200u) << "answer by " << executive << " on " << id << ": " << r;
        if (r.status != 200) return {};
        return r.body;
    }
    json audit(std::int64_t id) {
        auto r = get("/api/v1/questions/" + std::to_string(id) + "/decisions");
        EXPECT_EQ(r.status, 200u) << r;
        if (r.status != 200 || !r.body.contains("items") || !r.body["items"].is_array()) return json::array();
        return r.body["items"];
    }
    // Opens a stream of `slug` and reads its snapshot.
    std::unique_ptr<ws_client> stream(std::string_view slug) {
        auto ws = open_stream(slug);
        if (ws != nullptr) {
            EXPECT_FALSE(read_snapshot(*ws, slug).is_null());
        }
        return ws;
    }
};

using bulk_decisions_test = bulk_undo_test;

// Checks a 409 with the documented code and a `current` question in the given state.
void expect_conflict(const http_response& r, std::string_view code, std::int64_t id,
                     std::string_view status, std::int64_t version) {
    expect_error(r, 409, code);
    ASSERT_TRUE(r.body.is_object() && r.body.contains("current")) << "409 without current: " << r;
    ASSERT_NO_FATAL_FAILURE(expect_question_shape(r.body["current"]));
    EXPECT_EQ(id_of(r.body["current"]), id) << r;
    EXPECT_EQ(r.body["current"]["status"], status) << r;
    EXPECT_EQ(r.body["current"]["version"], version) << r;
}

// --- single decisions: concurrency, restore, answer -----------------------------------------

TEST_F(bulk_undo_test, stale_expected_version_answers_409_version_conflict_with_current) {
    json q = post_text("demo", reject_text);
    ASSERT_EQ(q["status"], "auto_rejected") << q.dump();
    const std::int64_t id = id_of(q);
    // alice restores what she saw at version 1.
    auto a = decide_raw(id, {{"action", "restore"}, {"moderator", "alice"}, {"expected_version", 1}});
    ASSERT_EQ(a.status, 200u) << a;
    EXPECT_EQ(a.body["status"], "pending");
    EXPECT_EQ(a.body["version"], 2);
    // bob still saw version 1.
    auto b = decide_raw(id, {{"action", "reject"}, {"moderator", "bob"}, {"expected_version", 1}});
    expect_conflict(b, "version_conflict", id, "pending", 2);
    // A version from the future is stale too.
    auto c = decide_raw(id, {{"action", "reject"}, {"moderator", "bob"}, {"expected_version", 7}});
    expect_conflict(c, "version_conflict", id, "pending", 2);
    json stored = get_question(id);
    EXPECT_EQ(stored["status"], "pending");
    EXPECT_EQ(stored["version"], 2);
    EXPECT_EQ(audit(id).size(), 2u) << "a refused decision left an audit row";
    // With the current version it goes through.
    auto d = decide_raw(id, {{"action", "reject"}, {"moderator", "bob"}, {"expected_version", 2}});
    ASSERT_EQ(d.status, 200u) << d;
    EXPECT_EQ(d.body["status"], "rejected");
    EXPECT_EQ(d.body["version"], 3);
}

TEST_F(bulk_undo_test, restore_puts_rejected_and_held_questions_back_to_pending) {
    json auto_rejected = post_text("demo", reject_text);
    ASSERT_EQ(auto_rejected["status"], "auto_rejected");
    json restored = decide(id_of(auto_rejected), "restore", "alice", "false positive");
    EXPECT_EQ(restored["status"], "pending") << restored.dump();
    EXPECT_EQ(restored["version"], 2) << restored.dump();
    json rows = audit(id_of(auto_rejected));
    ASSERT_EQ(rows.size(), 2u) << rows.dump();
    EXPECT_EQ(rows[1]["action"], "restore") << rows.dump();
    EXPECT_EQ(rows[1]["from"], "auto_rejected") << rows.dump();
    EXPECT_EQ(rows[1]["to"], "pending") << rows.dump();
    EXPECT_EQ(rows[1]["actor"], "alice") << rows.dump();
    EXPECT_EQ(rows[1]["reason"], "false positive") << rows.dump();

    json q = post_text("demo", review_text);
    decide(id_of(q), "reject", "alice");
    EXPECT_EQ(decide(id_of(q), "restore", "alice")["status"], "pending");
    decide(id_of(q), "hold", "alice");
    json back = decide(id_of(q), "restore", "alice");
    EXPECT_EQ(back["status"], "pending");
    EXPECT_EQ(back["version"], 5);
}

TEST_F(bulk_undo_test, restore_and_answer_refuse_other_states_with_invalid_transition) {
    json approved = post_text("demo", clean_text);
    ASSERT_EQ(approved["status"], "approved");
    json pending = post_text("demo", review_text);
    ASSERT_EQ(pending["status"], "pending");
    // restore is a moderator's action, answer an executive's (docs/api.md "Access").
    const header_list alice = bearer(token_for("moderator", "alice"));
    const header_list exec = bearer(token_for("executive", "exec"));

    // restore only from auto_rejected, rejected or held.
    auto r1 = decide_raw(id_of(approved), {{"action", "restore"}}, alice);
    EXPECT_EQ(r1.status, 409u) << r1;
    EXPECT_EQ(r1.error_code(), "invalid_transition") << r1;
    // answer only from approved.
    auto r2 = decide_raw(id_of(pending), {{"action", "answer"}}, exec);
    EXPECT_EQ(r2.status, 409u) << r2;
    EXPECT_EQ(r2.error_code(), "invalid_transition") << r2;
    decide(id_of(pending), "hold", "alice");
    auto r3 = decide_raw(id_of(pending), {{"action", "answer"}}, exec);
    EXPECT_EQ(r3.status, 409u) << r3;
    EXPECT_EQ(r3.error_code(), "invalid_transition") << r3;
    decide(id_of(pending), "reject", "alice");
    auto r4 = decide_raw(id_of(pending), {{"action", "answer"}}, exec);
    EXPECT_EQ(r4.status, 409u) << r4;
    EXPECT_EQ(r4.error_code(), "invalid_transition") << r4;

    // Nothing changed by the refusals.
    EXPECT_EQ(get_question(id_of(approved))["version"], 1);
    EXPECT_EQ(get_question(id_of(pending))["version"], 3);
    EXPECT_EQ(audit(id_of(approved)).size(), 1u);

    // Approved -> answered; answering again changes nothing; an answered one is not restored.
    json answered = answer(id_of(approved), "exec", "answered on stage");
    EXPECT_EQ(answered["status"], "answered") << answered.dump();
    EXPECT_EQ(answered["version"], 2) << answered.dump();
    json again = answer(id_of(approved), "exec2");
    EXPECT_EQ(again["status"], "answered");
    EXPECT_EQ(again["version"], 2) << "deciding the current state changed the version";
    json rows = audit(id_of(approved));
    ASSERT_EQ(rows.size(), 2u) << "deciding the current state added a row: " << rows.dump();
    EXPECT_EQ(rows[1]["action"], "answer") << rows.dump();
    EXPECT_EQ(rows[1]["actor"], "exec") << rows.dump();
    EXPECT_EQ(rows[1]["reason"], "answered on stage") << rows.dump();
    auto r5 = decide_raw(id_of(approved), {{"action", "restore"}}, alice);
    EXPECT_EQ(r5.status, 409u) << r5;
    EXPECT_EQ(r5.error_code(), "invalid_transition") << r5;
    auto r6 = decide_raw(id_of(approved), {{"action", "destroy"}}, alice);
    expect_error(r6, 400, "unknown_action");
}

// docs/api.md "Errors": 409 invalid_transition "body has `current`". (The admin token of
// decide_raw may answer and sees every question; an executive is shown `current` only for
// approved and answered questions, see access_test.)
TEST_F(bulk_undo_test, invalid_transition_409_carries_current) {
    json pending = post_text("demo", review_text);
    ASSERT_EQ(pending["status"], "pending");
    auto r = decide_raw(id_of(pending), {{"action", "answer"}});
    expect_conflict(r, "invalid_transition", id_of(pending), "pending", 1);
}

// --- undo -------------------------------------------------------------------------------------

TEST_F(bulk_undo_test, undo_by_the_same_moderator_restores_the_previous_state) {
    json q = post_text("demo", review_text);
    ASSERT_EQ(q["status"], "pending");
    const std::int64_t id = id_of(q);
    auto ws = stream("demo");
    ASSERT_NE(ws, nullptr);

    json approved = decide(id, "approve", "alice", "fine");
    ASSERT_EQ(approved["version"], 2);
    auto u = undo(id, "alice");
    ASSERT_EQ(u.status, 200u) << u;
    ASSERT_NO_FATAL_FAILURE(expect_question_shape(u.body));
    EXPECT_EQ(u.body["status"], "pending") << u;
    EXPECT_EQ(u.body["version"], 3) << u;
    json stored = get_question(id);
    EXPECT_EQ(stored["status"], "pending");
    EXPECT_EQ(stored["version"], 3);

    // The undo reaches the stream like any change.
    read_until(*ws, {{id, {"pending", 3}}});

    json rows = audit(id);
    ASSERT_EQ(rows.size(), 3u) << rows.dump();
    EXPECT_EQ(rows[2]["action"], "undo") << rows.dump();
    EXPECT_EQ(rows[2]["actor"], "alice") << rows.dump();
    EXPECT_EQ(rows[2]["from"], "approved") << rows.dump();
    EXPECT_EQ(rows[2]["to"], "pending") << rows.dump();

    // An undo is not itself undone.
    expect_conflict(undo(id, "alice"), "undo_unavailable", id, "pending", 3);
    EXPECT_EQ(audit(id).size(), 3u);
}

TEST_F(bulk_undo_test, undo_by_another_moderator_is_refused) {
    json q = post_text("demo", review_text);
    const std::int64_t id = id_of(q);
    decide(id, "reject", "alice");
    expect_conflict(undo(id, "bob"), "undo_unavailable", id, "rejected", 2);
    EXPECT_EQ(get_question(id)["status"], "rejected");
    EXPECT_EQ(audit(id).size(), 2u);
    // alice still can.
    auto u = undo(id, "alice");
    ASSERT_EQ(u.status, 200u) << u;
    EXPECT_EQ(u.body["status"], "pending");
}

TEST_F(bulk_undo_test, undo_only_the_latest_change) {
    json q = post_text("demo", review_text);
    const std::int64_t id = id_of(q);
    decide(id, "approve", "alice");
    decide(id, "hold", "bob");
    // alice's decision is no longer the latest change.
    expect_conflict(undo(id, "alice"), "undo_unavailable", id, "held", 3);
    // bob's is.
    auto u = undo(id, "bob");
    ASSERT_EQ(u.status, 200u) << u;
    EXPECT_EQ(u.body["status"], "approved");
    EXPECT_EQ(u.body["version"], 4);
    // After bob's undo the latest change is an undo: not even alice's decision comes back.
    expect_conflict(undo(id, "alice"), "undo_unavailable", id, "approved", 4);
}

TEST_F(bulk_undo_test, nothing_to_undo) {
    // Only the automatic triage so far.
    json q = post_text("demo", review_text);
    expect_conflict(undo(id_of(q), "alice"), "undo_unavailable", id_of(q), "pending", 1);
    // A repeated decision that changes nothing adds no row: the first one stays undoable.
    decide(id_of(q), "hold", "alice");
    decide(id_of(q), "hold", "alice");
    auto u = undo(id_of(q), "alice");
    ASSERT_EQ(u.status, 200u) << u;
    EXPECT_EQ(u.body["status"], "pending") << u;
    expect_error(undo(9'999'999, "alice"), 404, "question_not_found");
    const header_list alice = bearer(token_for("moderator", "alice"));
    expect_error(call(http::verb::post, undo_target(id_of(q)), "[1]", alice), 400, "invalid_json");
    // The body is `{}`: a "moderator" field in it is ignored (docs/api.md "Access"), so it
    // neither fails the request nor names anyone; the latest change is alice's undo.
    expect_conflict(call(http::verb::post, undo_target(id_of(q)), json{{"moderator", 5}}.dump(), alice),
                    "undo_unavailable", id_of(q), "pending", 3);
    expect_error(call(http::verb::get, undo_target(id_of(q)), {}, alice), 405, "method_not_allowed");
}

TEST_F(bulk_undo_test, audit_trail_lists_triage_human_and_undo_rows_in_order) {
    json q = post_text("demo", reject_text);
    ASSERT_EQ(q["status"], "auto_rejected");
    const std::int64_t id = id_of(q);
    decide(id, "restore", "alice", "not a threat: a quote");
    decide(id, "approve", "bob", "context is fine");
    ASSERT_EQ(undo(id, "bob").status, 200u);
    decide(id, "reject", "carol", "on reflection");

    json rows = audit(id);
    ASSERT_EQ(rows.size(), 5u) << rows.dump();
    struct expected_row {
        const char* action;
        const char* actor;
        json from;
        const char* to;
    };
    const expected_row want[] = {
        {nullptr, nullptr, nullptr, "auto_rejected"},
        {"restore", "alice", "auto_rejected", "pending"},
        {"approve", "bob", "pending", "approved"},
        {"undo", "bob", "approved", "pending"},
        {"reject", "carol", "pending", "rejected"},
    };
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const json& row = rows[i];
        SCOPED_TRACE("row " + std::to_string(i) + ": " + row.dump());
        EXPECT_EQ(row["question_id"], id);
        EXPECT_TRUE(row.contains("id") && row["id"].is_number_integer());
        if (i > 0) {
            EXPECT_GT(row["id"].get<std::int64_t>(), rows[i - 1]["id"].get<std::int64_t>());
        }
        EXPECT_TRUE(is_iso_ms_utc(row.value("at", json())));
        if (i > 0) {
            EXPECT_GE(row["at"].get<std::string>(), rows[i - 1]["at"].get<std::string>());
        }
        if (want[i].action != nullptr) {
            EXPECT_EQ(row["action"], want[i].action);
        }
        if (want[i].actor != nullptr) {
            EXPECT_EQ(row["actor"], want[i].actor);
        }
        EXPECT_EQ(row["from"], want[i].from);
        EXPECT_EQ(row["to"], want[i].to);
        EXPECT_TRUE(row.contains("reason") && row["reason"].is_string());
    }
    // The triage row gives the automatic verdict's reason and is nobody's human decision.
    EXPECT_EQ(rows[0]["reason"], q["verdict"]) << rows.dump();
    EXPECT_TRUE(rows[0]["actor"].is_string()) << rows.dump();
    for (const char* human : {"alice", "bob", "carol"}) EXPECT_NE(rows[0]["actor"], human);
    EXPECT_NE(rows[0]["action"], "restore");
    EXPECT_EQ(rows[1]["reason"], "not a threat: a quote");
    EXPECT_EQ(rows[2]["reason"], "context is fine");
    EXPECT_EQ(rows[4]["reason"], "on reflection");
    json stored = get_question(id);
    EXPECT_EQ(stored["status"], "rejected");
    EXPECT_EQ(stored["version"], 5);
    expect_error(get("/api/v1/questions/9999999/decisions"), 404, "question_not_found");
}

// --- bulk -------------------------------------------------------------------------------------

TEST_F(bulk_decisions_test, one_request_rejects_several_and_the_stream_gets_every_change) {
    auto ws = stream("demo");
    ASSERT_NE(ws, nullptr);
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 5; ++i) ids.push_back(id_of(post_text("demo", review_text)));
    ASSERT_EQ(ids.size(), 5u);
    for (std::int64_t id : ids) ASSERT_GT(id, 0);
    const std::int64_t untouched = ids.back();
    const std::vector<std::int64_t> chosen(ids.begin(), ids.end() - 1);

    // As alice, with her token: the audit trail names the token's holder.
    auto r = bulk("demo",
                  {{"action", "reject"},
                   {"ids", chosen},
                   {"reason", "spam"},
                   {"expected_versions", {{std::to_string(chosen[0]), 1}}}},
                  bearer(token_for("moderator", "alice")));
    ASSERT_EQ(r.status, 200u) << r;
    ASSERT_TRUE(r.body.contains("items") && r.body["items"].is_array()) << r;
    ASSERT_EQ(r.body["items"].size(), chosen.size()) << r;
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        const json& item = r.body["items"][i];
        SCOPED_TRACE(item.dump());
        EXPECT_EQ(item["id"], chosen[i]) << "items in the order of ids";
        ASSERT_TRUE(item.contains("question")) << item.dump();
        EXPECT_FALSE(item.contains("error"));
        ASSERT_NO_FATAL_FAILURE(expect_question_shape(item["question"]));
        EXPECT_EQ(id_of(item["question"]), chosen[i]);
        EXPECT_EQ(item["question"]["status"], "rejected");
        EXPECT_EQ(item["question"]["version"], 2);
        json stored = get_question(chosen[i]);
        EXPECT_EQ(stored["status"], "rejected");
        json rows = audit(chosen[i]);
        ASSERT_EQ(rows.size(), 2u) << rows.dump();
        EXPECT_EQ(rows[1]["action"], "reject");
        EXPECT_EQ(rows[1]["actor"], "alice");
        EXPECT_EQ(rows[1]["reason"], "spam");
        EXPECT_EQ(rows[1]["from"], "pending");
        EXPECT_EQ(rows[1]["to"], "rejected");
    }
    EXPECT_EQ(get_question(untouched)["status"], "pending");

    std::map<std::int64_t, wanted> want;
    for (std::int64_t id : chosen) want.emplace(id, "rejected");
    stream_log log = read_until(*ws, want);
    // A sentinel change after the bulk: everything the bulk broadcast arrived before it.
    decide(untouched, "hold", "bob");
    stream_log rest = read_until(*ws, {{untouched, "held"}});
    for (const json& q : log.questions) EXPECT_FALSE(id_of(q) == untouched && q["status"] == "rejected");
    for (const json& q : rest.questions) EXPECT_FALSE(id_of(q) == untouched && q["status"] == "rejected");

    // The event's counts agree.
    auto ev = get("/api/v1/events/demo");
    ASSERT_EQ(ev.status, 200u) << ev;
    EXPECT_EQ(ev.body["counts"]["rejected"], 4) << ev;
    EXPECT_EQ(ev.body["counts"]["held"], 1) << ev;
    EXPECT_EQ(ev.body["counts"]["pending"], 0) << ev;

    // alice can undo her bulk decision on one of them.
    auto u = undo(chosen[1], "alice");
    ASSERT_EQ(u.status, 200u) << u;
    EXPECT_EQ(u.body["status"], "pending");
}

TEST_F(bulk_decisions_test, per_item_errors_for_stale_versions_unknown_ids_and_other_events) {
    create_event("other", false);
    auto ws = stream("demo");
    ASSERT_NE(ws, nullptr);
    auto ws_other = stream("other");
    ASSERT_NE(ws_other, nullptr);
    const std::int64_t a = id_of(post_text("demo", review_text));
    const std::int64_t b = id_of(post_text("demo", review_text));
    const std::int64_t c = id_of(post_text("demo", review_text));
    const std::int64_t foreign = id_of(post_text("other", review_text));
    const std::int64_t other_sentinel = id_of(post_text("other", clean_text));
    const std::int64_t unknown = 9'999'999;
    // b moves to version 2 behind the bulk's back.
    decide(b, "hold", "bob");

    auto r = bulk("demo", {{"action", "reject"},
                           {"ids", {a, b, unknown, foreign, c}},
                           {"moderator", "alice"},
                           {"expected_versions", {{std::to_string(b), 1}, {std::to_string(c), 1}}}});
    ASSERT_EQ(r.status, 200u) << r;
    const json& items = r.body["items"];
    ASSERT_TRUE(items.is_array()) << r;
    ASSERT_EQ(items.size(), 5u) << r;
    auto expect_ok = [&](const json& item, std::int64_t id) {
        EXPECT_EQ(item["id"], id) << item.dump();
        ASSERT_TRUE(item.contains("question")) << item.dump();
        EXPECT_EQ(item["question"]["status"], "rejected") << item.dump();
        EXPECT_FALSE(item.contains("error")) << item.dump();
    };
    auto expect_item_error = [&](const json& item, std::int64_t id, std::string_view code) {
        EXPECT_EQ(item["id"], id) << item.dump();
        ASSERT_TRUE(item.contains("error") && item["error"].is_object()) << item.dump();
        EXPECT_EQ(item["error"]["code"], code) << item.dump();
        EXPECT_TRUE(item["error"].contains("message") && item["error"]["message"].is_string() &&
                    !item["error"]["message"].get<std::string>().empty())
            << item.dump();
        EXPECT_FALSE(item.contains("question")) << item.dump();
    };
    expect_ok(items[0], a);
    expect_item_error(items[1], b, "version_conflict");
    expect_item_error(items[2], unknown, "question_not_found");
    expect_item_error(items[3], foreign, "question_not_found");
    expect_ok(items[4], c);

    // The refused ones are untouched.
    json sb = get_question(b);
    EXPECT_EQ(sb["status"], "held");
    EXPECT_EQ(sb["version"], 2);
    json sf = get_question(foreign);
    EXPECT_EQ(sf["status"], "pending");
    EXPECT_EQ(sf["version"], 1);
    EXPECT_EQ(audit(foreign).size(), 1u);
    EXPECT_EQ(audit(b).size(), 2u);

    // The stream of demo has a and c rejected; b never shows as rejected.
    read_until(*ws, {{a, "rejected"}, {c, "rejected"}, {b, "held"}});
    decide(a, "approve", "sentinel");
    stream_log rest = read_until(*ws, {{a, "approved"}});
    EXPECT_FALSE(rest.saw(b, "rejected"));
    // The other event's stream has nothing about the foreign question beyond its creation.
    // (The sentinel is a decision, not a post: a post is answered before its broadcast, and a
    // stream closed while that broadcast is in flight can deadlock the hub; see the report.)
    read_until(*ws_other, {{foreign, "pending"}, {other_sentinel, "approved"}});
    decide(other_sentinel, "hold", "sentinel");
    stream_log other_rest = read_until(*ws_other, {{other_sentinel, "held"}});
    for (const json& q : other_rest.questions) EXPECT_NE(id_of(q), foreign) << q.dump();
}

TEST_F(bulk_decisions_test, other_actions_and_per_item_invalid_transitions) {
    const std::int64_t approved = id_of(post_text("demo", clean_text));
    const std::int64_t pending = id_of(post_text("demo", review_text));
    const std::int64_t rejected = id_of(post_text("demo", reject_text));
    auto r = bulk("demo", {{"action", "answer"}, {"ids", {approved, pending}}, {"moderator", "alice"}});
    ASSERT_EQ(r.status, 200u) << r;
    ASSERT_EQ(r.body["items"].size(), 2u) << r;
    EXPECT_EQ(r.body["items"][0]["question"]["status"], "answered") << r;
    EXPECT_EQ(r.body["items"][1]["error"]["code"], "invalid_transition") << r;

    auto s = bulk("demo", {{"action", "restore"}, {"ids", {rejected, pending}}, {"moderator", "alice"}});
    ASSERT_EQ(s.status, 200u) << s;
    ASSERT_EQ(s.body["items"].size(), 2u) << s;
    EXPECT_EQ(s.body["items"][0]["question"]["status"], "pending") << s;
    // pending -> pending: already in that state, changes nothing.
    EXPECT_EQ(s.body["items"][1]["question"]["status"], "pending") << s;
    EXPECT_EQ(s.body["items"][1]["question"]["version"], 1) << s;

    auto h = bulk("demo", {{"action", "hold"}, {"ids", {pending, pending}}, {"moderator", "alice"}});
    ASSERT_EQ(h.status, 200u) << h;
    ASSERT_EQ(h.body["items"].size(), 2u) << h;
    json q = get_question(pending);
    EXPECT_EQ(q["status"], "held");
    EXPECT_EQ(q["version"], 2) << "the same id twice moved it twice";
}

TEST_F(bulk_decisions_test, at_most_1000_ids) {
    const std::int64_t a = id_of(post_text("demo", review_text));
    const std::int64_t b = id_of(post_text("demo", review_text));
    json ids = json::array();
    for (std::int64_t i = 1; i <= 1000; ++i) ids.push_back(i);
    ASSERT_LE(b, 1000);

    json too_many = ids;
    too_many.push_back(1001);
    expect_error(bulk("demo", {{"action", "reject"}, {"ids", too_many}, {"moderator", "alice"}}), 400,
                 "too_many");
    EXPECT_EQ(get_question(a)["status"], "pending") << "a refused bulk changed something";

    // Exactly 1000 is allowed: the two questions are rejected, the other ids are unknown.
    auto r = bulk("demo", {{"action", "reject"}, {"ids", ids}, {"moderator", "alice"}});
    ASSERT_EQ(r.status, 200u) << r;
    ASSERT_EQ(r.body["items"].size(), 1000u);
    std::size_t ok = 0, not_found = 0;
    for (const json& item : r.body["items"]) {
        if (item.contains("question")) ++ok;
        else if (item.contains("error") && item["error"]["code"] == "question_not_found") ++not_found;
    }
    EXPECT_EQ(ok, 2u);
    EXPECT_EQ(not_found, 998u);
    EXPECT_EQ(get_question(a)["status"], "rejected");
    EXPECT_EQ(get_question(b)["status"], "rejected");
}

TEST_F(bulk_decisions_test, bad_bodies_answer_400_and_change_nothing) {
    const std::int64_t id = id_of(post_text("demo", review_text));
    auto body = [&](json patch) {
        json b = {{"action", "reject"}, {"ids", {id}}, {"moderator", "alice"}};
        for (const auto& [k, v] : patch.items()) {
            if (v.is_null()) b.erase(k);
            else b[k] = v;
        }
        return b;
    };
    expect_error(bulk_raw("demo", "{\"action\": \"reject\", "), 400, "invalid_json");
    expect_error(bulk_raw("demo", "[1, 2]"), 400, "invalid_json");
    expect_error(bulk_raw("demo", ""), 400, "invalid_json");
    expect_error(bulk("demo", body({{"action", nullptr}})), 400, "unknown_action");
    expect_error(bulk("demo", body({{"action", "destroy"}})), 400, "unknown_action");
    expect_error(bulk("demo", body({{"action", 3}})), 400, "unknown_action");
    expect_error(bulk("demo", body({{"ids", nullptr}})), 400, "invalid_field");
    expect_error(bulk("demo", body({{"ids", id}})), 400, "invalid_field");
    expect_error(bulk("demo", body({{"ids", json::array()}})), 400, "invalid_field");
    expect_error(bulk("demo", body({{"ids", json::array({std::to_string(id)})}})), 400, "invalid_field");
    expect_error(bulk("demo", body({{"ids", json::array({id, 0})}})), 400, "invalid_field");
    expect_error(bulk("demo", body({{"ids", json::array({id, -4})}})), 400, "invalid_field");
    expect_error(bulk("demo", body({{"ids", json::array({id, 1.5})}})), 400, "invalid_field");
    expect_error(bulk("demo", body({{"moderator", 5}})), 400, "invalid_field");
    expect_error(bulk("demo", body({{"reason", json::array()}})), 400, "invalid_field");
    expect_error(bulk("demo", body({{"expected_versions", json::array({1})}})), 400, "invalid_field");
    expect_error(bulk("demo", body({{"expected_versions", {{"abc", 1}}}})), 400, "invalid_field");
    expect_error(bulk("demo", body({{"expected_versions", {{std::to_string(id), "1"}}}})), 400,
                 "invalid_field");
    expect_error(bulk("nope", body({})), 404, "event_not_found");
    expect_error(get(bulk_target("demo")), 405, "method_not_allowed");

    json q = get_question(id);
    EXPECT_EQ(q["status"], "pending");
    EXPECT_EQ(q["version"], 1);
    EXPECT_EQ(audit(id).size(), 1u);
}

// --- near-duplicate groups -------------------------------------------------------------------

TEST_F(bulk_decisions_test, near_duplicates_form_a_group_that_can_be_listed_and_decided_at_once) {
    json a = post_text("demo", "Why is the minister such an idiot about the fees?");
    json b = post_text("demo", "why is the minister such an idiot about fees??");
    json c = post_text("demo", "WHY IS THE MINISTER SUCH AN IDIOT ABOUT THE FEES");
    json other = post_text("demo", "When will the minister resign?");
    const std::int64_t group = id_of(a);
    ASSERT_GT(group, 0);
    ASSERT_TRUE(a.contains("cluster") && a["cluster"].is_object()) << a.dump();
    EXPECT_EQ(a["cluster"]["id"], group);
    EXPECT_EQ(a["cluster"]["size"], 1);
    EXPECT_EQ(b["cluster"]["id"], group) << b.dump();
    EXPECT_EQ(b["cluster"]["size"], 2);
    EXPECT_EQ(c["cluster"]["id"], group) << c.dump();
    EXPECT_EQ(c["cluster"]["size"], 3);
    EXPECT_NE(other["cluster"]["id"], group);
    EXPECT_EQ(get_question(group)["cluster"]["size"], 3);
    for (const json* q : {&a, &b, &c}) ASSERT_EQ((*q)["status"], "pending") << q->dump();

    auto list = get("/api/v1/events/demo/questions?cluster=" + std::to_string(group) + "&sort=oldest");
    ASSERT_EQ(list.status, 200u) << list;
    ASSERT_EQ(list.body["items"].size(), 3u) << list;
    EXPECT_EQ(id_of(list.body["items"][0]), group);
    EXPECT_EQ(id_of(list.body["items"][2]), id_of(c));
    expect_error(get("/api/v1/events/demo/questions?cluster=abc"), 400, "invalid_field");

    // bob holds one first; the group rejection (pending only) leaves it held.
    decide(id_of(b), "hold", "bob");
    auto ws = stream("demo");
    ASSERT_NE(ws, nullptr);
    auto r = bulk("demo", {{"action", "reject"}, {"cluster", group}, {"from", {"pending"}}, {"reason", "spam wave"}},
                  bearer(token_for("moderator", "alice")));
    ASSERT_EQ(r.status, 200u) << r;
    ASSERT_EQ(r.body["items"].size(), 2u) << r;
    EXPECT_EQ(r.body["items"][0]["id"], group);
    EXPECT_EQ(r.body["items"][1]["id"], id_of(c));
    EXPECT_EQ(r.body["more"], false) << r;
    EXPECT_EQ(get_question(group)["status"], "rejected");
    EXPECT_EQ(get_question(id_of(c))["status"], "rejected");
    EXPECT_EQ(get_question(id_of(b))["status"], "held");
    EXPECT_EQ(get_question(id_of(other))["status"], other["status"]);
    json rows = audit(group);
    ASSERT_GE(rows.size(), 2u);
    EXPECT_EQ(rows.back()["actor"], "alice");
    EXPECT_EQ(rows.back()["reason"], "spam wave");
    read_until(*ws, {{group, "rejected"}, {id_of(c), "rejected"}});

    expect_error(bulk("demo", {{"action", "reject"}, {"cluster", group}, {"ids", {group}}}), 400, "invalid_field");
    expect_error(bulk("demo", {{"action", "reject"}, {"cluster", "x"}}), 400, "invalid_field");
    expect_error(bulk("demo", {{"action", "reject"}, {"cluster", group}, {"from", {"nope"}}}), 400, "invalid_status");
}

// --- the executives' shortlist -----------------------------------------------------------------

TEST_F(bulk_decisions_test, executives_shortlist_approved_questions_moderators_read_it) {
    json approved = post_text("demo", "When will branches reopen on Saturdays?");
    ASSERT_EQ(approved["status"], "approved") << approved.dump();
    json pending = post_text("demo", review_text);
    ASSERT_EQ(pending["status"], "pending") << pending.dump();
    const std::string list = "/api/v1/events/demo/shortlist";
    const auto exec = bearer(token_for("executive", "erin"));
    const auto mod = bearer(token_for("moderator", "mo"));

    auto add = call(http::verb::post, list, json{{"question_id", id_of(approved)}}.dump(), exec);
    ASSERT_EQ(add.status, 200u) << add;
    EXPECT_EQ(id_of(add.body["question"]), id_of(approved));
    EXPECT_EQ(add.body["added_by"], "erin");
    // Again: no second entry.
    ASSERT_EQ(call(http::verb::post, list, json{{"question_id", id_of(approved)}}.dump(), exec).status, 200u);
    expect_error(call(http::verb::post, list, json{{"question_id", id_of(pending)}}.dump(), exec), 409,
                 "not_shortlistable");
    expect_error(call(http::verb::post, list, json{{"question_id", 9999999}}.dump(), exec), 404,
                 "question_not_found");
    expect_error(call(http::verb::post, list, R"({"question_id": "x"})", exec), 400, "invalid_field");

    auto read = call(http::verb::get, list, "", mod);
    ASSERT_EQ(read.status, 200u) << read;
    ASSERT_EQ(read.body["items"].size(), 1u) << read;
    EXPECT_EQ(id_of(read.body["items"][0]["question"]), id_of(approved));

    // Moderators read it but do not change it; nobody without a token does either.
    expect_error(call(http::verb::post, list, json{{"question_id", id_of(approved)}}.dump(), mod), 403, "forbidden");
    expect_error(call_anonymous(http::verb::get, list), 401, "authentication_required");
    expect_error(call(http::verb::get, list, "", bearer(token_for("api_client", "bridge"))), 403, "forbidden");

    const std::string one = list + "/" + std::to_string(id_of(approved));
    ASSERT_EQ(call(http::verb::delete_, one, "", exec).status, 200u);
    expect_error(call(http::verb::delete_, one, "", exec), 404, "not_on_shortlist");
    auto empty = call(http::verb::get, list, "", exec);
    ASSERT_EQ(empty.status, 200u) << empty;
    EXPECT_TRUE(empty.body["items"].empty()) << empty;
}

}  // namespace
}  // namespace tribune::test
