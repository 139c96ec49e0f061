// Owner of the shared test precompiled header (see tests/CMakeLists.txt).
