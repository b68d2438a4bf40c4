#pragma once
// event_settings: the per-event switches an admin sets (docs/api.md "Event settings") — who
// may see what of an event beyond the moderators. Each switch has one stable wire and storage
// name in event_setting_flags, so the store, the wire codec and the documentation list the
// same switches; a new switch is a member here and a line in that table (no migration: the
// store keeps settings as named rows).
//
// Thread safety: plain values and constexpr tables.

#include <array>
#include <string_view>

namespace tribune {

struct event_settings {
    // The room's display never shows who asked.
    bool anonymous = false;
    // Executives see the classifier's scores (scores, spans, the automatic verdict and the
    // "is it a question?" probability); otherwise they see none of them.
    bool executives_see_scores = false;
    // The room's display (/display/SLUG and its API) is readable without a token.
    bool display_public = false;
    // The audience's page (/e/SLUG) and the audience's endpoints are off: they answer that
    // the event takes no audience (403 audience_closed).
    bool audience_off = false;
    // The audience may no longer ask; browsing and votes stay open.
    bool questions_closed = false;
    // The audience must give a name to ask.
    bool name_required = false;
};

struct event_setting_flag {
    std::string_view name;
    bool event_settings::*member;
};

inline constexpr std::array<event_setting_flag, 6> event_setting_flags = {{
    {"anonymous", &event_settings::anonymous},
    {"executives_see_scores", &event_settings::executives_see_scores},
    {"display_public", &event_settings::display_public},
    {"audience_off", &event_settings::audience_off},
    {"questions_closed", &event_settings::questions_closed},
    {"name_required", &event_settings::name_required},
}};

}  // namespace tribune
