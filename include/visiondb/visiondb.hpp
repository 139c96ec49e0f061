// The umbrella header for users and examples: everything public in one include.
// Library code and tests include the narrowest header instead.
#pragma once

#include "visiondb/config.hpp"
#include "visiondb/common/error.hpp"
#include "visiondb/api/result_printer.hpp"
#include "visiondb/io/csv_reader.hpp"
#include "visiondb/io/csv_writer.hpp"
#include "visiondb/io/glob.hpp"
