`timescale 1ns/1ps
// exc_loop_detector -- tb_top's exception-loop stop for one core (moved out of tb_top
// unchanged, so that each core of a multi-core SoC has one; tb_top's header and the
// comment above its instances say what it detects and what loop_o/info_o hold).
module exc_loop_detector (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        rt_valid_i,
  input  logic        exc_valid_i,
  input  logic [2:0]  exc_type_i,
  input  logic [31:0] rt_pc_i,
  input  logic [31:0] rt_instr_i,
  input  logic [31:0] obs_cpsr_i,
  input  logic [31:0] exc_vector_i,
  input  logic [31:0] exc_hsr_i,
  input  logic [31:0] dfsr_i,      // arm_cp15 obs_pl1_o DFSR, IFSR, DFAR
  input  logic [31:0] ifsr_i,
  input  logic [31:0] dfar_i,
  output logic        loop_o,
  output logic [11:0][31:0] info_o
);
  localparam logic [15:0] EXC_LOOP_LIMIT = 16'd16;
  logic [15:0] loop_n_q;
  logic        loop_q, loop_out_q;
  logic [31:0] dfsr_q, ifsr_q, dfar_q;
  logic [2:0]  first_type_q, last_type_q;
  logic [31:0] first_pc_q, first_instr_q, first_cpsr_q, first_vec_q;
  logic [31:0] last_pc_q, last_cpsr_q, last_vec_q, last_hsr_q;
  wire         completed = rt_valid_i && !exc_valid_i;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      loop_n_q <= 16'd0; loop_q <= 1'b0;
      first_type_q <= 3'd0; first_pc_q <= 32'd0; first_instr_q <= 32'd0; first_cpsr_q <= 32'd0;
      first_vec_q <= 32'd0;
      last_type_q <= 3'd0; last_pc_q <= 32'd0; last_cpsr_q <= 32'd0; last_vec_q <= 32'd0;
      last_hsr_q <= 32'd0;
      loop_out_q <= 1'b0; dfsr_q <= 32'd0; ifsr_q <= 32'd0; dfar_q <= 32'd0;
    end else if (loop_q) begin
      if (!loop_out_q) begin
        loop_out_q <= 1'b1;
        dfsr_q <= dfsr_i; ifsr_q <= ifsr_i; dfar_q <= dfar_i;   // arm_cp15 obs_pl1_o order
      end
    end else begin
      if (completed) loop_n_q <= 16'd0;
      else if (exc_valid_i) begin
        loop_n_q <= loop_n_q + 16'd1;
        if (loop_n_q == 16'd0) begin
          first_type_q <= exc_type_i; first_pc_q <= rt_pc_i; first_instr_q <= rt_instr_i;
          first_cpsr_q <= obs_cpsr_i; first_vec_q <= exc_vector_i;
        end
        last_type_q <= exc_type_i; last_pc_q <= rt_pc_i; last_cpsr_q <= obs_cpsr_i; last_vec_q <= exc_vector_i;
        last_hsr_q <= exc_hsr_i;
        if (loop_n_q + 16'd1 >= EXC_LOOP_LIMIT) loop_q <= 1'b1;
      end
    end
  end
  assign loop_o = loop_out_q;
  assign info_o = {dfar_q, ifsr_q, dfsr_q, last_hsr_q, last_vec_q, last_cpsr_q, last_pc_q,
                   first_vec_q, first_cpsr_q, first_instr_q, first_pc_q,
                   {loop_n_q, 8'd0, 1'b0, last_type_q, 1'b0, first_type_q}};
endmodule
