#include "tests/server/tribune_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <thread>

extern char** environ;

namespace tribune::test {
namespace {

using clock = std::chrono::steady_clock;

// Spawns TRIBUNE_BINARY with `args`; its stdout (and stderr when `merge_stderr`) goes to a
// pipe whose read end is returned in *read_fd.
pid_t spawn_tribune(const std::vector<std::string>& args, bool merge_stderr, int* read_fd,
                    std::string* error) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        *error = std::string("pipe: ") + std::strerror(errno);
        return -1;
    }
    std::vector<std::string> all = {TRIBUNE_BINARY};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    if (merge_stderr) posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
    pid_t pid = -1;
    int rc = posix_spawn(&pid, TRIBUNE_BINARY, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    if (rc != 0) {
        ::close(fds[0]);
        *error = std::string("posix_spawn " TRIBUNE_BINARY ": ") + std::strerror(rc);
        return -1;
    }
    *read_fd = fds[0];
    return pid;
}

int decode_status(int st) {
    if (WIFEXITED(st)) return WEXITSTATUS(st);
    if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
    return -1;
}

}  // namespace

std::unique_ptr<tribune_process> tribune_process::serve(const std::string& db,
                                                        const std::vector<std::string>& extra,
                                                        std::string* error) {
    std::vector<std::string> args = {"serve",
                                     "--port", "0",
                                     "--db", db,
                                     "--classifier", "placeholder",
                                     "--migrations", std::string(TRIBUNE_SOURCE_DIR) + "/migrations",
                                     "--web-root", std::string(TRIBUNE_SOURCE_DIR) + "/web",
                                     "--quiet",
                                     "--rate-ip", "0",
                                     "--rate-token", "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::unique_ptr<tribune_process> p(new tribune_process());
    p->pid_ = spawn_tribune(args, false, &p->stdout_fd_, error);
    if (p->pid_ < 0) return nullptr;

    const std::string marker = "listening on http://";
    const auto deadline = clock::now() + std::chrono::seconds(30);
    while (clock::now() < deadline) {
        p->read_available(100);
        auto at = p->output_.find(marker);
        if (at != std::string::npos) {
            auto colon = p->output_.find(':', at + marker.size());
            auto slash = p->output_.find('/', colon == std::string::npos ? at : colon);
            if (colon != std::string::npos && slash != std::string::npos) {
                p->port_ = static_cast<std::uint16_t>(
                    std::stoi(p->output_.substr(colon + 1, slash - colon - 1)));
                // The first start prints the admin token before the dashboard line.
                const std::string created = "created an admin token";
                while (p->output_.find("tribune: dashboard") == std::string::npos &&
                       clock::now() < deadline)
                    p->read_available(100);
                if (auto c = p->output_.find(created); c != std::string::npos) {
                    auto line = p->output_.find('\n', c);
                    auto end = line == std::string::npos ? line : p->output_.find('\n', line + 1);
                    if (line != std::string::npos && end != std::string::npos) {
                        std::string t = p->output_.substr(line + 1, end - line - 1);
                        t.erase(0, t.find_last_of(' ') + 1);
                        p->admin_token_ = t;
                    }
                }
                return p;
            }
        }
        if (p->wait(std::chrono::milliseconds(0))) {
            *error = "tribune serve exited with " + std::to_string(*p->exit_code_) +
                     " before listening; stdout: " + p->output_;
            return nullptr;
        }
    }
    *error = "tribune serve printed no 'listening on' line within 30 s: " + p->output_;
    return nullptr;
}

std::unique_ptr<tribune_process> tribune_process::start(const std::vector<std::string>& args,
                                                        std::string* error) {
    std::unique_ptr<tribune_process> p(new tribune_process());
    p->pid_ = spawn_tribune(args, true, &p->stdout_fd_, error);
    if (p->pid_ < 0) return nullptr;
    return p;
}

tribune_process::~tribune_process() {
    if (!exit_code_ && pid_ > 0) {
        ::kill(pid_, SIGKILL);
        wait(std::chrono::milliseconds(30'000));
    }
    if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

void tribune_process::signal(int sig) {
    if (!exit_code_ && pid_ > 0) ::kill(pid_, sig);
}

void tribune_process::read_available(int timeout_ms) {
    if (stdout_fd_ < 0) return;
    pollfd pfd{stdout_fd_, POLLIN, 0};
    while (::poll(&pfd, 1, timeout_ms) > 0) {
        char buf[4096];
        ssize_t n = ::read(stdout_fd_, buf, sizeof buf);
        if (n <= 0) {
            ::close(stdout_fd_);
            stdout_fd_ = -1;
            return;
        }
        output_.append(buf, static_cast<std::size_t>(n));
        timeout_ms = 0;
    }
}

std::optional<int> tribune_process::wait(std::chrono::milliseconds timeout) {
    if (exit_code_) return exit_code_;
    const auto deadline = clock::now() + timeout;
    for (;;) {
        // Keep the pipe empty so the child never blocks writing to it.
        read_available(0);
        int st = 0;
        pid_t r = ::waitpid(pid_, &st, WNOHANG);
        if (r == pid_) {
            exit_code_ = decode_status(st);
            read_available(0);
            return exit_code_;
        }
        if (clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

int run_tribune(const std::vector<std::string>& args, std::string* output,
                std::chrono::milliseconds timeout) {
    std::string error;
    int fd = -1;
    pid_t pid = spawn_tribune(args, true, &fd, &error);
    if (pid < 0) {
        *output = error;
        return -1;
    }
    const auto deadline = clock::now() + timeout;
    int code = -1;
    for (;;) {
        pollfd pfd{fd, POLLIN, 0};
        if (::poll(&pfd, 1, 10) > 0) {
            char buf[4096];
            ssize_t n = ::read(fd, buf, sizeof buf);
            if (n > 0) output->append(buf, static_cast<std::size_t>(n));
        }
        int st = 0;
        if (::waitpid(pid, &st, WNOHANG) == pid) {
            code = decode_status(st);
            break;
        }
        if (clock::now() >= deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &st, 0);
            break;
        }
    }
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0) output->append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    return code;
}

}  // namespace tribune::test
