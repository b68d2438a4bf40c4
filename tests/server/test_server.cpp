#include "tests/server/test_server.hpp"

#include "core/service/access_service.hpp"
#include "core/store/open_store.hpp"
#include "tests/postgres/test_postgres.hpp"

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <system_error>

#include "core/classify/placeholder_classifier.hpp"

namespace tribune::test {
namespace {

// TRIBUNE_TEST_BACKEND=postgresql: every test runs on a new database of the PostgreSQL test
// cluster (tests/postgres/pg-cluster) rather than a SQLite file — the PostgreSQL run of a
// subset of the suite (tests/server/CMakeLists.txt, server_suite_on_postgresql).
bool on_postgres() {
    const char* backend = std::getenv("TRIBUNE_TEST_BACKEND");
    return backend != nullptr && std::string_view(backend) == "postgresql";
}

bool is_postgres_url(const std::string& db) { return db.rfind("postgresql://", 0) == 0; }

}  // namespace

void server_test::SetUp() {
    if (on_postgres()) {
        std::string why;
        // Kept in cfg_ until the first start, which default_config() reads it from.
        cfg_.db_path = testing::fresh_postgres_database(&why);
        if (cfg_.db_path.empty()) GTEST_SKIP() << why;
    }
    std::string pattern =
        (std::filesystem::temp_directory_path() / "tribune-itest-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr) << "mkdtemp failed";
    dir_ = pattern;
    if (start_in_setup()) {
        ASSERT_NO_FATAL_FAILURE(start_default());
    }
}

void server_test::TearDown() {
    stop();
    if (!dir_.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
}

server::config server_test::default_config() const {
    server::config cfg;
    cfg.address = "127.0.0.1";
    cfg.port = 0;
    cfg.db_path = is_postgres_url(cfg_.db_path) ? cfg_.db_path : (dir_ / "tribune.db").string();
    cfg.quiet = true;
    cfg.web_root = std::string(TRIBUNE_SOURCE_DIR) + "/web";
    cfg.migrations_dir = std::string(TRIBUNE_SOURCE_DIR) + "/migrations";
    // Limits have their own tests; here a test may send requests as fast as it likes.
    cfg.rate_per_ip = 0;
    cfg.rate_per_token = 0;
    cfg.rate_audience_per_minute = 0;
    return cfg;
}

std::string server_test::token_for(std::string_view role_name, std::string_view name,
                                   std::string_view event) {
    const std::string key = std::string(role_name) + "/" + std::string(name) + "/" + std::string(event);
    if (auto it = tokens_.find(key); it != tokens_.end()) return it->second;
    // A second connection to the same database, as `tribune token create` would use.
    auto db = open_store(cfg_.db_path.empty() ? default_config().db_path : cfg_.db_path,
                         std::string(TRIBUNE_SOURCE_DIR) + "/migrations", 1);
    EXPECT_TRUE(db.is_ok()) << db.error().message();
    if (!db) return {};
    access_service access(**db);
    auto r = role_from_string(role_name);
    EXPECT_TRUE(r.has_value()) << role_name;
    auto t = access.create_token(std::string(name), r.value_or(role::moderator),
                                 event.empty() ? std::nullopt : std::optional<std::string>(event));
    EXPECT_TRUE(t.is_ok()) << t.error().message();
    if (!t) return {};
    return tokens_[key] = t->secret;
}

void server_test::start(server::config cfg, std::unique_ptr<classifier> model,
                        std::unique_ptr<question_signal> signal) {
    ASSERT_EQ(app_, nullptr) << "start() while a server is running";
    cfg_ = cfg;
    auto created = server::app::create(std::move(cfg), std::move(model), std::move(signal));
    ASSERT_TRUE(created.is_ok()) << "app::create failed: " << created.error().code() << ": "
                                 << created.error().message();
    app_ = std::move(created).value();
    app_->start();
    port_ = app_->port();
    ASSERT_NE(port_, 0) << "port() after start() with port = 0";
    if (admin_token_.empty()) admin_token_ = token_for("admin", "test-admin");
}

void server_test::start_with(const std::function<void(server::config&)>& change) {
    server::config cfg = default_config();
    change(cfg);
    start(std::move(cfg), std::make_unique<placeholder_classifier>());
}

void server_test::restart_with(const std::function<void(server::config&)>& change) {
    stop();
    start_with(change);
}

void server_test::start_default() {
    start(default_config(), std::make_unique<placeholder_classifier>());
}

void server_test::stop() {
    if (app_ == nullptr) return;
    app_->stop();
    app_.reset();
    port_ = 0;
}

// --- HTTP ------------------------------------------------------------------------------

namespace {

bool has_credentials(const header_list& headers) {
    for (const auto& [name, value] : headers)
        if (boost::beast::iequals(name, "Authorization") || boost::beast::iequals(name, "Cookie")) return true;
    return false;
}

}  // namespace

http_response server_test::call(http::verb method, std::string_view target, std::string body,
                                const header_list& headers) const {
    if (has_credentials(headers)) return http_call(port_, method, target, std::move(body), headers);
    header_list with = headers;
    with.emplace_back("Authorization", "Bearer " + admin_token_);
    return http_call(port_, method, target, std::move(body), with);
}

http_response server_test::call_anonymous(http::verb method, std::string_view target,
                                          std::string body, const header_list& headers) const {
    return http_call(port_, method, target, std::move(body), headers);
}

http_response server_test::get(std::string_view target) const {
    return call(http::verb::get, target);
}

http_response server_test::post(std::string_view target, const json& body) const {
    return call(http::verb::post, target, body.dump());
}

json server_test::create_event(std::string_view slug, bool premoderate, std::string_view title) {
    json body = {{"slug", slug},
                 {"title", title.empty() ? std::string("Event ") + std::string(slug)
                                         : std::string(title)},
                 {"premoderate", premoderate}};
    auto r = post("/api/v1/events", body);
    EXPECT_EQ(r.status, 201u) << "creating event " << slug << ": " << r;
    if (r.status != 201) return {};
    return r.body;
}

json server_test::post_question(std::string_view slug, const json& body,
                                unsigned expected_status) {
    auto r = post("/api/v1/events/" + std::string(slug) + "/questions", body);
    EXPECT_EQ(r.status, expected_status) << "posting " << body.dump() << ": " << r;
    if (r.status != expected_status) return {};
    return r.body;
}

json server_test::post_text(std::string_view slug, std::string_view text) {
    return post_question(slug, json{{"text", text}});
}

json server_test::decide(std::int64_t id, std::string_view action, std::string_view moderator,
                         std::string_view reason) {
    json body = {{"action", action}};
    if (!reason.empty()) body["reason"] = reason;
    // The moderator's own token: the audit trail names whoever holds the token.
    auto r = call(http::verb::post, "/api/v1/questions/" + std::to_string(id) + "/decision",
                  body.dump(), bearer(token_for("moderator", moderator)));
    EXPECT_EQ(r.status, 200u) << "decision " << body.dump() << " on " << id << ": " << r;
    if (r.status != 200) return {};
    return r.body;
}

json server_test::get_question(std::int64_t id) {
    auto r = get("/api/v1/questions/" + std::to_string(id));
    EXPECT_EQ(r.status, 200u) << "GET question " << id << ": " << r;
    if (r.status != 200) return {};
    return r.body;
}

std::vector<json> server_test::list_all(std::string_view slug, std::string_view query) {
    std::vector<json> out;
    std::string base = "/api/v1/events/" + std::string(slug) + "/questions?" + std::string(query);
    std::string cursor;
    for (int page = 0; page < 1000; ++page) {
        std::string target = base;
        if (!cursor.empty()) target += (query.empty() ? "" : "&") + ("cursor=" + url_encode(cursor));
        auto r = get(target);
        EXPECT_EQ(r.status, 200u) << "GET " << target << ": " << r;
        if (r.status != 200 || !r.body.contains("items") || !r.body["items"].is_array()) {
            ADD_FAILURE() << "GET " << target << " is not a page: " << r;
            return out;
        }
        for (const auto& q : r.body["items"]) out.push_back(q);
        if (!r.body.contains("next_cursor")) {
            ADD_FAILURE() << "page without next_cursor: " << r;
            return out;
        }
        const json& next = r.body["next_cursor"];
        if (next.is_null()) return out;
        if (!next.is_string()) {
            ADD_FAILURE() << "next_cursor is neither a string nor null: " << r;
            return out;
        }
        cursor = next.get<std::string>();
    }
    ADD_FAILURE() << "pagination of " << base << " did not end";
    return out;
}

// --- WebSocket -------------------------------------------------------------------------

std::unique_ptr<ws_client> server_test::open_stream(std::string_view slug, std::string_view query,
                                                    const header_list& headers) {
    std::string target = "/api/v1/events/" + std::string(slug) + "/stream";
    if (!query.empty()) target += "?" + std::string(query);
    std::string error;
    auto ws = ws_client::connect(port_, target, &error, default_ws_timeout,
                                 has_credentials(headers) ? headers : bearer(admin_token_));
    if (ws == nullptr) ADD_FAILURE() << error;
    return ws;
}

json server_test::read_snapshot(ws_client& ws, std::string_view slug) {
    auto m = ws.read_json();
    if (!m) {
        ADD_FAILURE() << "no snapshot within the timeout";
        return {};
    }
    EXPECT_EQ(m->value("type", ""), "snapshot") << m->dump();
    EXPECT_EQ(m->value("event", ""), slug) << m->dump();
    EXPECT_TRUE(m->contains("epoch") && (*m)["epoch"].is_string() &&
                !(*m)["epoch"].get<std::string>().empty())
        << m->dump();
    EXPECT_TRUE(m->contains("seq") && (*m)["seq"].is_number_integer()) << m->dump();
    EXPECT_TRUE(m->contains("counts") && (*m)["counts"].is_object()) << m->dump();
    EXPECT_TRUE(m->contains("items") && (*m)["items"].is_array()) << m->dump();
    if (m->value("type", "") != "snapshot" || !(*m)["seq"].is_number_integer()) return {};
    return *m;
}

live_stream server_test::open_snapshot(std::string_view slug, std::string_view query,
                                       const header_list& headers) {
    live_stream out;
    out.ws = open_stream(slug, query, headers);
    if (out.ws != nullptr) out.snapshot = read_snapshot(*out.ws, slug);
    return out;
}

json server_test::read_change(ws_client& ws) {
    auto m = ws.read_json();
    if (!m) {
        ADD_FAILURE() << "no change message within the timeout";
        return {};
    }
    EXPECT_EQ(m->value("type", ""), "question") << m->dump();
    EXPECT_TRUE(m->contains("seq") && (*m)["seq"].is_number_integer()) << m->dump();
    EXPECT_TRUE(m->contains("question") && (*m)["question"].is_object()) << m->dump();
    EXPECT_TRUE(m->contains("change") && (*m)["change"].is_string()) << m->dump();
    if (m->value("type", "") != "question") return {};
    return *m;
}

std::vector<json> server_test::read_changes(ws_client& ws, std::size_t n) {
    std::vector<json> out;
    for (std::size_t i = 0; i < n; ++i) {
        json m = read_change(ws);
        if (m.is_null()) break;
        out.push_back(std::move(m));
    }
    EXPECT_EQ(out.size(), n) << "change messages";
    return out;
}

void server_test::expect_silence(ws_client& ws, std::chrono::milliseconds quiet) {
    auto m = ws.read_json(quiet);
    EXPECT_FALSE(m.has_value()) << "unexpected message: " << (m ? m->dump() : "");
}

// --- shape checks ----------------------------------------------------------------------

bool is_iso_ms_utc(const json& s) {
    static const std::regex pattern(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$)");
    return s.is_string() && std::regex_match(s.get<std::string>(), pattern);
}

std::int64_t id_of(const json& q) {
    if (!q.is_object() || !q.contains("id") || !q["id"].is_number_integer()) return 0;
    return q["id"].get<std::int64_t>();
}

void expect_question_shape(const json& q) {
    ASSERT_TRUE(q.is_object()) << q.dump();
    EXPECT_GT(id_of(q), 0) << q.dump();
    EXPECT_TRUE(q.contains("event") && q["event"].is_string()) << q.dump();
    EXPECT_TRUE(q.contains("text") && q["text"].is_string()) << q.dump();
    for (const char* nullable : {"author", "source", "external_id"})
        EXPECT_TRUE(q.contains(nullable) && (q[nullable].is_string() || q[nullable].is_null()))
            << nullable << " in " << q.dump();
    EXPECT_TRUE(is_iso_ms_utc(q.value("created_at", json()))) << q.dump();
    EXPECT_TRUE(is_iso_ms_utc(q.value("updated_at", json()))) << q.dump();
    static const std::vector<std::string> statuses = {"pending", "approved", "rejected",
                                                      "auto_rejected", "held", "answered"};
    EXPECT_TRUE(q.contains("status") && q["status"].is_string() &&
                std::find(statuses.begin(), statuses.end(), q["status"].get<std::string>()) !=
                    statuses.end())
        << q.dump();
    EXPECT_TRUE(q.contains("version") && q["version"].is_number_integer() &&
                q["version"].get<std::int64_t>() >= 1)
        << q.dump();
    ASSERT_TRUE(q.contains("scores") && q["scores"].is_object()) << q.dump();
    EXPECT_EQ(q["scores"].size(), 6u) << q["scores"].dump();
    for (const char* a : {"toxicity", "severe_toxicity", "insult", "profanity", "threat",
                          "identity_attack"}) {
        ASSERT_TRUE(q["scores"].contains(a) && q["scores"][a].is_number())
            << a << " missing in " << q["scores"].dump();
        double v = q["scores"][a].get<double>();
        EXPECT_GE(v, 0.0) << a;
        EXPECT_LE(v, 1.0) << a;
    }
    EXPECT_TRUE(q.contains("lang") && q["lang"].is_string()) << q.dump();
    EXPECT_TRUE(q.contains("spans") && q["spans"].is_array()) << q.dump();
    EXPECT_TRUE(q.contains("verdict") && q["verdict"].is_string()) << q.dump();
}

void expect_error(const http_response& r, unsigned status, std::string_view code) {
    EXPECT_EQ(r.status, status) << "expected " << status << " " << code << ", got " << r;
    EXPECT_EQ(r.error_code(), code) << r;
    EXPECT_NE(r.header("content-type").find("application/json"), std::string::npos)
        << "error content type: " << r.header("content-type");
    bool has_message = r.body.is_object() && r.body.contains("error") &&
                       r.body["error"].is_object() && r.body["error"].contains("message") &&
                       r.body["error"]["message"].is_string() &&
                       !r.body["error"]["message"].get<std::string>().empty();
    EXPECT_TRUE(has_message) << "error without a message: " << r;
}

}  // namespace tribune::test
