/*
 * tiny - the shortest guest that still proves the boot contract and the
 * console: r0/r1 as the Linux boot protocol sets them, one line through the
 * PL011, PSCI SYSTEM_OFF. The Icarus runs use it (every console byte is two
 * MMIO exits under the hypervisor).
 */
#include "guest.h"

const char guest_name[] = "tiny";

int main(u32 r0, u32 r1, const void *dtb)
{
    (void)dtb;
    check_eq("r0", r0, 0);
    check_eq("r1", r1, 0xffffffffu);
    guest_finish();
    return 0;
}
