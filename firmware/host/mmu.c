/*
 * mmu.c - the page pool, stage-2 tables and guest memory faults (KVM/ARM:
 * mmu.c kvm_alloc_stage2_pgd, stage2_set_pte, user_mem_abort,
 * kvm_handle_guest_abort; dirty logging as kvm_mmu_wp_memory_region).
 *
 * Stage 2 (ARM ARM B3.6, VTCR.T0SZ = 0, SL0 = 1): a 4-entry level-1 table
 * per VM, level-2 and level-3 tables from the pool, 4 KiB pages only.
 * A VM has one RAM memslot, [mem_ipa, mem_ipa + mem_size). Nothing is
 * mapped until the guest touches it: a translation fault in the memslot
 * takes a page from the pool, fills it (the part of the guest image or of
 * the DTB that lives in that page, as the loader placed them; zero
 * elsewhere, like fresh anonymous memory) and maps it read-write, or
 * read-only while dirty logging is on; the first write to such a page is a
 * permission fault that logs it dirty and makes it writable. The GICV
 * frame is mapped at the guest's GICC address when the VM is created.
 * Any other IPA is MMIO (mmio.c), except for an instruction fetch or a
 * stage-1 table walk, which get a synchronous external abort (KVM's
 * kvm_inject_pabt/dabt; what QEMU's virt machine gives a fetch from nowhere).
 */
#include <stdint.h>
#include "kvm_arm.h"
#include "kvm_host.h"
#include "hyp.h"
#include "string.h"

#define PAGE 4096u
#define POOL_PAGES ((HYPSIM_POOL_END - HYPSIM_POOL_PA) / PAGE)
static uint32_t pool_next;       /* first never-used page */
static uint32_t *free_list;      /* freed pages, linked through their first word */
static uint32_t pool_free_pages;
/* every page a VM owns (tables and guest pages), chained by pool index + 1 */
static uint16_t owned_next[POOL_PAGES];

static uint32_t pool_index(const void *p)
{
    return ((uint32_t)p - HYPSIM_POOL_PA) / PAGE;
}

/* a zeroed page owned by vm, or 0 */
static void *vm_alloc_page(struct kvm_vm *vm)
{
    void *p = alloc_page();
    if (p) {
        owned_next[pool_index(p)] = (uint16_t)vm->owned_head;
        vm->owned_head = pool_index(p) + 1;
    }
    return p;
}

void pool_init(void)
{
    pool_next = HYPSIM_POOL_PA;
    free_list = 0;
    pool_free_pages = (HYPSIM_POOL_END - HYPSIM_POOL_PA) / PAGE;
}

void page_zero(void *page);
void page_copy(void *dst, const void *src);
void copy_blocks(void *dst, const void *src, uint32_t n);

/* a zeroed page, or 0 when the pool is empty */
void *alloc_page(void)
{
    uint32_t *p;
    if (free_list) {
        p = free_list;
        free_list = (uint32_t *)*p;
    } else if (pool_next < HYPSIM_POOL_END) {
        p = (uint32_t *)pool_next;
        pool_next += PAGE;
    } else {
        return 0;
    }
    pool_free_pages--;
    page_zero(p);
    return p;
}

void free_page(void *p)
{
    *(uint32_t *)p = (uint32_t)free_list;
    free_list = p;
    pool_free_pages++;
}

int stage2_init(struct kvm_vm *vm)
{
    vm->owned_head = 0;
    vm->pgd = vm_alloc_page(vm);
    if (!vm->pgd)
        return -1;
    /* the virtual CPU interface: GICV at the guest's GICC, 8 KiB */
    for (uint32_t off = 0; off < 0x2000; off += PAGE)
        if (stage2_map(vm, HYPSIM_GUEST_GICC_IPA + off, GICV_PA + off,
                       S2_MEMATTR_DEVICE | S2_HAP_R | S2_HAP_W | S2_XN))
            return -1;
    return 0;
}

static uint64_t *table_of(uint64_t desc)
{
    return (uint64_t *)(uint32_t)(desc & S2_ADDR_MASK);
}

/* the level-3 entry for ipa, creating tables if asked; 0 if absent or out of memory */
static uint64_t *stage2_pte(struct kvm_vm *vm, uint32_t ipa, int create)
{
    uint64_t *t = vm->pgd;
    static const uint32_t shift[2] = { 30, 21 };
    for (int lvl = 0; lvl < 2; lvl++) {
        uint64_t *e = &t[(ipa >> shift[lvl]) & (lvl ? 0x1ffu : 0x3u)];
        if (!(*e & S2_VALID)) {
            if (!create)
                return 0;
            uint64_t *n = vm_alloc_page(vm);
            if (!n)
                return 0;
            *e = (uint32_t)n | S2_TABLE | S2_VALID;
        }
        t = table_of(*e);
    }
    return &t[(ipa >> 12) & 0x1ffu];
}

int stage2_map(struct kvm_vm *vm, uint32_t ipa, uint32_t pa, uint64_t attrs)
{
    uint64_t *pte = stage2_pte(vm, ipa, 1);
    if (!pte)
        return -1;
    *pte = (pa & ~(PAGE - 1)) | attrs | S2_AF | S2_PAGE | S2_VALID;
    __asm__ volatile("dsb" ::: "memory");
    return 0;
}

void stage2_free(struct kvm_vm *vm)
{
    for (uint32_t i = vm->owned_head; i; ) {
        uint32_t next = owned_next[i - 1];
        free_page((void *)(HYPSIM_POOL_PA + (i - 1) * PAGE));
        i = next;
    }
    vm->owned_head = 0;
    vm->pgd = 0;
}

/* copy the part of [src_ipa, src_ipa + size) (stored at src_pa) that lies in the page at ipa */
static void fill_from(uint8_t *page, uint32_t ipa, uint32_t src_ipa, uint32_t src_pa, uint32_t size)
{
    uint32_t lo = ipa > src_ipa ? ipa : src_ipa;
    uint32_t hi_page = ipa + PAGE, hi_src = src_ipa + size;
    uint32_t hi = hi_page < hi_src ? hi_page : hi_src;
    if (size == 0 || lo >= hi)
        return;
    uint8_t *dst = page + (lo - ipa);
    const uint8_t *src = (const uint8_t *)(src_pa + (lo - src_ipa));
    uint32_t n = hi - lo, bulk = ((uint32_t)dst | (uint32_t)src) & 3 ? 0 : n & ~31u;
    if (bulk)
        copy_blocks(dst, src, bulk);
    memcpy(dst + bulk, src + bulk, n - bulk);
}

static int user_mem_abort(struct kvm_vcpu *v, uint32_t ipa, uint32_t fsc_type, int write)
{
    struct kvm_vm *vm = v->vm;
    uint32_t page_ipa = ipa & ~(PAGE - 1);
    if (fsc_type == FSC_PERM) {
        /* dirty logging: the first write to a write-protected page */
        uint64_t *pte = stage2_pte(vm, page_ipa, 0);
        if (!pte || !(*pte & S2_VALID) || !write)
            host_fatal(v, HYPSIM_ERR_UNKNOWN_EXIT, "stage-2 permission fault on a page the host did not protect");
        *pte |= S2_HAP_W;
        vm->dirty_pages++;
        call_hyp(__kvm_flush_vm_context, 0, 0, 0);
        return RESUME_GUEST;
    }
    uint8_t *page = vm_alloc_page(vm);
    if (!page)
        host_fatal(v, HYPSIM_ERR_NO_MEMORY, "the page pool is exhausted (guest memory touched beyond what the host can back)");
    fill_from(page, page_ipa, boot.image_ipa, boot.image_pa, boot.image_size);
    fill_from(page, page_ipa, boot.dtb_ipa, boot.dtb_pa, boot.dtb_size);
    uint64_t attrs = S2_MEMATTR_NORMAL | S2_SH_IS | S2_HAP_R;
    if (!vm->dirty_log)
        attrs |= S2_HAP_W;
    else if (write) {
        attrs |= S2_HAP_W;
        vm->dirty_pages++;
    }
    if (stage2_map(vm, page_ipa, (uint32_t)page, attrs))
        host_fatal(v, HYPSIM_ERR_NO_MEMORY, "out of memory for stage-2 tables");
    vm->mapped_pages++;
    return RESUME_GUEST;
}

/* EC 0x20 / 0x24: a stage-2 abort from the guest */
int kvm_handle_guest_abort(struct kvm_vcpu *v)
{
    uint32_t hsr = v->arch.fault.hsr;
    uint32_t fsc_type = hsr & HSR_FSC_TYPE;
    uint32_t ipa = (v->arch.fault.hpfar << 8) | (v->arch.fault.hxfar & (PAGE - 1));
    int is_iabt = HSR_EC(hsr) == EC_IABT;
    struct kvm_vm *vm = v->vm;

    if (fsc_type != FSC_TRANS && fsc_type != FSC_PERM && fsc_type != FSC_ACCESS)
        host_fatal(v, HYPSIM_ERR_UNKNOWN_EXIT, "unsupported stage-2 fault status");
    if (ipa - vm->mem_ipa < vm->mem_size)
        return user_mem_abort(v, ipa, fsc_type, !is_iabt && (hsr & HSR_WNR) && !(hsr & HSR_S1PTW));
    if (is_iabt || (hsr & HSR_S1PTW)) {
        /* an instruction fetch, or a stage-1 table walk, from an IPA with no memory:
         * an external abort for the guest, as KVM does and as the machine would */
        kvm_inject_abort(v, is_iabt, v->arch.fault.hxfar);
        return RESUME_GUEST;
    }
    return io_mem_abort(v, ipa);
}
