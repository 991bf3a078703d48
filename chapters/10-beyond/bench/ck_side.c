/* Concurrency Kit's side of ideas_a.cpp. CK is a C library whose inline
 * headers do not compile as C++ (they convert void* implicitly), so its
 * operations are compiled here, as C, and called from the benchmark through
 * one function each. ideas_a.cpp calls our versions through out-of-line
 * functions too, so both sides pay the same call. */
#include <ck_pr.h>
#include <ck_sequence.h>
#include <ck_spinlock.h>

#include <stdint.h>

#include "ck_side.h"

static ck_sequence_t sequence = CK_SEQUENCE_INITIALIZER;
static uint64_t data[4] = {1, 2, 3, 4};

/* CK's read idiom: the data read with ck_pr loads (its atomics) between
 * ck_sequence_read_begin and ck_sequence_read_retry. */
struct wb_ck_words wb_ck_sequence_read(void) {
  struct wb_ck_words copy;
  unsigned int version;
  do {
    version = ck_sequence_read_begin(&sequence);
    for (int i = 0; i < 4; ++i) copy.word[i] = ck_pr_load_64(&data[i]);
  } while (ck_sequence_read_retry(&sequence, version));
  return copy;
}

static ck_spinlock_mcs_t mcs = CK_SPINLOCK_MCS_INITIALIZER;
uint64_t wb_ck_counter; /* protected by mcs; external, so the increment is kept */

void wb_ck_mcs_lock_unlock(void) {
  struct ck_spinlock_mcs mine;
  ck_spinlock_mcs_lock(&mcs, &mine);
  ++wb_ck_counter;
  ck_spinlock_mcs_unlock(&mcs, &mine);
}
