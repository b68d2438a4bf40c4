#pragma once
// group_choice: the near-duplicate group a new question joins, decided on the scoring worker
// (near_duplicate_index) before the question is stored. The store only writes it down: it
// never compares texts.
//
// A question may repeat one that arrived earlier in the SAME batch, whose id is unknown until
// the batch is inserted; `batch_item` names that earlier item and the store resolves it to the
// group that item ended in (for an item not inserted because its (source, external_id) was
// already stored: the group of that stored question).
//
// Thread safety: a plain value.

#include <cstddef>
#include <cstdint>

namespace tribune {

struct group_choice {
    enum class kind {
        own,         // starts a group of its own (the group's id is the question's id)
        existing,    // joins the stored group `cluster_id`
        batch_item,  // joins the group of item `item` of the same batch (item < this one's index)
    };
    kind k = kind::own;
    std::int64_t cluster_id = 0;
    std::size_t item = 0;

    static group_choice own_group() { return {}; }
    static group_choice join(std::int64_t cluster) { return {kind::existing, cluster, 0}; }
    static group_choice join_item(std::size_t batch_index) { return {kind::batch_item, 0, batch_index}; }

    bool operator==(const group_choice&) const = default;
};

}  // namespace tribune
