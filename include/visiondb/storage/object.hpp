// Object: the base of values that other modules own and SQL passes around by pointer (an image,
// a tensor). Storage only needs to hold, print and measure them.
#pragma once

#include <cstddef>
#include <string>

namespace visiondb {

/// An immutable value of an OBJECT type (LogicalType::object(name)).
class Object {
 public:
  virtual ~Object() = default;
  /// The OBJECT type name, e.g. "IMAGE".
  virtual std::string type_name() const = 0;
  /// A short display form for result printing.
  virtual std::string to_string() const = 0;
  /// Approximate bytes held, for memory accounting.
  virtual size_t memory_bytes() const { return sizeof(*this); }
};

}  // namespace visiondb
