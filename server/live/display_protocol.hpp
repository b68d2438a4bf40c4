#pragma once
// display_protocol: the live stream of the room's display (docs/api.md "The room's display",
// GET /api/v1/events/{slug}/display/stream): right after the handshake, and after every change
// that alters it, the whole display — the question being answered now and the next ones on
// the shortlist, as display_json() writes them. It reads the shortlist once when it opens,
// then follows the event's changes: a shortlist change replaces it; a question's change
// updates that question's entry (votes, answered), drops it when the question is no longer
// approved or answered, and raises the "asked" count of an entry whose group a new question
// joins. (A shortlisted question that a moderator takes back and then approves again shows
// with the next shortlist change.) There is no resume: every message is whole, and a client
// that reconnects is sent the display as it is then.
//
// Back-pressure: at most one message is written at a time and one waits; a newer display
// replaces the one waiting. A client message (the page pings every few seconds) is answered
// by the display message waiting, if one is, else by {"type":"pong"} as soon as nothing is
// being written (the message in flight may be one the client read before it asked), so a
// client that hears nothing for a while knows the connection is dead.
//
// Thread safety: on its session's strand only (stream_protocol).
// Ownership: borrows the shortlist service; it outlives every session.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/domain/event_settings.hpp"
#include "core/service/shortlist_service.hpp"
#include "server/live/event_protocol.hpp"

namespace tribune::server {

class display_protocol final : public event_protocol {
  public:
    // The next questions a display is sent, at most.
    static constexpr std::size_t next_count = 5;

    display_protocol(hub& h, moderation_query& query, shortlist_service& shortlist,
                     const config& cfg, event_info event, event_settings settings);

    std::size_t queue_limit() const override { return 4; }
    void on_open(stream_transport& t) override;
    void on_message(const std::string&) override;
    void on_record(std::shared_ptr<const change_record> r) override;
    void on_drained() override;

  private:
    // Applies a question's change to the entries; true when what is shown may have changed.
    bool apply(const question_change& c);
    // Queues the current display (replacing one waiting) and writes it when the socket is idle.
    void offer();

    shortlist_service& shortlist_;
    const event_info event_info_;
    const event_settings settings_;
    std::vector<shortlist_entry> entries_;
    std::uint64_t seq_ = 0;  // the last change applied
    std::shared_ptr<const std::string> waiting_;
    bool pong_owed_ = false;  // a client message came while a write was in flight
};

}  // namespace tribune::server
