#include "tests/postgres/test_postgres.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>

namespace tribune::testing {

namespace {

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    std::string out = s.str();
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
}

// A cluster this process started itself (no ctest fixture), stopped at exit.
class own_cluster {
public:
    own_cluster() {
        std::random_device rd;
        dir_ = std::filesystem::temp_directory_path() /
               ("tribune-pg-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
        const std::string cmd = std::string("'") + TRIBUNE_SOURCE_DIR +
                                "/tests/postgres/pg-cluster' start '" + dir_.string() + "'";
        started_ = std::system(cmd.c_str()) == 0;
    }
    ~own_cluster() {
        const std::string cmd = std::string("'") + TRIBUNE_SOURCE_DIR +
                                "/tests/postgres/pg-cluster' stop '" + dir_.string() + "'";
        (void)std::system(cmd.c_str());
    }
    bool started() const { return started_; }
    const std::filesystem::path& dir() const { return dir_; }

private:
    std::filesystem::path dir_;
    bool started_ = false;
};

std::filesystem::path cluster_dir(std::string* why_not) {
    if (const char* d = std::getenv("TRIBUNE_TEST_POSTGRES_DIR"); d != nullptr && *d != '\0')
        return d;
    static own_cluster own;
    if (!own.started()) {
        *why_not = "the test PostgreSQL cluster failed to start (tests/postgres/pg-cluster)";
        return {};
    }
    return own.dir();
}

}  // namespace

std::string fresh_postgres_database(std::string* why_not) {
    const std::filesystem::path dir = cluster_dir(why_not);
    if (dir.empty()) return {};
    if (std::filesystem::exists(dir / "skip")) {
        *why_not = read_file(dir / "skip");
        return {};
    }
    const std::string admin = read_file(dir / "url");
    if (admin.empty()) {
        *why_not = "the test PostgreSQL cluster wrote no URL to " + (dir / "url").string();
        return {};
    }
    static int counter = 0;
    std::random_device rd;
    const std::string name = "tribune_" + std::to_string(::getpid()) + "_" +
                             std::to_string(++counter) + "_" + std::to_string(rd() % 100000);
    std::unique_ptr<PGconn, void (*)(PGconn*)> c(PQconnectdb(admin.c_str()), &PQfinish);
    if (PQstatus(c.get()) != CONNECTION_OK) {
        *why_not = std::string("cannot reach the test cluster: ") + PQerrorMessage(c.get());
        return {};
    }
    PGresult* r = PQexec(c.get(), ("CREATE DATABASE " + name).c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) *why_not = std::string("CREATE DATABASE failed: ") + PQresultErrorMessage(r);
    PQclear(r);
    if (!ok) return {};
    return admin.substr(0, admin.rfind('/') + 1) + name;
}

}  // namespace tribune::testing
