# cmake -DMUTANT=<x.mutant> -DSOURCE=<solution file> -DOUTPUT=<mutated copy> -P apply_mutant.cmake
#
# A .mutant file is a wrong solution written as edits to the reference one:
#
#   mistake: close() marks the queue closed but wakes nobody
#   caught-by: tests (deadline)
#   file: blocking_queue.hpp
#   @@ find
#       not_empty_.notify_all();
#   @@ replace
#       // forgot to wake the consumers
#   @@ end
#
# Each find text must occur exactly once in the solution, so a mutant that
# no longer matches a changed solution is an error, never a silent no-op.
cmake_minimum_required(VERSION 3.25)
foreach(var MUTANT SOURCE OUTPUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "apply_mutant.cmake: -D${var}= is required")
  endif()
endforeach()

file(READ "${MUTANT}" spec)
file(READ "${SOURCE}" text)
set(edits 0)
while(TRUE)
  string(FIND "${spec}" "@@ find\n" at)
  if(at EQUAL -1)
    break()
  endif()
  math(EXPR at "${at} + 8")
  string(SUBSTRING "${spec}" ${at} -1 spec)
  string(FIND "${spec}" "@@ replace\n" mid)
  string(FIND "${spec}" "@@ end" end)
  if(mid EQUAL -1 OR end EQUAL -1 OR end LESS mid)
    message(FATAL_ERROR "${MUTANT}: each '@@ find' needs '@@ replace' and then '@@ end'")
  endif()
  string(SUBSTRING "${spec}" 0 ${mid} find)
  math(EXPR from "${mid} + 11")
  math(EXPR length "${end} - ${from}")
  string(SUBSTRING "${spec}" ${from} ${length} replace)
  math(EXPR end "${end} + 6")
  string(SUBSTRING "${spec}" ${end} -1 spec)

  string(FIND "${text}" "${find}" first)
  string(FIND "${text}" "${find}" last REVERSE)
  if(first EQUAL -1)
    message(FATAL_ERROR "${MUTANT}: this text no longer occurs in ${SOURCE}:\n${find}")
  elseif(NOT first EQUAL last)
    message(FATAL_ERROR "${MUTANT}: this text occurs more than once in ${SOURCE}:\n${find}")
  endif()
  string(REPLACE "${find}" "${replace}" text "${text}")
  math(EXPR edits "${edits} + 1")
endwhile()

if(edits EQUAL 0)
  message(FATAL_ERROR "${MUTANT}: no '@@ find' edits")
endif()
file(WRITE "${OUTPUT}" "${text}")
