#include "core/text/prepared_text.hpp"

#include <utility>

namespace tribune {

result<prepared_text> prepare_text(std::string original, const canonical_options& o,
                                   std::string_view event_slug) {
    auto full = normalize(original);
    if (!full) return full.error();
    prepared_text out;
    if (o.enabled) {
        canonical_text c = make_canonical(original, o, event_slug);
        if (c.changed) {
            auto n = normalize(c.text);
            if (!n) return n.error();
            // Compose: canonical code points -> original code points.
            for (std::size_t i = 0; i < n->size(); ++i) {
                n->start[i] = c.origin[n->start[i]];
                n->end[i] = c.origin[n->end[i] - 1] + 1;
            }
            n->original_length = full->original_length;
            out.normal = std::move(n.value());
            out.canonical_changed = true;
        }
    }
    if (!out.canonical_changed) out.normal = full.value();
    out.full = std::move(full.value());
    out.original = std::move(original);
    return out;
}

}  // namespace tribune
