/* Concurrency Kit's operations for ideas_a.cpp, compiled as C in ck_side.c. */
#pragma once

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct wb_ck_words {
  uint64_t word[4];
};

struct wb_ck_words wb_ck_sequence_read(void);
void wb_ck_mcs_lock_unlock(void);

#ifdef __cplusplus
}
#endif
