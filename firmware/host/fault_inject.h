/*
 * fault_inject.h - deliberate hypervisor bugs, compiled in only when the
 * build asks for one (make -C firmware hypervisor HYP_FAULT=<NAME>
 * B=<dir>), so that the tests can show each checker stopping the broken
 * firmware with a message that names the fault. A normal build has none.
 *
 *   NO_VMID_FLUSH  a new VMID generation starts without invalidating the
 *                  TLB (tests/test_run_guest_hyp.py: the VMID scoreboard)
 *   LR_OVERWRITE_ACTIVE  vgic_flush hands out a list register whose
 *                  interrupt the guest has acknowledged (active) but not yet
 *                  EOIed (tests/test_irq_scoreboard.py: the IRQ scoreboard)
 *   TIMER_NO_LOWER the vGIC is told when a timer's line rises but never when
 *                  it drops, so a timer the guest stopped is injected again
 *                  after its EOI (tests/test_irq_scoreboard.py)
 */
#ifndef HYPSIM_FAULT_INJECT_H
#define HYPSIM_FAULT_INJECT_H
#define FAULT(name) (defined_fault_##name)
#ifdef HYPSIM_FAULT_NO_VMID_FLUSH
#define defined_fault_NO_VMID_FLUSH 1
#else
#define defined_fault_NO_VMID_FLUSH 0
#endif
#ifdef HYPSIM_FAULT_LR_OVERWRITE_ACTIVE
#define defined_fault_LR_OVERWRITE_ACTIVE 1
#else
#define defined_fault_LR_OVERWRITE_ACTIVE 0
#endif
#ifdef HYPSIM_FAULT_TIMER_NO_LOWER
#define defined_fault_TIMER_NO_LOWER 1
#else
#define defined_fault_TIMER_NO_LOWER 0
#endif
#endif
