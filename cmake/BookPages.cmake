# Run by the `book` target after Doxygen (cmake -DWB_BOOK_DIR=... -P BookPages.cmake):
# turns the pages into a book. Each page listed in ${WB_BOOK_DIR}/pages.txt (reading
# order: main page, chapters, appendices) gets previous/next links after its text, its
# links into the repository (../../exercises/x.hpp) made right from the book's folder, and
# loads the theme's two scripts (dark-mode toggle, copy buttons on code). Doxygen has no
# option for either without a custom header template tied to its version, so this
# edits its output instead, at two markers every Doxygen 1.9 page has.
file(STRINGS "${WB_BOOK_DIR}/pages.txt" entries)
set(htmls "")
set(titles "")
set(sources "")
foreach(entry IN LISTS entries)
  string(REPLACE " " ";" fields "${entry}")
  list(GET fields 0 html)
  list(GET fields 1 source)
  # The title is the first line of the markdown: "# Title {#anchor}".
  file(STRINGS "${source}" first LIMIT_COUNT 1 ENCODING UTF-8)
  string(REGEX REPLACE "^# *" "" title "${first}")
  string(REGEX REPLACE " *\\{#[^}]*\\} *$" "" title "${title}")
  string(REPLACE "&" "&amp;" title "${title}")
  string(REPLACE "<" "&lt;" title "${title}")
  list(APPEND htmls "${html}")
  list(APPEND titles "${title}")
  list(APPEND sources "${source}")
endforeach()

set(scripts [=[<script type="text/javascript" src="doxygen-awesome-darkmode-toggle.js"></script>
<script type="text/javascript" src="doxygen-awesome-fragment-copy-button.js"></script>
<script type="text/javascript">
  DoxygenAwesomeDarkModeToggle.init();
  DoxygenAwesomeFragmentCopyButton.init();
</script>
</head>]=])

list(LENGTH htmls count)
math(EXPR last "${count} - 1")
foreach(i RANGE ${last})
  list(GET htmls ${i} html)
  set(file "${WB_BOOK_DIR}/html/${html}")
  if(NOT EXISTS "${file}")
    message(FATAL_ERROR "BookPages: Doxygen wrote no ${html}")
  endif()
  file(READ "${file}" page)
  if(page MATCHES "class=\"book-pager\"")
    continue()  # already done
  endif()
  set(pager "<nav class=\"book-pager\">")
  if(i GREATER 0)
    math(EXPR p "${i} - 1")
    list(GET htmls ${p} to)
    list(GET titles ${p} title)
    string(APPEND pager "<a class=\"book-prev\" rel=\"prev\" href=\"${to}\">← ${title}</a>")
  endif()
  if(i LESS last)
    math(EXPR n "${i} + 1")
    list(GET htmls ${n} to)
    list(GET titles ${n} title)
    string(APPEND pager "<a class=\"book-next\" rel=\"next\" href=\"${to}\">${title} →</a>")
  endif()
  # After the contents block, not in it: the theme lays that block out as a
  # flex row (text and table of contents).
  string(PREPEND pager "</div><!-- contents -->\n")
  string(APPEND pager "</nav>")
  string(FIND "${page}" "</div><!-- contents -->" at)
  string(FIND "${page}" "</head>" head_at)
  if(at EQUAL -1 OR head_at EQUAL -1)
    message(FATAL_ERROR "BookPages: ${html} has no </head> or contents marker (a new Doxygen?)")
  endif()
  string(REPLACE "</div><!-- contents -->" "${pager}" page "${page}")
  # A README's links to the repository (../../exercises/...) are relative to its
  # folder: point them there from the book's folder.
  list(GET sources ${i} source)
  get_filename_component(source_dir "${source}" DIRECTORY)
  file(RELATIVE_PATH rel "${WB_BOOK_DIR}/html" "${source_dir}")
  if(NOT rel STREQUAL "")
    string(REPLACE "href=\"../" "href=\"${rel}/../" page "${page}")
  endif()
  string(REPLACE "</head>" "${scripts}" page "${page}")
  file(WRITE "${file}" "${page}")
endforeach()
