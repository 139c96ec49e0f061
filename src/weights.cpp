// Compiled mode: converted weights files and the checkpoint readers (zip, pickle, safetensors).
#include "visiondb/nn/detail/mapped_file_impl.hpp"
#include "visiondb/nn/detail/named_tensors_impl.hpp"
#include "visiondb/nn/detail/pickle_impl.hpp"
#include "visiondb/nn/detail/pth_reader_impl.hpp"
#include "visiondb/nn/detail/safetensors_reader_impl.hpp"
#include "visiondb/nn/detail/weights_file_impl.hpp"
#include "visiondb/nn/detail/zip_reader_impl.hpp"
#include "visiondb/nn/detail/weights_convert_impl.hpp"
