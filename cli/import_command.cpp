#include "cli/import_command.hpp"

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "cli/command_support.hpp"
#include "core/service/question_service.hpp"
#include "core/store/open_store.hpp"
#include "server/wire/question_codec.hpp"

namespace tribune::server {
namespace {

constexpr const char* import_usage =
    "usage: tribune import --event SLUG [--db PATH|URL] [--classifier model|placeholder] FILE\n"
    "  FILE: JSON lines (\"-\" for stdin), each {\"text\", \"author\"?, \"source\"?, \"external_id\"?}\n"
    "  as POST /api/v1/events/SLUG/questions takes it. Every line is checked first; a bad\n"
    "  line is reported and nothing is imported. Questions whose (source, external_id) is\n"
    "  already stored are skipped. Other options: as tribune serve.\n";

constexpr std::size_t bad_lines_shown = 20;
constexpr std::size_t submitter_count = 8;

// Announcements go nowhere: on PostgreSQL the store announces its commits to every instance
// (NOTIFY); on SQLite no other process hears this one's hub.
class silent_sink final : public event_sink {
public:
    void question_changed(const question_change&) override {}
};

struct import_args {
    std::string event;
    std::string file;
    std::vector<std::string> serve_args;
};

result<import_args> parse_import_args(const std::vector<std::string>& args) {
    import_args out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--event" || a.rfind("--event=", 0) == 0) {
            auto o = option_at(args, i);
            if (!o) return o.error();
            out.event = o->second;
        } else if (a == "-" || a.rfind("--", 0) != 0) {
            if (!out.file.empty()) return invalid("usage", "one FILE only (got " + out.file + " and " + a + ")");
            out.file = a;
        } else {
            out.serve_args.push_back(a);
            if (a.find('=') == std::string::npos && i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0)
                out.serve_args.push_back(args[++i]);
        }
    }
    if (out.event.empty()) return invalid("usage", "--event SLUG is required");
    if (out.file.empty()) return invalid("usage", "FILE is required (\"-\" for stdin)");
    return out;
}

// Every line of `in` as a submission; the bad ones reported to stderr as FILE:LINE. Empty
// lines are skipped. Errors: invalid_argument (code "bad_lines") when any line is bad.
result<std::vector<submission>> read_lines(std::istream& in, const import_args& a,
                                           const question_service& service) {
    std::vector<submission> subs;
    std::size_t bad = 0, number = 0;
    std::string line;
    while (std::getline(in, line)) {
        ++number;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        status st = status::ok();
        json body = json::parse(line, nullptr, false);
        if (body.is_discarded()) {
            st = invalid("invalid_json", "not a JSON value");
        } else if (!body.is_object()) {
            st = invalid("invalid_json", "not a JSON object");
        } else if (auto sub = decode_submission(body, a.event); !sub) {
            st = sub.error();
        } else if (st = service.check(*sub); st) {
            subs.push_back(std::move(*sub));
        }
        if (!st && ++bad <= bad_lines_shown)
            std::cerr << a.file << ":" << number << ": " << st.code() << ": " << st.message() << "\n";
    }
    if (bad > 0)
        return invalid("bad_lines", std::to_string(bad) + " bad line" + (bad == 1 ? "" : "s") +
                                        " in " + a.file + "; nothing imported");
    return subs;
}

// What the import did, for its last line.
struct tally {
    std::mutex mutex;
    std::condition_variable done;
    std::size_t answered = 0;
    std::size_t created = 0;
    std::map<std::string, std::size_t> by_status;  // of the new questions
    std::optional<status> error;                   // the first commit that failed
};

// Submits subs[first], subs[first + step], ..., waiting while the queue is full. A refusal
// other than a full queue is the tally's error (and counts as answered).
void submit_slice(question_service& service, std::vector<submission>& subs, std::size_t first,
                    std::size_t step, tally& t) {
    for (std::size_t i = first; i < subs.size(); i += step) {
        for (;;) {
            status st = service.submit(subs[i], [&t](result<submit_outcome> r) {
                std::lock_guard lock(t.mutex);
                ++t.answered;
                if (!r) {
                    if (!t.error) t.error = r.error();
                } else if (r->created) {
                    ++t.created;
                    ++t.by_status[std::string(to_string(r->q.status))];
                }
                t.done.notify_all();
            });
            if (st) break;
            if (st.code() != "queue_full") {
                std::lock_guard lock(t.mutex);
                ++t.answered;  // never queued: counted as answered, so the wait ends
                if (!t.error) t.error = st;
                t.done.notify_all();
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
}

// Submits every question from `submitters` threads (a retry's look-up of its (source,
// external_id) is a database round trip each: several run at once); returns once each is
// answered.
void submit_all(question_service& service, std::vector<submission>& subs, std::size_t submitters,
                tally& t) {
    std::vector<std::thread> threads;
    for (std::size_t k = 0; k < submitters; ++k)
        threads.emplace_back([&, k] { submit_slice(service, subs, k, submitters, t); });
    for (std::thread& th : threads) th.join();
    std::unique_lock lock(t.mutex);
    t.done.wait(lock, [&] { return t.answered == subs.size(); });
}

}  // namespace

int run_import_command(const std::vector<std::string>& args, const std::string& argv0) {
    for (const std::string& a : args)
        if (a == "--help" || a == "-h") {
            std::cout << import_usage;
            return 0;
        }
    auto a = parse_import_args(args);
    if (!a) {
        std::cerr << "tribune: " << a.error().message() << "\n" << import_usage;
        return 2;
    }
    auto o = resolved_options(a->serve_args, argv0);
    if (!o) return fail(o.error().message());
    auto model = make_classifier(*o);
    if (!model) return fail(model.error().message());
    std::string question_model;
    auto signal = make_question_signal(*o, &question_model);
    if (!signal) return fail(signal.error().message());
    // Connections for the submitters' look-ups, the group commit and the learning.
    auto db = open_store(o->cfg.db_path, o->cfg.migrations_dir, submitter_count + 2);
    if (!db) return fail(db.error().message());
    if (auto ev = (*db)->find_event(a->event); !ev) return fail(ev.error().message());

    service_options opts;
    opts.max_text_chars = o->cfg.max_text_chars;
    opts.queue_capacity = o->cfg.ingest_queue_capacity;
    opts.max_batch = o->cfg.max_batch;
    opts.workers = o->cfg.scoring_workers;
    opts.question_model = signal->get();
    // A database running servers write to at the same time (PostgreSQL): each batch is grouped
    // under its event's numbering lock with what they committed (group_commit.hpp).
    opts.shared_store = (*db)->open_change_source() != nullptr;
    silent_sink sink;
    question_service service(**db, **model, sink, opts);

    std::ifstream file;
    if (a->file != "-") {
        file.open(a->file);
        if (!file) return fail("cannot read " + a->file);
    }
    auto subs = read_lines(a->file == "-" ? std::cin : file, *a, service);
    if (!subs) return fail(subs.error().message());

    (*db)->prefer_bulk_writes();
    if (status st = service.start(); !st) return fail(st.message());
    tally t;
    submit_all(service, *subs, submitter_count, t);
    service.stop();
    if (t.error) return fail("import stopped: " + t.error->message() +
                             " (questions answered before it are stored; run it again)");
    std::cout << "tribune: imported " << t.created << " new question" << (t.created == 1 ? "" : "s")
              << " into " << a->event << " (" << subs->size() - t.created << " already stored)";
    for (const auto& [state, n] : t.by_status) std::cout << "; " << state << " " << n;
    std::cout << "\n";
    return 0;
}

}  // namespace tribune::server
