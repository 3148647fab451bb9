`timescale 1ns/1ps
// mmu_tb_top: block harness for rtl/mmu/mmu.sv (not part of the SoC).
// Keeps Python off the per-cycle path: the testbench loads a batch of
// operations (translation requests and TLBIs) into ops_q with $readmemh, the
// harness issues them back to back and records every response in res_q, which
// the testbench reads back with $writememh, together with ops_q as it holds it
// (the monitor pairs each response with the op the harness ran, not with what the
// driver meant to load). The walk memory port is served by a
// 1 MiB RAM at PA RAM_BASE that the testbench fills through its write port
// (mem_we_i/mem_waddr_i/mem_wdata_i: one 64-bit word a cycle, between batches,
// only the words it changed; tb/envs/mmu/bfm.py); any other PA answers with a bus
// error. Register inputs are driven directly by the testbench between batches.
// Left out: a write while a batch runs is not supported (the testbench never
// does it; the assertion below catches it).
module mmu_tb_top #(
    parameter int TLB_ENTRIES = 16,
    parameter int OPS = 4096,
    parameter int RAM_AW = 17,                       // 64-bit words
    parameter logic [39:0] RAM_BASE = 40'h10_0000_0000
) (
    input  logic        clk_i,
    input  logic        rst_ni,
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
    input  logic        mem_we_i,      // write mem_wdata_i to RAM word mem_waddr_i
    input  logic [RAM_AW-1:0] mem_waddr_i,
    input  logic [63:0] mem_wdata_i,
    input  logic        ops_load_i,    // pulse: $readmemh("mmu_ops.hex") of n_ops_i ops
    input  logic        dump_i,        // pulse: $writememh of n_ops_i results (mmu_res.hex) and ops (mmu_ran.hex)
    input  logic        run_i,         // pulse: run ops 0 .. n_ops_i-1
    input  logic [15:0] n_ops_i,
    output logic        done_o,        // level: the last run finished
    output logic [31:0] cycles_o,      // cycles spent running batches
    output logic [31:0] reads_o        // walk memory reads
);
    // op word: [31:0] VA / TLBI data, [33:32] kind, [35:34] pl, [37:36] op,
    //          [38] is TLBI, [42:39] TLBI op
    localparam int OW = $clog2(OPS);
    logic [63:0]  ops_q [0:OPS-1];
    logic [255:0] res_q [0:OPS-1];
    logic [63:0]  ram_q [0:(1<<RAM_AW)-1];

    initial begin
        for (int i = 0; i < (1 << RAM_AW); i++) ram_q[i] = 64'd0;
    end

    always @(posedge clk_i) begin
        if (mem_we_i) ram_q[mem_waddr_i] <= mem_wdata_i;
        if (ops_load_i && n_ops_i != 16'd0) $readmemh("mmu_ops.hex", ops_q, 0, n_ops_i - 16'd1);
        if (dump_i && n_ops_i != 16'd0) begin
            $writememh("mmu_res.hex", res_q, 0, n_ops_i - 16'd1);
            $writememh("mmu_ran.hex", ops_q, 0, n_ops_i - 16'd1);   // the ops as the harness holds them
        end
    end

    // ------------------------------------------------------------- DUT
    logic        req_valid, req_ready, rsp_valid, rsp_fault, rsp_tlb_hit, rsp_stage2;
    logic        rsp_s1ptw, rsp_to_hyp, rsp_hpfar_valid;
    logic [39:0] rsp_pa;
    logic [7:0]  rsp_attr;
    logic [1:0]  rsp_sh, rsp_s2sh;
    logic [3:0]  rsp_s2attr;
    logic [5:0]  rsp_fs, rsp_hsr_ec;
    logic [24:0] rsp_hsr_iss;
    logic [31:0] rsp_fsr, rsp_far, rsp_hpfar;
    logic [63:0] rsp_par;
    logic        mem_req, mem_ack_q, mem_err_q;
    logic [39:3] mem_addr;
    logic [63:0] mem_rdata_q;
    logic        tlbi_valid, tlbi_ready;
    logic [63:0] op_q;

    mmu #(.TLB_ENTRIES(TLB_ENTRIES)) u_mmu (
        .clk_i, .rst_ni,
        .sctlr_m_i, .ttbcr_i, .ttbr0_i, .ttbr1_i, .mair0_i, .mair1_i,
        .hsctlr_m_i, .htcr_i, .httbr_i, .hmair0_i, .hmair1_i,
        .hcr_vm_i, .hcr_ptw_i, .vtcr_i, .vttbr_i,
        .req_valid_i(req_valid), .req_ready_o(req_ready), .req_va_i(op_q[31:0]),
        .req_kind_i(op_q[33:32]), .req_pl_i(op_q[35:34]), .req_op_i(op_q[37:36]),
        .rsp_valid_o(rsp_valid), .rsp_fault_o(rsp_fault), .rsp_pa_o(rsp_pa),
        .rsp_attr_o(rsp_attr), .rsp_sh_o(rsp_sh), .rsp_s2attr_o(rsp_s2attr),
        .rsp_s2sh_o(rsp_s2sh), .rsp_tlb_hit_o(rsp_tlb_hit), .rsp_fs_o(rsp_fs),
        .rsp_stage2_o(rsp_stage2), .rsp_s1ptw_o(rsp_s1ptw), .rsp_to_hyp_o(rsp_to_hyp),
        .rsp_hsr_ec_o(rsp_hsr_ec), .rsp_hsr_iss_o(rsp_hsr_iss), .rsp_fsr_o(rsp_fsr),
        .rsp_far_o(rsp_far), .rsp_hpfar_o(rsp_hpfar), .rsp_hpfar_valid_o(rsp_hpfar_valid),
        .rsp_par_o(rsp_par),
        .mem_req_o(mem_req), .mem_addr_o(mem_addr), .mem_ack_i(mem_ack_q),
        .mem_rdata_i(mem_rdata_q), .mem_err_i(mem_err_q),
        .tlbi_valid_i(tlbi_valid), .tlbi_ready_o(tlbi_ready), .tlbi_op_i(op_q[42:39]),
        .tlbi_data_i(op_q[31:0]),
        // no other cores: no broadcast TLB maintenance arrives (issue 14)
        .ext_inv_i(1'b0), .ext_op_i(3'd0), .ext_data_i(32'd0), .ext_vmid_i(8'd0)
    );

    // ------------------------------------------------------------- walk memory
    logic ram_hit;
    assign ram_hit = mem_addr[39:RAM_AW+3] == RAM_BASE[39:RAM_AW+3];
    always_ff @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) begin
            mem_ack_q <= 1'b0;
        end else begin
            mem_ack_q <= mem_req && !mem_ack_q;
        end
    end
    always_ff @(posedge clk_i) begin
        if (mem_req && !mem_ack_q) begin
            mem_rdata_q <= ram_hit ? ram_q[mem_addr[RAM_AW+2:3]] : 64'hDEAD_BEEF_DEAD_BEEF;
            mem_err_q   <= !ram_hit;
        end
    end

    // ------------------------------------------------------------- op sequencer
    localparam logic [1:0] H_IDLE = 2'd0, H_FETCH = 2'd1, H_ISSUE = 2'd2, H_WAIT = 2'd3;
    logic [1:0]  hst_q;
    logic [15:0] idx_q;
    logic        done_q;
    logic [31:0] cycles_q, reads_q;
    logic [7:0]  op_reads_q, op_lat_q;
    logic        is_tlbi;
    assign is_tlbi    = op_q[38];
    assign req_valid  = hst_q == H_ISSUE && !is_tlbi;
    assign tlbi_valid = hst_q == H_ISSUE && is_tlbi;
    assign done_o     = done_q;
    assign cycles_o   = cycles_q;
    assign reads_o    = reads_q;

    always_ff @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) begin
            hst_q <= H_IDLE; idx_q <= 16'd0; done_q <= 1'b0;
            cycles_q <= 32'd0; reads_q <= 32'd0; op_reads_q <= 8'd0; op_lat_q <= 8'd0;
        end else begin
            if (hst_q != H_IDLE) cycles_q <= cycles_q + 32'd1;
            if (mem_ack_q) reads_q <= reads_q + 32'd1;
            case (hst_q)
                H_IDLE: if (run_i) begin
                    idx_q <= 16'd0; done_q <= 1'b0; hst_q <= H_FETCH;
                end
                H_FETCH: begin
                    if (idx_q == n_ops_i) begin
                        done_q <= 1'b1; hst_q <= H_IDLE;
                    end else begin
                        op_q <= ops_q[idx_q[OW-1:0]]; hst_q <= H_ISSUE;
                    end
                end
                H_ISSUE: begin
                    op_reads_q <= 8'd0; op_lat_q <= 8'd0;
                    if (is_tlbi && tlbi_ready) begin
                        res_q[idx_q[OW-1:0]] <= 256'd0; idx_q <= idx_q + 16'd1; hst_q <= H_FETCH;
                    end else if (!is_tlbi && req_ready) begin
                        hst_q <= H_WAIT;
                    end
                end
                H_WAIT: begin
                    if (mem_ack_q && op_reads_q != 8'hFF) op_reads_q <= op_reads_q + 8'd1;
                    if (op_lat_q != 8'hFF) op_lat_q <= op_lat_q + 8'd1;
                    if (rsp_valid) begin
                        res_q[idx_q[OW-1:0]] <= {op_lat_q, op_reads_q, rsp_s2sh, rsp_sh, rsp_hsr_ec,
                                         rsp_hsr_iss, rsp_fsr[12:0], rsp_far, rsp_hpfar, rsp_par,
                                         rsp_s2attr, rsp_attr, rsp_hpfar_valid, rsp_tlb_hit,
                                         rsp_to_hyp, rsp_s1ptw, rsp_fs, rsp_stage2, rsp_fault,
                                         rsp_pa};
                        idx_q <= idx_q + 16'd1; hst_q <= H_FETCH;
                    end
                end
                default: hst_q <= H_IDLE;
            endcase
        end
    end

    // the RAM is written only between batches (the BFM's contract)
    always @(posedge clk_i) begin
        if (mem_we_i)
            assert (hst_q == H_IDLE) else $fatal(1, "mmu_tb_top: RAM write port used while a batch runs");
    end

    logic unused;
    assign unused = ^{rsp_fsr[31:13], op_q[63:43]};
endmodule
