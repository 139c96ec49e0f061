// Runs the built `visiondb` binary as a child process with pipes on its standard streams, so that
// tests can drive it statement by statement (write, then read the answer before writing more).
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

namespace visiondb::testing {

/// The REPL binary of this build.
inline std::string repl_binary() { return VISIONDB_BINARY_DIR "/visiondb"; }

class ReplProcess {
 public:
  explicit ReplProcess(const std::vector<std::string>& args) {
    int in[2], out[2], err[2];
    if (pipe(in) || pipe(out) || pipe(err)) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      dup2(in[0], 0);
      dup2(out[1], 1);
      dup2(err[1], 2);
      for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) close(fd);
      std::vector<char*> argv;
      std::string bin = repl_binary();
      argv.push_back(bin.data());
      std::vector<std::string> copy = args;
      for (auto& a : copy) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(bin.c_str(), argv.data());
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    close(err[1]);
    stdin_ = in[1];
    stdout_ = out[0];
    stderr_ = err[0];
    signal(SIGPIPE, SIG_IGN);
  }
  ReplProcess(const ReplProcess&) = delete;
  ReplProcess& operator=(const ReplProcess&) = delete;
  ~ReplProcess() {
    close_stdin();
    if (pid_ > 0 && !waited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(stdout_);
    close(stderr_);
  }

  void write(const std::string& text) {
    size_t done = 0;
    while (done < text.size()) {
      ssize_t n = ::write(stdin_, text.data() + done, text.size() - done);
      if (n <= 0) throw std::runtime_error("write to the REPL failed");
      done += static_cast<size_t>(n);
    }
  }

  void close_stdin() {
    if (stdin_ >= 0) close(stdin_);
    stdin_ = -1;
  }

  /// Reads standard output until it holds `expected` (returns everything read up to and
  /// including it) or `timeout` passes (returns what was read; the test then fails on it).
  std::string read_stdout_until(const std::string& expected, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    return read_until(stdout_, out_buf_, expected, timeout);
  }
  std::string read_stderr_until(const std::string& expected, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    return read_until(stderr_, err_buf_, expected, timeout);
  }

  /// Closes stdin, reads both streams to their end, and returns the exit status.
  int wait(std::string* out = nullptr, std::string* err = nullptr) {
    close_stdin();
    drain_both();
    int status = 0;
    waitpid(pid_, &status, 0);
    waited_ = true;
    if (out) *out = out_buf_;
    if (err) *err = err_buf_;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  static std::string read_until(int fd, std::string& buf, const std::string& expected,
                                std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      size_t at = buf.find(expected);
      if (at != std::string::npos) {
        std::string got = buf.substr(0, at + expected.size());
        buf.erase(0, at + expected.size());
        return got;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return buf;
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return buf;
      char tmp[4096];
      ssize_t n = read(fd, tmp, sizeof tmp);
      if (n <= 0) return buf;
      buf.append(tmp, static_cast<size_t>(n));
    }
  }

  // Reads both streams to their end together (a child blocked on a full stderr pipe would
  // otherwise never close stdout).
  void drain_both() {
    bool open[2] = {true, true};
    const int fds[2] = {stdout_, stderr_};
    std::string* bufs[2] = {&out_buf_, &err_buf_};
    while (open[0] || open[1]) {
      pollfd p[2];
      int n = 0, which[2];
      for (int i = 0; i < 2; ++i)
        if (open[i]) {
          p[n] = {fds[i], POLLIN, 0};
          which[n++] = i;
        }
      if (poll(p, static_cast<nfds_t>(n), 60000) <= 0) return;
      for (int k = 0; k < n; ++k) {
        if (!(p[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        char tmp[4096];
        ssize_t got = read(p[k].fd, tmp, sizeof tmp);
        if (got <= 0) open[which[k]] = false;
        else bufs[which[k]]->append(tmp, static_cast<size_t>(got));
      }
    }
  }

  pid_t pid_ = -1;
  int stdin_ = -1, stdout_ = -1, stderr_ = -1;
  bool waited_ = false;
  std::string out_buf_, err_buf_;
};

/// Runs the binary to completion with `input` on stdin.
struct RunResult {
  int status;
  std::string out, err;
};
inline RunResult run_repl(const std::vector<std::string>& args, const std::string& input = "") {
  ReplProcess p(args);
  if (!input.empty()) p.write(input);
  RunResult r;
  r.status = p.wait(&r.out, &r.err);
  return r;
}

}  // namespace visiondb::testing
