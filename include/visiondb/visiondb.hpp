// The umbrella header for users and examples: everything public in one include.
// Library code and tests include the narrowest header instead.
#pragma once

#include "visiondb/config.hpp"
#include "visiondb/common/error.hpp"
