`timescale 1ns/1ps
// mmu_tlb: fully associative unified TLB of the two-stage MMU.
// Implements the tagging of ARM ARM ARMv7-A/R B3.9 (VMID for PL1&0 entries,
// ASID for non-global ones, Hyp entries separate) and the invalidation scope of
// the TLB maintenance operations of B3.10 / B4.2.2 (TLBIALL, TLBIMVA, TLBIASID,
// TLBIMVAA, TLBIALLH, TLBIMVAH, TLBIALLNSNH; IS forms are decoded by mmu.sv).
// Each entry caches one combined stage-1+stage-2 translation sized
// min(stage-1 block, stage-2 block); TLBI by MVA compares at the stage-1 block
// size. Replacement: round-robin over all entries. Left out: walk caches,
// Secure entries, lockdown.
// Broadcast maintenance (B4.2.2 "Inner Shareable" forms, issue 14): NEXT extra
// invalidate ports (ext_*), each an operation another core issued in this cycle
// with that core's VMID; they act in the same cycle as the local inv_i, ORed with it
// (all of them at once), and a fill in a cycle with any invalidate is dropped (it
// may hold a translation read before the maintenance). NEXT ports tied to zero
// leave the TLB as it was cycle for cycle.
module mmu_tlb #(
    parameter int ENTRIES = 16,
    parameter int DW = 85,         // payload width, layout owned by mmu.sv
    parameter int NEXT = 1         // external (broadcast) invalidate ports
) (
    input  logic          clk_i,
    input  logic          rst_ni,
    // lookup (combinational)
    input  logic          lk_hyp_i,
    input  logic [7:0]    lk_vmid_i,
    input  logic [7:0]    lk_asid_i,
    input  logic [19:0]   lk_vpn_i,
    output logic          lk_hit_o,
    output logic [1:0]    lk_csize_o,
    output logic [DW-1:0] lk_data_o,
    // fill (one entry per cycle)
    input  logic          fill_i,
    input  logic          fill_hyp_i,
    input  logic          fill_ng_i,
    input  logic [7:0]    fill_vmid_i,
    input  logic [7:0]    fill_asid_i,
    input  logic [19:0]   fill_vpn_i,
    input  logic [1:0]    fill_csize_i,
    input  logic [1:0]    fill_s1size_i,
    input  logic [DW-1:0] fill_data_i,
    output logic          fill_evict_o,
    // invalidate: 0 ALL(vmid) 1 MVA 2 ASID 3 MVAA 4 ALLH 5 MVAH 6 ALLNSNH 7 none
    input  logic          inv_i,
    input  logic [2:0]    inv_op_i,
    input  logic [19:0]   inv_vpn_i,
    input  logic [7:0]    inv_asid_i,
    input  logic [7:0]    inv_vmid_i,
    // broadcast invalidates from other cores, port k in slice k (op as inv_op_i)
    input  logic [NEXT-1:0]    ext_inv_i,
    input  logic [NEXT*3-1:0]  ext_op_i,
    input  logic [NEXT*20-1:0] ext_vpn_i,
    input  logic [NEXT*8-1:0]  ext_asid_i,
    input  logic [NEXT*8-1:0]  ext_vmid_i
);
    localparam int PW = (ENTRIES > 1) ? $clog2(ENTRIES) : 1;

    logic [ENTRIES-1:0]    valid_q;
    logic [ENTRIES-1:0]    hyp_q;
    logic [ENTRIES-1:0]    ng_q;
    logic [ENTRIES*8-1:0]  vmid_q;
    logic [ENTRIES*8-1:0]  asid_q;
    logic [ENTRIES*20-1:0] vpn_q;
    logic [ENTRIES*2-1:0]  csize_q;
    logic [ENTRIES*2-1:0]  s1size_q;
    logic [ENTRIES*DW-1:0] data_q;
    logic [PW-1:0]         ptr_q;

    logic [ENTRIES-1:0] hit_vec;
    logic [ENTRIES-1:0] inv_vec;
    logic               inv_any;
    assign inv_any = inv_i || (|ext_inv_i);

    // VA[31:12] bits an entry of a given size compares (0: 4KB, 1: 2MB, 2: 1GB).
    function automatic logic [19:0] size_mask(input logic [1:0] size);
        case (size)
            2'd1:    size_mask = 20'hFFE00;
            2'd2:    size_mask = 20'hC0000;
            default: size_mask = 20'hFFFFF;
        endcase
    endfunction

    // Does an entry fall in the scope of one invalidate operation (B4.2.2)?
    function automatic logic inv_hit(input logic [2:0] op, input logic hyp, input logic ng,
                                     input logic [7:0] vmid, input logic [7:0] asid,
                                     input logic [19:0] vpn, input logic [1:0] s1size,
                                     input logic [19:0] ivpn, input logic [7:0] iasid,
                                     input logic [7:0] ivmid);
        logic own_vmid, mva_match;
        own_vmid  = !hyp && vmid == ivmid;
        mva_match = ((vpn ^ ivpn) & size_mask(s1size)) == 20'd0;
        case (op)
            3'd0:    inv_hit = own_vmid;
            3'd1:    inv_hit = own_vmid && mva_match && (!ng || asid == iasid);
            3'd2:    inv_hit = own_vmid && ng && asid == iasid;
            3'd3:    inv_hit = own_vmid && mva_match;
            3'd4:    inv_hit = hyp;
            3'd5:    inv_hit = hyp && mva_match;
            3'd6:    inv_hit = !hyp;
            default: inv_hit = 1'b0;
        endcase
    endfunction

    for (genvar i = 0; i < ENTRIES; i++) begin : g_entry
        logic [19:0] vpn;
        logic        lk_tag;
        assign vpn      = vpn_q[i*20 +: 20];
        assign lk_tag   = hyp_q[i] == lk_hyp_i &&
                          (lk_hyp_i || (vmid_q[i*8 +: 8] == lk_vmid_i &&
                                        (!ng_q[i] || asid_q[i*8 +: 8] == lk_asid_i)));
        assign hit_vec[i] = valid_q[i] && lk_tag &&
                            ((vpn ^ lk_vpn_i) & size_mask(csize_q[i*2 +: 2])) == 20'd0;
        always @(*) begin   // a function call and a loop: plain always @(*) for Icarus 11
            inv_vec[i] = inv_i && inv_hit(inv_op_i, hyp_q[i], ng_q[i], vmid_q[i*8 +: 8],
                                          asid_q[i*8 +: 8], vpn, s1size_q[i*2 +: 2],
                                          inv_vpn_i, inv_asid_i, inv_vmid_i);
            for (int k = 0; k < NEXT; k++)
                if (ext_inv_i[k] && inv_hit(ext_op_i[k*3 +: 3], hyp_q[i], ng_q[i], vmid_q[i*8 +: 8],
                                            asid_q[i*8 +: 8], vpn, s1size_q[i*2 +: 2],
                                            ext_vpn_i[k*20 +: 20], ext_asid_i[k*8 +: 8],
                                            ext_vmid_i[k*8 +: 8]))
                    inv_vec[i] = 1'b1;
        end
    end

    // Lowest matching index wins (entries never overlap while software follows
    // the break-before-make and TLBI rules).
    logic [PW-1:0] hit_idx;
    always @(*) begin   // loop writes hit_idx repeatedly: always @(*) for Icarus 11
        hit_idx = '0;
        for (int i = ENTRIES - 1; i >= 0; i--) begin
            if (hit_vec[i]) hit_idx = PW'(i);
        end
    end

    assign lk_hit_o     = |hit_vec;
    assign lk_csize_o   = csize_q[hit_idx*2 +: 2];
    assign lk_data_o    = data_q[hit_idx*DW +: DW];
    assign fill_evict_o = valid_q[ptr_q];

    always_ff @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) begin
            valid_q <= '0;
            ptr_q   <= '0;
        end else if (inv_any) begin
            valid_q <= valid_q & ~inv_vec;
        end else if (fill_i) begin
            valid_q[ptr_q] <= 1'b1;
            ptr_q <= (ptr_q == PW'(ENTRIES - 1)) ? '0 : ptr_q + 1'b1;
        end
    end

    always_ff @(posedge clk_i) begin
        if (fill_i && !inv_any) begin
            hyp_q[ptr_q]              <= fill_hyp_i;
            ng_q[ptr_q]               <= fill_ng_i;
            vmid_q[ptr_q*8 +: 8]      <= fill_vmid_i;
            asid_q[ptr_q*8 +: 8]      <= fill_asid_i;
            vpn_q[ptr_q*20 +: 20]     <= fill_vpn_i;
            csize_q[ptr_q*2 +: 2]     <= fill_csize_i;
            s1size_q[ptr_q*2 +: 2]    <= fill_s1size_i;
            data_q[ptr_q*DW +: DW]    <= fill_data_i;
        end
    end
endmodule
