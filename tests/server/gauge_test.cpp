// The gauge of public opinion and the export (issue 14; docs/api.md "Stats", "Export"): the
// stats equal what the database holds, executives read numbers about approved questions
// only, a bad bucket answers 400; the export streams every question with its scores, group,
// state and audit trail as the database holds them, in pages (a chunk per page), also for an
// event of 100,000 questions; who may read what.

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "core/service/export_service.hpp"
#include "core/sqlite/sqlite_store.hpp"
#include "core/text/prepared_text.hpp"
#include "tests/server/db_check.hpp"
#include "tests/server/test_server.hpp"

namespace tribune::test {
namespace {

using namespace std::chrono_literals;

// A whole response read with the size of each chunk of its body.
struct chunked_reply {
    unsigned status = 0;
    std::string body;
    std::vector<std::size_t> chunks;  // the sizes of the body's chunks, in order
    bool chunked = false;
    std::string content_type;
};

chunked_reply fetch_chunked(std::uint16_t port, const std::string& target,
                            const std::string& token) {
    chunked_reply out;
    net::io_context ioc;
    beast::tcp_stream s(ioc);
    s.expires_after(120s);
    beast::error_code ec;
    s.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
    if (ec) {
        ADD_FAILURE() << "connect: " << ec.message();
        return out;
    }
    http::request<http::empty_body> req{http::verb::get, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::authorization, "Bearer " + token);
    http::write(s, req, ec);
    beast::flat_buffer buf;
    http::response_parser<http::string_body> p;
    p.body_limit(std::numeric_limits<std::uint64_t>::max());
    auto on_chunk = [&](std::uint64_t size, beast::string_view, beast::error_code&) {
        if (size > 0) out.chunks.push_back(static_cast<std::size_t>(size));
    };
    p.on_chunk_header(on_chunk);
    if (!ec) http::read(s, buf, p, ec);
    if (ec) {
        ADD_FAILURE() << "read: " << ec.message();
        return out;
    }
    out.status = p.get().result_int();
    out.chunked = p.get().chunked();
    out.content_type = std::string(p.get()[http::field::content_type]);
    out.body = std::move(p.get().body());
    return out;
}

std::vector<json> jsonl(const std::string& body) {
    std::vector<json> out;
    std::istringstream in(body);
    std::string line;
    while (std::getline(in, line)) out.push_back(json::parse(line));
    return out;
}

// RFC 4180 records (quoted fields may hold CR LF).
std::vector<std::vector<std::string>> parse_csv(const std::string& body) {
    std::vector<std::vector<std::string>> rows(1);
    std::string field;
    bool quoted = false;
    for (std::size_t i = 0; i < body.size(); ++i) {
        const char c = body[i];
        if (quoted) {
            if (c == '"' && i + 1 < body.size() && body[i + 1] == '"') field += body[++i];
            else if (c == '"') quoted = false;
            else field += c;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            rows.back().push_back(std::move(field));
            field.clear();
        } else if (c == '\r' && i + 1 < body.size() && body[i + 1] == '\n') {
            rows.back().push_back(std::move(field));
            field.clear();
            rows.emplace_back();
            ++i;
        } else {
            field += c;
        }
    }
    if (rows.back().empty()) rows.pop_back();
    return rows;
}

class gauge_test : public server_test {
protected:
    const std::string& db_path() const { return current_config().db_path; }

    // The event's questions as the database holds them: id, status, text, version, group,
    // audit rows, oldest first.
    std::vector<std::vector<std::string>> held(const std::string& slug) {
        return query_rows(db_path(),
                          "SELECT q.id, q.status, q.text, q.version, coalesce(q.cluster_id, q.id), "
                          "(SELECT count(*) FROM decisions d WHERE d.question_id = q.id), "
                          "(SELECT group_concat(d.action, ' ') FROM (SELECT action FROM decisions "
                          "WHERE question_id = q.id ORDER BY id) d) "
                          "FROM questions q JOIN events e ON e.id = q.event_id WHERE e.slug = '" +
                              slug + "' ORDER BY q.id");
    }

    // An event with approved, pending, auto-rejected and moderator-rejected questions, a
    // group of three, and an answered one.
    void make_town() {
        ASSERT_FALSE(create_event("town", false).is_null());
        for (int i = 0; i < 3; ++i) post_text("town", clean_text);
        post_text("town", "How will the council fund the new library?");
        const std::int64_t answered = id_of(post_text("town", "When do the buses run again?"));
        auto r = call(http::verb::post, "/api/v1/questions/" + std::to_string(answered) + "/decision",
                      json{{"action", "answer"}}.dump(), bearer(token_for("executive", "erin")));
        ASSERT_EQ(r.status, 200u) << r;
        post_text("town", review_text);
        const std::int64_t rejected = id_of(post_text("town", "Why is the mayor such an idiot?"));
        decide(rejected, "reject", "mod", "insult");
        post_text("town", reject_text);
        post_text("town", "Quand la piscine ouvre-t-elle ?");
    }
};

TEST_F(gauge_test, stats_equal_what_the_database_holds) {
    ASSERT_NO_FATAL_FAILURE(make_town());
    auto r = get("/api/v1/events/town/stats?bucket=60s");
    ASSERT_EQ(r.status, 200u) << r;
    const json& s = r.body;
    EXPECT_EQ(s["bucket_seconds"], 60.0);
    EXPECT_FALSE(s["public_only"].get<bool>());

    // Totals and states.
    auto states = query_rows(db_path(), "SELECT status, count(*) FROM questions GROUP BY status");
    std::int64_t total = 0;
    for (const auto& row : states) {
        EXPECT_EQ(s["by_status"][row[0]], std::stoll(row[1])) << row[0];
        total += std::stoll(row[1]);
    }
    EXPECT_EQ(s["total"], total);
    EXPECT_EQ(total, 9);

    // Arrivals: each bucket is a minute, dense, and the columns add up to the states.
    const json& a = s["arrivals"];
    ASSERT_FALSE(a["start"].empty());
    EXPECT_EQ(a["start"][0], s["first_bucket_start"]);
    for (std::size_t i = 1; i < a["start"].size(); ++i)
        EXPECT_EQ(a["start"][i].get<std::int64_t>() - a["start"][i - 1].get<std::int64_t>(), 60'000);
    for (const auto& row : states) {
        std::int64_t sum = 0;
        for (const json& n : a[row[0]]) sum += n.get<std::int64_t>();
        EXPECT_EQ(sum, std::stoll(row[1])) << row[0];
    }
    auto per_minute = query_rows(db_path(),
                                 "SELECT (created_at / 60000) * 60000, count(*) FROM questions "
                                 "GROUP BY 1 ORDER BY 1");
    for (const auto& row : per_minute) {
        const auto start = std::stoll(row[0]);
        auto it = std::find(a["start"].begin(), a["start"].end(), json(start));
        ASSERT_NE(it, a["start"].end()) << start;
        const auto i = static_cast<std::size_t>(it - a["start"].begin());
        std::int64_t n = 0;
        for (const char* st : {"pending", "approved", "rejected", "auto_rejected", "held", "answered"})
            n += a[st][i].get<std::int64_t>();
        EXPECT_EQ(n, std::stoll(row[1]));
    }

    // Attributes: the mean and the share over the threshold per bucket, as SQL computes them.
    const json& attrs = s["attributes"];
    auto insult = query_rows(db_path(),
                             "SELECT (created_at / 60000) * 60000, avg(s_insult), "
                             "avg(s_insult >= 0.5), count(*) FROM questions GROUP BY 1 ORDER BY 1");
    for (const auto& row : insult) {
        auto it = std::find(attrs["start"].begin(), attrs["start"].end(), json(std::stoll(row[0])));
        ASSERT_NE(it, attrs["start"].end());
        const auto i = static_cast<std::size_t>(it - attrs["start"].begin());
        EXPECT_NEAR(attrs["insult"]["mean"][i].get<double>(), std::stod(row[1]), 1e-4);
        EXPECT_NEAR(attrs["insult"]["share"][i].get<double>(), std::stod(row[2]), 1e-4);
        EXPECT_EQ(attrs["questions"][i], std::stoll(row[3]));
    }

    // Groups: the largest first, sizes as the database counts them.
    auto sizes = query_rows(db_path(),
                            "SELECT coalesce(cluster_id, id), count(*) FROM questions GROUP BY 1 "
                            "ORDER BY 2 DESC, 1 LIMIT 1");
    ASSERT_FALSE(s["groups"].empty());
    EXPECT_EQ(s["groups"][0]["cluster_id"], std::stoll(sizes[0][0]));
    EXPECT_EQ(s["groups"][0]["size"], 3);
    EXPECT_EQ(s["groups"][0]["question"]["text"], clean_text);

    // Languages, as the database holds them.
    auto langs = query_rows(db_path(), "SELECT lang, count(*) FROM questions GROUP BY lang");
    std::map<std::string, std::int64_t> got;
    for (const json& l : s["languages"]) got[l["lang"]] = l["questions"];
    ASSERT_EQ(got.size(), langs.size());
    for (const auto& row : langs) EXPECT_EQ(got[row[0]], std::stoll(row[1])) << row[0];

    // Words: present for a moderator (the lists may be short on so few questions).
    EXPECT_TRUE(s["words"].is_object());
    EXPECT_TRUE(s["words"]["rejected"].is_array());
}

TEST_F(gauge_test, executives_read_numbers_about_approved_questions_only) {
    ASSERT_NO_FATAL_FAILURE(make_town());
    const auto exec = bearer(token_for("executive", "erin"));
    auto r = call(http::verb::get, "/api/v1/events/town/stats", {}, exec);
    ASSERT_EQ(r.status, 200u) << r;
    const json& s = r.body;
    EXPECT_TRUE(s["public_only"].get<bool>());
    auto pub = query_rows(db_path(),
                          "SELECT count(*) FROM questions WHERE status IN ('approved', 'answered')");
    EXPECT_EQ(s["total"], std::stoll(pub[0][0]));
    EXPECT_EQ(s["by_status"].size(), 2u) << s["by_status"].dump();
    EXPECT_FALSE(s["by_status"].contains("rejected"));
    EXPECT_FALSE(s["arrivals"].contains("pending"));
    std::int64_t arrived = 0;
    for (const char* st : {"approved", "answered"})
        for (const json& n : s["arrivals"][st]) arrived += n.get<std::int64_t>();
    EXPECT_EQ(arrived, std::stoll(pub[0][0]));
    EXPECT_TRUE(s["attributes"].is_null()) << "no scores unless the event allows them";
    EXPECT_TRUE(s["words"].is_null()) << "words come from rejected texts";
    for (const json& g : s["groups"]) {
        ASSERT_TRUE(g["question"].is_object()) << g.dump();
        const std::string st = g["question"]["status"];
        EXPECT_TRUE(st == "approved" || st == "answered") << g.dump();
        EXPECT_FALSE(g["question"].contains("scores"));
    }
    std::int64_t langs = 0;
    for (const json& l : s["languages"]) langs += l["questions"].get<std::int64_t>();
    EXPECT_EQ(langs, std::stoll(pub[0][0]));

    auto on = call(http::verb::put, "/api/v1/events/town/settings",
                   json{{"executives_see_scores", true}}.dump());
    ASSERT_EQ(on.status, 200u) << on;
    r = call(http::verb::get, "/api/v1/events/town/stats", {}, exec);
    ASSERT_EQ(r.status, 200u) << r;
    EXPECT_TRUE(r.body["attributes"].is_object());
    EXPECT_EQ(r.body["attributes"]["questions"].size(), r.body["arrivals"]["start"].size());
    EXPECT_TRUE(r.body["words"].is_null());
}

TEST_F(gauge_test, bad_parameters_answer_400_and_roles_are_enforced) {
    ASSERT_NO_FATAL_FAILURE(make_town());
    for (const char* bad : {"bucket=0s", "bucket=abc", "bucket=500ms", "bucket=2d", "bucket=",
                            "bucket=25h", "threshold=2", "groups=0", "words=x"}) {
        auto r = get(std::string("/api/v1/events/town/stats?") + bad);
        EXPECT_EQ(r.status, 400u) << bad << r;
        EXPECT_FALSE(r.error_code().empty()) << bad;
    }
    expect_error(get("/api/v1/events/town/stats?bucket=0s"), 400, "invalid_bucket");
    for (const char* ok : {"bucket=30s", "bucket=5m", "bucket=1h", "bucket=120"})
        EXPECT_EQ(get(std::string("/api/v1/events/town/stats?") + ok).status, 200u) << ok;
    expect_error(get("/api/v1/events/nowhere/stats"), 404, "event_not_found");
    expect_error(get("/api/v1/events/town/export?format=xml"), 400, "invalid_field");

    const auto client = bearer(token_for("api_client", "bridge"));
    EXPECT_EQ(call(http::verb::get, "/api/v1/events/town/stats", {}, client).status, 403u);
    const auto exec = bearer(token_for("executive", "erin"));
    EXPECT_EQ(call(http::verb::get, "/api/v1/events/town/export?format=csv", {}, exec).status, 403u);
    ASSERT_FALSE(create_event("other", false).is_null());
    const auto elsewhere = bearer(token_for("moderator", "olga", "other"));
    EXPECT_EQ(call(http::verb::get, "/api/v1/events/town/stats", {}, elsewhere).status, 403u);
    EXPECT_EQ(call(http::verb::get, "/api/v1/events/town/export", {}, elsewhere).status, 403u);
    EXPECT_EQ(call_anonymous(http::verb::get, "/api/v1/events/town/stats").status, 401u);
    EXPECT_EQ(call_anonymous(http::verb::get, "/api/v1/events/town/export").status, 401u);
    const auto mod = bearer(token_for("moderator", "mia", "town"));
    EXPECT_EQ(call(http::verb::get, "/api/v1/events/town/stats", {}, mod).status, 200u);
    EXPECT_EQ(call(http::verb::get, "/api/v1/events/town/export", {}, mod).status, 200u);
}

TEST_F(gauge_test, export_jsonl_and_csv_equal_what_the_database_holds) {
    ASSERT_NO_FATAL_FAILURE(make_town());
    post_text("town", "=cmd|' /C calc'!A0, \"quoted\"\nnext line");
    const auto rows = held("town");
    ASSERT_EQ(rows.size(), 10u);

    auto j = fetch_chunked(port(), "/api/v1/events/town/export?format=jsonl", admin_token());
    ASSERT_EQ(j.status, 200u) << j.body;
    EXPECT_TRUE(j.chunked);
    EXPECT_EQ(j.content_type, "application/x-ndjson");
    auto lines = jsonl(j.body);
    ASSERT_EQ(lines.size(), rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const json& q = lines[i];
        EXPECT_EQ(q["id"], std::stoll(rows[i][0]));
        EXPECT_EQ(q["status"], rows[i][1]);
        EXPECT_EQ(q["text"], rows[i][2]);
        EXPECT_EQ(q["version"], std::stoll(rows[i][3]));
        EXPECT_EQ(q["cluster"]["id"], std::stoll(rows[i][4]));
        ASSERT_EQ(q["trail"].size(), std::stoul(rows[i][5])) << q.dump();
        std::string actions;
        for (const json& d : q["trail"]) actions += (actions.empty() ? "" : " ") + d["action"].get<std::string>();
        EXPECT_EQ(actions, rows[i][6]);
        EXPECT_TRUE(q.contains("scores"));
    }

    auto c = fetch_chunked(port(), "/api/v1/events/town/export?format=csv", admin_token());
    ASSERT_EQ(c.status, 200u) << c.body;
    EXPECT_EQ(c.content_type, "text/csv; charset=utf-8");
    auto records = parse_csv(c.body);
    ASSERT_EQ(records.size(), rows.size() + 1);
    const auto& header = records[0];
    const auto col = [&](const char* name) {
        return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
    };
    ASSERT_LT(col("trail"), header.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& rec = records[i + 1];
        ASSERT_EQ(rec.size(), header.size()) << i;
        EXPECT_EQ(rec[col("id")], rows[i][0]);
        EXPECT_EQ(rec[col("status")], rows[i][1]);
        // A text that a spreadsheet would run as a formula starts with ' in the CSV.
        const std::string& text = rows[i][2];
        EXPECT_EQ(rec[col("text")], text.front() == '=' ? "'" + text : text);
        EXPECT_EQ(rec[col("cluster_id")], rows[i][4]);
        EXPECT_EQ(json::parse(rec[col("trail")]).size(), std::stoul(rows[i][5]));
    }
}

TEST_F(gauge_test, an_export_of_100000_questions_streams_page_by_page_and_equals_the_database) {
    ASSERT_FALSE(create_event("big", false).is_null());
    constexpr int total = 100'000;
    {
        // Straight into the store (a second connection to the server's database), for speed.
        auto opened = sqlite_store::open(db_path(), TRIBUNE_SOURCE_DIR "/migrations");
        ASSERT_TRUE(opened.is_ok()) << opened.error().message();
        auto& db = **opened;
        auto ev = db.find_event("big");
        ASSERT_TRUE(ev.is_ok());
        const question_status states[] = {question_status::pending, question_status::approved,
                                          question_status::auto_rejected, question_status::held};
        for (int start = 0; start < total; start += 5000) {
            std::vector<question_insert> batch;
            for (int i = start; i < start + 5000; ++i) {
                question_insert in;
                in.q.event_id = ev->id;
                in.q.event = "big";
                in.q.text = "Question number " + std::to_string(i) + " about the budget, \"quoted\"";
                in.q.status = states[i % 4];
                in.q.verdict = "bulk";
                in.q.scored.lang = i % 3 == 0 ? "fr" : "en";
                in.q.scored.values[attribute::toxicity] = static_cast<float>(i % 100) / 100.0f;
                in.search_text = in.q.text;
                if (i % 10 == 9) in.group = group_choice::join_item(static_cast<std::size_t>(i - start - 1));
                batch.push_back(std::move(in));
            }
            auto r = db.insert_batch(batch);
            ASSERT_TRUE(r.is_ok()) << r.error().message();
        }
        // A moderator's decision on some, for trails of two rows.
        std::vector<decision_request> ds;
        auto first = query_rows(db_path(), "SELECT min(id) FROM questions WHERE event_id = " +
                                               std::to_string(ev->id));
        const std::int64_t base = std::stoll(first[0][0]);
        for (std::int64_t id = base; id < base + total; id += 97)
            ds.push_back({id, question_status::rejected, "reject", "mod", "bulk", std::nullopt, {}, {}});
        ASSERT_TRUE(db.apply_decisions(ds).is_ok());
    }
    const auto rows = held("big");
    ASSERT_EQ(rows.size(), static_cast<std::size_t>(total));

    auto j = fetch_chunked(port(), "/api/v1/events/big/export?format=jsonl", admin_token());
    ASSERT_EQ(j.status, 200u);
    ASSERT_TRUE(j.chunked);
    // Bounded memory, structurally: the body comes one page of questions per chunk.
    const std::size_t pages = (total + export_service::page_size - 1) / export_service::page_size;
    EXPECT_GE(j.chunks.size(), pages);
    std::size_t offset = 0;
    std::size_t most_lines = 0;
    for (std::size_t size : j.chunks) {
        most_lines = std::max<std::size_t>(
            most_lines, static_cast<std::size_t>(std::count(j.body.begin() + static_cast<std::ptrdiff_t>(offset),
                                                            j.body.begin() + static_cast<std::ptrdiff_t>(offset + size), '\n')));
        offset += size;
    }
    EXPECT_EQ(offset, j.body.size());
    EXPECT_EQ(most_lines, export_service::page_size);

    auto lines = jsonl(j.body);
    ASSERT_EQ(lines.size(), rows.size());
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const json& q = lines[i];
        const bool same = q["id"] == std::stoll(rows[i][0]) && q["status"] == rows[i][1] &&
                          q["text"] == rows[i][2] && q["version"] == std::stoll(rows[i][3]) &&
                          q["cluster"]["id"] == std::stoll(rows[i][4]) &&
                          q["trail"].size() == std::stoul(rows[i][5]);
        if (!same && mismatches++ < 3) ADD_FAILURE() << "row " << i << ": " << q.dump();
    }
    EXPECT_EQ(mismatches, 0u);

    auto c = fetch_chunked(port(), "/api/v1/events/big/export?format=csv", admin_token());
    ASSERT_EQ(c.status, 200u);
    EXPECT_GE(c.chunks.size(), pages);
    EXPECT_EQ(parse_csv(c.body).size(), rows.size() + 1);
}

}  // namespace
}  // namespace tribune::test
