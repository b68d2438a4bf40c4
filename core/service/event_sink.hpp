#pragma once
// event_sink: where the core announces changes (the server's broadcast hub implements it).
//
// Thread safety: implementations must accept calls from any thread (scoring workers and
// request threads) and must not block for long: encode, enqueue, return.

#include <optional>
#include <string>
#include <vector>

#include "core/domain/question.hpp"

namespace tribune {

enum class change_kind { created, updated };

struct question_change {
    change_kind kind = change_kind::created;
    std::optional<question_status> from;  // empty for created
    question q;
    std::string actor;  // empty for automatic changes
};

class event_sink {
public:
    virtual ~event_sink() = default;
    virtual void question_changed(const question_change& change) = 0;
    // Several changes made by one request (a bulk decision), to be delivered together.
    virtual void questions_changed(const std::vector<question_change>& changes) {
        for (const auto& c : changes) question_changed(c);
    }
};

}  // namespace tribune
