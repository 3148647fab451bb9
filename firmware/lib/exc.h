#ifndef HYPSIM_EXC_H
#define HYPSIM_EXC_H

#define EXC_RESET   0
#define EXC_UNDEF   1
#define EXC_SVC     2   /* SVC (PL1 table) / HVC or SVC taken in Hyp (Hyp table) */
#define EXC_PABT    3
#define EXC_DABT    4
#define EXC_UNUSED  5   /* PL1 table offset 0x14 */
#define EXC_HYPTRAP 5   /* Hyp table offset 0x14: HVC from PL1/PL0, traps */
#define EXC_IRQ     6
#define EXC_FIQ     7

#define EXC_FRAME_LR   52
#define EXC_FRAME_PC   56
#define EXC_FRAME_CPSR 60

#ifndef __ASSEMBLER__
#include <stdint.h>

struct exc_frame {
    uint32_t r[13];
    uint32_t lr;    /* Hyp frames: R14 (shared with User/System mode); PL1: padding */
    uint32_t pc;    /* preferred return address, see lib/vectors.S */
    uint32_t cpsr;  /* SPSR of the exception mode */
};

_Static_assert(__builtin_offsetof(struct exc_frame, lr) == EXC_FRAME_LR, "frame");
_Static_assert(__builtin_offsetof(struct exc_frame, pc) == EXC_FRAME_PC, "frame");
_Static_assert(__builtin_offsetof(struct exc_frame, cpsr) == EXC_FRAME_CPSR, "frame");

/* Weak hooks: a program overrides the ones it expects to be taken. */
void exc_undef_hook(struct exc_frame *f);
void exc_svc_hook(struct exc_frame *f);
void exc_pabt_hook(struct exc_frame *f);
void exc_dabt_hook(struct exc_frame *f);
void exc_irq_hook(struct exc_frame *f);
void exc_fiq_hook(struct exc_frame *f);
void hyp_exc_hook(struct exc_frame *f, int type);

/* Print the exception and exit with failure. */
void exc_unexpected(struct exc_frame *f, int type, int hyp) __attribute__((noreturn));

void exc_dispatch(struct exc_frame *f, int type);
void hyp_exc_dispatch(struct exc_frame *f, int type);

extern const char vectors[], hyp_vectors[];
#endif

#endif
