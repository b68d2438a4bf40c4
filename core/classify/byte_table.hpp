#pragma once
// byte_table: a model part's int8 table, either owned (a model built by the trainer) or a
// view into the model file's read-only mapping (a model loaded from disk). A loaded table is
// not copied: the page cache's pages are the table, so loading a 4 MB model costs no page
// faults for anonymous memory and no copy (on this project's VMs a page fault costs about
// 20 µs, which made the copy a tenth of a 20,000-line `tribune classify` run).
//
// Ownership: a view keeps its mapping alive (shared ownership), so copies of a loaded model
// stay valid after the loader returns. Thread safety: immutable after construction; any
// number of threads may read one table at once.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace tribune {

class byte_table {
public:
    byte_table() = default;

    // Takes the bytes.
    static byte_table owned(std::vector<std::int8_t> bytes) {
        auto keep = std::make_shared<const std::vector<std::int8_t>>(std::move(bytes));
        const std::int8_t* p = keep->data();
        const std::size_t n = keep->size();
        return byte_table(std::move(keep), p, n);
    }

    // Views [data, data + size), kept valid by `keeper` (the mapping that holds it).
    static byte_table view(std::shared_ptr<const void> keeper, const std::int8_t* data, std::size_t size) {
        return byte_table(std::move(keeper), data, size);
    }

    const std::int8_t* data() const { return data_; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    const std::int8_t& operator[](std::size_t i) const { return data_[i]; }

private:
    byte_table(std::shared_ptr<const void> keeper, const std::int8_t* data, std::size_t size)
        : keeper_(std::move(keeper)), data_(data), size_(size) {}

    std::shared_ptr<const void> keeper_;
    const std::int8_t* data_ = nullptr;
    std::size_t size_ = 0;
};

}  // namespace tribune
