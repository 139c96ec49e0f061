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
