/*
 * psci - every PSCI 0.2/1.x function over HVC, with the value the platform
 * returns, printed as "name = value". The QEMU 7.2 transcript (no
 * virtualization: QEMU answers PSCI over HVC itself) is what the hypsim
 * hypervisor must answer too. Calls that would stop or reset the machine
 * (CPU_OFF, SYSTEM_RESET, SYSTEM_RESET2, SYSTEM_SUSPEND, CPU_FREEZE,
 * CPU_DEFAULT_SUSPEND) are only asked about with PSCI_FEATURES. CPU_SUSPEND
 * (standby) is called with the virtual timer armed so that it wakes up
 * (QEMU implements it as WFI). A call that is not a PSCI call at all
 * (HVC UNDEFINED with EL2 absent) prints "UNDEF".
 */
#include "gic.h"

const char guest_name[] = "psci";

static volatile int expect_undef;
static volatile int undef_taken;

void guest_exception(enum exc_type type, struct exc_frame *f)
{
    if (type == EXC_UNDEF && expect_undef) {
        undef_taken++;
        f->pc += 4;                 /* skip the HVC */
        return;
    }
    guest_unexpected(type, f);
}

/* call and print "name = value"; returns the value (0x7fffffff: UNDEF) */
static int call(const char *name, u32 fn, u32 a1, u32 a2, u32 a3)
{
    int r;

    undef_taken = 0;
    expect_undef = 1;
    r = (int)psci_call(fn, a1, a2, a3);
    expect_undef = 0;
    if (undef_taken) {
        printf("%s = UNDEF\n", name);
        return 0x7fffffff;
    }
    printf("%s = %d\n", name, r);
    return r;
}

struct fn { const char *name; u32 id; };

static const struct fn fns[] = {
    { "PSCI_VERSION", 0x84000000u },
    { "CPU_SUSPEND", 0x84000001u },
    { "CPU_SUSPEND64", 0xc4000001u },
    { "CPU_OFF", 0x84000002u },
    { "CPU_ON", 0x84000003u },
    { "CPU_ON64", 0xc4000003u },
    { "AFFINITY_INFO", 0x84000004u },
    { "AFFINITY_INFO64", 0xc4000004u },
    { "MIGRATE", 0x84000005u },
    { "MIGRATE64", 0xc4000005u },
    { "MIGRATE_INFO_TYPE", 0x84000006u },
    { "MIGRATE_INFO_UP_CPU", 0x84000007u },
    { "MIGRATE_INFO_UP_CPU64", 0xc4000007u },
    { "SYSTEM_OFF", 0x84000008u },
    { "SYSTEM_RESET", 0x84000009u },
    { "PSCI_FEATURES", 0x8400000au },
    { "CPU_FREEZE", 0x8400000bu },
    { "CPU_DEFAULT_SUSPEND", 0x8400000cu },
    { "CPU_DEFAULT_SUSPEND64", 0xc400000cu },
    { "NODE_HW_STATE", 0x8400000du },
    { "NODE_HW_STATE64", 0xc400000du },
    { "SYSTEM_SUSPEND", 0x8400000eu },
    { "SYSTEM_SUSPEND64", 0xc400000eu },
    { "PSCI_SET_SUSPEND_MODE", 0x8400000fu },
    { "PSCI_STAT_RESIDENCY", 0x84000010u },
    { "PSCI_STAT_RESIDENCY64", 0xc4000010u },
    { "PSCI_STAT_COUNT", 0x84000011u },
    { "PSCI_STAT_COUNT64", 0xc4000011u },
    { "SYSTEM_RESET2", 0x84000012u },
    { "SYSTEM_RESET2_64", 0xc4000012u },
    { "MEM_PROTECT", 0x84000013u },
    { "MEM_PROTECT_CHECK_RANGE", 0x84000014u },
    { "MEM_PROTECT_CHECK_RANGE64", 0xc4000014u },
    { "UNKNOWN_1F", 0x8400001fu },
    { "SMCCC_VERSION", 0x80000000u },
};

/* CPU_SUSPEND (standby): arm the virtual timer so the WFI inside wakes up,
 * then acknowledge the wake-up interrupt with I still masked */
static void suspend(const char *name, u32 fn)
{
    u32 iar;

    cntv_tval_write(200);
    cntv_ctl_write(CNTV_CTL_ENABLE);
    call(name, fn, 0 /* power_state: standby */, 0, 0);
    /* if the call returned before the interrupt (not supported), wait for
     * it: WFI wakes up on a pending interrupt with CPSR.I set */
    while (((iar = mmio_read(GICC_IAR)) & 0x3ff) == IRQ_SPURIOUS)
        WFI();
    cntv_ctl_write(0);
    mmio_write(GICC_EOIR, iar);
    printf("%s wake-up interrupt = %u\n", name, iar & 0x3ff);
}

int main(u32 r0, u32 r1, const void *dtb)
{
    char buf[48];
    unsigned i;

    (void)r1;
    (void)dtb;
    printf("psci: PSCI over HVC\n");
    r0 = psci_call(PSCI_VERSION, 0, 0, 0);
    printf("PSCI_VERSION = 0x%08x (%u.%u)\n", r0, r0 >> 16, r0 & 0xffff);
    check_eq("PSCI 0.2 or later", r0 >= 2, 1);
    for (i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        const char *s = "PSCI_FEATURES(";
        char *p = buf;
        while (*s)
            *p++ = *s++;
        for (s = fns[i].name; *s; s++)
            *p++ = *s;
        *p++ = ')';
        *p = 0;
        call(buf, PSCI_FEATURES, fns[i].id, 0, 0);
    }
    /* cpu 1 does not exist (MPIDR affinity 1) */
    call("CPU_ON(1)", 0x84000003u, 1, 0x40010000u, 0);
    call("CPU_ON64(1)", 0xc4000003u, 1, 0x40010000u, 0);
    check_eq("AFFINITY_INFO(0) is ON", (u32)call("AFFINITY_INFO(0)", 0x84000004u, 0, 0, 0), 0);
    call("AFFINITY_INFO(1)", 0x84000004u, 1, 0, 0);
    call("AFFINITY_INFO64(0)", 0xc4000004u, 0, 0, 0);
    call("AFFINITY_INFO64(1)", 0xc4000004u, 1, 0, 0);
    call("MIGRATE_INFO_TYPE", 0x84000006u, 0, 0, 0);
    call("MIGRATE(0)", 0x84000005u, 0, 0, 0);
    call("MIGRATE64(0)", 0xc4000005u, 0, 0, 0);
    call("MIGRATE_INFO_UP_CPU", 0x84000007u, 0, 0, 0);
    call("MIGRATE_INFO_UP_CPU64", 0xc4000007u, 0, 0, 0);

    gic_init();
    gic_set_priority(IRQ_VTIMER, 0xa0);
    mmio_write(GICD_ISENABLER(0), 1u << IRQ_VTIMER);
    suspend("CPU_SUSPEND(standby)", 0x84000001u);
    suspend("CPU_SUSPEND64(standby)", 0xc4000001u);

    call("UNKNOWN(0x8400001f)", 0x8400001fu, 0, 0, 0);
    call("UNKNOWN(0xc400001f)", 0xc400001fu, 0, 0, 0);
    call("SMCCC_VERSION", 0x80000000u, 0, 0, 0);
    guest_finish();
    return 0;
}
