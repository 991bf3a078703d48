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
void wb_ck_mcs_lock_unlock(void); /* and an increment of wb_ck_counter inside */
extern uint64_t wb_ck_counter;

#ifdef __cplusplus
}
#endif
