# The book: Doxygen renders book/mainpage.md and each chapter's README.md as
# pages, in chapter order (the main page is configured from book/mainpage.md.in
# with one \subpage per chapter), quoting compiled demos through \snippet.
#   cmake --build --preset dev --target book   ->  build/dev/book/html/index.html
# Doxygen warnings fail the build (a broken snippet is a broken book).
find_package(Doxygen 1.9 QUIET)
get_property(chapters GLOBAL PROPERTY WB_CHAPTERS)

set(book_dir "${CMAKE_BINARY_DIR}/book")
set(WB_BOOK_INPUT "\"${book_dir}/mainpage.md\"")
set(WB_BOOK_CHAPTER_LIST "")
foreach(slug IN LISTS chapters)
  string(SUBSTRING "${slug}" 0 2 nn)
  string(APPEND WB_BOOK_INPUT " \\\n    \"${PROJECT_SOURCE_DIR}/chapters/${slug}/README.md\"")
  string(APPEND WB_BOOK_CHAPTER_LIST "- \\subpage ch${nn}\n")
endforeach()
# Appendices: how the verdict layers work, and the model checker's manual.
string(APPEND WB_BOOK_INPUT " \\\n    \"${PROJECT_SOURCE_DIR}/book/checking.md\"")
string(APPEND WB_BOOK_INPUT " \\\n    \"${PROJECT_SOURCE_DIR}/common/MODEL.md\"")
string(APPEND WB_BOOK_INPUT " \\\n    \"${PROJECT_SOURCE_DIR}/common/include/wb\"")

configure_file(book/Doxyfile.in "${book_dir}/Doxyfile" @ONLY)
configure_file(book/mainpage.md.in "${book_dir}/mainpage.md" @ONLY)

if(DOXYGEN_FOUND)
  add_custom_target(book
    COMMAND Doxygen::doxygen "${book_dir}/Doxyfile"
    COMMAND "${CMAKE_COMMAND}" -E echo "The book: ${book_dir}/html/index.html"
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
    COMMENT "Building the book with Doxygen"
    VERBATIM)
else()
  add_custom_target(book
    COMMAND "${CMAKE_COMMAND}" -E echo
            "The book needs Doxygen and Graphviz: sudo apt-get install doxygen graphviz"
    COMMAND "${CMAKE_COMMAND}" -E false)
endif()
