// Compiled mode: the storage module's out-of-line code.
#include "visiondb/storage/detail/catalog_impl.hpp"
#include "visiondb/storage/detail/chunk_impl.hpp"
#include "visiondb/storage/detail/column_impl.hpp"
#include "visiondb/storage/detail/table_impl.hpp"
#include "visiondb/storage/detail/types_impl.hpp"
#include "visiondb/storage/detail/value_impl.hpp"
