#include "core/text/prepared_text.hpp"

#include <utility>

namespace tribune {

result<prepared_text> prepare_text(std::string original) {
    auto n = normalize(original);
    if (!n) return n.error();
    return prepared_text{std::move(original), std::move(n.value())};
}

}  // namespace tribune
