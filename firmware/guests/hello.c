/*
 * hello - the first guest: a banner, what the device tree says (model,
 * memory size, bootargs, CPU count, PSCI method), PSCI_VERSION, MIDR, MPIDR.
 */
#include "guest.h"

const char guest_name[] = "hello";

static void print_string_prop(const void *dtb, const char *path, const char *prop)
{
    u32 len = 0;
    const char *s = fdt_getprop(dtb, path, prop, &len);

    if (!s || len == 0 || s[len - 1] != 0) {
        printf("dt %s %s: missing\n", path, prop);
        guest_failures++;
        return;
    }
    printf("dt %s %s = \"%s\"\n", path, prop, s);
}

int main(u32 r0, u32 r1, const void *dtb)
{
    u32 len = 0;
    const uint8_t *reg;
    u32 v;

    printf("hello: a hypsim guest on a virt machine\n");
    check_eq("r0", r0, 0);
    check_eq("r1", r1, 0xffffffffu);
    check_eq("mode", read_cpsr() & 0x1f, 0x13);
    check_eq("aif masked", read_cpsr() & 0x1c0, 0x1c0);
    v = (u32)fdt_check(dtb);
    check_eq("dtb header", v, 0);
    if (v == 0) {
        print_string_prop(dtb, "/", "model");
        /* #address-cells = #size-cells = 2: reg = <base_hi base_lo size_hi size_lo> */
        reg = fdt_getprop(dtb, "/memory", "reg", &len);
        if (reg && len == 16) {
            printf("dt /memory base 0x%08x%08x size %u MiB\n", fdt_be32(reg),
                   fdt_be32(reg + 4), (fdt_be32(reg + 12) >> 20) | (fdt_be32(reg + 8) << 12));
        } else {
            printf("dt /memory reg: missing\n");
            guest_failures++;
        }
        print_string_prop(dtb, "/chosen", "bootargs");
        printf("dt /cpus: %d cpu nodes\n", fdt_count_children(dtb, "/cpus", "cpu"));
        print_string_prop(dtb, "/psci", "method");
    }

    v = psci_call(PSCI_VERSION, 0, 0, 0);
    printf("psci version %u.%u\n", v >> 16, v & 0xffff);
    printf("midr 0x%08x\n", MRC(0, c0, c0, 0));
    printf("mpidr 0x%08x\n", MRC(0, c0, c0, 5));
    guest_finish();
    return 0;
}
