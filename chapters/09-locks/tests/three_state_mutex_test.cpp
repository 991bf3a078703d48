// Tests for exercise 9.2, three_state_mutex (exercises/09-locks/three_state_mutex.hpp).
//
// All of them are the shared mutex cases in mutex_tests.hpp: try_lock's
// semantics, waiting while the owner holds it, mutual exclusion and
// visibility on a wb::cell, no waiter left asleep, the standard's Lockable
// interoperability, and the model-checked scenarios (two threads; an owner
// and two sleepers, which is what a lost "waiters" state needs).
#include <catch2/catch.hpp>

#include "three_state_mutex.hpp"

#define MUTEX_EXERCISE "three_state_mutex"
#define MUTEX_TYPE three_state_mutex
#include "mutex_tests.hpp"
