// libFuzzer entry for core/text_normalizer and core/word_list; checks the invariants in
// normalizer_invariants.hpp and aborts when one breaks. Not part of the CMake build
// (it needs clang). Build and run from the repository root:
//
//   clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -I. \
//     tests/classifier/normalizer_fuzz.cpp core/text_normalizer.cpp core/word_list.cpp \
//     -o /tmp/normalizer_fuzz && /tmp/normalizer_fuzz -max_total_time=60 -max_len=512

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tests/classifier/normalizer_invariants.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const tribune::word_list list = [] {
        auto r = tribune::word_list::build({"fuck", "shit", "son of a bitch", "cul", "idiot"},
                                           {"clown", "go back"});
        return r.is_ok() ? std::move(r).value() : tribune::word_list{};
    }();
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::string broken = tribune::testing::check_normalizer_invariants(input, list);
    if (!broken.empty()) {
        std::fprintf(stderr, "invariant broken: %s\n", broken.c_str());
        std::abort();
    }
    return 0;
}
