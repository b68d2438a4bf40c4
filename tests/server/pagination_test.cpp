// Listing questions: keyset pagination, order, status filter and query validation
// (docs/api.md "Questions": GET .../questions).

#include <algorithm>
#include <set>

#include "tests/server/test_server.hpp"

namespace tribune::test {
namespace {

class pagination_test : public server_test {
protected:
    void SetUp() override {
        server_test::SetUp();
        if (HasFatalFailure()) return;
        create_event("paging", false);
        for (int i = 0; i < 7; ++i)
            ids_.push_back(id_of(post_text("paging", "Paged question " + std::to_string(i) + "?")));
        ASSERT_FALSE(HasFailure());
    }

    // GET one page; asserts 200 and the page shape.
    json page(const std::string& query) {
        auto r = get("/api/v1/events/paging/questions?" + query);
        EXPECT_EQ(r.status, 200u) << query << ": " << r;
        EXPECT_TRUE(r.body.is_object() && r.body.contains("items") && r.body["items"].is_array() &&
                    r.body.contains("next_cursor"))
            << query << ": " << r;
        return r.body;
    }

    static std::vector<std::int64_t> ids_in(const json& p) {
        std::vector<std::int64_t> out;
        if (p.is_object() && p.contains("items"))
            for (const auto& q : p["items"]) out.push_back(id_of(q));
        return out;
    }

    std::vector<std::int64_t> ids_;  // in posting order
};

TEST_F(pagination_test, pages_of_three_newest_first_without_duplicates_or_gaps) {
    json p1 = page("limit=3");
    ASSERT_TRUE(p1["next_cursor"].is_string()) << p1.dump();
    json p2 = page("limit=3&cursor=" + url_encode(p1["next_cursor"].get<std::string>()));
    ASSERT_TRUE(p2["next_cursor"].is_string()) << p2.dump();
    json p3 = page("limit=3&cursor=" + url_encode(p2["next_cursor"].get<std::string>()));
    EXPECT_TRUE(p3["next_cursor"].is_null()) << "last page: " << p3.dump();

    EXPECT_EQ(ids_in(p1).size(), 3u);
    EXPECT_EQ(ids_in(p2).size(), 3u);
    EXPECT_EQ(ids_in(p3).size(), 1u);
    std::vector<std::int64_t> all;
    for (const json* p : {&p1, &p2, &p3})
        for (auto id : ids_in(*p)) all.push_back(id);
    std::vector<std::int64_t> expected(ids_.rbegin(), ids_.rend());
    EXPECT_EQ(all, expected) << "newest first, every question exactly once";

    for (const auto& q : p1["items"]) ASSERT_NO_FATAL_FAILURE(expect_question_shape(q));
    // created_at never increases along the newest-first listing.
    std::string prev = "9999";
    for (const json* p : {&p1, &p2, &p3})
        for (const auto& q : (*p)["items"]) {
            EXPECT_LE(q["created_at"].get<std::string>(), prev);
            prev = q["created_at"].get<std::string>();
        }
}

TEST_F(pagination_test, explicit_newest_and_oldest_order) {
    EXPECT_EQ(ids_in(page("order=newest")), std::vector<std::int64_t>(ids_.rbegin(), ids_.rend()));
    auto all = list_all("paging", "order=oldest&limit=3");
    std::vector<std::int64_t> got;
    for (const auto& q : all) got.push_back(id_of(q));
    EXPECT_EQ(got, ids_) << "oldest first across pages";
    json p1 = page("order=oldest&limit=3");
    EXPECT_EQ(ids_in(p1), std::vector<std::int64_t>(ids_.begin(), ids_.begin() + 3));
}

TEST_F(pagination_test, a_new_question_does_not_shift_later_pages) {
    json p1 = page("limit=3");
    ASSERT_TRUE(p1["next_cursor"].is_string());
    post_text("paging", "Arrived while paging?");
    json p2 = page("limit=3&cursor=" + url_encode(p1["next_cursor"].get<std::string>()));
    EXPECT_EQ(ids_in(p2), (std::vector<std::int64_t>{ids_[3], ids_[2], ids_[1]}));
}

TEST_F(pagination_test, default_limit_is_50) {
    for (int i = 7; i < 55; ++i) post_text("paging", "More " + std::to_string(i) + "?");
    json p = page("");
    EXPECT_EQ(p["items"].size(), 50u);
    EXPECT_TRUE(p["next_cursor"].is_string());
    EXPECT_EQ(page("limit=500")["items"].size(), 55u);
    EXPECT_EQ(page("limit=1")["items"].size(), 1u);
}

TEST_F(pagination_test, status_filter_single_and_comma_separated) {
    decide(ids_[1], "reject", "alice");
    decide(ids_[4], "reject", "alice");
    decide(ids_[5], "hold", "alice");

    EXPECT_EQ(ids_in(page("status=rejected")), (std::vector<std::int64_t>{ids_[4], ids_[1]}));
    EXPECT_EQ(ids_in(page("status=held")), (std::vector<std::int64_t>{ids_[5]}));
    EXPECT_EQ(ids_in(page("status=approved")),
              (std::vector<std::int64_t>{ids_[6], ids_[3], ids_[2], ids_[0]}));
    EXPECT_EQ(ids_in(page("status=rejected,held")),
              (std::vector<std::int64_t>{ids_[5], ids_[4], ids_[1]}));
    EXPECT_TRUE(page("status=pending")["items"].empty());

    // Filter and pagination together.
    auto approved = list_all("paging", "status=approved&limit=1");
    std::vector<std::int64_t> got;
    for (const auto& q : approved) {
        got.push_back(id_of(q));
        EXPECT_EQ(q["status"], "approved");
    }
    EXPECT_EQ(got, (std::vector<std::int64_t>{ids_[6], ids_[3], ids_[2], ids_[0]}));
}

TEST_F(pagination_test, bad_query_parameters_answer_400) {
    const std::string base = "/api/v1/events/paging/questions?";
    expect_error(get(base + "cursor=not-a-cursor!!"), 400, "invalid_cursor");
    expect_error(get(base + "cursor=" + url_encode("\x01\x02")), 400, "invalid_cursor");
    expect_error(get(base + "limit=0"), 400, "invalid_limit");
    expect_error(get(base + "limit=501"), 400, "invalid_limit");
    expect_error(get(base + "limit=-3"), 400, "invalid_limit");
    expect_error(get(base + "limit=ten"), 400, "invalid_limit");
    expect_error(get(base + "limit=3x"), 400, "invalid_limit");
    expect_error(get(base + "limit=99999999999999999999999"), 400, "invalid_limit");
    expect_error(get(base + "status=bogus"), 400, "invalid_status");
    expect_error(get(base + "status=pending,bogus"), 400, "invalid_status");
    expect_error(get("/api/v1/events/nope/questions"), 404, "event_not_found");
    EXPECT_EQ(get("/healthz").status, 200u);
}

}  // namespace
}  // namespace tribune::test
