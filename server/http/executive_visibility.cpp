#include "server/http/executive_visibility.hpp"

namespace tribune::server {
namespace {

bool visible_state(question_status s) {
    return s == question_status::approved || s == question_status::answered;
}

}  // namespace

bool visible_to(const principal& who, const question& q) {
    return who.r != role::executive || visible_state(q.status);
}

status restrict_to_visible(const principal& who, std::vector<question_status>& statuses) {
    if (who.r != role::executive) return status::ok();
    if (statuses.empty()) statuses = {question_status::approved, question_status::answered};
    for (question_status st : statuses)
        if (!visible_state(st))
            return status::error(error_kind::forbidden, "forbidden",
                                 "executives see approved and answered questions only");
    return status::ok();
}

}  // namespace tribune::server
