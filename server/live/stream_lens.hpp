#pragma once
// stream_lens: what one live stream's token may see of its event (executive_visibility):
// moderators and admins see every state and every member; an executive sees approved and
// answered questions only — its view is held to those states, a question that leaves them
// is removed by id and version alone, never shown — and the members of a question the
// event's settings allow. A stream's lens is fixed when it opens: changing the event's
// settings closes the streams whose lens depends on them, and they reconnect.
//
// Thread safety: a plain value.

#include "server/wire/json_codec.hpp"

namespace tribune::server {

struct stream_lens {
    bool public_only = false;  // approved and answered only; removals without the question
    question_fields fields;

    // True when the shared per-change messages may be sent as they are.
    bool full() const { return !public_only && fields.scores; }
};

}  // namespace tribune::server
