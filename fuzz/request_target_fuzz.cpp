// libFuzzer entry for the router's target parser (server/request_target) and the list query
// decoder behind it (question_codec decode_list_query): any request target either parses or is
// refused, never crashes; a parsed target keeps its raw path, has no empty segment, and the
// same input always parses the same way; its query parameters decode or are refused with a
// 400-kind error.
//
// Built by fuzz/CMakeLists.txt (fuzz_request_target with clang; fuzz_replay_request_target
// replays tests/fuzz_corpus/request_target).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "server/http/request_target.hpp"
#include "server/wire/question_codec.hpp"

namespace {

[[noreturn]] void broken(const char* what) {
    std::fprintf(stderr, "request_target invariant broken: %s\n", what);
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using tribune::server::request_target;
    const std::string_view target(reinterpret_cast<const char*>(data), size);
    auto t = request_target::parse(target);
    if (!t) {
        if (!target.empty() && target.front() == '/' &&
            target.find('%') == std::string_view::npos)
            broken("a target without percent escapes was refused");
        return 0;
    }
    if (target.empty() || target.front() != '/') broken("a target not starting with / parsed");
    if (t->path != target.substr(0, target.find('?'))) broken("raw path differs from the input");
    for (const auto& s : t->segments)
        if (s.empty()) broken("empty segment");
    if (t->segments.size() > t->path.size()) broken("more segments than characters");
    for (const auto& [key, value] : t->query) {
        if (t->param(key) == nullptr || *t->param(key) != value) broken("param lookup");
    }
    tribune::question_query q;
    if (auto st = tribune::server::decode_list_query(t->query, q);
        !st && st.kind() != tribune::error_kind::invalid_argument)
        broken("list query error kind");
    auto again = request_target::parse(target);
    if (!again || again->segments != t->segments || again->query != t->query)
        broken("parsing is not deterministic");
    return 0;
}
