/*
 * panic.c - an exception taken in Hyp mode itself is a hypervisor bug: say
 * where, on the UART, and stop (semihosting exit 1 on QEMU and the RTL).
 */
#include <stdint.h>
#include "hyp.h"
#include "printf.h"
#include "semihost.h"

void hyp_panic(uint32_t vector, uint32_t elr, uint32_t hsr)
{
    printf("hyp: panic: exception at HVBAR+0x%x in Hyp mode, ELR_hyp 0x%08x, HSR 0x%08x\n",
           (unsigned)vector, (unsigned)elr, (unsigned)hsr);
    sh_exit(1);
    for (;;)
        ;
}
