// Compiled mode: the result printer.
#include "visiondb/api/detail/result_printer_impl.hpp"
