# check_headers: compiles every public header alone, in header-only mode, so that each one
# includes what it uses [nlohmann]. Not part of `all`; CI builds it explicitly.
file(GLOB_RECURSE _visiondb_public_headers RELATIVE ${PROJECT_SOURCE_DIR}/include CONFIGURE_DEPENDS
  ${PROJECT_SOURCE_DIR}/include/visiondb/*.hpp)
list(FILTER _visiondb_public_headers EXCLUDE REGEX "/detail/")
set(_visiondb_header_tus)
foreach(h ${_visiondb_public_headers})
  string(MAKE_C_IDENTIFIER ${h} id)
  set(tu ${PROJECT_BINARY_DIR}/check_headers/${id}.cpp)
  file(CONFIGURE OUTPUT ${tu} CONTENT "#include \"${h}\"\n#include \"${h}\"  // twice: include guards work\n")
  list(APPEND _visiondb_header_tus ${tu})
endforeach()
add_library(check_headers OBJECT EXCLUDE_FROM_ALL ${_visiondb_header_tus})
target_link_libraries(check_headers PRIVATE visiondb)
target_compile_options(check_headers PRIVATE -Wall -Wextra -fsyntax-only)
