// Conversions of stored element types to fp32: IEEE half, bfloat16, double and integers, read
// little-endian from possibly unaligned bytes.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace visiondb::nn::detail {

/// An element type of a stored tensor.
enum class StoredType : uint8_t { F32, F16, BF16, F64, I64, I32, I16, I8, U8, Bool };

inline std::size_t stored_type_size(StoredType t) noexcept {
  switch (t) {
    case StoredType::F64:
    case StoredType::I64: return 8;
    case StoredType::F32:
    case StoredType::I32: return 4;
    case StoredType::F16:
    case StoredType::BF16:
    case StoredType::I16: return 2;
    default: return 1;
  }
}

/// safetensors' spelling: "F32", "F16", ...
inline std::string_view stored_type_name(StoredType t) noexcept {
  switch (t) {
    case StoredType::F32: return "F32";
    case StoredType::F16: return "F16";
    case StoredType::BF16: return "BF16";
    case StoredType::F64: return "F64";
    case StoredType::I64: return "I64";
    case StoredType::I32: return "I32";
    case StoredType::I16: return "I16";
    case StoredType::I8: return "I8";
    case StoredType::U8: return "U8";
    case StoredType::Bool: return "BOOL";
  }
  return "?";
}

inline bool stored_type_is_float(StoredType t) noexcept {
  return t == StoredType::F32 || t == StoredType::F16 || t == StoredType::BF16 || t == StoredType::F64;
}

/// IEEE 754 binary16 -> binary32, exact (subnormals, infinities and NaN included).
inline float half_to_float(uint16_t h) noexcept {
  const uint32_t sign = uint32_t(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1F;
  uint32_t mant = h & 0x3FFu;
  uint32_t bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else {  // subnormal: normalise
      exp = 127 - 15 + 1;
      while (!(mant & 0x400u)) {
        mant <<= 1;
        --exp;
      }
      mant &= 0x3FFu;
      bits = sign | (exp << 23) | (mant << 13);
    }
  } else if (exp == 0x1F) {
    bits = sign | 0x7F800000u | (mant << 13);
  } else {
    bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

inline float bf16_to_float(uint16_t b) noexcept {
  const uint32_t bits = uint32_t(b) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

/// Element i of a little-endian array of type t, as float.
inline float load_stored_as_float(const uint8_t* base, StoredType t, std::size_t i) noexcept {
  switch (t) {
    case StoredType::F32: {
      float v;
      std::memcpy(&v, base + 4 * i, 4);
      return v;
    }
    case StoredType::F16: {
      uint16_t v;
      std::memcpy(&v, base + 2 * i, 2);
      return half_to_float(v);
    }
    case StoredType::BF16: {
      uint16_t v;
      std::memcpy(&v, base + 2 * i, 2);
      return bf16_to_float(v);
    }
    case StoredType::F64: {
      double v;
      std::memcpy(&v, base + 8 * i, 8);
      return static_cast<float>(v);
    }
    case StoredType::I64: {
      int64_t v;
      std::memcpy(&v, base + 8 * i, 8);
      return static_cast<float>(v);
    }
    case StoredType::I32: {
      int32_t v;
      std::memcpy(&v, base + 4 * i, 4);
      return static_cast<float>(v);
    }
    case StoredType::I16: {
      int16_t v;
      std::memcpy(&v, base + 2 * i, 2);
      return static_cast<float>(v);
    }
    case StoredType::I8: return static_cast<float>(static_cast<int8_t>(base[i]));
    case StoredType::U8:
    case StoredType::Bool: return static_cast<float>(base[i]);
  }
  return 0.0f;
}

}  // namespace visiondb::nn::detail
