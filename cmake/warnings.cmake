# Warnings live on an INTERFACE target that each of our targets links PRIVATE,
# so third-party headers and consumers are not affected.
add_library(tribune_warnings INTERFACE)
target_compile_options(tribune_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wformat=2)
# In a unity batch every .cpp is an included file, and GCC then warns when a coroutine's frame
# holds a type from that file's anonymous namespace: the batch is still one translation unit.
if(TRIBUNE_UNITY AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(tribune_warnings INTERFACE -Wno-subobject-linkage)
endif()
