/* guest.c - checks, the final PASS/FAIL line and the default exception hook. */
#include "guest.h"

int guest_failures;

void check_eq(const char *what, u32 got, u32 expected)
{
    if (got == expected)
        return;
    if (guest_failures < 8)
        printf("check %s: got 0x%08x expected 0x%08x\n", what, got, expected);
    guest_failures++;
}

void guest_finish(void)
{
    if (guest_failures)
        printf("%s: FAIL %d checks\n", guest_name, guest_failures);
    else
        printf("%s: PASS\n", guest_name);
}

static const char *const exc_names[8] = {
    "reset", "undef", "svc", "pabt", "dabt", "hyp", "irq", "fiq",
};

void guest_unexpected(enum exc_type type, struct exc_frame *f)
{
    printf("%s: FAIL unexpected %s exception at 0x%08x\n",
           guest_name, exc_names[type & 7], f->pc);
    system_off();
}

__attribute__((weak)) void guest_exception(enum exc_type type, struct exc_frame *f)
{
    guest_unexpected(type, f);
}
