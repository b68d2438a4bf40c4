// libFuzzer entry for request JSON decoding (server/wire): parse_object, then each of
// decode_submission, decode_decision, decode_new_event, decode_policy and decode_bulk_decision
// on whatever parsed. Nothing may
// throw or crash; an accepted body must encode again (json::dump throws on invalid UTF-8),
// and a decoded question text must be valid UTF-8. The first input byte picks the depth
// limit, so both the limit and deep documents get exercised.
//
// Built by fuzz/CMakeLists.txt: with clang as fuzz_json_request (TRIBUNE_BUILD_FUZZ), and
// with any compiler as fuzz_replay_json_request, which replays tests/fuzz_corpus/json_request.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "core/text/text_normalizer.hpp"
#include "server/wire/decision_codec.hpp"
#include "server/wire/event_codec.hpp"
#include "server/wire/json_codec.hpp"
#include "server/wire/policy_codec.hpp"
#include "server/wire/question_codec.hpp"

namespace {

[[noreturn]] void broken(const char* what) {
    std::fprintf(stderr, "json_request invariant broken: %s\n", what);
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace tribune;
    using namespace tribune::server;
    if (size == 0) return 0;
    const std::size_t depth = 1 + data[0] % 40;
    const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);

    auto parsed = parse_object(body, depth);
    if (!parsed) {
        const auto& code = parsed.error().code();
        if (code != "invalid_json" && code != "invalid_utf8") broken("unexpected parse error code");
        if (parsed.error().kind() != error_kind::invalid_argument) broken("parse error kind");
        return 0;
    }
    if (!parsed->is_object()) broken("parse_object accepted a non-object");
    (void)parsed->dump();

    if (auto s = decode_submission(*parsed, "demo")) {
        if (!is_valid_utf8(s->text)) broken("decoded text is not valid UTF-8");
        if (s->event_slug != "demo") broken("event slug changed");
    } else if (s.error().kind() != error_kind::invalid_argument) {
        broken("submission error kind");
    }
    if (auto d = decode_decision(*parsed, 7)) {
        if (d->question_id != 7) broken("question id changed");
    } else if (d.error().kind() != error_kind::invalid_argument) {
        broken("decision error kind");
    }
    if (auto e = decode_new_event(*parsed)) {
        if (e->slug.empty() || e->slug.size() > 64) broken("slug outside its pattern");
    } else if (e.error().kind() != error_kind::invalid_argument) {
        broken("new event error kind");
    }
    if (auto p = decode_policy(*parsed, event_policy{})) {
        (void)to_json(*p).dump();
    } else if (p.error().kind() != error_kind::invalid_argument) {
        broken("policy error kind");
    }
    if (auto b = decode_bulk_decision(*parsed, "demo"); !b && b.error().kind() != error_kind::invalid_argument)
        broken("bulk decision error kind");
    return 0;
}
