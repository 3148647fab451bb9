`timescale 1ns/1ps
// t32_expand_tb -- batch harness of rtl/core/arm_t32_expand.sv (tests/test_t32_expand.py).
// The toplevel of the cocotb block Design T32X_BLOCK: reads +vectors=<file>
// ($readmemh, one {hw1, hw2, itstate} = 40-bit word a line) and +n=<count>, applies
// one vector a clock (clk_i, driven by cocotb's GPI clock: no Python per vector),
// writes one line of every output to +out=<file> and raises done_o; Python
// compares after the run. +flip_s16 deliberately breaks the
// expander's result (flips the S bit of every 16-bit instruction's A32 word) to
// show the check fails.
module t32_expand_tb (
  input  logic clk_i,
  output logic done_o
);
  localparam int MAX = 65536;
  logic [39:0] vec [0:MAX-1];
  logic [15:0] hw1, hw2;
  logic [7:0]  itstate;
  logic        width32, undef, pc_align, imm_valid, imm_c_valid, imm_c;
  logic        dual, op2_inv, unpriv, it_cond;
  logic [3:0]  rt2;
  logic [1:0]  rm_lsl;
  logic        branch, branch_link, branch_to_arm, cb, cb_nz, it, tb, tb_h;
  logic [31:0] a32, a32_seen, imm32, branch_off;
  logic [3:0]  cb_rn, tb_rn, tb_rm;
  logic [7:0]  it_next;
  string       vfile, ofile;
  int          n, fd, idx;
  bit          flip;

  arm_t32_expand u_dut (
    .hw1_i(hw1), .hw2_i(hw2), .itstate_i(itstate), .width32_o(width32), .a32_o(a32), .undef_o(undef),
    .pc_align_o(pc_align), .imm_valid_o(imm_valid), .imm32_o(imm32), .imm_c_valid_o(imm_c_valid),
    .imm_c_o(imm_c), .branch_o(branch), .branch_link_o(branch_link), .branch_to_arm_o(branch_to_arm),
    .branch_off_o(branch_off), .cb_o(cb), .cb_nz_o(cb_nz), .cb_rn_o(cb_rn), .it_o(it), .it_next_o(it_next),
    .tb_o(tb), .tb_h_o(tb_h), .tb_rn_o(tb_rn), .tb_rm_o(tb_rm),
    .dual_o(dual), .rt2_o(rt2), .rm_lsl_o(rm_lsl), .op2_inv_o(op2_inv),
    .unpriv_o(unpriv), .it_cond_o(it_cond)
  );

  initial begin
    done_o = 1'b0;
    idx = 0;
    if (!$value$plusargs("vectors=%s", vfile) || !$value$plusargs("out=%s", ofile) ||
        !$value$plusargs("n=%d", n) || n < 1 || n > MAX) begin
      $fatal(1, "t32_expand_tb: needs +vectors= +out= +n= (1..%0d)", MAX);
    end
    flip = $test$plusargs("flip_s16");
    $readmemh(vfile, vec, 0, n - 1);
    fd = $fopen(ofile, "w");
    {hw1, hw2, itstate} = vec[0];
  end

  // the outputs of vector idx have settled by the next rising edge
  always @(posedge clk_i) begin
    if (!done_o) begin
      a32_seen = a32 ^ ((flip && !width32) ? 32'h0010_0000 : 32'h0);
      $fdisplay(fd, "%h %h %b %b %b %h %b %b %b %b %b %h %b %b %h %b %h %b %b %h %h %b %h %h %b %b %b", a32_seen, width32, undef,
                pc_align, imm_valid, imm32, imm_c_valid, imm_c, branch, branch_link, branch_to_arm, branch_off,
                cb, cb_nz, cb_rn, it, it_next, tb, tb_h, tb_rn, tb_rm, dual, rt2, rm_lsl, op2_inv,
                unpriv, it_cond);
      if (idx == n - 1) begin
        $fclose(fd);
        $display("t32_expand_tb: %0d vectors done", n);
        done_o <= 1'b1;
      end else begin
        idx <= idx + 1;
        {hw1, hw2, itstate} <= vec[idx + 1];
      end
    end
  end
endmodule
