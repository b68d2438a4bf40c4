#pragma once
// group_commit: the last step of ingest for a batch of scored questions — choose each one's
// near-duplicate group (near_duplicate_index::plan), store the batch in one transaction
// (question_store::insert_batch, which only writes the chosen groups), and only once that
// committed, add the stored questions to the index. Batches run one at a time, so each plan
// sees every earlier commit; a batch that fails leaves no candidate behind.
//
// Ownership: borrows the store (it must outlive this); owns the index.
// Thread safety: every method is safe from any thread; run() and load() serialise on one
// mutex.

#include <cstddef>
#include <functional>
#include <mutex>
#include <vector>

#include "core/store/question_store.hpp"
#include "core/triage/near_duplicate_index.hpp"

namespace tribune {

class group_commit {
public:
    // A scored question and its grouping fingerprint, computed off any lock.
    struct item {
        question_insert row;  // row.group is set by run()
        near_duplicate_index::fingerprint fp;
    };
    // Called after each insert_batch with the batch size and the seconds it took.
    using commit_observer = std::function<void(std::size_t batch_size, double seconds)>;

    group_commit(question_store& questions, near_duplicate_index::options o,
                 commit_observer on_committed = {});

    // The fingerprint grouping compares, from the question's normal form.
    near_duplicate_index::fingerprint fingerprint_of(std::string_view normal_text) const {
        return index_.detector().fingerprint_of_normalized(normal_text);
    }

    // Rebuilds the index from the store (at start). Errors: the store's.
    status load();
    // Groups, stores and indexes the batch. Outcomes as question_store::insert_batch.
    // Consumes the items' fingerprints and search texts.
    result<std::vector<insert_outcome>> run(std::vector<item>& batch);

    const near_duplicate_index& index() const { return index_; }

private:
    question_store& questions_;
    const commit_observer on_committed_;
    std::mutex mutex_;  // one batch at a time, from plan to index
    near_duplicate_index index_;
};

}  // namespace tribune
