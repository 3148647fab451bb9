`timescale 1ns/1ps
// mmu: two-stage VMSAv7 MMU with LPAE long descriptors (ARM ARM ARMv7-A/R
// B3.6): PL1&0 stage 1 (TTBCR.EAE=1, TTBR0/TTBR1 split by T0SZ/T1SZ, EPDn, A1,
// MAIR0/1), PL2 stage 1 (HTTBR/HTCR/HMAIR), stage 2 (VTTBR/VTCR, 40-bit IPA,
// SL0, concatenated first tables), nested walks (every stage-1 descriptor fetch
// goes through stage 2 when HCR.VM=1, HCR.PTW checked), 1GB/2MB blocks and 4KB
// pages, hierarchical APTable/XNTable/PXNTable, AF, AP[2:1], XN/PXN, HAP, the
// faults of B3.12 with their level, the HSR/HPFAR/DFSR/IFSR values of B3.13
// and the 64-bit PAR of ATS operations (B4.1.112), behind mmu_tlb.
// One request at a time. Registers must not change while busy (!req_ready_o).
// Choices where the architecture leaves freedom: input address out of every
// range / EPDn / illegal VTCR -> Translation fault level 1; EA/ExT = 1 only for
// external aborts on walks; HPFAR holds the IPA also when it is UNKNOWN.
// Left out: short descriptors (TTBCR.EAE=0), SCTLR.AFE, WXN/UWXN, HCR.DC/TGE,
// address size faults, alignment checks, attribute combining (both stages'
// attributes are returned raw), Secure state (PAR.NS reads 1, as on QEMU).
// Broadcast TLB maintenance (issue 14): ext_* are the Inner Shareable operations
// other cores issued in this cycle (mmu_tlb ext_*), each with the issuing core's
// VMID; they invalidate in that cycle whatever this MMU is doing, and a walk in
// flight when one arrives does not fill the TLB (its descriptors may predate the
// maintenance; the walk's own result is still returned). Tied to zero: unchanged.
module mmu #(
    parameter int TLB_ENTRIES = 16,
    parameter int NEXT = 1             // broadcast invalidate ports (mmu_tlb NEXT)
) (
    input  logic        clk_i,
    input  logic        rst_ni,
    // system registers (owned by the core's CP15)
    input  logic        sctlr_m_i,
    input  logic [31:0] ttbcr_i,
    input  logic [63:0] ttbr0_i,
    input  logic [63:0] ttbr1_i,
    input  logic [31:0] mair0_i,
    input  logic [31:0] mair1_i,
    input  logic        hsctlr_m_i,
    input  logic [31:0] htcr_i,
    input  logic [63:0] httbr_i,
    input  logic [31:0] hmair0_i,
    input  logic [31:0] hmair1_i,
    input  logic        hcr_vm_i,
    input  logic        hcr_ptw_i,
    input  logic [31:0] vtcr_i,
    input  logic [63:0] vttbr_i,
    // translation request: kind 0 load 1 store 2 fetch; pl 0/1/2 (2 = Hyp
    // regime); op 0 access, 1 ATS stage 1 only (ATS1C*/ATS1H*), 2 ATS12NSO*
    input  logic        req_valid_i,
    output logic        req_ready_o,
    input  logic [31:0] req_va_i,
    input  logic [1:0]  req_kind_i,
    input  logic [1:0]  req_pl_i,
    input  logic [1:0]  req_op_i,
    // response (one-cycle pulse, no back-pressure)
    output logic        rsp_valid_o,
    output logic        rsp_fault_o,
    output logic [39:0] rsp_pa_o,
    output logic [7:0]  rsp_attr_o,      // stage-1 MAIR byte
    output logic [1:0]  rsp_sh_o,
    output logic [3:0]  rsp_s2attr_o,    // stage-2 MemAttr
    output logic [1:0]  rsp_s2sh_o,
    output logic        rsp_tlb_hit_o,
    output logic [5:0]  rsp_fs_o,        // long-descriptor FS {type, level}
    output logic        rsp_stage2_o,
    output logic        rsp_s1ptw_o,
    output logic        rsp_to_hyp_o,
    output logic [5:0]  rsp_hsr_ec_o,
    output logic [24:0] rsp_hsr_iss_o,   // EA, S1PTW, WnR, FSC; core adds ISV..SRT
    output logic [31:0] rsp_fsr_o,       // DFSR/IFSR (LPAE format) for PL1 aborts
    output logic [31:0] rsp_far_o,
    output logic [31:0] rsp_hpfar_o,
    output logic        rsp_hpfar_valid_o,
    output logic [63:0] rsp_par_o,
    // table-walk memory port: 64-bit descriptor reads
    output logic        mem_req_o,
    output logic [39:3] mem_addr_o,
    input  logic        mem_ack_i,
    input  logic [63:0] mem_rdata_i,
    input  logic        mem_err_i,
    // TLB maintenance: op[2:0] per mmu_tlb, op[3] = Inner Shareable form
    input  logic        tlbi_valid_i,
    output logic        tlbi_ready_o,
    input  logic [3:0]  tlbi_op_i,
    input  logic [31:0] tlbi_data_i,
    // broadcast TLB maintenance from other cores: op[2:0] per mmu_tlb, MVA/ASID as tlbi_data_i
    input  logic [NEXT-1:0]    ext_inv_i,
    input  logic [NEXT*3-1:0]  ext_op_i,
    input  logic [NEXT*32-1:0] ext_data_i,
    input  logic [NEXT*8-1:0]  ext_vmid_i
);
    localparam logic [2:0] S_IDLE = 3'd0, S_START = 3'd1, S_S1_ADDR = 3'd2, S_S1_READ = 3'd3,
                           S_S2_START = 3'd4, S_S2_READ = 3'd5, S_DONE = 3'd6;
    localparam logic [3:0] FT_TRANS = 4'b0001, FT_AF = 4'b0010, FT_PERM = 4'b0011,
                           FT_EXT = 4'b0101;
    localparam logic [1:0] K_LOAD = 2'd0, K_STORE = 2'd1, K_FETCH = 2'd2;
    localparam logic [1:0] OP_ACCESS = 2'd0, OP_ATS1 = 2'd1;
    localparam int DW = 85;

    // ---------------------------------------------------------------- helpers
    function automatic logic [39:0] desc_addr(input logic [39:0] tbl, input logic [39:12] in,
                                              input logic [1:0] lvl, input logic [3:0] bits);
        logic [12:0] shifted;
        logic [12:0] mask;
        shifted = (lvl == 2'd1) ? {3'd0, in[39:30]} : (lvl == 2'd2) ? in[33:21] : in[24:12];
        mask = (13'd1 << bits) - 13'd1;
        desc_addr = (tbl & ~{24'd0, mask, 3'b111}) | {24'd0, shifted & mask, 3'b000};
    endfunction

    function automatic logic [39:0] out_addr(input logic [39:12] desc, input logic [29:0] in,
                                             input logic [1:0] lvl);
        case (lvl)
            2'd1:    out_addr = {desc[39:30], in[29:0]};
            2'd2:    out_addr = {desc[39:21], in[20:0]};
            default: out_addr = {desc[39:12], in[11:0]};
        endcase
    endfunction

    // Stage-1 permissions (B3.7.1, B3.7.2); at PL2 AP[1] and PXN are ignored.
    function automatic logic s1_perm_fault(input logic [1:0] kind, input logic [1:0] pl,
                                           input logic ap2, input logic ap1,
                                           input logic xn, input logic pxn);
        logic user_denied;
        user_denied = (pl == 2'd0) && !ap1;
        case (kind)
            K_FETCH: s1_perm_fault = xn || (pl == 2'd1 && pxn) || user_denied;
            K_STORE: s1_perm_fault = ap2 || user_denied;
            default: s1_perm_fault = user_denied;
        endcase
    endfunction

    // Stage-2 HAP[2:1] (bit 0 read, bit 1 write) and XN (B3.7.4).
    function automatic logic s2_perm_fault(input logic [1:0] kind, input logic [1:0] hap,
                                           input logic xn);
        case (kind)
            K_STORE: s2_perm_fault = !hap[1];
            K_FETCH: s2_perm_fault = !hap[0] || xn;
            default: s2_perm_fault = !hap[0];
        endcase
    endfunction

    function automatic logic [1:0] min2(input logic [1:0] a, input logic [1:0] b);
        min2 = (a < b) ? a : b;
    endfunction

    // VA[31:12] bits kept from the entry for a given size (0 4KB, 1 2MB, 2 1GB).
    function automatic logic [27:0] merge_page(input logic [27:0] page, input logic [19:0] vpn,
                                               input logic [1:0] size);
        logic [19:0] m;
        case (size)
            2'd1:    m = 20'hFFE00;
            2'd2:    m = 20'hC0000;
            default: m = 20'hFFFFF;
        endcase
        merge_page = {page[27:20], (page[19:0] & m) | (vpn & ~m)};
    endfunction

    // ---------------------------------------------------------------- state
    logic [2:0]  state_q, state_d;
    logic [31:0] va_q, va_d;
    logic [1:0]  kind_q, kind_d, pl_q, pl_d, op_q, op_d;
    // stage-1 walk
    logic [1:0]  s1lvl_q, s1lvl_d;
    logic [3:0]  s1bits_q, s1bits_d;
    logic [39:0] s1tbl_q, s1tbl_d;
    logic [1:0]  aptable_q, aptable_d;
    logic        xnt_q, xnt_d, pxnt_q, pxnt_d;
    logic [39:0] daddr_q, daddr_d;
    // stage-1 result
    logic        s1en_q, s1en_d, ap2_q, ap2_d, ap1_q, ap1_d, xn_q, xn_d, pxn_q, pxn_d, ng_q, ng_d;
    logic [1:0]  s1leaf_q, s1leaf_d;
    logic [7:0]  attr_q, attr_d;
    logic [1:0]  sh_q, sh_d;
    logic [39:0] ipa_q, ipa_d;
    // stage-2 walk
    logic        s2en_q, s2en_d, s2ptw_q, s2ptw_d;
    logic [1:0]  s2lvl_q, s2lvl_d;
    logic [3:0]  s2bits_q, s2bits_d;
    logic [39:0] s2tbl_q, s2tbl_d, s2in_q, s2in_d;
    // stage-2 result
    logic [1:0]  hap_q, hap_d, s2leaf_q, s2leaf_d, s2sh_q, s2sh_d;
    logic        s2xn_q, s2xn_d;
    logic [3:0]  s2attr_q, s2attr_d;
    // outcome
    logic [39:0] pa_q, pa_d, fipa_q, fipa_d;
    logic        fault_q, fault_d, stage2_q, stage2_d, s1ptw_q, s1ptw_d, hit_q, hit_d;
    logic        fill_q, fill_d;
    logic [5:0]  fs_q, fs_d;

    // ---------------------------------------------------------------- registers decoded
    logic        hyp;
    logic        s1on, s2on;
    logic [7:0]  cur_vmid, cur_asid;
    logic [63:0] mair;
    assign hyp      = (pl_q == 2'd2);
    assign s1on     = hyp ? hsctlr_m_i : sctlr_m_i;
    assign s2on     = !hyp && hcr_vm_i;
    assign cur_vmid = vttbr_i[55:48];
    assign cur_asid = ttbcr_i[22] ? ttbr1_i[55:48] : ttbr0_i[55:48];
    assign mair     = hyp ? {hmair1_i, hmair0_i} : {mair1_i, mair0_i};

    // Stage-1 TTBR selection (B3.6.4) and start level (B3.6.6).
    logic [2:0]  t0sz, t1sz, txsz;
    logic        in_t0, in_t1, s1_sel1, s1_ok;
    logic [39:0] s1_base;
    logic [1:0]  s1_start_lvl;
    logic [3:0]  s1_start_bits;
    assign t0sz  = hyp ? htcr_i[2:0] : ttbcr_i[2:0];
    assign t1sz  = ttbcr_i[18:16];
    assign in_t1 = !hyp && t1sz != 3'd0 &&
                   {1'b0, va_q} >= (33'h1_0000_0000 - (33'd1 << (6'd32 - {3'd0, t1sz})));
    assign in_t0 = t0sz == 3'd0 || {1'b0, va_q} < (33'd1 << (6'd32 - {3'd0, t0sz}));
    assign s1_sel1 = in_t1 || (!in_t0 && !hyp && t1sz == 3'd0);
    assign s1_ok   = s1_sel1 ? !ttbcr_i[23] : (in_t0 && (hyp || !ttbcr_i[7]));
    assign txsz    = s1_sel1 ? t1sz : t0sz;
    assign s1_base = hyp ? httbr_i[39:0] : (s1_sel1 ? ttbr1_i[39:0] : ttbr0_i[39:0]);
    assign s1_start_lvl  = (txsz <= 3'd1) ? 2'd1 : 2'd2;
    assign s1_start_bits = (txsz <= 3'd1) ? (4'd2 - {1'b0, txsz}) : (4'd11 - {1'b0, txsz});

    // Stage-2 start (B3.6.6, VTCR B4.1.159): IPA size 32-T0SZ (T0SZ signed).
    logic [5:0]  s2_size;
    logic [1:0]  s2_start_lvl;
    logic [5:0]  s2_start_bits;
    logic        s2_cfg_ok, s2_oor;
    logic [39:0] s2_size_mask;
    assign s2_size       = 6'd32 - {{2{vtcr_i[3]}}, vtcr_i[3:0]};
    assign s2_start_lvl  = (vtcr_i[7:6] == 2'd1) ? 2'd1 : 2'd2;
    assign s2_start_bits = (vtcr_i[7:6] == 2'd1) ? (s2_size - 6'd30) : (s2_size - 6'd21);
    assign s2_cfg_ok     = (vtcr_i[7:6] == 2'd1) ? (s2_size >= 6'd31 && s2_size <= 6'd40) :
                           (vtcr_i[7:6] == 2'd0) ? (s2_size >= 6'd25 && s2_size <= 6'd34) : 1'b0;
    assign s2_size_mask  = (40'd1 << s2_size) - 40'd1;
    assign s2_oor        = |(s2in_q & ~s2_size_mask);

    // ---------------------------------------------------------------- TLB
    logic          lk_hit, evict;
    logic [1:0]    lk_csize;
    logic [DW-1:0] lk_data, fill_data;
    logic          tlb_inv;
    logic [1:0]    fill_s1size, fill_csize;
    // payload layout
    logic [27:0] e_pa, e_ipa;
    logic        e_s1en, e_ap2, e_ap1, e_xn, e_pxn, e_s2en, e_s2xn;
    logic [1:0]  e_s1lvl, e_hap, e_s2lvl, e_sh, e_s2sh;
    logic [7:0]  e_attr;
    logic [3:0]  e_s2attr;
    assign {e_pa, e_ipa, e_s1en, e_ap2, e_ap1, e_xn, e_pxn, e_s1lvl, e_s2en, e_hap, e_s2xn,
            e_s2lvl, e_attr, e_sh, e_s2attr, e_s2sh} = lk_data;
    assign fill_data = {pa_q[39:12], ipa_q[39:12], s1en_q, ap2_q, ap1_q, xn_q, pxn_q, s1leaf_q,
                        s2en_q, hap_q, s2xn_q, s2leaf_q, attr_q, sh_q, s2attr_q, s2sh_q};
    assign fill_s1size = s1en_q ? (2'd3 - s1leaf_q) : (2'd3 - s2leaf_q);
    assign fill_csize  = s2en_q ? min2(fill_s1size, 2'd3 - s2leaf_q) : fill_s1size;
    assign tlb_inv     = (state_q == S_IDLE) && tlbi_valid_i;

    logic [NEXT*20-1:0] ext_vpn;
    logic [NEXT*8-1:0]  ext_asid;
    logic [NEXT*4-1:0]  ext_unused;
    logic               ext_kill_q;
    for (genvar k = 0; k < NEXT; k++) begin : g_ext
        assign ext_vpn[k*20 +: 20]   = ext_data_i[k*32 + 12 +: 20];
        assign ext_asid[k*8 +: 8]    = ext_data_i[k*32 +: 8];
        assign ext_unused[k*4 +: 4]  = ext_data_i[k*32 + 8 +: 4];
    end

    mmu_tlb #(.ENTRIES(TLB_ENTRIES), .DW(DW), .NEXT(NEXT)) u_tlb (
        .clk_i, .rst_ni,
        .lk_hyp_i(hyp), .lk_vmid_i(cur_vmid), .lk_asid_i(cur_asid), .lk_vpn_i(va_q[31:12]),
        .lk_hit_o(lk_hit), .lk_csize_o(lk_csize), .lk_data_o(lk_data),
        .fill_i(state_q == S_DONE && fill_q && !ext_kill_q), .fill_hyp_i(hyp), .fill_ng_i(s1en_q && ng_q),
        .fill_vmid_i(cur_vmid), .fill_asid_i(cur_asid), .fill_vpn_i(va_q[31:12]),
        .fill_csize_i(fill_csize), .fill_s1size_i(fill_s1size), .fill_data_i(fill_data),
        .fill_evict_o(evict),
        .inv_i(tlb_inv), .inv_op_i(tlbi_op_i[2:0]), .inv_vpn_i(tlbi_data_i[31:12]),
        .inv_asid_i(tlbi_data_i[7:0]), .inv_vmid_i(cur_vmid),
        .ext_inv_i, .ext_op_i, .ext_vpn_i(ext_vpn), .ext_asid_i(ext_asid), .ext_vmid_i
    );
    // a broadcast invalidate during a walk: the walk's translation is not cached
    always_ff @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni)                                     ext_kill_q <= 1'b0;
        else if (state_q == S_IDLE || state_q == S_DONE) ext_kill_q <= 1'b0;
        else if (|ext_inv_i)                             ext_kill_q <= 1'b1;
    end

    // ---------------------------------------------------------------- walk
    logic [63:0] desc;
    logic        desc_invalid, desc_table;
    logic [39:0] s1_daddr, s2_daddr, desc_oa;
    logic        leaf_ap2, leaf_ap1, leaf_xn, leaf_pxn, s2_denied;
    logic [7:0]  leaf_attr;
    assign desc         = mem_rdata_i;
    assign desc_invalid = !desc[0] || (((state_q == S_S1_READ) ? s1lvl_q : s2lvl_q) == 2'd3 &&
                                       !desc[1]);
    assign desc_table   = desc[1] && ((state_q == S_S1_READ) ? s1lvl_q : s2lvl_q) != 2'd3;
    assign s1_daddr     = desc_addr(s1tbl_q, {8'd0, va_q[31:12]}, s1lvl_q, s1bits_q);
    assign s2_daddr     = desc_addr(s2tbl_q, s2in_q[39:12], s2lvl_q, s2bits_q);
    assign desc_oa      = out_addr(desc[39:12], (state_q == S_S1_READ) ? va_q[29:0] : s2in_q[29:0],
                                   (state_q == S_S1_READ) ? s1lvl_q : s2lvl_q);
    assign leaf_ap2     = desc[7] | aptable_q[1];
    assign leaf_ap1     = desc[6] & ~aptable_q[0];
    assign leaf_xn      = desc[54] | xnt_q;
    assign leaf_pxn     = desc[53] | pxnt_q;
    assign leaf_attr    = mair[{desc[4:2], 3'b000} +: 8];
    assign s2_denied    = s2ptw_q ? (!desc[6] || (hcr_ptw_i && desc[5:4] == 2'b00))
                                  : s2_perm_fault(kind_q, desc[7:6], desc[54]);

    assign mem_req_o  = (state_q == S_S1_READ) || (state_q == S_S2_READ);
    assign mem_addr_o = (state_q == S_S2_READ) ? s2_daddr[39:3] : daddr_q[39:3];

    // Next state. always @(*) rather than always_comb: the block assigns
    // defaults then overrides them and calls functions, which makes Icarus 11
    // re-trigger always_comb at one time step.
    always @(*) begin
        state_d = state_q;
        va_d = va_q; kind_d = kind_q; pl_d = pl_q; op_d = op_q;
        s1lvl_d = s1lvl_q; s1bits_d = s1bits_q; s1tbl_d = s1tbl_q;
        aptable_d = aptable_q; xnt_d = xnt_q; pxnt_d = pxnt_q; daddr_d = daddr_q;
        s1en_d = s1en_q; ap2_d = ap2_q; ap1_d = ap1_q; xn_d = xn_q; pxn_d = pxn_q; ng_d = ng_q;
        s1leaf_d = s1leaf_q; attr_d = attr_q; sh_d = sh_q; ipa_d = ipa_q;
        s2en_d = s2en_q; s2ptw_d = s2ptw_q; s2lvl_d = s2lvl_q; s2bits_d = s2bits_q;
        s2tbl_d = s2tbl_q; s2in_d = s2in_q;
        hap_d = hap_q; s2leaf_d = s2leaf_q; s2sh_d = s2sh_q; s2xn_d = s2xn_q; s2attr_d = s2attr_q;
        pa_d = pa_q; fipa_d = fipa_q; fault_d = fault_q; stage2_d = stage2_q;
        s1ptw_d = s1ptw_q; hit_d = hit_q; fill_d = fill_q; fs_d = fs_q;
        case (state_q)
            S_IDLE: begin
                if (req_valid_i && !tlbi_valid_i) begin
                    va_d = req_va_i; kind_d = req_kind_i; pl_d = req_pl_i; op_d = req_op_i;
                    state_d = S_START;
                end
            end
            S_START: begin
                fault_d = 1'b0; stage2_d = 1'b0; s1ptw_d = 1'b0; hit_d = 1'b0; fill_d = 1'b0;
                fs_d = 6'd0; fipa_d = 40'd0; pa_d = {8'd0, va_q}; ipa_d = {8'd0, va_q};
                attr_d = 8'd0; sh_d = 2'd0; s2attr_d = 4'd0; s2sh_d = 2'd0;
                s1en_d = s1on; s2en_d = s2on && op_q != OP_ATS1;
                s1leaf_d = 2'd0; s2leaf_d = 2'd0; ng_d = 1'b0;
                ap2_d = 1'b0; ap1_d = 1'b0; xn_d = 1'b0; pxn_d = 1'b0; hap_d = 2'd0; s2xn_d = 1'b0;
                state_d = S_DONE;
                if (!s1on && !s2on) begin
                    // flat: PA = VA
                end else if (op_q == OP_ACCESS && lk_hit) begin
                    hit_d = 1'b1;
                    if (e_s1en && s1_perm_fault(kind_q, pl_q, e_ap2, e_ap1, e_xn, e_pxn)) begin
                        fault_d = 1'b1; fs_d = {FT_PERM, e_s1lvl};
                    end else if (e_s2en && s2_perm_fault(kind_q, e_hap, e_s2xn)) begin
                        fault_d = 1'b1; stage2_d = 1'b1; fs_d = {FT_PERM, e_s2lvl};
                        fipa_d = {merge_page(e_ipa, va_q[31:12], lk_csize), va_q[11:0]};
                    end else begin
                        pa_d = {merge_page(e_pa, va_q[31:12], lk_csize), va_q[11:0]};
                        attr_d = e_attr; sh_d = e_sh; s2attr_d = e_s2attr; s2sh_d = e_s2sh;
                    end
                end else if (s1on) begin
                    if (!s1_ok) begin
                        fault_d = 1'b1; fs_d = {FT_TRANS, 2'd1};
                    end else begin
                        s1lvl_d = s1_start_lvl; s1bits_d = s1_start_bits; s1tbl_d = s1_base;
                        aptable_d = 2'd0; xnt_d = 1'b0; pxnt_d = 1'b0;
                        state_d = S_S1_ADDR;
                    end
                end else if (op_q != OP_ATS1) begin
                    s2in_d = {8'd0, va_q}; s2ptw_d = 1'b0;
                    state_d = S_S2_START;
                end
                // else: ATS1C* with stage 1 off returns IPA = VA
            end
            S_S1_ADDR: begin
                if (s2on) begin
                    s2in_d = s1_daddr; s2ptw_d = 1'b1;
                    state_d = S_S2_START;
                end else begin
                    daddr_d = s1_daddr;
                    state_d = S_S1_READ;
                end
            end
            S_S1_READ: begin
                if (mem_ack_i) begin
                    state_d = S_DONE;
                    if (mem_err_i) begin
                        fault_d = 1'b1; fs_d = {FT_EXT, s1lvl_q};
                    end else if (desc_invalid) begin
                        fault_d = 1'b1; fs_d = {FT_TRANS, s1lvl_q};
                    end else if (desc_table) begin
                        s1tbl_d = {desc[39:12], 12'd0};
                        aptable_d = aptable_q | desc[62:61];
                        xnt_d = xnt_q | desc[60]; pxnt_d = pxnt_q | desc[59];
                        s1lvl_d = s1lvl_q + 2'd1; s1bits_d = 4'd9;
                        state_d = S_S1_ADDR;
                    end else if (!desc[10]) begin
                        fault_d = 1'b1; fs_d = {FT_AF, s1lvl_q};
                    end else if (s1_perm_fault(kind_q, pl_q, leaf_ap2, leaf_ap1, leaf_xn,
                                               leaf_pxn)) begin
                        fault_d = 1'b1; fs_d = {FT_PERM, s1lvl_q};
                    end else begin
                        ap2_d = leaf_ap2; ap1_d = leaf_ap1; xn_d = leaf_xn; pxn_d = leaf_pxn;
                        ng_d = !hyp && desc[11]; s1leaf_d = s1lvl_q;
                        attr_d = leaf_attr; sh_d = desc[9:8];
                        ipa_d = desc_oa; pa_d = desc_oa;
                        if (s2en_q) begin
                            s2in_d = desc_oa; s2ptw_d = 1'b0;
                            state_d = S_S2_START;
                        end else begin
                            fill_d = (op_q == OP_ACCESS);
                        end
                    end
                end
            end
            S_S2_START: begin
                if (!s2_cfg_ok || s2_oor) begin
                    fault_d = 1'b1; stage2_d = 1'b1; s1ptw_d = s2ptw_q; fipa_d = s2in_q;
                    fs_d = {FT_TRANS, 2'd1};
                    state_d = S_DONE;
                end else begin
                    s2lvl_d = s2_start_lvl; s2bits_d = s2_start_bits[3:0];
                    s2tbl_d = vttbr_i[39:0];
                    state_d = S_S2_READ;
                end
            end
            S_S2_READ: begin
                if (mem_ack_i) begin
                    state_d = S_DONE;
                    if (mem_err_i || desc_invalid || (!desc_table && (!desc[10] || s2_denied)))
                    begin
                        fault_d = 1'b1; stage2_d = 1'b1; s1ptw_d = s2ptw_q; fipa_d = s2in_q;
                        fs_d = {mem_err_i ? FT_EXT : desc_invalid ? FT_TRANS :
                                !desc[10] ? FT_AF : FT_PERM, s2lvl_q};
                    end else if (desc_table) begin
                        s2tbl_d = {desc[39:12], 12'd0};
                        s2lvl_d = s2lvl_q + 2'd1; s2bits_d = 4'd9;
                        state_d = S_S2_READ;
                    end else if (s2ptw_q) begin
                        daddr_d = desc_oa;
                        state_d = S_S1_READ;
                    end else begin
                        pa_d = desc_oa; hap_d = desc[7:6]; s2xn_d = desc[54];
                        s2leaf_d = s2lvl_q; s2attr_d = desc[5:2]; s2sh_d = desc[9:8];
                        fill_d = (op_q == OP_ACCESS);
                    end
                end
            end
            S_DONE: state_d = S_IDLE;
            default: state_d = S_IDLE;
        endcase
    end

    always_ff @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) state_q <= S_IDLE;
        else         state_q <= state_d;
    end

    always_ff @(posedge clk_i) begin
        va_q <= va_d; kind_q <= kind_d; pl_q <= pl_d; op_q <= op_d;
        s1lvl_q <= s1lvl_d; s1bits_q <= s1bits_d; s1tbl_q <= s1tbl_d;
        aptable_q <= aptable_d; xnt_q <= xnt_d; pxnt_q <= pxnt_d; daddr_q <= daddr_d;
        s1en_q <= s1en_d; ap2_q <= ap2_d; ap1_q <= ap1_d; xn_q <= xn_d; pxn_q <= pxn_d;
        ng_q <= ng_d; s1leaf_q <= s1leaf_d; attr_q <= attr_d; sh_q <= sh_d; ipa_q <= ipa_d;
        s2en_q <= s2en_d; s2ptw_q <= s2ptw_d; s2lvl_q <= s2lvl_d; s2bits_q <= s2bits_d;
        s2tbl_q <= s2tbl_d; s2in_q <= s2in_d;
        hap_q <= hap_d; s2leaf_q <= s2leaf_d; s2sh_q <= s2sh_d; s2xn_q <= s2xn_d;
        s2attr_q <= s2attr_d;
        pa_q <= pa_d; fipa_q <= fipa_d; fault_q <= fault_d; stage2_q <= stage2_d;
        s1ptw_q <= s1ptw_d; hit_q <= hit_d; fill_q <= fill_d; fs_q <= fs_d;
    end

    // ---------------------------------------------------------------- response
    logic fetch, wnr, ea, to_hyp;
    assign fetch  = kind_q == K_FETCH;
    assign wnr    = kind_q == K_STORE;
    assign ea     = fs_q[5:2] == FT_EXT;
    assign to_hyp = fault_q && (stage2_q || hyp);

    assign req_ready_o       = (state_q == S_IDLE) && !tlbi_valid_i;
    assign tlbi_ready_o      = (state_q == S_IDLE);
    assign rsp_valid_o       = (state_q == S_DONE);
    assign rsp_fault_o       = fault_q;
    assign rsp_pa_o          = pa_q;
    assign rsp_attr_o        = attr_q;
    assign rsp_sh_o          = sh_q;
    assign rsp_s2attr_o      = s2attr_q;
    assign rsp_s2sh_o        = s2sh_q;
    assign rsp_tlb_hit_o     = hit_q;
    assign rsp_fs_o          = fs_q;
    assign rsp_stage2_o      = stage2_q;
    assign rsp_s1ptw_o       = s1ptw_q;
    assign rsp_to_hyp_o      = to_hyp;
    assign rsp_hsr_ec_o      = !to_hyp ? 6'h00 : stage2_q ? (fetch ? 6'h20 : 6'h24)
                                                          : (fetch ? 6'h21 : 6'h25);
    assign rsp_hsr_iss_o     = to_hyp ? {15'd0, ea, 1'b0, s1ptw_q, wnr, fs_q} : 25'd0;
    assign rsp_fsr_o         = (fault_q && !to_hyp) ? {19'd0, ea, wnr, 1'b0, 1'b1, 3'd0, fs_q}
                                                    : 32'd0;
    assign rsp_far_o         = fault_q ? va_q : 32'd0;
    assign rsp_hpfar_o       = (fault_q && stage2_q) ? {fipa_q[39:12], 4'd0} : 32'd0;
    assign rsp_hpfar_valid_o = fault_q && stage2_q && !(fs_q[5:2] == FT_PERM && !s1ptw_q);
    assign rsp_par_o         = fault_q ? {52'd0, 1'b1, 1'b0, stage2_q, s1ptw_q, 1'b0, fs_q, 1'b1}
                                       : {attr_q, 16'd0, pa_q[39:12], 1'b1, 1'b0, 1'b1, sh_q, 7'd0};  // LPAE, NS (as QEMU)

    logic unused;
    assign unused = ^{ttbcr_i[31:24], ttbcr_i[21:19], ttbcr_i[15:8], ttbcr_i[6:3], ttbr0_i[63:56],
                      ttbr0_i[47:40], ttbr1_i[63:56], ttbr1_i[47:40], htcr_i[31:3], httbr_i[63:40],
                      vtcr_i[31:8], vttbr_i[63:56], vttbr_i[47:40], desc[63], desc[58:55],
                      desc[52:40], s2_start_bits[5:4], evict, K_LOAD, vtcr_i[5:4],
                      tlbi_op_i[3], tlbi_data_i[11:8], s2_daddr[2:0], ext_unused};

    // ---------------------------------------------------------------- assertions
    // The header's contract, checked in every Verilator run (built with --assert) and on
    // Icarus: the translation registers hold still while a request is being served
    // (!req_ready_o after the cycle it was taken), and the walk state is a defined one.
    logic [483:0] regs_now, regs_q;
    logic         busy_q;
    assign regs_now = {sctlr_m_i, ttbcr_i, ttbr0_i, ttbr1_i, mair0_i, mair1_i, hsctlr_m_i, htcr_i,
                       httbr_i, hmair0_i, hmair1_i, hcr_vm_i, hcr_ptw_i, vtcr_i, vttbr_i};
    always @(posedge clk_i) begin
        regs_q <= regs_now;
        busy_q <= rst_ni && state_q != S_IDLE;
        if (rst_ni && busy_q && state_q != S_IDLE)
            assert (regs_now == regs_q)
            else $fatal(1, "mmu: a translation register (SCTLR.M, TTBCR, TTBR0/1, MAIR, HSCTLR.M, HTCR, HTTBR, HMAIR, HCR.VM/PTW, VTCR or VTTBR) changed while a walk was busy (state %0d, VA 0x%08x)", state_q, va_q);
        if (rst_ni)
            assert (state_q <= S_DONE) else $fatal(1, "mmu: walk state %0d is not a defined state", state_q);
    end
endmodule
