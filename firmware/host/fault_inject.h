/*
 * fault_inject.h - deliberate hypervisor bugs, compiled in only when the
 * build asks for one (make -C firmware hypervisor HYP_FAULT=<NAME>
 * B=<dir>), so that the tests can show each checker stopping the broken
 * firmware with a message that names the fault. A normal build has none.
 *
 *   NO_VMID_FLUSH  a new VMID generation starts without invalidating the
 *                  TLB (tests/test_run_guest_hyp.py: the VMID scoreboard)
 */
#ifndef HYPSIM_FAULT_INJECT_H
#define HYPSIM_FAULT_INJECT_H
#define FAULT(name) (defined_fault_##name)
#ifdef HYPSIM_FAULT_NO_VMID_FLUSH
#define defined_fault_NO_VMID_FLUSH 1
#else
#define defined_fault_NO_VMID_FLUSH 0
#endif
#endif
