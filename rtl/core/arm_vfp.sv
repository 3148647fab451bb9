`timescale 1ns/1ps
// arm_vfp -- the VFPv3-D32 register file and VFP system registers (ARM ARM
// A2.6 "Floating-point data types and arithmetic" register banks, B6.1 "VFP
// system registers"): D0-D31 stored as 64 words (word 2n is Dn[31:0], i.e.
// Sn for n < 32), FPSCR, FPEXC, and the read-only FPSID, MVFR0, MVFR1 with
// the values QEMU 7.2 reports for -cpu cortex-a15.
// Two word read ports and two word write ports (VMOV Dm, Rt, Rt2 writes two
// words in one cycle); one system-register write port (VMSR).
// Writable bits as on QEMU: FPSCR 0xfff7009f (no trap enables), FPEXC only
// EN (bit 30). FPSID writes are ignored.
// Left out: all floating-point arithmetic and its exceptions (those encodings
// are UNDEFINED in arm_core), Advanced SIMD.
// Observation (read-only, for the testbench's retire tracer; no logic reads it):
//   obs_o[0] FPSCR, obs_o[1] FPEXC (as VMRS reads them), obs_o[2+k] word k of
//   the register file (D<n>[31:0] = S<2n> is word 2n, D<n>[63:32] word 2n+1),
//   the values held this cycle (a write shows from the cycle after its edge).
// The words are one packed array so that obs_o is a plain select (Icarus 11
// does not re-evaluate continuous assignments from constant words of an
// unpacked array).
module arm_vfp #(
  parameter logic [31:0] FPSID = 32'h4104_30f0,
  parameter logic [31:0] MVFR0 = 32'h1011_0222,
  parameter logic [31:0] MVFR1 = 32'h1111_1111,
  parameter int          NWORDS = 64
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic [5:0]  ra_idx_i,
  input  logic [5:0]  rb_idx_i,
  output logic [31:0] ra_o,
  output logic [31:0] rb_o,
  input  logic        we0_i,
  input  logic [5:0]  widx0_i,
  input  logic [31:0] wdata0_i,
  input  logic        we1_i,
  input  logic [5:0]  widx1_i,
  input  logic [31:0] wdata1_i,
  // system registers, by the VMRS/VMSR reg field (A8.8.348)
  input  logic [3:0]  sys_reg_i,
  output logic [31:0] sys_rdata_o,
  output logic        sys_valid_o,  // sys_reg_i names an implemented register
  input  logic        sys_we_i,
  input  logic [31:0] sys_wdata_i,
  output logic [3:0]  fpscr_nzcv_o,
  output logic        fpexc_en_o,
  output logic [NWORDS+1:0][31:0] obs_o
);
  localparam logic [3:0] R_FPSID = 4'b0000, R_FPSCR = 4'b0001, R_MVFR1 = 4'b0110,
                         R_MVFR0 = 4'b0111, R_FPEXC = 4'b1000;
  localparam logic [31:0] FPSCR_WMASK = 32'hfff7_009f, FPEXC_WMASK = 32'h4000_0000;

  logic [NWORDS-1:0][31:0] words_q;
  logic [31:0] fpscr_q, fpexc_q;

  assign ra_o = words_q[ra_idx_i];
  assign rb_o = words_q[rb_idx_i];

  // Reset to zero (architecturally UNKNOWN; QEMU starts from zero).
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      words_q <= '0;
    end else begin
      if (we0_i) words_q[widx0_i] <= wdata0_i;
      if (we1_i) words_q[widx1_i] <= wdata1_i;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      fpscr_q <= 32'd0;
      fpexc_q <= 32'd0;
    end else if (sys_we_i) begin
      if (sys_reg_i == R_FPSCR) fpscr_q <= sys_wdata_i & FPSCR_WMASK;
      if (sys_reg_i == R_FPEXC) fpexc_q <= sys_wdata_i & FPEXC_WMASK;
    end
  end

  always_comb begin
    sys_valid_o = 1'b1;
    case (sys_reg_i)
      R_FPSID: sys_rdata_o = FPSID;
      R_FPSCR: sys_rdata_o = fpscr_q;
      R_MVFR1: sys_rdata_o = MVFR1;
      R_MVFR0: sys_rdata_o = MVFR0;
      R_FPEXC: sys_rdata_o = fpexc_q;
      default: begin sys_rdata_o = 32'd0; sys_valid_o = 1'b0; end
    endcase
  end

  assign fpscr_nzcv_o = fpscr_q[31:28];
  assign fpexc_en_o = fpexc_q[30];
  assign obs_o = {words_q, fpexc_q, fpscr_q};
endmodule
