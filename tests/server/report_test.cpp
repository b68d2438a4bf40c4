// `tribune report` (issue 14; README "The event report"): run against a database this test
// made through the API, it writes one self-contained HTML page — no script, nothing fetched
// — with the moderation figures as the database holds them, the charts as inline SVG with
// a bar per state and bucket, what people asked most, and the answered questions with the
// executives' written answers; every text from the database escaped.

#include <fstream>
#include <regex>
#include <sstream>

#include "tests/server/db_check.hpp"
#include "tests/server/test_server.hpp"
#include "tests/server/tribune_process.hpp"

namespace tribune::test {
namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::size_t count_of(const std::string& hay, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
    return n;
}

class report_test : public server_test {};

TEST_F(report_test, writes_a_self_contained_page_with_what_the_database_holds) {
    ASSERT_FALSE(create_event("town", false, "Town <hall> & co").is_null());
    for (int i = 0; i < 3; ++i) post_text("town", "What will the council do about potholes?");
    const std::int64_t answered = id_of(post_text("town", clean_text));
    post_text("town", "Is the <script>alert(1)</script> budget final?");
    const std::int64_t rejected = id_of(post_text("town", review_text));
    decide(rejected, "reject", "mod", "insult");
    post_text("town", reject_text);

    // An executive writes an answer on the shortlist and marks the question answered.
    const auto exec = bearer(token_for("executive", "erin"));
    ASSERT_EQ(call(http::verb::post, "/api/v1/events/town/shortlist",
                   json{{"question_id", answered}}.dump(), exec).status, 200u);
    ASSERT_EQ(call(http::verb::patch, "/api/v1/events/town/shortlist/" + std::to_string(answered),
                   json{{"note", "Fees fall by half in March <promise>."}}.dump(), exec).status, 200u);
    ASSERT_EQ(call(http::verb::post, "/api/v1/questions/" + std::to_string(answered) + "/decision",
                   json{{"action", "answer"}}.dump(), exec).status, 200u);

    const std::string out = (temp_dir() / "report.html").string();
    std::string printed;
    const int code = run_tribune({"report", "--event", "town", "--db", current_config().db_path,
                                  "--out", out, "--bucket", "24h", "--migrations",
                                  TRIBUNE_SOURCE_DIR "/migrations"},
                                 &printed);
    ASSERT_EQ(code, 0) << printed;
    EXPECT_NE(printed.find("wrote the report of town"), std::string::npos) << printed;
    const std::string page = read_file(out);
    ASSERT_FALSE(page.empty());

    // Self-contained and safe: no script, nothing loaded from elsewhere, texts escaped.
    EXPECT_EQ(page.rfind("<!doctype html>", 0), 0u);
    EXPECT_EQ(page.find("<script"), std::string::npos);
    EXPECT_EQ(page.find("src="), std::string::npos);
    EXPECT_EQ(page.find("<link"), std::string::npos);
    EXPECT_NE(page.find("Town &lt;hall&gt; &amp; co"), std::string::npos);
    EXPECT_NE(page.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);

    // The moderation figures as the database holds them.
    auto states = query_rows(current_config().db_path,
                             "SELECT status, count(*) FROM questions GROUP BY status");
    for (const auto& row : states)
        EXPECT_NE(page.find("<tr><th>" + row[0] + "</th><td class=\"n\">" + row[1] + "</td></tr>"),
                  std::string::npos) << row[0];
    auto humans = query_rows(current_config().db_path,
                             "SELECT count(*) FROM decisions WHERE action <> 'auto'");
    EXPECT_NE(page.find("<tr><th>Decisions by people</th><td class=\"n\">" + humans[0][0] + "</td></tr>"),
              std::string::npos);
    EXPECT_NE(page.find("<td>erin</td>"), std::string::npos);

    // The charts: inline SVG, one bar per state present in a bucket, a line per attribute.
    EXPECT_GE(count_of(page, "<svg"), 3u);
    EXPECT_EQ(count_of(page, "<rect class=\"arrival\""), states.size());  // one bucket of a day
    EXPECT_EQ(count_of(page, "<polyline class=\"share\""), 6u);
    EXPECT_GE(count_of(page, "<rect class=\"language\""), 1u);

    // What people asked most, first; the answered question with its written answer.
    const auto groups = page.find("<table id=\"groups\">");
    ASSERT_NE(groups, std::string::npos);
    EXPECT_NE(page.find("<td class=\"n\">3</td><td>What will the council do about potholes?</td>", groups),
              std::string::npos);
    const auto answers = page.find("<ol id=\"answered\">");
    ASSERT_NE(answers, std::string::npos);
    EXPECT_NE(page.find(std::string(clean_text), answers), std::string::npos);
    EXPECT_NE(page.find("Fees fall by half in March &lt;promise&gt;.", answers), std::string::npos);

    // An unknown event or database fails with a line saying so; a missing --event is usage.
    std::string err;
    EXPECT_EQ(run_tribune({"report", "--event", "nope", "--db", current_config().db_path, "--migrations",
                           TRIBUNE_SOURCE_DIR "/migrations"}, &err), 1);
    EXPECT_NE(err.find("event"), std::string::npos) << err;
    EXPECT_EQ(run_tribune({"report", "--event", "town", "--db", (temp_dir() / "none.db").string()}, &err), 1);
    EXPECT_EQ(run_tribune({"report", "--db", current_config().db_path}, &err), 2);
}

}  // namespace
}  // namespace tribune::test
