# Warnings live on an INTERFACE target that each of our targets links PRIVATE,
# so third-party headers and consumers are not affected.
add_library(tribune_warnings INTERFACE)
target_compile_options(tribune_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wformat=2)
