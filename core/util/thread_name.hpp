#pragma once
// name_this_thread: gives the calling thread a name that `top -H`, `ps -L` and `perf report
// --sort comm` show (Linux keeps 15 characters). Best effort: elsewhere it does nothing.
//
// Thread safety: names only the calling thread.

#include <string>

#if defined(__linux__)
#include <pthread.h>
#endif

namespace tribune {

inline void name_this_thread(const std::string& name) {
#if defined(__linux__)
    pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
#else
    (void)name;
#endif
}

}  // namespace tribune
