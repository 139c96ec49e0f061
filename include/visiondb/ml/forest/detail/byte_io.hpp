// ForestWriter / ForestReader: the little-endian fixed-width fields, counted strings and arrays of
// the forest file formats (ml/forest/serialize.hpp, EXPORT MODEL). The reader checks every count
// against the bytes left and fails with IoError(source, ...) naming the byte offset.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "visiondb/common/error.hpp"

namespace visiondb::ml::detail {

class ForestWriter {
 public:
  template <class T>
  void put(T v) {
    static_assert(std::is_trivially_copyable_v<T>);
    char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));  // the library targets little-endian machines (x86-64, arm64)
    out.append(b, sizeof(T));
  }
  void put_string(const std::string& s) {
    put<uint64_t>(s.size());
    out.append(s);
  }
  template <class T>
  void put_vector(const std::vector<T>& v) {
    put<uint64_t>(v.size());
    if (!v.empty()) out.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }
  std::string out;
};

class ForestReader {
 public:
  ForestReader(std::string_view bytes, const std::string& source) : in_(bytes), source_(source) {}
  [[noreturn]] void fail(const std::string& reason) const {
    visiondb::detail::throw_io_error(source_, "not a valid visiondb forest: " + reason + " (at byte " + std::to_string(pos_) + ")");
  }
  template <class T>
  T get(const char* what) {
    if (in_.size() - pos_ < sizeof(T)) fail(std::string("truncated while reading ") + what);
    T v;
    std::memcpy(&v, in_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }
  uint64_t get_count(const char* what, size_t element_size) {
    auto n = get<uint64_t>(what);
    if (element_size > 0 && n > (in_.size() - pos_) / element_size)
      fail(std::string(what) + " count " + std::to_string(n) + " exceeds the remaining bytes");
    return n;
  }
  std::string get_string(const char* what) {
    uint64_t n = get_count(what, 1);
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  template <class T>
  std::vector<T> get_vector(const char* what) {
    uint64_t n = get_count(what, sizeof(T));
    std::vector<T> v(n);
    if (n) std::memcpy(v.data(), in_.data() + pos_, n * sizeof(T));
    pos_ += n * sizeof(T);
    return v;
  }
  bool at_end() const noexcept { return pos_ == in_.size(); }
  size_t remaining() const noexcept { return in_.size() - pos_; }

 private:
  std::string_view in_;
  const std::string& source_;
  size_t pos_ = 0;
};

}  // namespace visiondb::ml::detail
