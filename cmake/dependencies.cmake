# Every dependency comes from a Debian 12 package (tools/lib/packages.sh names them).
find_package(TBB REQUIRED)                     # libtbb-dev
# libxsimd-dev (Debian 12 ships 8.1.0). Its CMake target drags in "xtl", which we do not use:
# header path only.
find_path(VISIONDB_XSIMD_INCLUDE_DIR xsimd/xsimd.hpp REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)      # nlohmann-json3-dev
find_package(PkgConfig REQUIRED)
pkg_check_modules(VISIONDB_RE2 REQUIRED IMPORTED_TARGET re2)        # libre2-dev
find_path(VISIONDB_STB_INCLUDE_DIR stb_image.h PATH_SUFFIXES stb REQUIRED)  # libstb-dev
find_package(Threads REQUIRED)

add_library(visiondb_deps INTERFACE)
target_link_libraries(visiondb_deps INTERFACE
  TBB::tbb nlohmann_json::nlohmann_json PkgConfig::VISIONDB_RE2 Threads::Threads)
target_include_directories(visiondb_deps SYSTEM INTERFACE ${VISIONDB_STB_INCLUDE_DIR} ${VISIONDB_XSIMD_INCLUDE_DIR})

# libedit-dev: line editing and history for the REPL only (examples/); the REPL falls back to
# plain line reading without it.
pkg_check_modules(VISIONDB_LIBEDIT IMPORTED_TARGET libedit)
