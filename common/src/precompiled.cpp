// Compiles the precompiled header that every test reuses (common/CMakeLists.txt).
