`timescale 1ns/1ps
// gic_tb_top -- block harness of gic_top for the pyuvm GIC environment:
// the testbench drives the clock, reset, bus and interrupt pins directly.
module gic_tb_top #(
  parameter int NCPU = 2,
  parameter int NIRQ = 64
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                sel_i,
  input  logic                we_i,
  input  logic [1:0]          frame_i,
  input  logic [((NCPU > 1) ? $clog2(NCPU) : 1)-1:0] cpu_i,
  input  logic [12:0]         addr_i,
  input  logic [3:0]          be_i,
  input  logic [31:0]         wdata_i,
  output logic                ack_o,
  output logic [31:0]         rdata_o,
  input  logic [NIRQ-33:0]    spi_i,
  input  logic [NCPU*16-1:0]  ppi_i,
  output logic [NCPU-1:0]     irq_o,
  output logic [NCPU-1:0]     fiq_o,
  output logic [NCPU-1:0]     virq_o,
  output logic [NCPU-1:0]     vfiq_o,
  output logic [NCPU-1:0]     maint_o
);
  // the observation port feeds the SoC's retire tracer; this env reads GICH over the bus
  logic [NCPU*224-1:0] obs_gich;
  gic_top #(.NCPU(NCPU), .NIRQ(NIRQ)) u_gic (
    .clk_i, .rst_ni, .sel_i, .we_i, .frame_i, .cpu_i, .addr_i, .be_i, .wdata_i,
    .ack_o, .rdata_o, .spi_i, .ppi_i, .irq_o, .fiq_o, .virq_o, .vfiq_o, .maint_o,
    .obs_gich_o(obs_gich)
  );
  wire unused_obs_gich = ^obs_gich;
endmodule
