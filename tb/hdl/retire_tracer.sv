`timescale 1ns/1ps
// retire_tracer -- writes the core's retire, register-write, data-access and
// exception ports to a text trace file (+trace=<file>) so that all checking
// happens after the run, without a Python wake-up per instruction. Format
// (hex unless noted; parsed by tb/trace.py):
//   W <phys-reg> <value>                     register write (arm_defs.svh numbering)
//   M <r|w> <addr> <be> <data>               completed data beat
//   R <cycle-dec> <pc> <instr> <cpsr> <cond> instruction retired
//   X <cycle-dec> <type> <return> <vector> <cpsr> <hsr>   exception entered
//                                            (hsr: the HSR written on entry to Hyp, else 0)
module retire_tracer (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        flush_i,
  input  logic        rt_valid_i,
  input  logic [31:0] rt_pc_i,
  input  logic [31:0] rt_instr_i,
  input  logic [31:0] rt_cpsr_i,
  input  logic        rt_cond_pass_i,
  input  logic        rf_we_i,
  input  logic [5:0]  rf_widx_i,
  input  logic [31:0] rf_wdata_i,
  input  logic        dmem_valid_i,
  input  logic        dmem_we_i,
  input  logic [31:0] dmem_addr_i,
  input  logic [3:0]  dmem_be_i,
  input  logic [31:0] dmem_data_i,
  input  logic        exc_valid_i,
  input  logic [2:0]  exc_type_i,
  input  logic [31:0] exc_return_i,
  input  logic [31:0] exc_vector_i,
  input  logic [31:0] exc_cpsr_i,
  input  logic [31:0] exc_hsr_i,
  output logic [63:0] cycle_o,
  output logic [63:0] retired_o
);
  integer fd;
  logic [63:0] cycle_q, retired_q;
  string path;

  initial begin
    fd = 0;
    if ($value$plusargs("trace=%s", path)) begin
      fd = $fopen(path, "w");
      if (fd == 0) $display("HYPSIM-ERROR: cannot open trace file %s", path);
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cycle_q   <= 64'd0;
      retired_q <= 64'd0;
    end else begin
      cycle_q <= cycle_q + 64'd1;
      if (rt_valid_i) retired_q <= retired_q + 64'd1;
    end
  end

  always @(posedge clk_i) begin
    if (rst_ni && fd != 0) begin
      if (rf_we_i) $fwrite(fd, "W %02h %08h\n", rf_widx_i, rf_wdata_i);
      if (dmem_valid_i) $fwrite(fd, "M %s %08h %1h %08h\n", dmem_we_i ? "w" : "r", dmem_addr_i, dmem_be_i, dmem_data_i);
      if (rt_valid_i) $fwrite(fd, "R %0d %08h %08h %08h %0d\n", cycle_q, rt_pc_i, rt_instr_i, rt_cpsr_i, rt_cond_pass_i);
      if (exc_valid_i) $fwrite(fd, "X %0d %0d %08h %08h %08h %08h\n", cycle_q, exc_type_i, exc_return_i,
                               exc_vector_i, exc_cpsr_i, exc_hsr_i);
    end
  end

  always @(posedge flush_i) if (fd != 0) $fflush(fd);

  assign cycle_o   = cycle_q;
  assign retired_o = retired_q;
endmodule
