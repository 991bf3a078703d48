// Fibers: the modelled threads' stacks and the switch between them.
//
// A fiber is a stack of its own (mmap'd, with a guard page) plus the saved
// registers of a suspended thread. On x86-64 a switch is a dozen instructions
// (wb_model_switch below), because swapcontext makes a system call for the
// signal mask on every switch and dominated the checker's time (~10x).
#if defined(WB_MODEL) && WB_MODEL

#include "state.hpp"

#include <cstdint>
#include <new>

#include <cxxabi.h>
#include <sys/mman.h>

// Under valgrind (a debugging aid, not part of the build) the fiber stacks
// must be registered, or every access to another fiber's stack looks invalid.
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define WB_MODEL_STACK_REGISTER(lo, hi) VALGRIND_STACK_REGISTER(lo, hi)
#else
#define WB_MODEL_STACK_REGISTER(lo, hi) 0
#endif

namespace wb::model::detail {

namespace {
constexpr std::size_t stack_size = 512 * 1024;  // lazily committed; Catch2 + a test body fit
                                                // (a heuristic, not a measurement)
constexpr std::size_t guard_size = 4096;        // PROT_NONE: an overflow faults, not corrupts
}  // namespace

#if defined(__x86_64__) && !defined(WB_MODEL_UCONTEXT)
// Saves the callee-saved registers and the FPU/SSE control words on the
// current stack, stores the stack pointer in *from, loads `to` and restores
// the same from there. A new fiber's stack is prepared (init_context) so that
// this "returns" into the fiber's entry function.
extern "C" void wb_model_switch(void** from, void* to);
asm(R"(
  .text
  .globl wb_model_switch
  .type wb_model_switch, @function
wb_model_switch:
  .cfi_startproc
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  subq $16, %rsp
  stmxcsr 8(%rsp)
  fnstcw (%rsp)
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  fldcw (%rsp)
  ldmxcsr 8(%rsp)
  addq $16, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .cfi_endproc
  .size wb_model_switch, .-wb_model_switch
)");
#endif

/// Swaps fibers, and with them the C++ exception-handling globals, which
/// libstdc++ keeps per OS thread: without this a fiber suspended inside a
/// catch block would see another fiber's exceptions.
void swap_fiber(fiber_context* from, eh_globals* from_eh, fiber_context* to, eh_globals* to_eh) {
  auto* globals = reinterpret_cast<eh_globals*>(abi::__cxa_get_globals());
  *from_eh = *globals;
  *globals = *to_eh;
#if defined(__x86_64__) && !defined(WB_MODEL_UCONTEXT)
  wb_model_switch(&from->sp, to->sp);
#else
  swapcontext(&from->uc, &to->uc);
#endif
}

void init_context(runtime& r, int i, void (*entry)()) {
  while (r.stacks.size() <= static_cast<std::size_t>(i)) {
    void* p = mmap(nullptr, stack_size + guard_size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    mprotect(p, guard_size, PROT_NONE);
    (void)WB_MODEL_STACK_REGISTER(static_cast<char*>(p) + guard_size,
                                  static_cast<char*>(p) + guard_size + stack_size);
    r.stacks.push_back(p);
  }
  thread_state& t = r.threads[i];
  char* const stack = static_cast<char*>(r.stacks[i]) + guard_size;
#if defined(__x86_64__) && !defined(WB_MODEL_UCONTEXT)
  // The frame wb_model_switch pops: control words, r15..r12, rbx, rbp, then
  // it returns into fiber_main with the stack aligned as after a call (the
  // fake return address 0 ends backtraces there).
  auto* top = reinterpret_cast<std::uint64_t*>(stack + stack_size);
  top[-1] = 0;
  top[-2] = reinterpret_cast<std::uint64_t>(entry);
  for (int k = 3; k <= 8; ++k) top[-k] = 0;
  top[-9] = 0x1F80;   // mxcsr: default SSE control
  top[-10] = 0x037F;  // x87 control word: default
  t.context.sp = top - 10;
#else
  getcontext(&t.context.uc);
  t.context.uc.uc_stack.ss_sp = stack;
  t.context.uc.uc_stack.ss_size = stack_size;
  t.context.uc.uc_link = nullptr;
  makecontext(&t.context.uc, entry, 0);
#endif
}

std::pair<const char*, const char*> fiber_stack(const runtime& r, int i) {
  const char* low = static_cast<const char*>(r.stacks[static_cast<std::size_t>(i)]) + guard_size;
  return {low, low + stack_size};
}

void free_stacks(runtime& r) {
  for (void* p : r.stacks) munmap(p, stack_size + guard_size);
  r.stacks.clear();
}

}  // namespace wb::model::detail

#endif  // WB_MODEL
