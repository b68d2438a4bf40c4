// near_duplicate_index_bench: memory and time per question of the near-duplicate index as one
// event fills up, through the same code ingest runs (fingerprint of the normal form, plan,
// commit) but without the database. Not a Google Benchmark: it prints one table.
//
//   near_duplicate_index_bench [--questions N] [--window W] [--batch B] [FILE]
//
// FILE: one question per line, cycled (with a counter appended after the first pass so the
// texts stay distinct). Without it, questions are generated from a fixed vocabulary, seeded:
// 8 to 20 words, about a quarter of them repeating a recent question with small changes (so
// groups form and candidates are compared). Results: docs/benchmarks.md "Near-duplicate index".

#include <time.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "core/store/memory_store.hpp"
#include "core/text/prepared_text.hpp"
#include "core/triage/near_duplicate_index.hpp"

namespace {

using tribune::near_duplicate_index;

// Resident set size of this process in MB, from /proc/self/status.
double rss_mb() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
    return 0.0;
}

// CPU time of this thread, in seconds: what the index costs, whatever else the machine runs.
double thread_cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

class question_source {
public:
    explicit question_source(std::vector<std::string> lines) : lines_(std::move(lines)) {}

    std::string next() {
        ++n_;
        if (!lines_.empty()) {
            const std::string& l = lines_[(n_ - 1) % lines_.size()];
            return n_ <= lines_.size() ? l : l + " " + std::to_string(n_ / lines_.size());
        }
        if (recent_.size() > 100 && rng_() % 4 == 0) {
            std::string t = recent_[rng_() % recent_.size()];
            if (rng_() % 2 == 0) t += "??";
            else t = "Please, " + t;
            return t;
        }
        static const char* words[] = {
            "when", "will", "the", "bank", "lower", "fees", "for", "students", "why", "did",
            "you", "close", "branch", "in", "my", "town", "how", "much", "does", "ceo", "earn",
            "what", "about", "pensions", "overdraft", "rates", "mortgage", "savings", "account",
            "interest", "loans", "staff", "bonus", "customers", "app", "outage", "fraud",
            "refund", "card", "charges", "climate", "policy", "investments", "oil", "coal",
            "shareholders", "dividend", "layoffs", "jobs", "office", "remote", "work", "pay",
            "gap", "women", "board", "diversity", "chairman", "resign", "scandal", "fine",
            "regulator", "crypto", "bitcoin", "small", "business", "farmers", "rural",
            "online", "security", "data", "privacy", "hackers", "cash", "machines", "atm",
            "coins", "branches", "phone", "waiting", "times", "complaints", "service", "help"};
        constexpr std::size_t vocabulary = sizeof(words) / sizeof(words[0]);
        std::string t;
        const int len = 8 + static_cast<int>(rng_() % 13);
        for (int i = 0; i < len; ++i) {
            if (i) t += ' ';
            t += words[rng_() % vocabulary];
        }
        t += rng_() % 3 == 0 ? "!" : "?";
        if (recent_.size() < 5000) recent_.push_back(t);
        else recent_[rng_() % recent_.size()] = t;
        return t;
    }

private:
    std::vector<std::string> lines_;
    std::vector<std::string> recent_;
    std::mt19937_64 rng_{20261128};
    std::size_t n_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
    std::size_t total = 1'000'000, window = std::size_t{1} << 17, batch_size = 64;
    std::string file;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--questions" && i + 1 < argc) total = std::stoul(argv[++i]);
        else if (a == "--window" && i + 1 < argc) window = std::stoul(argv[++i]);
        else if (a == "--batch" && i + 1 < argc) batch_size = std::stoul(argv[++i]);
        else if (!a.empty() && a[0] != '-') file = a;
        else {
            std::cerr << "usage: near_duplicate_index_bench [--questions N] [--window W] "
                         "[--batch B] [FILE]\n";
            return 2;
        }
    }
    std::vector<std::string> lines;
    if (!file.empty()) {
        std::ifstream in(file);
        for (std::string l; std::getline(in, l);)
            if (!l.empty() && tribune::is_valid_utf8(l)) lines.push_back(l);
        if (lines.empty()) {
            std::cerr << "no questions in " << file << "\n";
            return 1;
        }
    }
    question_source source(std::move(lines));
    near_duplicate_index::options o;
    o.capacity = window;
    near_duplicate_index index(o);

    using clock = std::chrono::steady_clock;
    std::printf("window %zu questions, batches of %zu, %s\n", window, batch_size,
                file.empty() ? "generated questions" : file.c_str());
    std::printf("%10s %12s %12s %10s %12s %8s\n", "questions", "CPU us/q", "wall us/q", "joined",
                "index MB", "RSS MB");
    std::printf("%10s %12s %12s %10s %12s %8s\n", "", "(last 10k)", "(last 10k)", "(so far)",
                "(estimate)", "");
    const double rss_start = rss_mb();
    std::int64_t next_id = 1, joined = 0;
    double window_seconds = 0, window_cpu = 0;
    std::size_t window_count = 0, next_report = 10'000;
    std::vector<std::string> texts;
    std::vector<near_duplicate_index::fingerprint> fps;
    bool measuring = true;  // timing the 10,000 questions before the next report
    for (std::size_t done = 0; done < total;) {
        if (!measuring && done + 10'000 >= next_report) {
            window_seconds = 0;
            window_cpu = 0;
            window_count = 0;
            measuring = true;
        }
        const std::size_t n = std::min(batch_size, total - done);
        texts.clear();
        for (std::size_t k = 0; k < n; ++k) texts.push_back(source.next());
        const auto t0 = clock::now();
        const double cpu0 = thread_cpu_seconds();
        // What a scoring worker does per question, then per batch.
        fps.clear();
        std::vector<std::string> normal;
        for (const std::string& t : texts) {
            normal.push_back(tribune::prepare_text(t)->normal.text);
            fps.push_back(index.detector().fingerprint_of_normalized(normal.back()));
        }
        std::vector<near_duplicate_index::item> items;
        for (const auto& fp : fps) items.push_back({1, &fp, true});
        const auto groups = index.plan(items);
        // The store's part: ids in order, each group resolved as insert_batch does.
        std::vector<near_duplicate_index::entry> stored;
        std::vector<std::int64_t> cluster(n);
        for (std::size_t k = 0; k < n; ++k) {
            const std::int64_t id = next_id++;
            const tribune::group_choice& g = groups[k];
            cluster[k] = g.k == tribune::group_choice::kind::own        ? id
                         : g.k == tribune::group_choice::kind::existing ? g.cluster_id
                                                                        : cluster[g.item];
            joined += cluster[k] != id;
            stored.push_back({id, 1, cluster[k], std::move(normal[k]), std::move(fps[k])});
        }
        index.commit(std::move(stored));
        window_seconds += std::chrono::duration<double>(clock::now() - t0).count();
        window_cpu += thread_cpu_seconds() - cpu0;
        window_count += n;
        done += n;
        if (done >= next_report) {
            std::printf("%10zu %12.1f %12.1f %10lld %12.1f %8.1f\n", done,
                        1e6 * window_cpu / static_cast<double>(window_count),
                        1e6 * window_seconds / static_cast<double>(window_count),
                        static_cast<long long>(joined),
                        static_cast<double>(index.memory_bytes()) / 1e6, rss_mb());
            std::fflush(stdout);
            measuring = false;
            next_report = next_report < 100'000 ? next_report * 10 : next_report + 100'000;
        }
    }
    const auto work = index.work();
    // The start of a server: the window rebuilt from stored texts (here an in-memory store
    // holding one window of further questions; SQLite adds its read of the same rows).
    {
        tribune::memory_store db;
        std::vector<tribune::question_insert> rows;
        for (std::size_t k = 0; k < window; ++k) {
            tribune::question_insert in;
            in.q.event_id = db.find_event("demo")->id;
            in.q.text = source.next();
            in.search_text = tribune::prepare_text(in.q.text)->normal.text;
            rows.push_back(std::move(in));
        }
        if (!db.insert_batch(rows)) return 1;
        near_duplicate_index fresh(o);
        const auto t0 = clock::now();
        const double cpu0 = thread_cpu_seconds();
        if (!fresh.rebuild(db)) return 1;
        std::printf("rebuild of a full window (%zu questions): %.2f s CPU, %.2f s wall\n",
                    fresh.size(), thread_cpu_seconds() - cpu0,
                    std::chrono::duration<double>(clock::now() - t0).count());
    }
    std::printf("RSS at start %.1f MB; time per question covers normalising, fingerprinting, "
                "planning and indexing.\n", rss_start);
    std::printf("candidates compared per question %.2f, fingerprints recomputed per question %.2f\n",
                static_cast<double>(work.compared) / static_cast<double>(work.planned),
                static_cast<double>(work.recomputed) / static_cast<double>(work.planned));
    return 0;
}
