/* exc.c - C side of the exception vectors (see vectors.S). */
#include "cp15.h"
#include "exc.h"
#include "printf.h"
#include "semihost.h"

static const char *const exc_names[8] = {
    "reset", "undef", "svc", "prefetch abort",
    "data abort", "hyp trap", "irq", "fiq",
};


void exc_unexpected(struct exc_frame *f, int type, int hyp)
{
    const char *name = (type >= 0 && type < 8) ? exc_names[type] : "?";
    if (!hyp && type == EXC_UNUSED)
        name = "unused";
    printf("UNEXPECTED %s%s exception: return pc=%08x spsr=%08x\n",
           hyp ? "Hyp " : "", name, (unsigned)f->pc, (unsigned)f->cpsr);
    if (hyp) {
        printf("  HSR=%08x\n", (unsigned)read_hsr());
    } else if (type == EXC_DABT) {
        printf("  DFSR=%08x DFAR=%08x\n", (unsigned)read_dfsr(), (unsigned)read_dfar());
    } else if (type == EXC_PABT) {
        printf("  IFSR=%08x IFAR=%08x\n", (unsigned)read_ifsr(), (unsigned)read_ifar());
    }
    printf("FAIL (unexpected exception)\n");
    sh_exit(1);
}

__attribute__((weak)) void exc_undef_hook(struct exc_frame *f) { exc_unexpected(f, EXC_UNDEF, 0); }
__attribute__((weak)) void exc_svc_hook(struct exc_frame *f)   { exc_unexpected(f, EXC_SVC, 0); }
__attribute__((weak)) void exc_pabt_hook(struct exc_frame *f)  { exc_unexpected(f, EXC_PABT, 0); }
__attribute__((weak)) void exc_dabt_hook(struct exc_frame *f)  { exc_unexpected(f, EXC_DABT, 0); }
__attribute__((weak)) void exc_irq_hook(struct exc_frame *f)   { exc_unexpected(f, EXC_IRQ, 0); }
__attribute__((weak)) void exc_fiq_hook(struct exc_frame *f)   { exc_unexpected(f, EXC_FIQ, 0); }
__attribute__((weak)) void hyp_exc_hook(struct exc_frame *f, int type) { exc_unexpected(f, type, 1); }

void exc_dispatch(struct exc_frame *f, int type)
{
    switch (type) {
    case EXC_UNDEF: exc_undef_hook(f); break;
    case EXC_SVC:   exc_svc_hook(f);   break;
    case EXC_PABT:  exc_pabt_hook(f);  break;
    case EXC_DABT:  exc_dabt_hook(f);  break;
    case EXC_IRQ:   exc_irq_hook(f);   break;
    case EXC_FIQ:   exc_fiq_hook(f);   break;
    default:        exc_unexpected(f, type, 0);
    }
}

void hyp_exc_dispatch(struct exc_frame *f, int type)
{
    hyp_exc_hook(f, type);
}
