// Tests for exercise 9.3, spinning_mutex (exercises/09-locks/spinning_mutex.hpp).
//
// All of them are the shared mutex cases in mutex_tests.hpp: try_lock's
// semantics, waiting while the owner holds it, mutual exclusion and
// visibility on a wb::cell, no waiter left asleep, the standard's Lockable
// interoperability, and the model-checked scenarios (two threads; an owner
// and two sleepers, which is what a lost "waiters" state needs).
#include <catch2/catch.hpp>

#include "spinning_mutex.hpp"

#define MUTEX_EXERCISE "spinning_mutex"
#define MUTEX_TYPE spinning_mutex
#include "mutex_tests.hpp"
