#pragma once
// client_info: what a connection knows about its peer, read once when it is accepted.
//
// Thread safety: a plain value.

#include <string>

namespace tribune::server {

struct client_info {
    std::string ip;
    bool loopback = false;
};

}  // namespace tribune::server
