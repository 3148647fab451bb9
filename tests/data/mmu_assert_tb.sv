`timescale 1ns/1ps
// mmu_assert_tb -- drives rtl/mmu/mmu.sv through one stage-1 walk and, with
// +break, writes TTBR0 while the walk is busy: the input the header forbids
// ("Registers must not change while busy"). tests/test_assertions.py runs it
// on both simulators: without +break it prints "mmu_assert_tb: walk done",
// with +break mmu's assertion must stop the run naming the register.
module mmu_assert_tb;
  logic        clk = 1'b0, rst_n = 1'b0;
  logic [63:0] ttbr0 = 64'h0000_0000_4000_0000;
  logic        req_valid = 1'b0, req_ready, rsp_valid, mem_req, mem_ack = 1'b0, tlbi_ready;
  logic [39:3] mem_addr;
  logic        rsp_fault, rsp_tlb_hit, rsp_stage2, rsp_s1ptw, rsp_to_hyp, rsp_hpfar_valid;
  logic [39:0] rsp_pa;
  logic [7:0]  rsp_attr;
  logic [1:0]  rsp_sh, rsp_s2sh;
  logic [3:0]  rsp_s2attr;
  logic [5:0]  rsp_fs, rsp_hsr_ec;
  logic [24:0] rsp_hsr_iss;
  logic [31:0] rsp_fsr, rsp_far, rsp_hpfar;
  logic [63:0] rsp_par;
  always #5 clk = ~clk;

  mmu u_mmu (
    .clk_i(clk), .rst_ni(rst_n),
    .sctlr_m_i(1'b1), .ttbcr_i(32'h8000_0000), .ttbr0_i(ttbr0), .ttbr1_i(64'd0),
    .mair0_i(32'hff), .mair1_i(32'd0), .hsctlr_m_i(1'b0), .htcr_i(32'd0), .httbr_i(64'd0),
    .hmair0_i(32'd0), .hmair1_i(32'd0), .hcr_vm_i(1'b0), .hcr_ptw_i(1'b0), .vtcr_i(32'd0),
    .vttbr_i(64'd0),
    .req_valid_i(req_valid), .req_ready_o(req_ready), .req_va_i(32'h0001_2345), .req_kind_i(2'd0),
    .req_pl_i(2'd1), .req_op_i(2'd0),
    .rsp_valid_o(rsp_valid), .rsp_fault_o(rsp_fault), .rsp_pa_o(rsp_pa), .rsp_attr_o(rsp_attr),
    .rsp_sh_o(rsp_sh), .rsp_s2attr_o(rsp_s2attr), .rsp_s2sh_o(rsp_s2sh), .rsp_tlb_hit_o(rsp_tlb_hit),
    .rsp_fs_o(rsp_fs), .rsp_stage2_o(rsp_stage2), .rsp_s1ptw_o(rsp_s1ptw), .rsp_to_hyp_o(rsp_to_hyp),
    .rsp_hsr_ec_o(rsp_hsr_ec), .rsp_hsr_iss_o(rsp_hsr_iss), .rsp_fsr_o(rsp_fsr), .rsp_far_o(rsp_far),
    .rsp_hpfar_o(rsp_hpfar), .rsp_hpfar_valid_o(rsp_hpfar_valid), .rsp_par_o(rsp_par),
    .mem_req_o(mem_req), .mem_addr_o(mem_addr), .mem_ack_i(mem_ack), .mem_rdata_i(64'd0),
    .mem_err_i(1'b0),
    .tlbi_valid_i(1'b0), .tlbi_ready_o(tlbi_ready), .tlbi_op_i(4'd0), .tlbi_data_i(32'd0)
  );

  // walk memory: every descriptor is 0 (invalid), acknowledged two cycles after the request
  always @(posedge clk) mem_ack <= mem_req && !mem_ack;

  initial begin
    repeat (2) @(posedge clk);
    rst_n <= 1'b1;
    @(posedge clk);
    req_valid <= 1'b1;                 // idle, so taken at the next edge
    @(posedge clk);
    req_valid <= 1'b0;
    repeat (2) @(posedge clk);         // the walk is under way
    if ($test$plusargs("break")) ttbr0 <= 64'h0000_0000_4000_1000;   // forbidden while busy
    while (!rsp_valid) @(posedge clk);
    $display("mmu_assert_tb: walk done (fault %0d, FS 0x%02x)", rsp_fault, rsp_fs);
    $finish;
  end
  initial begin
    #100000 $display("mmu_assert_tb: timeout"); $finish;
  end
endmodule
