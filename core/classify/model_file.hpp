#pragma once
// model_file: the byte layer shared by Tribune's model files (linear_model,
// question_detector): little-endian fixed-size values appended to a buffer, an FNV-1a 64
// checksum of everything before it at the end, and a bounded reader that never reads past
// the buffer. Header-only.
//
// Thread safety: plain values; a reader or writer is used by one thread.

#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <type_traits>

#include "core/domain/status.hpp"

namespace tribune::model_file {

inline std::uint64_t fnv64(const char* data, std::size_t n) {
    std::uint64_t h = 1469598103934665603ull;
    for (std::size_t i = 0; i < n; ++i) {
        h ^= static_cast<unsigned char>(data[i]);
        h *= 1099511628211ull;
    }
    return h;
}

template <typename T>
void put(std::string& out, T v) {
    static_assert(std::is_trivially_copyable_v<T>);
    char buf[sizeof(T)];
    std::memcpy(buf, &v, sizeof(T));
    out.append(buf, sizeof(T));
}

// Appends the checksum and writes `bytes` to `path`. Errors: internal "model_write".
inline status save_with_checksum(std::string bytes, const std::string& path) {
    put<std::uint64_t>(bytes, fnv64(bytes.data(), bytes.size()));
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f) return status::error(error_kind::internal, "model_write", "cannot write " + path);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!f) return status::error(error_kind::internal, "model_write", "cannot write " + path);
    return status::ok();
}

// The error every loader returns for a file it cannot use.
inline status corrupt(const std::string& path, const std::string& what, const std::string& why) {
    return status::error(error_kind::invalid_argument, "model_corrupt",
                         "model file " + path + " is not a valid " + what + ": " + why);
}

// Reads the whole file (at most max_bytes). Errors: not_found "model_missing" when it
// cannot be opened; invalid_argument "model_corrupt" when too large or unreadable.
inline result<std::string> read_file(const std::string& path, std::uint64_t max_bytes, const std::string& what) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return status::error(error_kind::not_found, "model_missing", "cannot open model file " + path);
    f.seekg(0, std::ios::end);
    const auto size = static_cast<std::uint64_t>(std::max<std::streamoff>(0, f.tellg()));
    if (size > max_bytes) return corrupt(path, what, "file too large");
    f.seekg(0, std::ios::beg);
    std::string in(static_cast<std::size_t>(size), '\0');
    f.read(in.data(), static_cast<std::streamsize>(size));
    if (!f) return corrupt(path, what, "read failed");
    return in;
}

// True when the last 8 bytes of `in` are the checksum of the bytes before them.
inline bool checksum_ok(const std::string& in) {
    if (in.size() < 8) return false;
    std::uint64_t stored;
    std::memcpy(&stored, in.data() + in.size() - 8, 8);
    return fnv64(in.data(), in.size() - 8) == stored;
}

// Sequential reads from a buffer. A read past `end` sets failed() and yields zeros;
// read_float() also records non-finite values in finite().
class reader {
public:
    reader(const std::string& in, std::size_t pos, std::size_t end) : in_(in), pos_(pos), end_(end) {}

    template <typename T>
    T get() {
        T v{};
        if (pos_ + sizeof(T) > end_) {
            failed_ = true;
            return v;
        }
        std::memcpy(&v, in_.data() + pos_, sizeof(T));
        pos_ += sizeof(T);
        return v;
    }
    float read_float() {
        const float v = get<float>();
        finite_ = finite_ && std::isfinite(v);
        return v;
    }
    // Copies n bytes into dst.
    void bytes(void* dst, std::size_t n) {
        if (pos_ + n > end_) {
            failed_ = true;
            return;
        }
        std::memcpy(dst, in_.data() + pos_, n);
        pos_ += n;
    }
    std::size_t pos() const { return pos_; }
    std::size_t left() const { return end_ - pos_; }
    bool failed() const { return failed_; }
    bool finite() const { return finite_; }

private:
    const std::string& in_;
    std::size_t pos_, end_;
    bool failed_ = false;
    bool finite_ = true;
};

}  // namespace tribune::model_file
