// outbox_trigger_bench: what webhooks cost the group commit of new questions. Not a Google
// Benchmark: it times sqlite_store::insert_batch over like batches in four databases,
// interleaved round by round so that load on the machine falls on all of them alike:
//   none      no webhook anywhere
//   other     a webhook on another event (the store skips the outbox: one hash lookup)
//   trigger   no webhook, but the SQLite trigger an earlier version filled the outbox with
//             (an AFTER INSERT trigger on the audit trail, added here for the comparison)
//   hooked    a webhook on the questions' own event: every question owes one delivery
// and prints microseconds of commit per question (median over the rounds) for each.
//
// usage: outbox_trigger_bench [--rounds N] [--batch N] [--batches N]
// (defaults 15 rounds of 40 batches of 256 questions per database; docs/benchmarks.md)

#include <unistd.h>

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/sqlite/sqlite_connection.hpp"
#include "core/sqlite/sqlite_store.hpp"

namespace {

using clock_type = std::chrono::steady_clock;

struct database {
    std::string name;
    std::unique_ptr<tribune::sqlite_store> db;
    std::int64_t event_id = 0;
    std::vector<double> cpu_us, wall_us;  // per question, one value per round
};

double thread_cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

std::vector<tribune::question_insert> make_batch(std::int64_t event_id, std::size_t n,
                                                 std::size_t& serial) {
    std::vector<tribune::question_insert> batch;
    for (std::size_t i = 0; i < n; ++i, ++serial) {
        tribune::question_insert in;
        in.q.event_id = event_id;
        in.q.text = "Will the bank lower its overdraft fees for account " + std::to_string(serial) +
                    " before the next quarter?";
        in.q.status = tribune::question_status::pending;
        in.q.verdict = "below every threshold";
        in.q.scored.lang = "en";
        in.search_text = in.q.text;
        batch.push_back(std::move(in));
    }
    return batch;
}

// The trigger of the earlier version (migration 0007 before the store filled the outbox).
constexpr const char* old_trigger =
    "CREATE TRIGGER webhook_outbox_on_decision AFTER INSERT ON decisions "
    "WHEN NEW.from_status IS NOT NEW.to_status BEGIN "
    "INSERT INTO webhook_outbox (delivery_id, hook_id, type, question_id, decision_id) "
    "SELECT lower(hex(randomblob(16))), h.id, "
    "CASE WHEN NEW.action = 'auto' THEN 'question.created' "
    "WHEN NEW.to_status = 'answered' THEN 'question.answered' "
    "ELSE 'question.verdict_changed' END, NEW.question_id, NEW.id FROM webhooks h "
    "WHERE h.event_id = (SELECT event_id FROM questions WHERE id = NEW.question_id) "
    "AND h.disabled_at IS NULL AND instr(h.events, ',' || CASE WHEN NEW.action = 'auto' "
    "THEN 'question.created' WHEN NEW.to_status = 'answered' THEN 'question.answered' "
    "ELSE 'question.verdict_changed' END || ',') > 0; END";

std::string hook_on(const char* slug) {
    return std::string("INSERT INTO webhooks (event_id, url, secret, events, created_by, created_at) "
                       "SELECT id, 'http://127.0.0.1:9/', 's', ',question.created,', 'bench', 0 "
                       "FROM events WHERE slug = '") + slug + "'";
}

bool prepare(database& d, const std::filesystem::path& dir, const std::string& migrations) {
    const std::string path = (dir / (d.name + ".db")).string();
    // Set up the schema first, then change it with a plain connection.
    auto once = tribune::sqlite_store::open(path, migrations, 1);
    if (!once) return false;
    once.value().reset();
    auto raw = tribune::sqlite_connection::open(path, false);
    if (!raw) return false;
    std::string sql = "INSERT INTO events (slug, title, created_at) VALUES ('other', 'Other', 0);";
    if (d.name == "other") sql += hook_on("other");
    if (d.name == "trigger") sql += old_trigger;
    if (d.name == "hooked") sql += hook_on("demo");
    if (!raw->exec(sql)) return false;
    auto db = tribune::sqlite_store::open(path, migrations, 1);
    if (!db) {
        std::fprintf(stderr, "%s: %s\n", d.name.c_str(), db.error().message().c_str());
        return false;
    }
    d.db = std::move(db).value();
    d.event_id = d.db->find_event("demo")->id;
    return true;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t rounds = 15, batch = 256, batches = 40;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        const std::size_t v = std::strtoull(argv[i + 1], nullptr, 10);
        if (a == "--rounds") rounds = v;
        else if (a == "--batch") batch = v;
        else if (a == "--batches") batches = v;
    }
    const auto dir = std::filesystem::temp_directory_path() /
                     ("outbox_trigger_bench." + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::vector<database> dbs(4);
    dbs[0].name = "none";
    dbs[1].name = "other";
    dbs[2].name = "trigger";
    dbs[3].name = "hooked";
    for (database& d : dbs)
        if (!prepare(d, dir, TRIBUNE_MIGRATIONS_DIR)) return 1;
    std::size_t serial = 0;
    for (std::size_t r = 0; r < rounds; ++r) {
        for (database& d : dbs) {
            double wall = 0, cpu = 0;
            for (std::size_t b = 0; b < batches; ++b) {
                auto rows = make_batch(d.event_id, batch, serial);
                const auto t0 = clock_type::now();
                const double c0 = thread_cpu_seconds();
                if (!d.db->insert_batch(rows)) return 1;
                cpu += thread_cpu_seconds() - c0;
                wall += std::chrono::duration<double>(clock_type::now() - t0).count();
            }
            const double n = static_cast<double>(batch * batches);
            d.cpu_us.push_back(1e6 * cpu / n);
            d.wall_us.push_back(1e6 * wall / n);
        }
    }
    // Medians over the rounds; CPU time of the committing thread is the steadier measure on a
    // loaded machine, wall time includes the WAL writes.
    std::printf("%-8s %14s %9s %15s %9s\n", "database", "CPU us/quest.", "vs none",
                "wall us/quest.", "vs none");
    const double cpu_base = median(dbs[0].cpu_us), wall_base = median(dbs[0].wall_us);
    for (const database& d : dbs)
        std::printf("%-8s %14.2f %8.1f%% %15.2f %8.1f%%\n", d.name.c_str(), median(d.cpu_us),
                    100.0 * (median(d.cpu_us) / cpu_base - 1.0), median(d.wall_us),
                    100.0 * (median(d.wall_us) / wall_base - 1.0));
    dbs.clear();
    std::filesystem::remove_all(dir);
    return 0;
}
