// Compiled mode: the io module's out-of-line code (CSV import/export, glob expansion, object tables).
#include "visiondb/io/detail/csv_options_impl.hpp"
#include "visiondb/io/detail/csv_reader_impl.hpp"
#include "visiondb/io/detail/csv_writer_impl.hpp"
#include "visiondb/io/detail/glob_impl.hpp"
#include "visiondb/io/detail/content_type_impl.hpp"
#include "visiondb/io/detail/mount_table_impl.hpp"
#include "visiondb/io/detail/object_listing_impl.hpp"
#include "visiondb/io/detail/object_table_impl.hpp"
