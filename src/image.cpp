// Compiled mode: the image module's out-of-line code (stb_image is compiled here, once).
#include "visiondb/image/detail/decode_impl.hpp"
#include "visiondb/image/detail/image_impl.hpp"
#include "visiondb/image/detail/preprocess_impl.hpp"
#include "visiondb/image/detail/resize_impl.hpp"
#include "visiondb/image/detail/bilinear_resize_impl.hpp"
#include "visiondb/image/detail/color_space_impl.hpp"
#include "visiondb/image/detail/encode_impl.hpp"
