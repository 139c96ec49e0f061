# visiondb_add_test(<name> <sources...>): one gtest executable per module [fmt], sharing one PCH.
function(visiondb_add_test name)
  add_executable(${name} ${ARGN})
  target_link_libraries(${name} PRIVATE visiondb_compiled GTest::gtest GTest::gtest_main)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  target_compile_definitions(${name} PRIVATE
    VISIONDB_SOURCE_DIR="${PROJECT_SOURCE_DIR}" VISIONDB_BINARY_DIR="${PROJECT_BINARY_DIR}")
  if(TARGET visiondb_test_pch)
    target_precompile_headers(${name} REUSE_FROM visiondb_test_pch)
  endif()
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60
    PROPERTIES ENVIRONMENT "VISIONDB_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()

# visiondb_add_bench(<name> <sources...>): one Google Benchmark executable per module.
function(visiondb_add_bench name)
  add_executable(${name} ${ARGN})
  target_link_libraries(${name} PRIVATE visiondb_compiled benchmark::benchmark)
  target_compile_definitions(${name} PRIVATE VISIONDB_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
endfunction()

# Until the engine implements the Database API (visiondb::Database's constructor), the programs that
# need it (the REPL, examples, sql_bench) are left out of the build.
file(GLOB _visiondb_api_impls ${PROJECT_SOURCE_DIR}/include/visiondb/api/detail/*.hpp)
set(VISIONDB_HAVE_DATABASE OFF)
foreach(f ${_visiondb_api_impls})
  file(STRINGS ${f} _hit REGEX "Database::Database\\(")
  if(_hit)
    set(VISIONDB_HAVE_DATABASE ON)
  endif()
endforeach()
