#pragma once
// store_backend: one database as the server uses it — the `store` aggregate plus the
// interfaces kept apart from it (feedback_store, webhook_store, source_store). sqlite_store and
// postgres_store implement it; open_store() picks one from --db.
//
// Thread safety: every method may be called from any thread concurrently.

#include <memory>

#include "core/store/change_source.hpp"
#include "core/store/feedback_store.hpp"
#include "core/store/source_store.hpp"
#include "core/store/store.hpp"
#include "core/store/webhook_store.hpp"

namespace tribune {

class store_backend : public store,
                      public feedback_store,
                      public webhook_store,
                      public source_store {
public:
    ~store_backend() override = default;
    // The schema version the database is at after its migrations ran.
    virtual int schema_version() const = 0;
    // The changes other processes commit to this database, for the live feed; null when no
    // other process can write to it (SQLite).
    virtual std::unique_ptr<change_source> open_change_source() { return nullptr; }
    // For a bulk import (`tribune import`): from now on new questions may be written with
    // the backend's bulk loading (PostgreSQL: COPY into a staging table), with the same
    // outcomes as before. Default: nothing changes (SQLite).
    virtual void prefer_bulk_writes() {}
};

}  // namespace tribune
