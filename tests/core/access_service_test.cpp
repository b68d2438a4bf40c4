#include "core/service/access_service.hpp"

#include <gtest/gtest.h>

#include "core/util/sha256.hpp"
#include "core/sqlite/sqlite_store.hpp"
#include "core/store/memory_store.hpp"
#include "tests/core/temp_dir.hpp"

namespace tribune {
namespace {

using testing::temp_dir;

TEST(sha256, matches_the_fips_test_vectors) {
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// The service over the in-memory store: the rules, not the SQL.
class access_service_test : public ::testing::Test {
protected:
    memory_store db_;
    std::unique_ptr<access_service> access_ = std::make_unique<access_service>(db_, db_);
};

// The service over SQLite: what lands in the database.
class access_service_sqlite_test : public ::testing::Test {
protected:
    void SetUp() override {
        auto s = sqlite_store::open(dir_.file("t.db"), TRIBUNE_SOURCE_DIR "/migrations");
        ASSERT_TRUE(s.is_ok()) << s.error().message();
        db_ = std::move(s.value());
        access_ = std::make_unique<access_service>(*db_);
    }
    temp_dir dir_;
    std::unique_ptr<sqlite_store> db_;
    std::unique_ptr<access_service> access_;
};

TEST_F(access_service_sqlite_test, token_is_shown_once_and_stored_only_as_a_hash) {
    auto t = access_->create_token("alice", role::moderator, std::string("demo"));
    ASSERT_TRUE(t.is_ok()) << t.error().message();
    EXPECT_EQ(t->secret.rfind("trb_", 0), 0u);
    EXPECT_EQ(t->secret.size(), 4u + 43u);
    EXPECT_EQ(t->info.event_slug, "demo");
    auto raw = sqlite_connection::open(dir_.file("t.db"), true);
    auto st = raw->prepare("SELECT hash FROM tokens");
    ASSERT_EQ(st->step(), SQLITE_ROW);
    EXPECT_EQ(st->column_text(0), sha256_hex(t->secret));
    EXPECT_EQ(st->column_text(0).find(t->secret.substr(4, 20)), std::string::npos);

    auto who = access_->authenticate_token(t->secret);
    ASSERT_TRUE(who.is_ok());
    EXPECT_EQ(who->name, "alice");
    EXPECT_EQ(who->r, role::moderator);
    EXPECT_TRUE(who->covers("demo"));
    EXPECT_FALSE(who->covers("other"));
    EXPECT_FALSE(who->via_session);
}

TEST_F(access_service_test, unknown_malformed_and_revoked_tokens_are_refused) {
    EXPECT_EQ(access_->authenticate_token("nonsense").error().code(), "invalid_token");
    EXPECT_EQ(access_->authenticate_token("trb_" + access_service::random_secret()).error().code(),
              "invalid_token");
    auto t = access_->create_token("bob", role::admin, std::nullopt);
    ASSERT_TRUE(t.is_ok());
    std::int64_t revoked = 0;
    access_->set_revocation_observer([&](std::int64_t id) { revoked = id; });
    auto s = access_->open_session(t->secret, std::chrono::hours(1));
    ASSERT_TRUE(s.is_ok());
    ASSERT_TRUE(access_->authenticate_session(s->secret).is_ok());
    ASSERT_TRUE(access_->revoke(t->info.id).is_ok());
    EXPECT_EQ(revoked, t->info.id);
    EXPECT_EQ(access_->authenticate_token(t->secret).error().kind(), error_kind::unauthenticated);
    EXPECT_EQ(access_->authenticate_session(s->secret).error().code(), "invalid_session");
    EXPECT_EQ(access_->revoke(9999).code(), "token_not_found");
}

TEST_F(access_service_test, a_token_just_authenticated_is_refused_at_once_after_its_revocation) {
    auto t = access_->create_token("carol", role::moderator, std::nullopt);
    ASSERT_TRUE(t.is_ok());
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(access_->authenticate_token(t->secret).is_ok());
    ASSERT_TRUE(access_->revoke(t->info.id).is_ok());
    EXPECT_EQ(access_->authenticate_token(t->secret).error().message(), "the access token was revoked");
}

TEST(token_cache, keeps_a_principal_for_its_ttl_only) {
    token_cache cache(std::chrono::seconds(1), 16);
    const auto t0 = token_cache::clock::time_point{} + std::chrono::hours(1);
    principal who;
    who.token_id = 7;
    who.name = "bridge";
    cache.remember("trb_a", who, t0);
    auto found = cache.find("trb_a", t0 + std::chrono::milliseconds(999));
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->token_id, 7);
    EXPECT_EQ(found->name, "bridge");
    EXPECT_FALSE(cache.find("trb_a", t0 + std::chrono::seconds(1)).has_value());
    EXPECT_FALSE(cache.find("trb_b", t0).has_value());
    cache.forget_all();
    EXPECT_FALSE(cache.find("trb_a", t0).has_value());
}

TEST(token_cache, never_holds_more_than_its_capacity) {
    token_cache cache(std::chrono::seconds(1), 4);
    const auto t0 = token_cache::clock::time_point{} + std::chrono::hours(1);
    principal who;
    for (int i = 0; i < 10; ++i) {
        who.token_id = i;
        cache.remember("trb_" + std::to_string(i), who, t0);
        EXPECT_LE(cache.size(), 4u);
    }
    ASSERT_TRUE(cache.find("trb_9", t0).has_value());
    EXPECT_EQ(cache.find("trb_9", t0)->token_id, 9);
}

TEST_F(access_service_test, sessions_expire_and_close) {
    auto t = access_->create_token("carol", role::executive, std::nullopt);
    auto expired = access_->open_session(t->secret, std::chrono::seconds(-1));
    ASSERT_TRUE(expired.is_ok());
    EXPECT_FALSE(access_->authenticate_session(expired->secret).is_ok());
    auto live = access_->open_session(t->secret, std::chrono::hours(1));
    auto who = access_->authenticate_session(live->secret);
    ASSERT_TRUE(who.is_ok());
    EXPECT_TRUE(who->via_session);
    EXPECT_EQ(who->r, role::executive);
    ASSERT_TRUE(access_->close_session(live->secret).is_ok());
    EXPECT_FALSE(access_->authenticate_session(live->secret).is_ok());
}

TEST_F(access_service_test, creation_is_validated) {
    EXPECT_EQ(access_->create_token("", role::admin, std::nullopt).error().code(), "invalid_field");
    EXPECT_EQ(access_->create_token("x", role::audience, std::nullopt).error().code(),
              "invalid_field");
    EXPECT_EQ(access_->create_token("x", role::moderator, std::string("nope")).error().code(),
              "event_not_found");
    EXPECT_FALSE(*access_->has_active_admin());
    auto a = access_->create_token("root", role::admin, std::nullopt);
    EXPECT_TRUE(*access_->has_active_admin());
    ASSERT_TRUE(access_->revoke(a->info.id).is_ok());
    EXPECT_FALSE(*access_->has_active_admin());
    EXPECT_EQ(access_->list_tokens()->size(), 1u);
}

TEST_F(access_service_test, a_quota_is_validated_and_travels_with_the_token) {
    for (token_quota bad : {token_quota{0, 1}, token_quota{1'000'001, 1}, token_quota{10, 30}})
        EXPECT_EQ(access_->create_token("x", role::analyst, std::nullopt, bad).error().code(),
                  "invalid_field")
            << bad.requests << "/" << bad.period_s;
    EXPECT_TRUE(access_->list_tokens()->empty()) << "a refused quota makes no token";
    auto t = access_->create_token("coral", role::analyst, std::nullopt, token_quota{60, 60});
    ASSERT_TRUE(t.is_ok()) << t.error().message();
    ASSERT_TRUE(t->info.quota.has_value());
    auto who = access_->authenticate_token(t->secret);
    ASSERT_TRUE(who.is_ok());
    EXPECT_EQ(who->r, role::analyst);
    ASSERT_TRUE(who->quota.has_value());
    EXPECT_EQ(who->quota->requests, 60);
    EXPECT_EQ(who->quota->period_s, 60);
    auto plain = access_->create_token("bridge", role::api_client, std::nullopt);
    EXPECT_FALSE(access_->authenticate_token(plain->secret)->quota.has_value());
}

}  // namespace
}  // namespace tribune
