/*
 * cp15.h - the one header of CP15 (and VFP system register) accessors for all
 * firmware: the hypervisor (hyp/, host/), the library and the C programs, by the
 * encoding the ARM ARM gives for each register.
 */
#ifndef HYPSIM_CP15_H
#define HYPSIM_CP15_H
#include <stdint.h>

#define read_cp15(o1, crn, crm, o2) ({ uint32_t v_;                                   \
    __asm__ volatile("mrc p15, " #o1 ", %0, " #crn ", " #crm ", " #o2 : "=r"(v_)); v_; })
#define write_cp15(o1, crn, crm, o2, v) \
    __asm__ volatile("mcr p15, " #o1 ", %0, " #crn ", " #crm ", " #o2 :: "r"((uint32_t)(v)) : "memory")
#define read_cp15_64(o1, crm) ({ uint32_t lo_, hi_;                                   \
    __asm__ volatile("mrrc p15, " #o1 ", %0, %1, " #crm : "=r"(lo_), "=r"(hi_));       \
    ((uint64_t)hi_ << 32) | lo_; })
#define write_cp15_64(o1, crm, v) do { uint64_t v_ = (v);                             \
    __asm__ volatile("mcrr p15, " #o1 ", %0, %1, " #crm                               \
                     :: "r"((uint32_t)v_), "r"((uint32_t)(v_ >> 32)) : "memory"); } while (0)

#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb() __asm__ volatile("dsb" ::: "memory")

/* PL1 fault registers (B4.1.52, B4.1.51, B4.1.96, B4.1.95) */
#define read_dfsr()       read_cp15(0, c5, c0, 0)
#define read_dfar()       read_cp15(0, c6, c0, 0)
#define write_dfar(v)     write_cp15(0, c6, c0, 0, v)
#define read_ifsr()       read_cp15(0, c5, c0, 1)
#define read_ifar()       read_cp15(0, c6, c0, 2)
#define write_cpacr(v)    write_cp15(0, c1, c0, 2, v)

/* Hyp registers (B4.1.x) */
#define read_hsr()        read_cp15(4, c5, c2, 0)
#define read_hcr()        read_cp15(4, c1, c1, 0)
#define read_hdfar()      read_cp15(4, c6, c0, 0)
#define read_hifar()      read_cp15(4, c6, c0, 2)
#define read_hpfar()      read_cp15(4, c6, c0, 4)
#define write_hcr(v)      write_cp15(4, c1, c1, 0, v)
#define write_hcptr(v)    write_cp15(4, c1, c1, 2, v)
#define write_hstr(v)     write_cp15(4, c1, c1, 3, v)
#define write_hvbar(v)    write_cp15(4, c12, c0, 0, v)
#define write_vtcr(v)     write_cp15(4, c2, c1, 2, v)
#define write_vttbr(v)    write_cp15_64(6, c2, v)
#define read_vttbr()      read_cp15_64(6, c2)
#define write_vpidr(v)    write_cp15(4, c0, c0, 0, v)
#define write_vmpidr(v)   write_cp15(4, c0, c0, 5, v)
#define write_cnthctl(v)  write_cp15(4, c14, c1, 0, v)
#define write_cntvoff(v)  write_cp15_64(4, c14, v)
#define read_midr()       read_cp15(0, c0, c0, 0)
#define read_mpidr()      read_cp15(0, c0, c0, 5)
#define read_par()        read_cp15_64(0, c7)
#define write_par(v)      write_cp15_64(0, c7, v)
#define ats1cpr(va)       write_cp15(0, c7, c8, 0, va)
#define tlbiallnsnhis()   write_cp15(4, c8, c3, 4, 0)
#define tlbiallnsnh()     write_cp15(4, c8, c7, 4, 0)
/* timers (B8.x) */
#define read_cntpct()     read_cp15_64(0, c14)
#define read_cntvct()     read_cp15_64(1, c14)
#define read_cntv_ctl()   read_cp15(0, c14, c3, 1)
#define write_cntv_ctl(v) write_cp15(0, c14, c3, 1, v)
#define read_cntv_cval()  read_cp15_64(3, c14)
#define write_cntv_cval(v) write_cp15_64(3, c14, v)
#define write_cntp_ctl(v) write_cp15(0, c14, c2, 1, v)
#define read_cntp_ctl()   read_cp15(0, c14, c2, 1)
#define write_cntp_cval(v) write_cp15_64(2, c14, v)
#define read_cntp_cval()  read_cp15_64(2, c14)
/* VFP */
#define read_fpexc()  ({ uint32_t v_; __asm__ volatile(".fpu vfpv3\n\tvmrs %0, fpexc" : "=r"(v_)); v_; })
#define write_fpexc(v) __asm__ volatile(".fpu vfpv3\n\tvmsr fpexc, %0" :: "r"((uint32_t)(v)) : "memory")

#endif
