// Compiled mode: the io module's out-of-line code (CSV import/export, glob expansion).
#include "visiondb/io/detail/csv_options_impl.hpp"
#include "visiondb/io/detail/csv_reader_impl.hpp"
#include "visiondb/io/detail/csv_writer_impl.hpp"
#include "visiondb/io/detail/glob_impl.hpp"
