/*
 * vmid - one of many VMs run one after another (hypsim run-guest
 * --seq-runs N): checks that its memory is its own. Two pages beyond the
 * image (no .bss to clear, so each VM costs little) must read as zero on
 * first touch (a page another VM wrote, reached through a stale stage-2
 * translation, would not), then hold a value only this VM writes. Silent when all is well (natively too), so a
 * run of 300 VMs costs no console exits; prints "vmid: FAIL ..." otherwise.
 */
#include "guest.h"

const char guest_name[] = "vmid";

#define NEAR_PAGE ((volatile u32 *)0x40080000u)  /* 512 KiB into guest RAM, beyond the image */
#define FAR_PAGE ((volatile u32 *)0x40100000u)   /* 1 MiB in */

static int check_fresh(volatile u32 *p, u32 stamp)
{
    int bad = p[0] != 0 || p[1023] != 0;
    p[0] = stamp;
    p[1023] = ~stamp;
    return bad || p[0] != stamp || p[1023] != ~stamp;
}

int main(u32 r0, u32 r1, const void *dtb)
{
    (void)r0; (void)r1; (void)dtb;
    u32 stamp = 0x5eed0000u ^ (u32)(uintptr_t)dtb;
    if (check_fresh(NEAR_PAGE, stamp) || check_fresh(FAR_PAGE, stamp))
        printf("vmid: FAIL memory not fresh or not private\n");
    return 0;
}
