// The data of the SQL and CSV benchmarks, defined by formulas of the row number so that visiondb
// (generated here in C++), the CSV files the peers load (DuckDB, SQLite) and any re-run hold the
// same rows:
//   t (10 M rows): id = i, k = i*2654435761 mod 1e6 (a 1 M-value key, 10 rows each),
//                  cat = 'cat_' || (i*7919 mod 50), path = 'images/' || cat || '/img_' || i || '.jpg',
//                  x = (i*48271 mod 2147483647) / 2147483647.0 (distinct doubles in [0, 1)),
//                  y = i*31337 mod 1000
//   d (1 M rows):  k = j, grp = 'grp_' || (j mod 100), w = (j mod 997) / 997.0
//   pred (t's rows / 100): id = i, scores = 1000 doubles, scores[j] = ((i*1000 + j)*2654435761 mod 2^32) / 2^32
//   labels (1000 rows): i, label = 'label_' || i
#pragma once

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace visiondb::bench {

inline int64_t t_k(int64_t i) { return (i * 2654435761LL) % 1000000; }
inline int64_t t_cat(int64_t i) { return (i * 7919) % 50; }
inline double t_x(int64_t i) { return static_cast<double>((i * 48271) % 2147483647) / 2147483647.0; }
inline int64_t t_y(int64_t i) { return (i * 31337) % 1000; }
inline std::string cat_name(int64_t c) { return "cat_" + std::to_string(c); }
inline int64_t d_grp(int64_t j) { return j % 100; }
inline double d_w(int64_t j) { return static_cast<double>(j % 997) / 997.0; }

/// Rows of t: VISIONDB_BENCH_ROWS, or 10 M.
inline int64_t t_rows() {
  const char* env = std::getenv("VISIONDB_BENCH_ROWS");
  return env ? std::atoll(env) : 10'000'000;
}
inline constexpr int64_t kDRows = 1'000'000;

/// Rows of pred (each a 1000-wide ARRAY<FLOAT64>): t's rows / 100, at least 1000.
inline int64_t pred_rows() { return std::max<int64_t>(1000, t_rows() / 100); }
inline constexpr int64_t kPredWidth = 1000;
inline double pred_score(int64_t i, int64_t j) {
  return static_cast<double>(((i * kPredWidth + j) * 2654435761LL) % 4294967296LL) / 4294967296.0;
}

namespace detail {
inline void append_int(std::string& out, int64_t v) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}
inline void append_double(std::string& out, double v) {
  char buf[32];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}
inline void write_all(std::FILE* f, const std::string& s, const std::string& path) {
  if (std::fwrite(s.data(), 1, s.size(), f) != s.size()) throw std::runtime_error("cannot write " + path);
}
}  // namespace detail

/// Writes the first `rows` rows of t (with a header) as dir/name; returns its path.
inline std::string write_t_csv_rows(const std::string& dir, const std::string& name, int64_t rows) {
  const std::string path = dir + "/" + name;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw std::runtime_error("cannot create " + path);
  std::string buf = "id,k,cat,path,x,y\n";
  for (int64_t i = 0; i < rows; ++i) {
    detail::append_int(buf, i);
    buf += ',';
    detail::append_int(buf, t_k(i));
    buf += ",cat_";
    detail::append_int(buf, t_cat(i));
    buf += ",images/cat_";
    detail::append_int(buf, t_cat(i));
    buf += "/img_";
    detail::append_int(buf, i);
    buf += ".jpg,";
    detail::append_double(buf, t_x(i));
    buf += ',';
    detail::append_int(buf, t_y(i));
    buf += '\n';
    if (buf.size() > (1 << 20)) {
      detail::write_all(f, buf, path);
      buf.clear();
    }
  }
  detail::write_all(f, buf, path);
  std::fclose(f);
  return path;
}

/// Writes t.csv (with a header) into dir; returns its path.
inline std::string write_t_csv(const std::string& dir, int64_t rows) { return write_t_csv_rows(dir, "t.csv", rows); }

/// Writes d.csv (with a header) into dir; returns its path.
inline std::string write_d_csv(const std::string& dir) {
  const std::string path = dir + "/d.csv";
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw std::runtime_error("cannot create " + path);
  std::string buf = "k,grp,w\n";
  for (int64_t j = 0; j < kDRows; ++j) {
    detail::append_int(buf, j);
    buf += ",grp_";
    detail::append_int(buf, d_grp(j));
    buf += ',';
    detail::append_double(buf, d_w(j));
    buf += '\n';
  }
  detail::write_all(f, buf, path);
  std::fclose(f);
  return path;
}

/// The folder holding the benchmark CSVs: VISIONDB_BENCH_DATA_DIR when set (tools/bench_sql.sh
/// generates them once for every engine), else a temporary folder filled now and removed by the
/// returned guard.
class BenchDataDir {
 public:
  BenchDataDir() {
    if (const char* env = std::getenv("VISIONDB_BENCH_DATA_DIR")) {
      dir_ = env;
      if (!std::filesystem::exists(dir_ + "/t.csv")) {
        std::filesystem::create_directories(dir_);
        write_t_csv(dir_, t_rows());
        write_d_csv(dir_);
      }
      return;
    }
    dir_ = (std::filesystem::temp_directory_path() / ("visiondb_bench_" + std::to_string(::getpid()))).string();
    std::filesystem::create_directories(dir_);
    owned_ = true;
    write_t_csv(dir_, t_rows());
    write_d_csv(dir_);
  }
  ~BenchDataDir() {
    std::error_code ec;
    if (owned_) std::filesystem::remove_all(dir_, ec);
  }
  const std::string& path() const { return dir_; }

 private:
  std::string dir_;
  bool owned_ = false;
};

}  // namespace visiondb::bench
