// Replays fuzz inputs through a libFuzzer entry without libFuzzer, so the crashing inputs
// kept in tests/fuzz_corpus/<target>/ run as regression tests in the normal (gcc) build.
//
//   fuzz_replay_<target> DIR_OR_FILE...
//
// Every regular file is fed to LLVMFuzzerTestOneInput once; an invariant the entry checks
// aborts the process, which fails the test. Exit code 0 after all inputs, 1 when an argument
// cannot be read or no input was found.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

bool replay(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return false;
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::fprintf(stderr, "replay %s (%zu bytes)\n", file.c_str(), bytes.size());
    // A copy of exactly the input's size, so an overread is visible to ASan.
    std::vector<std::uint8_t> data(bytes.begin(), bytes.end());
    LLVMFuzzerTestOneInput(data.data(), data.size());
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    namespace fs = std::filesystem;
    std::size_t count = 0;
    for (int i = 1; i < argc; ++i) {
        const fs::path arg = argv[i];
        std::error_code ec;
        if (fs::is_directory(arg, ec)) {
            std::vector<fs::path> files;
            for (const auto& entry : fs::directory_iterator(arg, ec))
                if (entry.is_regular_file()) files.push_back(entry.path());
            std::sort(files.begin(), files.end());
            for (const auto& f : files) {
                if (!replay(f)) {
                    std::fprintf(stderr, "cannot read %s\n", f.c_str());
                    return 1;
                }
                ++count;
            }
        } else if (replay(arg)) {
            ++count;
        } else {
            std::fprintf(stderr, "cannot read %s\n", arg.c_str());
            return 1;
        }
    }
    std::fprintf(stderr, "replayed %zu inputs, all passed\n", count);
    return count > 0 ? 0 : 1;
}
