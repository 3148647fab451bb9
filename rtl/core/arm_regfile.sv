`timescale 1ns/1ps
// arm_regfile -- banked A32 register file: 32 GPR slots (R0-R14 of every mode
// plus ELR_hyp) and the six SPSRs, indexed physically as laid out in
// arm_defs.svh (ARM ARM B1.3.2). Six asynchronous read ports (plus R0, R1 and ELR_hyp), one write port.
// The core resolves mode banking; PC is not stored here.
module arm_regfile #(
  parameter int NREGS = 38,
  parameter logic [5:0] ELR_HYP_IDX = 6'd31
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic [5:0]  ra_idx_i,
  input  logic [5:0]  rb_idx_i,
  input  logic [5:0]  rc_idx_i,
  input  logic [5:0]  rd_idx_i,
  input  logic [5:0]  rx_idx_i,
  input  logic [5:0]  ry_idx_i,
  output logic [31:0] ra_o,
  output logic [31:0] rb_o,
  output logic [31:0] rc_o,
  output logic [31:0] rd_o,
  output logic [31:0] rx_o,
  output logic [31:0] ry_o,
  output logic [31:0] r0_o,        // semihosting operation
  output logic [31:0] r1_o,        // semihosting argument
  output logic [31:0] elr_hyp_o,
  input  logic        we_i,
  input  logic [5:0]  widx_i,
  input  logic [31:0] wdata_i
);
  logic [31:0] regs_q [0:NREGS-1];

  assign ra_o = regs_q[ra_idx_i];
  assign rb_o = regs_q[rb_idx_i];
  assign rc_o = regs_q[rc_idx_i];
  assign rd_o = regs_q[rd_idx_i];
  assign rx_o = regs_q[rx_idx_i];
  assign ry_o = regs_q[ry_idx_i];

  // R0, R1 and ELR_hyp also live in dedicated copies, written with the array:
  // Icarus 11 never re-evaluates a continuous assignment from a constant
  // array word (`assign r0_o = regs_q[0]` stays X), so fixed-index reads
  // cannot come from the array itself.
  logic [31:0] r0_q, r1_q, elr_hyp_q;
  assign r0_o = r0_q;
  assign r1_o = r1_q;
  assign elr_hyp_o = elr_hyp_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      r0_q <= 32'd0; r1_q <= 32'd0; elr_hyp_q <= 32'd0;
    end else if (we_i) begin
      if (widx_i == 6'd0)  r0_q <= wdata_i;
      if (widx_i == 6'd1)  r1_q <= wdata_i;
      if (widx_i == ELR_HYP_IDX) elr_hyp_q <= wdata_i;
    end
  end

  // Architectural reset state as QEMU presents an ELF entry: all zero.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int i = 0; i < NREGS; i++) regs_q[i] <= 32'd0;
    end else if (we_i) begin
      regs_q[widx_i] <= wdata_i;
    end
  end
endmodule
