// ValidityMask: Arrow's validity bitmap (bit set = value present), allocated only once a NULL
// appears, so all-valid columns cost nothing [DuckDB].
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

#include "visiondb/common/aligned_buffer.hpp"

namespace visiondb {

class ValidityMask {
 public:
  /// True while no NULL was ever set (no bitmap allocated).
  bool all_valid() const noexcept { return words_.empty(); }
  bool is_valid(size_t row) const noexcept { return words_.empty() || ((words_[row >> 6] >> (row & 63)) & 1u); }

  /// Sets the number of rows; rows added are valid.
  void resize(size_t rows) {
    if (!words_.empty()) {
      size_t old_words = words_.size();
      size_t need = word_count(rows);
      if (need > old_words) {
        words_.resize(need);
        for (size_t w = old_words; w < need; ++w) words_[w] = ~uint64_t{0};
      }
      // Bits past the old row count in the last old word were kept valid by set_valid_tail().
    }
    rows_ = rows;
  }
  size_t rows() const noexcept { return rows_; }

  void set_invalid(size_t row) {
    if (words_.empty()) allocate();
    words_[row >> 6] &= ~(uint64_t{1} << (row & 63));
  }
  void set_valid(size_t row) noexcept {
    if (!words_.empty()) words_[row >> 6] |= uint64_t{1} << (row & 63);
  }
  void set(size_t row, bool valid) { valid ? set_valid(row) : set_invalid(row); }

  /// The number of valid rows among the first `rows`.
  size_t count_valid(size_t rows) const noexcept {
    if (words_.empty()) return rows;
    size_t n = 0, full = rows >> 6;
    for (size_t w = 0; w < full; ++w) n += std::popcount(words_[w]);
    if (rows & 63) n += std::popcount(words_[full] & ((uint64_t{1} << (rows & 63)) - 1));
    return n;
  }

  /// The bitmap words (nullptr when all valid), Arrow's layout: bit i of word i/64 is row i.
  const uint64_t* data() const noexcept { return words_.empty() ? nullptr : words_.data(); }
  uint64_t* mutable_data() {
    if (words_.empty()) allocate();
    return words_.data();
  }

 private:
  static size_t word_count(size_t rows) noexcept { return (rows + 63) / 64; }
  void allocate() {
    words_.resize(word_count(rows_ == 0 ? 1 : rows_));
    for (auto& w : words_) w = ~uint64_t{0};
  }

  AlignedBuffer<uint64_t> words_;
  size_t rows_ = 0;
};

}  // namespace visiondb
