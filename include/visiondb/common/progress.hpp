// Progress of a long statement (CREATE MODEL training, ML.PREDICT over many images): what it is
// doing, how far it is, its rate and the time left. Database::set_progress_callback receives these;
// the REPL draws a bar from them on a TTY.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace visiondb {

struct Progress {
  std::string task;        ///< "ML.PREDICT resnet", "training forest m"
  uint64_t done = 0;       ///< units finished (rows, trees)
  uint64_t total = 0;      ///< units in all; 0 when not known
  std::string unit;        ///< "rows", "trees"
  double per_second = 0;   ///< rate so far
  double eta_seconds = 0;  ///< time left at that rate; 0 when total is unknown
  bool finished = false;   ///< the last report of the task
};

/// Called from the thread that makes progress; must be cheap and thread-safe.
using ProgressCallback = std::function<void(const Progress&)>;

/// Turns "done so far" counts into Progress reports with rate and ETA, no more often than every
/// `interval` (and always for the last one).
class ProgressMeter {
 public:
  ProgressMeter(ProgressCallback callback, std::string task, std::string unit, uint64_t total,
                std::chrono::milliseconds interval = std::chrono::milliseconds(200))
      : callback_(std::move(callback)), interval_(interval), start_(std::chrono::steady_clock::now()), last_(start_) {
    progress_.task = std::move(task);
    progress_.unit = std::move(unit);
    progress_.total = total;
  }
  bool active() const noexcept { return static_cast<bool>(callback_); }
  /// Revises the total (a streaming operator refines its estimate as input arrives).
  void set_total(uint64_t total) noexcept { progress_.total = total; }
  /// Reports `done` units finished in all (not thread-safe: call from one thread or under a lock).
  void update(uint64_t done, bool finished = false) {
    if (!callback_) return;
    auto now = std::chrono::steady_clock::now();
    if (!finished && now - last_ < interval_) return;
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    progress_.done = done;
    progress_.finished = finished;
    progress_.per_second = seconds > 0 ? static_cast<double>(done) / seconds : 0;
    progress_.eta_seconds = progress_.total > done && progress_.per_second > 0
                                ? static_cast<double>(progress_.total - done) / progress_.per_second
                                : 0;
    callback_(progress_);
  }

 private:
  ProgressCallback callback_;
  std::chrono::milliseconds interval_;
  std::chrono::steady_clock::time_point start_, last_;
  Progress progress_;
};

}  // namespace visiondb
