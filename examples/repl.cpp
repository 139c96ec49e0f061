// visiondb: the interactive SQL shell, and the command that scripts and other programs drive.
//
//   visiondb [-c SQL] [-f FILE] [--format table|csv|json|jsonl|markdown] [--threads N] [--echo]
//            [--mount gs://bucket=DIR ...]
//
// Interactive (standard input a terminal, no -c/-f): line editing and history (libedit,
// ~/.visiondb_history), statements over several lines until ';', dot commands (.help), errors
// shown while the session goes on. Otherwise only results are printed (errors go to stderr); each
// statement's result is written and flushed as soon as it is complete, so that a program can
// drive a long-lived session through a pipe, one statement at a time (like `sqlite3 -csv -header`).
// A failing -c/-f statement stops the run with exit status 1; on piped input the session goes on
// and the exit status is 1 at the end.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "visiondb/api/database.hpp"
#include "visiondb/api/result_printer.hpp"
#include "visiondb/functions/registry.hpp"
#include "visiondb/sql/sql_function.hpp"
#include "visiondb/io/mount_table.hpp"
#include "visiondb/sql/lexer.hpp"
#include "visiondb/sql/parser.hpp"
#include "visiondb/storage/table.hpp"

#ifdef VISIONDB_HAVE_LIBEDIT
#include <editline/readline.h>
#endif

namespace {

using namespace visiondb;

constexpr const char* kUsage =
    "usage: visiondb [options]\n"
    "  -c SQL            run SQL (statements separated by ';', or a dot command) and exit\n"
    "  -f FILE           run the statements and dot commands of FILE and exit\n"
    "  --format FORMAT   table (default), csv, json, jsonl or markdown\n"
    "  --threads N       worker threads (default: one per core; also SET threads = N)\n"
    "  --echo            print each statement before its result\n"
    "  --mount gs://B=DIR  read the bucket URIs gs://B/... of object tables from the local\n"
    "                    folder DIR (repeatable; also SET mount = 'gs://B=DIR')\n"
    "  -h, --help        this help\n"
    "  --version         the version\n"
    "Without -c/-f, statements are read from standard input: interactively on a terminal,\n"
    "otherwise each result is printed and flushed as soon as its statement is complete.\n";

constexpr const char* kHelp =
    ".help               this text\n"
    ".tables             the tables, views and external tables\n"
    ".models             the models (CREATE MODEL): type, input size, classes, labels\n"
    ".schema [TABLE]     the columns of every table, or of TABLE\n"
    ".functions [all]    the SQL functions (CREATE FUNCTION); with all, the built-in ones too\n"
    ".mode MODE          output format: table, csv, json, jsonl, markdown\n"
    ".headers on|off     column names in csv and markdown output\n"
    ".maxrows N          rows the table format shows before eliding (0: all)\n"
    ".timer on|off       print the run time of each statement\n"
    ".echo on|off        print each statement before its result\n"
    ".threads N          worker threads (same as SET threads = N)\n"
    ".mounts             the bucket URIs mapped to local folders (SET mount = 'gs://B=DIR')\n"
    ".read FILE          run the statements and dot commands of FILE\n"
    ".quit, .exit        leave\n"
    "SQL statements end with ';' and may span several lines.\n";

/// True while a progress line is on the terminal (a statement that fails leaves one behind).
bool progress_line_shown = false;

/// One line on stderr: "ML.PREDICT m [=========>      ] 120/480 rows  35.2 rows/s  ETA 0:10".
void draw_progress(const Progress& p) {
  constexpr int kWidth = 30;
  char line[256];
  int filled = 0;
  if (p.total > 0) filled = static_cast<int>(kWidth * std::min(1.0, static_cast<double>(p.done) / static_cast<double>(p.total)));
  std::string bar(static_cast<size_t>(filled), '=');
  if (filled < kWidth) bar += '>';
  bar.resize(kWidth, ' ');
  const long eta = static_cast<long>(p.eta_seconds + 0.5);
  std::snprintf(line, sizeof line, "\r%s [%s] %llu/%llu %s  %.1f %s/s  ETA %ld:%02ld\x1b[K", p.task.c_str(), bar.c_str(),
                static_cast<unsigned long long>(p.done), static_cast<unsigned long long>(p.total), p.unit.c_str(),
                p.per_second, p.unit.c_str(), eta / 60, eta % 60);
  std::fputs(line, stderr);
  // The last report clears the line: the result follows on stdout.
  if (p.finished) std::fputs("\r\x1b[K", stderr);
  progress_line_shown = !p.finished;
  std::fflush(stderr);
}

/// Where the lines being run come from: how errors are handled.
enum class Source { Interactive, Pipe, Script };

class Shell {
 public:
  Shell(DatabaseOptions db_options, PrintOptions print) : db_(db_options), print_(print) {
    // Long statements (ML.PREDICT over many images, training) draw a bar on a terminal's stderr.
    if (isatty(STDERR_FILENO)) db_.set_progress_callback(draw_progress);
  }

  bool failed() const noexcept { return failed_; }
  /// Maps a bucket URI to a local folder (--mount).
  void mount(const std::string& bucket, const std::string& dir) { db_.mount(bucket, dir); }
  bool quit() const noexcept { return quit_; }
  void set_echo(bool on) noexcept { echo_ = on; }

  /// Feeds one line of input; runs the statements and dot commands it completes. Returns false
  /// when the input must stop (.quit, or an error in a script).
  bool feed_line(const std::string& raw, Source source) {
    std::string line = raw;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (only_blanks(buffer_) && starts_with_dot(line)) {
      buffer_.clear();
      return dot_command(line, source) && !quit_;
    }
    buffer_ += line;
    buffer_ += '\n';
    if (sql::is_complete_statement(buffer_)) return flush(source);
    return true;
  }

  /// Runs what is left in the buffer (a last statement without ';').
  bool finish(Source source) { return only_blanks(buffer_) ? true : flush(source); }

  bool buffer_empty() const { return only_blanks(buffer_); }

  /// Feeds every line of text.
  bool run_text(const std::string& text, Source source) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
      if (!feed_line(line, source)) return false;
    return finish(source);
  }

  bool run_file(const std::string& path, Source source) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      report("Error: cannot open \"" + path + "\": " + std::strerror(errno));
      return false;
    }
    std::ostringstream text;
    text << in.rdbuf();
    // Lines of a file are run with the file's own buffer, then the caller's buffer resumes.
    std::string saved;
    saved.swap(buffer_);
    bool ok = run_text(text.str(), source);
    buffer_.swap(saved);
    return ok;
  }

 private:
  static bool only_blanks(const std::string& s) {
    return s.find_first_not_of(" \t\r\n") == std::string::npos;
  }
  static bool starts_with_dot(const std::string& s) {
    size_t i = s.find_first_not_of(" \t");
    return i != std::string::npos && s[i] == '.';
  }

  void report(const std::string& message) {
    if (progress_line_shown) {
      std::cerr << "\r\x1b[K";
      progress_line_shown = false;
    }
    std::cout.flush();
    std::cerr << message << '\n';
    std::cerr.flush();
    failed_ = true;
  }

  // Runs the complete statements in the buffer.
  bool flush(Source source) {
    std::string text;
    text.swap(buffer_);
    std::vector<SourceSpan> spans;
    try {
      spans = sql::split_statements(text);
    } catch (const SqlError& e) {
      // A lexical error (an unterminated string, say): the whole buffer is one bad statement.
      SqlError shown = e;
      shown.attach_query(text);
      report(shown.what());
      return source != Source::Script;
    }
    for (const SourceSpan& span : spans) {
      if (!run_statement(std::string_view(text).substr(span.offset, span.length)) && source == Source::Script)
        return false;
    }
    return true;
  }

  bool run_statement(std::string_view sql) {
    if (echo_) std::cout << sql << ";\n";
    const auto start = std::chrono::steady_clock::now();
    try {
      QueryResult result = db_.query(sql);
      print_result(std::cout, result, print_);
    } catch (const Error& e) {
      report(e.what());
      return false;
    } catch (const std::exception& e) {
      report(std::string("Internal Error: ") + e.what());
      return false;
    }
    if (timer_) {
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      char buf[64];
      std::snprintf(buf, sizeof buf, "Run Time: %.3f s\n", s);
      std::cout << buf;
    }
    std::cout.flush();
    return true;
  }

  static std::vector<std::string> words(const std::string& line) {
    std::vector<std::string> out;
    std::istringstream in(line);
    std::string w;
    while (in >> w) out.push_back(w);
    return out;
  }

  bool on_off(const std::vector<std::string>& w, bool& flag) {
    if (w.size() == 2 && (w[1] == "on" || w[1] == "off")) {
      flag = w[1] == "on";
      return true;
    }
    report("Error: usage: " + w[0] + " on|off");
    return false;
  }

  // The SQL functions with their signatures and bodies; `all` adds the built-in names.
  void functions(bool all) {
    for (const auto& entry : db_.catalog().list(CatalogEntryKind::Function)) {
      const auto* f = dynamic_cast<const sql::SqlFunction*>(entry.get());
      if (!f) continue;
      const QualifiedName& n = f->name();
      std::string name = n.dataset == Catalog::kDefaultDataset ? std::string() : n.dataset + ".";
      std::cout << (f->temporary() ? "TEMP FUNCTION " : "FUNCTION ") << name << f->signature() << " AS (" << f->body_sql()
                << ")\n";
    }
    if (!all) return;
    std::string line;
    for (const auto& d : db_.functions().docs()) {
      if (d.name.empty() || !std::isalpha(static_cast<unsigned char>(d.name[0]))) continue;
      std::string item = d.name + (d.aggregate ? " (aggregate)" : "");
      if (!line.empty() && line.size() + item.size() + 2 > 100) {
        std::cout << line << ",\n";
        line.clear();
      }
      line += (line.empty() ? "" : ", ") + item;
    }
    if (!line.empty()) std::cout << line << '\n';
  }

  bool dot_command(const std::string& line, Source source) {
    const std::vector<std::string> w = words(line);
    const std::string& cmd = w[0];
    bool ok = true;
    if (cmd == ".quit" || cmd == ".exit" || cmd == ".q") {
      quit_ = true;
    } else if (cmd == ".help") {
      std::cout << kHelp;
    } else if (cmd == ".tables") {
      for (const auto& entry : db_.catalog().list(CatalogEntryKind::Table)) {
        const QualifiedName& n = entry->name();
        std::cout << (n.dataset == Catalog::kDefaultDataset ? n.name : n.to_string()) << '\n';
      }
    } else if (cmd == ".models") {
      for (const auto& entry : db_.catalog().list(CatalogEntryKind::Model)) {
        const QualifiedName& n = entry->name();
        std::cout << (n.dataset == Catalog::kDefaultDataset ? n.name : n.to_string()) << "  " << entry->describe() << '\n';
      }
    } else if (cmd == ".functions") {
      functions(w.size() > 1 && w[1] == "all");
    } else if (cmd == ".schema") {
      ok = schema(w.size() > 1 ? w[1] : std::string());
    } else if (cmd == ".timer") {
      ok = on_off(w, timer_);
    } else if (cmd == ".echo") {
      ok = on_off(w, echo_);
    } else if (cmd == ".headers") {
      ok = on_off(w, print_.header);
    } else if (cmd == ".mode") {
      if (w.size() != 2) {
        report("Error: usage: .mode table|csv|json|jsonl|markdown");
        ok = false;
      } else {
        try {
          print_.format = parse_output_format(w[1]);
        } catch (const Error& e) {
          report(std::string("Error: ") + e.what());
          ok = false;
        }
      }
    } else if (cmd == ".maxrows") {
      ok = w.size() == 2 && parse_count(w[1], print_.max_rows);
      if (!ok) report("Error: usage: .maxrows N");
    } else if (cmd == ".mounts") {
      for (const auto& [bucket, dir] : db_.mounts()) std::cout << bucket << " = " << dir << '\n';
    } else if (cmd == ".threads") {
      size_t n = 0;
      ok = w.size() == 2 && parse_count(w[1], n) && n > 0;
      if (ok) {
        db_.set_threads(static_cast<int>(n));
      } else {
        report("Error: usage: .threads N (N >= 1)");
      }
    } else if (cmd == ".read") {
      if (w.size() != 2) {
        report("Error: usage: .read FILE");
        ok = false;
      } else {
        ok = run_file(w[1], source == Source::Interactive ? Source::Pipe : source);
      }
    } else {
      report("Error: unknown command " + cmd + " (.help lists them)");
      ok = false;
    }
    std::cout.flush();
    return ok || source != Source::Script;
  }

  static bool parse_count(const std::string& s, size_t& out) {
    if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 9) return false;
    out = static_cast<size_t>(std::stoul(s));
    return true;
  }

  bool schema(const std::string& only) {
    bool found = false;
    for (const auto& entry : db_.catalog().list(CatalogEntryKind::Table)) {
      const QualifiedName& n = entry->name();
      const std::string shown = n.dataset == Catalog::kDefaultDataset ? n.name : n.to_string();
      if (!only.empty() && only != shown && only != n.to_string()) continue;
      found = true;
      if (const auto* table = dynamic_cast<const Table*>(entry.get())) {
        std::cout << "CREATE TABLE " << shown << " (";
        const Schema& s = table->schema();
        for (size_t i = 0; i < s.size(); ++i)
          std::cout << (i ? ", " : "") << s[i].name << ' ' << s[i].type.to_string() << (s[i].not_null ? " NOT NULL" : "");
        std::cout << ");\n";
      } else {
        std::cout << entry->describe() << '\n';
      }
    }
    if (!only.empty() && !found) {
      report("Error: no table \"" + only + "\"");
      return false;
    }
    return true;
  }

  Database db_;
  PrintOptions print_;
  std::string buffer_;
  bool timer_ = false;
  bool echo_ = false;
  bool quit_ = false;
  bool failed_ = false;
};

void interactive(Shell& shell) {
  std::cout << "visiondb " << VISIONDB_VERSION_STRING << ": enter .help for the commands, end statements with ';'\n";
#ifdef VISIONDB_HAVE_LIBEDIT
  std::string history;
  if (const char* home = std::getenv("HOME")) history = std::string(home) + "/.visiondb_history";
  using_history();
  stifle_history(2000);
  if (!history.empty()) read_history(history.c_str());
  for (;;) {
    std::cout.flush();  // libedit writes the prompt through its own stream
    char* raw = readline(shell.buffer_empty() ? "visiondb> " : "      ...> ");
    if (!raw) break;
    std::string line(raw);
    std::free(raw);
    if (line.find_first_not_of(" \t") != std::string::npos) add_history(line.c_str());
    shell.feed_line(line, Source::Interactive);
    if (shell.quit()) break;
  }
  if (!history.empty()) write_history(history.c_str());
#else
  std::string line;
  for (;;) {
    std::cout << (shell.buffer_empty() ? "visiondb> " : "      ...> ") << std::flush;
    if (!std::getline(std::cin, line)) break;
    shell.feed_line(line, Source::Interactive);
    if (shell.quit()) break;
  }
#endif
  if (!shell.quit()) shell.finish(Source::Interactive);
  std::cout << '\n';
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  DatabaseOptions db_options;
  PrintOptions print;
  bool echo = false;
  std::vector<std::pair<std::string, std::string>> mounts;
  // -c and -f run in the order given.
  std::vector<std::pair<char, std::string>> jobs;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](const char* what) -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "visiondb: " << arg << " needs " << what << "\n" << kUsage;
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "-c") {
      jobs.emplace_back('c', value("SQL"));
    } else if (arg == "-f") {
      jobs.emplace_back('f', value("a file"));
    } else if (arg == "--format" || arg == "-format") {
      try {
        print.format = parse_output_format(value("a format"));
      } catch (const Error& e) {
        std::cerr << "visiondb: " << e.what() << '\n';
        return 2;
      }
    } else if (arg == "--threads") {
      const std::string n = value("a number");
      char* end = nullptr;
      long v = std::strtol(n.c_str(), &end, 10);
      if (n.empty() || *end != '\0' || v < 1 || v > 4096) {
        std::cerr << "visiondb: --threads expects a number >= 1, got '" << n << "'\n";
        return 2;
      }
      db_options.threads = static_cast<int>(v);
    } else if (arg == "--echo" || arg == "-echo") {
      echo = true;
    } else if (arg == "--mount") {
      const std::string spec = value("gs://bucket=DIR");
      try {
        auto m = io::parse_mount_spec(spec);
        if (m.second.empty()) throw InvalidArgument("--mount needs a folder after '=': '" + spec + "'");
        mounts.push_back(std::move(m));
      } catch (const Error& e) {
        std::cerr << "visiondb: " << e.what() << '\n';
        return 2;
      }
    } else if (arg == "-h" || arg == "--help") {
      std::cout << kUsage;
      return 0;
    } else if (arg == "--version") {
      std::cout << "visiondb " << VISIONDB_VERSION_STRING << '\n';
      return 0;
    } else {
      std::cerr << "visiondb: unknown argument '" << arg << "' (a database directory comes with persistence)\n"
                << kUsage;
      return 2;
    }
  }

  Shell shell(db_options, print);
  shell.set_echo(echo);
  for (const auto& [bucket, dir] : mounts) shell.mount(bucket, dir);
  if (!jobs.empty()) {
    for (const auto& [kind, text] : jobs) {
      const bool ok = kind == 'c' ? shell.run_text(text, Source::Script) : shell.run_file(text, Source::Script);
      if (!ok || shell.quit()) break;
    }
    std::cout.flush();
    return shell.failed() ? 1 : 0;
  }
  if (isatty(STDIN_FILENO)) {
    interactive(shell);
    return 0;
  }
  // Piped input: statement by statement, each result flushed as soon as it is complete.
  std::string line;
  while (!shell.quit() && std::getline(std::cin, line)) shell.feed_line(line, Source::Pipe);
  if (!shell.quit()) shell.finish(Source::Pipe);
  std::cout.flush();
  return shell.failed() ? 1 : 0;
}
