# The book: Doxygen renders book/mainpage.md and each chapter's README.md as
# pages, in chapter order (the main page is configured from book/mainpage.md.in
# with one \subpage per chapter). The READMEs are plain markdown: the demos they
# quote are inline fenced blocks and their diagrams committed SVGs, both kept
# identical to their sources by tools/book/book_sources.cpp:
#   cmake --build --preset dev --target book-sources  ->  rewrites raw \snippet
#       lines and \dot blocks, refreshes quoted code and stale diagrams
#   ctest -R book.sources                              ->  fails on any drift
#   cmake --build --preset dev --target book   ->  build/dev/book/html/index.html
# Doxygen warnings fail the build (a broken page is a broken book).
find_package(Doxygen 1.9 QUIET)
# The theme (Debian: doxygen-awesome-css).
find_path(WB_DOXYGEN_AWESOME doxygen-awesome.css
  PATHS /usr/share/doxygen-awesome-css
  DOC "Folder of doxygen-awesome.css (Debian package doxygen-awesome-css)")
get_property(chapters GLOBAL PROPERTY WB_CHAPTERS)

set(book_dir "${CMAKE_BINARY_DIR}/book")
set(WB_BOOK_INPUT "\"${book_dir}/mainpage.md\"")
set(WB_BOOK_CHAPTER_LIST "")
foreach(slug IN LISTS chapters)
  string(SUBSTRING "${slug}" 0 2 nn)
  string(APPEND WB_BOOK_INPUT " \\\n    \"${PROJECT_SOURCE_DIR}/chapters/${slug}/README.md\"")
  string(APPEND WB_BOOK_CHAPTER_LIST "- \\ref ch${nn}\n")
endforeach()
# Appendices: how the verdict layers work, and the model checker's manual.
string(APPEND WB_BOOK_INPUT " \\\n    \"${PROJECT_SOURCE_DIR}/book/checking.md\"")
string(APPEND WB_BOOK_INPUT " \\\n    \"${PROJECT_SOURCE_DIR}/common/MODEL.md\"")
string(APPEND WB_BOOK_INPUT " \\\n    \"${PROJECT_SOURCE_DIR}/common/include/wb\"")

# Each chapter's diagrams/ folder holds its Graphviz sources and their SVGs
# (Doxygen finds an image by its file name, hence the NN- prefix on each);
# book/diagrams holds the appendices' (book/checking.md's model-*.svg).
# CONFIGURE_DEPENDS: a folder that book-sources creates joins at the next build.
file(GLOB diagram_dirs LIST_DIRECTORIES true CONFIGURE_DEPENDS
  "${PROJECT_SOURCE_DIR}/chapters/[0-9][0-9]-*/diagrams" "${PROJECT_SOURCE_DIR}/book/diagrams")
list(SORT diagram_dirs)
set(WB_BOOK_IMAGE_PATH "\"${PROJECT_SOURCE_DIR}/book\"")
foreach(dir IN LISTS diagram_dirs)
  string(APPEND WB_BOOK_IMAGE_PATH " \\\n    \"${dir}\"")
endforeach()

# The pages in reading order, for the previous/next links (cmake/BookPages.cmake):
# one "<html file> <markdown source>" per line.
set(book_pages "index.html ${book_dir}/mainpage.md\n")
foreach(slug IN LISTS chapters)
  string(SUBSTRING "${slug}" 0 2 nn)
  string(APPEND book_pages "ch${nn}.html ${PROJECT_SOURCE_DIR}/chapters/${slug}/README.md\n")
endforeach()
string(APPEND book_pages "checking.html ${PROJECT_SOURCE_DIR}/book/checking.md\n")
string(APPEND book_pages "model.html ${PROJECT_SOURCE_DIR}/common/MODEL.md\n")
file(WRITE "${book_dir}/pages.txt" "${book_pages}")

configure_file(book/Doxyfile.in "${book_dir}/Doxyfile" @ONLY)
configure_file(book/mainpage.md.in "${book_dir}/mainpage.md" @ONLY)

if(DOXYGEN_FOUND AND WB_DOXYGEN_AWESOME)
  add_custom_target(book
    COMMAND Doxygen::doxygen "${book_dir}/Doxyfile"
    COMMAND "${CMAKE_COMMAND}" "-DWB_BOOK_DIR=${book_dir}" -P "${PROJECT_SOURCE_DIR}/cmake/BookPages.cmake"
    COMMAND "${CMAKE_COMMAND}" -E echo "The book: ${book_dir}/html/index.html"
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
    COMMENT "Building the book with Doxygen"
    VERBATIM)
else()
  add_custom_target(book
    COMMAND "${CMAKE_COMMAND}" -E echo
            "The book needs Doxygen, Graphviz and its theme: sudo apt-get install doxygen graphviz doxygen-awesome-css"
    COMMAND "${CMAKE_COMMAND}" -E false)
endif()

# The markdown's sources: the tool, the command that applies it and the check
# (plain dev tree only, like the runner).
if(NOT (WB_SANITIZE OR WB_MODEL OR WB_BENCH))
  add_executable(wb-book-sources tools/book/book_sources.cpp)
  target_compile_options(wb-book-sources PRIVATE ${WB_WARNINGS})
  wb_strict_warnings(wb-book-sources)
  add_custom_target(book-sources
    COMMAND wb-book-sources --root "${PROJECT_SOURCE_DIR}"
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
    COMMENT "Quoting the demos and rendering the diagrams into the chapters' markdown"
    VERBATIM)
  add_test(NAME book.sources COMMAND wb-book-sources --check --root "${PROJECT_SOURCE_DIR}")
  set_tests_properties(book.sources PROPERTIES LABELS "book;dev" TIMEOUT 60)
endif()
