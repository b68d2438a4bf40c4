#pragma once
// model_file: the byte layer shared by Tribune's model files (linear_model,
// question_detector): little-endian fixed-size values appended to a buffer, an FNV-1a 64
// checksum of everything before it at the end, and a bounded reader that never reads past
// the buffer. Header-only.
//
// Thread safety: plain values; a reader or writer is used by one thread.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/classify/byte_table.hpp"
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

// Quantizes `values` (rows of `columns` floats, row-major) to int8 with one scale per
// column: scale[c] = the column's largest |value| / 127 (1 for an all-zero column), and each
// value becomes round(value / scale[c]) clamped to [-127, 127]. `scale` holds `columns` floats.
inline byte_table quantize_columns(const std::vector<float>& values, std::size_t columns, float* scale) {
    std::vector<std::int8_t> out(values.size());
    for (std::size_t c = 0; c < columns; ++c) {
        float max_abs = 0.0f;
        for (std::size_t i = c; i < values.size(); i += columns) max_abs = std::max(max_abs, std::fabs(values[i]));
        scale[c] = max_abs > 0 ? max_abs / 127.0f : 1.0f;
        for (std::size_t i = c; i < values.size(); i += columns)
            out[i] = static_cast<std::int8_t>(std::clamp(std::nearbyint(values[i] / scale[c]), -127.0f, 127.0f));
    }
    return byte_table::owned(std::move(out));
}

// The error every loader returns for a file it cannot use.
inline status corrupt(const std::string& path, const std::string& what, const std::string& why) {
    return status::error(error_kind::invalid_argument, "model_corrupt",
                         "model file " + path + " is not a valid " + what + ": " + why);
}

// A model file mapped read-only into memory (the page cache's pages, no copy), unmapped
// when destroyed. Move-only.
class mapped_file {
public:
    mapped_file() = default;
    mapped_file(const mapped_file&) = delete;
    mapped_file& operator=(const mapped_file&) = delete;
    mapped_file(mapped_file&& o) noexcept : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)) {}
    mapped_file& operator=(mapped_file&& o) noexcept {
        if (this != &o) {
            release();
            data_ = std::exchange(o.data_, nullptr);
            size_ = std::exchange(o.size_, 0);
        }
        return *this;
    }
    ~mapped_file() { release(); }

    std::string_view view() const { return {static_cast<const char*>(data_), size_}; }

private:
    friend result<std::shared_ptr<const mapped_file>> read_file(const std::string&, std::uint64_t, const std::string&);
    void release() {
        if (data_ != nullptr) ::munmap(data_, size_);
        data_ = nullptr;
        size_ = 0;
    }
    void* data_ = nullptr;
    std::size_t size_ = 0;
};

// Maps the whole file (at most max_bytes; an empty file gives an empty view). Errors:
// not_found "model_missing" when it cannot be opened; invalid_argument "model_corrupt" when
// it is not a regular file, too large or cannot be mapped. Shared: the tables of a loaded
// model are views into the mapping (byte_table), and keep it alive.
inline result<std::shared_ptr<const mapped_file>> read_file(const std::string& path, std::uint64_t max_bytes, const std::string& what) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return status::error(error_kind::not_found, "model_missing", "cannot open model file " + path);
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return corrupt(path, what, "not a regular file");
    }
    const auto size = static_cast<std::uint64_t>(st.st_size);
    if (size > max_bytes) {
        ::close(fd);
        return corrupt(path, what, "file too large");
    }
    auto f = std::make_shared<mapped_file>();
    if (size > 0) {
        void* p = ::mmap(nullptr, static_cast<std::size_t>(size), PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
        if (p == MAP_FAILED) {
            ::close(fd);
            return corrupt(path, what, "read failed");
        }
        f->data_ = p;
        f->size_ = static_cast<std::size_t>(size);
    }
    ::close(fd);
    return std::shared_ptr<const mapped_file>(std::move(f));
}

// True when the last 8 bytes of `in` are the checksum of the bytes before them.
inline bool checksum_ok(std::string_view in) {
    if (in.size() < 8) return false;
    std::uint64_t stored;
    std::memcpy(&stored, in.data() + in.size() - 8, 8);
    return fnv64(in.data(), in.size() - 8) == stored;
}

// Sequential reads from a buffer. A read past `end` sets failed() and yields zeros;
// read_float() also records non-finite values in finite(). table() returns views into `in`,
// which `keeper` (the mapping `in` lies in) keeps alive.
class reader {
public:
    reader(std::string_view in, std::size_t pos, std::size_t end, std::shared_ptr<const void> keeper)
        : in_(in), pos_(pos), end_(end), keeper_(std::move(keeper)) {}

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
    // The next n bytes as a table (empty, and failed(), past the end).
    byte_table table(std::size_t n) {
        if (pos_ + n > end_) {
            failed_ = true;
            return {};
        }
        const auto* p = reinterpret_cast<const std::int8_t*>(in_.data() + pos_);
        pos_ += n;
        return byte_table::view(keeper_, p, n);
    }
    std::size_t pos() const { return pos_; }
    std::size_t left() const { return end_ - pos_; }
    bool failed() const { return failed_; }
    bool finite() const { return finite_; }

private:
    std::string_view in_;
    std::size_t pos_, end_;
    std::shared_ptr<const void> keeper_;
    bool failed_ = false;
    bool finite_ = true;
};

}  // namespace tribune::model_file
