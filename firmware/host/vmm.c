/*
 * vmm.c - the host's side of the VMM interface (vmm_abi.h): the exits the
 * host does not handle itself (KVM_EXIT_MMIO, _HYPERCALL, _SYSTEM_EVENT,
 * _ARM_NISV, _INTERNAL_ERROR) are written into the vCPU's struct
 * hypsim_run and, when the boot-info block says a VMM exists (the
 * testbench on the RTL), handed to it through the doorbell: the store of
 * the run structure's address completes when the VMM has answered (its
 * data for a load, a hypercall's result, KVM_IRQ_LINE requests).
 *
 * Without a VMM (QEMU, or the RTL in --compare-qemu mode) the same exits
 * are served by the in-firmware models below, with the same behaviour as
 * the testbench's VMM (tb/vmm.py): the guest's PL011 (console bytes go to
 * the real UART: straight through with one VM; with several, each VM's is
 * kept and written at its end after a "--- hypsim vm N console ---" line),
 * the hypercalls, and PSCI system events.
 */
#include <stdint.h>
#include "kvm_arm.h"
#include "kvm_host.h"
#include "printf.h"
#include "uart.h"

/* PL011 (PrimeCell UART, ARM DDI 0183) registers the guest may use */
#define PL011_DR    0x000
#define PL011_RSR   0x004
#define PL011_FR    0x018
#define PL011_IBRD  0x024
#define PL011_FBRD  0x028
#define PL011_LCRH  0x02c
#define PL011_CR    0x030
#define PL011_IFLS  0x034
#define PL011_IMSC  0x038
#define PL011_RIS   0x03c
#define PL011_MIS   0x040
#define PL011_ICR   0x044
#define PL011_FR_TXFE 0x80u
#define PL011_FR_RXFE 0x10u
#define PL011_INT_TX  0x20u
#define GUEST_UART_SPI 33

struct pl011_state {
    uint32_t cr, ibrd, fbrd, lcrh, ifls, imsc, ris;
};
static struct pl011_state uarts[KVM_MAX_VMS];
static const uint8_t pl011_ids[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static void console_out(struct kvm_vm *vm, uint8_t c)
{
    if (boot.nr_vms == 1) {
        uart_putc(c);
        return;
    }
    if (!vm->console && !(vm->console = alloc_page()))
        host_fatal(0, HYPSIM_ERR_NO_MEMORY, "no page for a VM's console buffer");
    if (vm->console_len < CONSOLE_BUF)
        vm->console[vm->console_len++] = (char)c;
}

static void console_flush_vm(struct kvm_vm *vm)
{
    if (boot.nr_vms == 1 || !vm->in_use)
        return;
    printf("\n--- hypsim vm %u console ---\n", (unsigned)vm->index);
    for (uint32_t i = 0; i < vm->console_len; i++)
        uart_putc(vm->console[i]);
    vm->console_len = 0;
    if (vm->console)
        free_page(vm->console);
    vm->console = 0;
}

void vmm_console_flush(void)
{
    for (int i = 0; i < KVM_MAX_VMS; i++)
        console_flush_vm(&vms[i]);
}

static void pl011_update_irq(struct kvm_vm *vm, struct pl011_state *u)
{
    kvm_vgic_irq_line(&vm->vcpus[0], GUEST_UART_SPI, (u->ris & u->imsc) != 0);
}

static void pl011_reset(struct pl011_state *u)
{
    *u = (struct pl011_state){ .cr = 0x300, .ifls = 0x12 };
}

void vmm_vm_init(struct kvm_vm *vm)
{
    pl011_reset(&uarts[vm - vms]);
}

static void local_mmio(struct kvm_vcpu *v)
{
    uint32_t *run = v->run;
    uint32_t ipa = run[RUN_MMIO_ADDR / 4];
    struct kvm_vm *vm = v->vm;
    struct pl011_state *u = &uarts[vm - vms];
    uint32_t off = ipa - HYPSIM_GUEST_UART_IPA, data = run[RUN_MMIO_DATA / 4];
    if (off >= 0x1000) {
        printf("hyp: error: guest vm %u accessed IPA 0x%08x (%s, %u bytes) with no memory and no device "
               "at guest pc 0x%08x\n", (unsigned)vm->index, (unsigned)ipa,
               run[RUN_MMIO_IS_WRITE / 4] ? "write" : "read", (unsigned)run[RUN_MMIO_LEN / 4],
               (unsigned)v->arch.ctxt.pc);
        host_fatal(v, HYPSIM_ERR_NO_DEVICE, "no device");
    }
    if (run[RUN_MMIO_IS_WRITE / 4]) {
        switch (off & ~3u) {
        case PL011_DR:   console_out(vm, (uint8_t)data); u->ris |= PL011_INT_TX; break;
        case PL011_IBRD: u->ibrd = data & 0xffff; break;
        case PL011_FBRD: u->fbrd = data & 0x3f; break;
        case PL011_LCRH: u->lcrh = data & 0xff; break;
        case PL011_CR:   u->cr = data & 0xffff; break;
        case PL011_IFLS: u->ifls = data & 0x3f; break;
        case PL011_IMSC: u->imsc = data & 0x7ff; break;
        case PL011_ICR:  u->ris &= ~data; break;
        default: break;
        }
        pl011_update_irq(vm, u);
        return;
    }
    uint32_t val;
    switch (off & ~3u) {
    case PL011_FR:   val = PL011_FR_TXFE | PL011_FR_RXFE; break;
    case PL011_IBRD: val = u->ibrd; break;
    case PL011_FBRD: val = u->fbrd; break;
    case PL011_LCRH: val = u->lcrh; break;
    case PL011_CR:   val = u->cr; break;
    case PL011_IFLS: val = u->ifls; break;
    case PL011_IMSC: val = u->imsc; break;
    case PL011_RIS:  val = u->ris; break;
    case PL011_MIS:  val = u->ris & u->imsc; break;
    default:
        val = (off & ~3u) >= 0xfe0 ? pl011_ids[((off & ~3u) - 0xfe0) / 4] : 0;
        break;
    }
    run[RUN_MMIO_DATA / 4] = val >> (8 * (off & 3));
}

static void local_vmm(struct kvm_vcpu *v, uint32_t reason)
{
    uint32_t *run = v->run;
    switch (reason) {
    case KVM_EXIT_MMIO:
        local_mmio(v);
        break;
    case KVM_EXIT_HYPERCALL:
        if (run[RUN_HC_NR / 4] == HYPSIM_HC_VM_INDEX)
            run[RUN_HC_RET / 4] = v->vm->index;
        else if (run[RUN_HC_NR / 4] == HYPSIM_HC_XOR)
            run[RUN_HC_RET / 4] = run[RUN_HC_ARG0 / 4] ^ run[RUN_HC_ARG1 / 4];
        else
            run[RUN_HC_RET / 4] = 0xffffffffu;
        break;
    case KVM_EXIT_SYSTEM_EVENT:
        if (run[RUN_SYSTEM_EVENT / 4] == KVM_SYSTEM_EVENT_RESET)
            host_fatal(v, 0, "the guest asked for a system reset (PSCI SYSTEM_RESET), which hypsim does not do");
        console_flush_vm(v->vm);
        pl011_reset(&uarts[v->vm - vms]);
        break;
    default:
        break;
    }
}

int kvm_vmm_exit(struct kvm_vcpu *v, uint32_t reason)
{
    uint32_t *run = v->run;
    run[RUN_EXIT_REASON / 4] = reason;
    run[RUN_VM / 4] = v->vm->index;
    run[RUN_VCPU / 4] = v->id;
    run[RUN_GUEST_PC / 4] = v->arch.ctxt.pc;
    if (!(boot.flags & HYPSIM_BI_F_VMM)) {
        local_vmm(v, reason);
        return 0;
    }
    run[RUN_IRQ_COUNT / 4] = 0;
    __asm__ volatile("dsb" ::: "memory");
    *(volatile uint32_t *)HYPSIM_DOORBELL_PA = (uint32_t)run;
    __asm__ volatile("dsb" ::: "memory");
    uint32_t n = run[RUN_IRQ_COUNT / 4];
    for (uint32_t i = 0; i < n && i < RUN_IRQ_MAX; i++)
        if (kvm_vm_irq_line(v->vm, run[RUN_IRQ / 4 + 2 * i], run[RUN_IRQ / 4 + 2 * i + 1]))
            host_fatal(v, HYPSIM_ERR_UNKNOWN_EXIT, "the VMM raised an invalid KVM_IRQ_LINE");
    return 0;
}
