`timescale 1ns/1ps
// arm_regfile -- banked A32 register file: 32 GPR slots (R0-R14 of every mode
// plus ELR_hyp) and the six SPSRs, indexed physically as laid out in
// arm_pkg.sv (ARM ARM B1.3.2). Six asynchronous read ports (plus R0, R1 and ELR_hyp), one write port.
// The core resolves mode banking; PC is not stored here.
// Observation (read-only, for the testbench's retire tracer; no logic reads it):
//   obs_regs_o[i]  physical register i (arm_pkg.sv numbering, the order of
//                  tb/models/arm_state.PHYS_NAMES), the value held this cycle
//                  (a write shows from the cycle after its clock edge).
// The registers are one packed array so that fixed-index reads (R0, R1,
// ELR_hyp, obs_regs_o) are plain selects: Icarus 11 never re-evaluates a
// continuous assignment from a constant word of an unpacked array
// (`assign r0_o = regs_q[0]` stays X there).
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
  input  logic [31:0] wdata_i,
  output logic [NREGS-1:0][31:0] obs_regs_o
);
  logic [NREGS-1:0][31:0] regs_q;

  assign ra_o = regs_q[ra_idx_i];
  assign rb_o = regs_q[rb_idx_i];
  assign rc_o = regs_q[rc_idx_i];
  assign rd_o = regs_q[rd_idx_i];
  assign rx_o = regs_q[rx_idx_i];
  assign ry_o = regs_q[ry_idx_i];

  assign r0_o = regs_q[0];
  assign r1_o = regs_q[1];
  assign elr_hyp_o = regs_q[ELR_HYP_IDX];
  assign obs_regs_o = regs_q;

  // Architectural reset state as QEMU presents an ELF entry: all zero.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      regs_q <= '0;
    end else if (we_i) begin
      regs_q[widx_i] <= wdata_i;
    end
  end
endmodule
