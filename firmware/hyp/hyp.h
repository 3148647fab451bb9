/*
 * hyp.h - what the Hyp side exports: its vectors, the world switch, the Hyp
 * functions the host calls through the Hyp ABI (kvm_call_hyp), and the
 * host's entry to them. ARM ARM B1.12; seed 000 (the Hyp ABI).
 */
#ifndef HYPSIM_HYP_H
#define HYPSIM_HYP_H
#include <stdint.h>
#include "kvm_ctxt.h"

extern const char __kvm_hyp_vector[];

/* device registers (GICH, the timer) by physical address, Hyp or host (flat map) */
static inline uint32_t mmio_read32(uint32_t pa) { return *(volatile uint32_t *)pa; }
static inline void mmio_write32(uint32_t pa, uint32_t v) { *(volatile uint32_t *)pa = v; }

/* host side of the Hyp ABI: hvc #0 with r0 = fn, r1-r3 = args */
uint32_t kvm_call_hyp(const void *fn, uint32_t a, uint32_t b, uint32_t c);
#define call_hyp(fn, a, b, c) kvm_call_hyp((const void *)(fn), (uint32_t)(a), (uint32_t)(b), (uint32_t)(c))

/* Hyp functions (run in Hyp mode; call them only through call_hyp) */
uint32_t __kvm_vcpu_run(struct kvm_vcpu_hyp *v);
uint32_t __hyp_init(uint32_t vtcr, uint32_t unused1, uint32_t unused2);
uint32_t __hyp_null(uint32_t a, uint32_t b, uint32_t c);
uint32_t __kvm_flush_vm_context(uint32_t a, uint32_t b, uint32_t c);
uint32_t __kvm_vfp_switch_in(struct kvm_vcpu_hyp *v, uint32_t b, uint32_t c);
uint32_t __kvm_host_vfp_save(struct kvm_vfp *out, uint32_t b, uint32_t c);

/* internal to hyp/ */
struct kvm_cpu_ctxt *hyp_this_host_ctxt(void);
void hyp_enter_c(struct kvm_vcpu_hyp *v);
uint32_t hyp_exit_c(struct kvm_vcpu_hyp *v, uint32_t code);
void __vfp_save(struct kvm_vfp *v);
void __vfp_load(const struct kvm_vfp *v);
void hyp_panic(uint32_t vector, uint32_t elr, uint32_t hsr) __attribute__((noreturn));
#endif
