/*
 * fault_inject.h - deliberate hypervisor bugs, compiled in only when the
 * build asks for one (make -C firmware hypervisor HYP_FAULT=<NAME>
 * B=<dir>), so that the tests can show each checker stopping the broken
 * firmware with a message that names the fault. A normal build has none.
 *
 *   NO_VMID_FLUSH  a new VMID generation starts without invalidating the
 *                  TLB (tests/test_hypervisor.py: the VMID scoreboard)
 * The world-switch scoreboard's (tests/test_world_switch_runs.py):
 *   NO_SAVE_VBAR      the guest's VBAR is left out of the CP15 save list
 *   NO_SIGN_EXTEND    an MMIO read's SSE is ignored (no sign extension)
 *   GUEST_R12_LEAK    the world switch does not load the guest's r12: the
 *                     guest runs with whatever the host and Hyp left there
 *   NO_FPEXC_EN       FPEXC.EN is not forced on while cp10/11 trap (seed 000)
 * The IRQ scoreboard's (tests/test_irq_scoreboard.py):
 *   LR_OVERWRITE_ACTIVE  vgic_flush hands out a list register whose
 *                  interrupt the guest has acknowledged (active) but not yet
 *                  EOIed
 *   TIMER_NO_LOWER the vGIC is told when a timer's line rises but never when
 *                  it drops, so a timer the guest stopped is injected again
 *                  after its EOI
 * Two vCPUs of one VM (tests/test_vcpus.py):
 *   VMPIDR_SHARED  every vCPU gets vCPU 0's VMPIDR (seed 000 wants Aff0 =
 *                  the vCPU id)
 *   SGIR_NO_TARGETS GICD_SGIR emulation ignores the target list and the
 *                  filter: the SGI goes to the writing vCPU
 *   NO_CLREX       the world switch does not clear the exclusive monitor on
 *                  a guest entry, so a STREX may succeed across a vCPU switch
 * vCPUs on two physical cores (tests/test_vcpus.py, --smp 2):
 *   SHARED_HOST_CTXT Hyp keeps one host context for all cores: a core's
 *                  host registers saved at a guest entry are overwritten by
 *                  the other core's entry
 *   NO_KICK        an interrupt made pending for a vCPU running on the other
 *                  core is not signalled to that core (no physical SGI): it
 *                  is only seen at that vCPU's next exit
 * (entry.S tests HYPSIM_FAULT_<NAME> itself: FAULT() is for C)
 */
#ifndef HYPSIM_FAULT_INJECT_H
#define HYPSIM_FAULT_INJECT_H
#define FAULT(name) (defined_fault_##name)
#ifdef HYPSIM_FAULT_NO_VMID_FLUSH
#define defined_fault_NO_VMID_FLUSH 1
#else
#define defined_fault_NO_VMID_FLUSH 0
#endif
#ifdef HYPSIM_FAULT_NO_SAVE_VBAR
#define defined_fault_NO_SAVE_VBAR 1
#else
#define defined_fault_NO_SAVE_VBAR 0
#endif
#ifdef HYPSIM_FAULT_NO_SIGN_EXTEND
#define defined_fault_NO_SIGN_EXTEND 1
#else
#define defined_fault_NO_SIGN_EXTEND 0
#endif
#ifdef HYPSIM_FAULT_GUEST_R12_LEAK
#define defined_fault_GUEST_R12_LEAK 1
#else
#define defined_fault_GUEST_R12_LEAK 0
#endif
#ifdef HYPSIM_FAULT_NO_FPEXC_EN
#define defined_fault_NO_FPEXC_EN 1
#else
#define defined_fault_NO_FPEXC_EN 0
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
#ifdef HYPSIM_FAULT_VMPIDR_SHARED
#define defined_fault_VMPIDR_SHARED 1
#else
#define defined_fault_VMPIDR_SHARED 0
#endif
#ifdef HYPSIM_FAULT_SGIR_NO_TARGETS
#define defined_fault_SGIR_NO_TARGETS 1
#else
#define defined_fault_SGIR_NO_TARGETS 0
#endif
#ifdef HYPSIM_FAULT_NO_CLREX
#define defined_fault_NO_CLREX 1
#else
#define defined_fault_NO_CLREX 0
#endif
#ifdef HYPSIM_FAULT_SHARED_HOST_CTXT
#define defined_fault_SHARED_HOST_CTXT 1
#else
#define defined_fault_SHARED_HOST_CTXT 0
#endif
#ifdef HYPSIM_FAULT_NO_KICK
#define defined_fault_NO_KICK 1
#else
#define defined_fault_NO_KICK 0
#endif
#endif
