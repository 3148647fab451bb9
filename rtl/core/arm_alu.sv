`timescale 1ns/1ps
// arm_alu -- the sixteen A32 data-processing operations (ARM ARM A5.2.1,
// A8.4.1 AddWithCarry) with NZCV generation. Combinational. Logical ops take
// C from the shifter and leave V alone; arithmetic ops compute C and V.
module arm_alu (
  input  logic [3:0]  opcode_i,   // ir[24:21]
  input  logic [31:0] a_i,        // Rn
  input  logic [31:0] b_i,        // shifter operand
  input  logic        shifter_c_i,
  input  logic [3:0]  nzcv_i,     // current flags
  output logic [31:0] result_o,
  output logic [3:0]  nzcv_o,
  output logic        writes_rd_o // 0 for TST/TEQ/CMP/CMN
);
  logic [32:0] sum;
  logic [31:0] x, y;
  logic        cin, arith, c_out, v_out;
  logic [31:0] res;

  assign result_o = res;

  // `always @(*)`, not always_comb: works around an Icarus 11 zero-delay loop
  // (see arm_shifter).
  always @(*) begin
    arith = 1'b1;
    x = a_i; y = b_i; cin = 1'b0;
    case (opcode_i)
      4'h2, 4'hA: begin x = a_i;  y = ~b_i; cin = 1'b1;      end // SUB CMP
      4'h3:       begin x = b_i;  y = ~a_i; cin = 1'b1;      end // RSB
      4'h4, 4'hB: begin x = a_i;  y = b_i;  cin = 1'b0;      end // ADD CMN
      4'h5:       begin x = a_i;  y = b_i;  cin = nzcv_i[1]; end // ADC
      4'h6:       begin x = a_i;  y = ~b_i; cin = nzcv_i[1]; end // SBC
      4'h7:       begin x = b_i;  y = ~a_i; cin = nzcv_i[1]; end // RSC
      default:    arith = 1'b0;
    endcase
    sum   = {1'b0, x} + {1'b0, y} + {32'd0, cin};
    c_out = sum[32];
    v_out = (x[31] == y[31]) && (sum[31] != x[31]);
    case (opcode_i)
      4'h0, 4'h8: res = a_i & b_i;   // AND TST
      4'h1, 4'h9: res = a_i ^ b_i;   // EOR TEQ
      4'hC:       res = a_i | b_i;   // ORR
      4'hD:       res = b_i;         // MOV
      4'hE:       res = a_i & ~b_i;  // BIC
      4'hF:       res = ~b_i;        // MVN
      default:    res = sum[31:0];
    endcase
    nzcv_o[3] = res[31];
    nzcv_o[2] = (res == 32'd0);
    nzcv_o[1] = arith ? c_out : shifter_c_i;
    nzcv_o[0] = arith ? v_out : nzcv_i[0];
    writes_rd_o = (opcode_i[3:2] != 2'b10);
  end
endmodule
