`timescale 1ns/1ps
// arm_shifter -- the A32 shifter operand (ARM ARM A5.1.1, A8.4 Shifts applied
// to a register): LSL/LSR/ASR/ROR by immediate (with the #32 and RRX
// encodings) and by register (amount = Rs[7:0]), plus the rotated 8-bit
// immediate. Purely combinational. Leaves out nothing of A32's shifter.
module arm_shifter (
  input  logic [31:0] value_i,      // Rm (or imm8 zero-extended when imm_i)
  input  logic [1:0]  type_i,       // 00 LSL, 01 LSR, 10 ASR, 11 ROR
  input  logic [7:0]  amount_i,     // shift amount (imm5 or Rs[7:0]); imm: rot*2
  input  logic        by_reg_i,     // amount came from a register
  input  logic        imm_i,        // rotated immediate form
  input  logic        carry_i,      // CPSR.C
  output logic [31:0] result_o,
  output logic        carry_o
);
  logic [63:0] wide;
  logic [4:0]  rot;
  logic [31:0] res;
  logic        cout;

  assign result_o = res;
  assign carry_o  = cout;

  // `always @(*)`, not always_comb, as in arm_core: Icarus 11 (vvp bug, fixed
  // in 12, issue #508) links every always_comb's sensitivity into one tangled
  // chain through its shared time-0 trigger, so any event of a later
  // always_comb also wakes this one. Icarus 11 also puts variables an
  // always_comb writes and reads back through a constant select (res[31],
  // wide[32]; arm_alu's x[31], sum[32]) into its sensitivity: arm_alu's
  // default-then-override of x/y woke this block, whose default-then-override
  // of res woke arm_alu again, forever, in one time step.
  always @(*) begin
    res  = value_i;
    cout = carry_i;
    wide     = 64'd0;
    rot      = amount_i[4:0];
    if (imm_i) begin
      if (amount_i != 8'd0) begin
        res = (value_i >> rot) | (value_i << (6'd32 - {1'b0, rot}));
        cout  = res[31];
      end
    end else if (!by_reg_i) begin
      // Immediate shift: amount 0 encodes LSR/ASR #32 and RRX.
      case (type_i)
        2'b00: begin
          if (amount_i != 8'd0) begin
            res = value_i << amount_i[4:0];
            cout  = value_i[5'd0 - amount_i[4:0]];   // bit 32-n
          end
        end
        2'b01: begin
          if (amount_i == 8'd0) begin
            res = 32'd0;
            cout  = value_i[31];
          end else begin
            res = value_i >> amount_i[4:0];
            cout  = value_i[amount_i[4:0] - 5'd1];
          end
        end
        2'b10: begin
          if (amount_i == 8'd0) begin
            res = {32{value_i[31]}};
            cout  = value_i[31];
          end else begin
            res = $unsigned($signed(value_i) >>> amount_i[4:0]);
            cout  = value_i[amount_i[4:0] - 5'd1];
          end
        end
        default: begin
          if (amount_i == 8'd0) begin
            res = {carry_i, value_i[31:1]};
            cout  = value_i[0];
          end else begin
            res = (value_i >> amount_i[4:0]) | (value_i << (6'd32 - {1'b0, amount_i[4:0]}));
            cout  = res[31];
          end
        end
      endcase
    end else begin
      // Register shift: amount 0 leaves value and carry unchanged.
      if (amount_i != 8'd0) begin
        case (type_i)
          2'b00: begin
            wide     = {32'd0, value_i} << amount_i;
            res = (amount_i >= 8'd32) ? 32'd0 : wide[31:0];
            cout  = (amount_i > 8'd32) ? 1'b0 : wide[32];
          end
          2'b01: begin
            wide     = {value_i, 32'd0} >> amount_i;
            res = (amount_i >= 8'd32) ? 32'd0 : wide[63:32];
            cout  = (amount_i > 8'd32) ? 1'b0 : wide[31];
          end
          2'b10: begin
            if (amount_i >= 8'd32) begin
              res = {32{value_i[31]}};
              cout  = value_i[31];
            end else begin
              res = $unsigned($signed(value_i) >>> amount_i[4:0]);
              cout  = value_i[amount_i[4:0] - 5'd1];
            end
          end
          default: begin
            if (amount_i[4:0] == 5'd0) begin
              cout = value_i[31];
            end else begin
              res = (value_i >> amount_i[4:0]) | (value_i << (6'd32 - {1'b0, amount_i[4:0]}));
              cout  = res[31];
            end
          end
        endcase
      end
    end
  end
endmodule
