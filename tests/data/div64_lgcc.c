/*
 * What a new user writes first: a C program with a 64-bit division and its own
 * startup, linked with Debian's libgcc (tests/test_exc_loop.py):
 *
 *   arm-none-eabi-gcc -marm -march=armv7ve -O2 -nostdlib -nostartfiles \
 *       -Wl,-Ttext=0x40000000 div64_lgcc.c -lgcc -o div64.elf
 *
 * Debian's libgcc is Thumb code, so `num / den` becomes a BLX <imm> into the
 * Thumb __aeabi_uldivmod. QEMU runs it (prints "ok"); the hypsim core is A32
 * only: the BLX is UNDEFINED, HVBAR is still 0 (no vector table), the vector
 * fetch at 0x4 aborts, then the prefetch-abort vector at 0xc does, forever.
 * `hypsim run` must stop that within a few thousand cycles and name it.
 */
typedef unsigned long long u64;

static int semihost(int op, const void *arg)
{
    register int r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

volatile u64 num = 1000000000000ULL, den = 7;

int main(void)
{
    u64 q = num / den;
    semihost(0x04, q == 142857142857ULL ? "ok\n" : "bad\n");   /* SYS_WRITE0 */
    return 0;
}

void __attribute__((naked, section(".text.start"))) _start(void)
{
    __asm__ volatile("ldr sp, =0x40800000\n"
                     "bl main\n"
                     "mov r1, #0x20000\n"
                     "orr r1, r1, #0x26\n"        /* ADP_Stopped_ApplicationExit */
                     "mov r0, #0x18\n"            /* SYS_EXIT */
                     "svc 0x123456\n"
                     "b .\n");
}
