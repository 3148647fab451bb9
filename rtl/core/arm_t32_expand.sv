`timescale 1ns/1ps
// arm_t32_expand -- the T32 (Thumb-2) front end of the decoder: translates one
// T32 instruction into the A32 word that arm_decoder already executes with the
// same architectural effect (the ARM7TDMI "Thumb decompressor", extended to
// Thumb-2), plus side-band outputs for what an A32 word cannot express.
// Purely combinational on (hw1_i, hw2_i, itstate_i).
//   ARM ARM ARMv7-A/R A6.1 (width), A6.2 (16-bit encodings), A6.3 (32-bit
//   encodings), A6.3.2 ThumbExpandImm, A2.5.2 ITSTATE, A8.8 (the instructions,
//   their A32 encodings), A5 (the A32 word produced).
//
// THE CONTRACT (what the core integration uses):
//   width32_o      1: hw1:hw2 is one 32-bit instruction (advance PC by 4),
//                  0: hw1 alone (advance by 2; hw2_i ignored).
//   a32_o          the A32 word. Its cond field is the IT condition
//                  (itstate_i[7:4]) inside an IT block, else AL (0xE); a
//                  conditional branch (B T1/T3) carries its own condition.
//                  Flag setting is in the S bit: 16-bit data processing sets
//                  flags only outside an IT block (CMP/CMN/TST always).
//   PC reads       in T32 a register read of R15 gives the instruction address
//                  + 4 (not + 8): the execute stage supplies that value while
//                  CPSR.T = 1. pc_align_o = 1: the read is Align(PC,4)
//                  (address + 4 rounded down to a word: LDR literal, ADR).
//   imm_valid_o    1: the word's immediate operand is replaced by imm32_o
//                  (a ThumbExpandImm constant that no A32 rotated immediate
//                  represents, ADDW/SUBW/ORN immediates, a load/store offset
//                  wider than the A32 field); the word's immediate field is 0.
//                  LDREX/STREX [Rn, #imm8*4] (A32 has [Rn] only): imm32_o is
//                  the offset (nonzero), added to Rn for the access and for
//                  the exclusive monitor's address.
//                  imm_c_valid_o/imm_c_o: the shifter carry-out of that
//                  constant (ThumbExpandImm_C) when it changes C.
//   branch_o       a PC-relative branch: target = PC read (address + 4) +
//                  branch_off_o; branch_link_o: LR := next instruction
//                  address | 1; branch_to_arm_o (BLX imm): target uses
//                  Align(PC,4) and the core leaves Thumb state. a32_o holds
//                  an A32 B/BL (imm24 = 0) or BLX (0xFA000000) for the class.
//                  BX/BLX register are plain A32 BX/BLX words.
//   cb_o           CBZ/CBNZ: branch to PC+4+branch_off_o when
//                  (R[cb_rn_o] == 0) != cb_nz_o; never sets flags; a32_o NOP.
//   it_o           IT: ITSTATE := it_next_o (firstcond:mask); a32_o NOP.
//   tb_o           TBB (tb_h_o = 0) / TBH: PC := PC+4 + 2*mem[Rn + Rm(<<1)],
//                  registers in tb_rn_o/tb_rm_o; a32_o NOP.
//   dual_o         LDRD/STRD/LDREXD/STREXD: the second register is rt2_o (T32
//                  allows any pair; A32 needs Rt even and Rt2 = Rt+1: the
//                  word's Rt field holds Rt (STREXD: its Rm field [3:0]), its
//                  Rt2 is implied and to be ignored). Rt2 = Rt (STRD, STREXD):
//                  the register is stored to both words.
//   rm_lsl_o       the register offset Rm is shifted left by this (0-3)
//                  before it is used: T32 LDRH/STRH/LDRSB/LDRSH (register)
//                  with LSL #1-3 (A32 halfword register forms have no shift;
//                  the word is the unshifted A32 form), and TBH (1: Rm << 1).
//   op2_inv_o      the ALU's second operand (the shifter output) is inverted:
//                  ORN (register) becomes A32 ORR with the same shift (the
//                  shifter carry-out is unchanged, as ORN's C is the shift's).
//   unpriv_o       LDRT/STRT/LDRBT/STRBT/LDRHT/STRHT/LDRSBT/LDRSHT: T32 has
//                  [Rn, #imm8] with no writeback (A32: post-indexed with
//                  writeback); a32_o is the A32 offset form [Rn, #imm8] (P = 1,
//                  U = 1, W = 0) and the access is made as PL0 (B3.7).
//   it_cond_o      SRS/RFE inside an IT block: a32_o is the A32 cond-1111 form,
//                  which has no condition; the instruction runs only if the IT
//                  condition (itstate_i[7:4]) passes (else a NOP with ITAdvance).
//   undef_o        UNDEFINED, or a T32 encoding this block does not expand
//                  yet (see "Left out"); the core takes the UNDEF exception.
// SRS/RFE and CPS/CPS.W become the A32 cond-1111 forms: the IT condition of
// SRS/RFE goes in it_cond_o (CPS inside an IT block is UNPREDICTABLE and not
// checked).
// UNPREDICTABLE operands (A8.8.77 LDREXD, A8.8.214 STREXD, A8.8.92 LDRT ...):
// UNDEF here: LDREXD/STREXD with Rt or Rt2 = PC, LDREXD with Rt = Rt2. Not
// checked (they run as the registers say): SP in an LDREXD/STREXD pair or as
// an LDRT-family Rt, Rn = PC, STREXD Rd = Rn/Rt/Rt2 or Rd = SP/PC, LDRT-family
// Rt = PC.
// Left out (undef_o = 1): Advanced SIMD, the parallel add/sub group, SEL,
// the dual multiplies (SMUAD, SMLAD, SMUSD, SMLSD, SMLALD, SMLSLD) and USAD8
// (arm_decoder runs none of them in A32), SSAT16/USAT16, LDC2/MCR2 (T=1
// coprocessor space), PLD/PLI other than PLD imm12 (the A32 decoder has no
// PLD/PLI register form either). The IT-block UNPREDICTABLE cases are not
// checked.
module arm_t32_expand (
  input  logic [15:0] hw1_i,
  input  logic [15:0] hw2_i,
  input  logic [7:0]  itstate_i,
  output logic        width32_o,
  output logic [31:0] a32_o,
  output logic        undef_o,
  output logic        pc_align_o,
  output logic        imm_valid_o,
  output logic [31:0] imm32_o,
  output logic        imm_c_valid_o,
  output logic        imm_c_o,
  output logic        branch_o,
  output logic        branch_link_o,
  output logic        branch_to_arm_o,
  output logic [31:0] branch_off_o,
  output logic        cb_o,
  output logic        cb_nz_o,
  output logic [3:0]  cb_rn_o,
  output logic        it_o,
  output logic [7:0]  it_next_o,
  output logic        tb_o,
  output logic        tb_h_o,
  output logic [3:0]  tb_rn_o,
  output logic [3:0]  tb_rm_o,
  output logic        dual_o,
  output logic [3:0]  rt2_o,
  output logic [1:0]  rm_lsl_o,
  output logic        op2_inv_o,
  output logic        unpriv_o,
  output logic        it_cond_o
);

  localparam logic [31:0] A32_NOP = 32'h0320F000;   // without cond

  // A32 modified immediate (rot:imm8) of value v, the one gas picks (the
  // smallest left rotation 2*i that brings v under 256); ok = representable.
  function automatic logic [12:0] a32_imm_enc(input logic [31:0] v);
    logic [31:0] r;
    logic        found;
    logic [12:0] res;
    found = 1'b0;
    res = 13'd0;
    for (int i = 0; i < 16; i++) begin
      r = (v << (2 * i)) | (v >> ((32 - 2 * i) % 32));
      if (i == 0) r = v;
      if (!found && r[31:8] == 24'd0) begin
        found = 1'b1;
        res = {1'b1, 4'(i), r[7:0]};
      end
    end
    return res;
  endfunction

  // exactly one bit set (a one-register list)
  function automatic logic one_reg(input logic [15:0] list);
    return list != 16'd0 && (list & (list - 16'd1)) == 16'd0;
  endfunction

  // ThumbExpandImm_C (A6.3.2): {carry_valid, carry, value}
  function automatic logic [33:0] thumb_expand_imm(input logic [11:0] imm12);
    logic [31:0] v;
    logic [31:0] unrot;
    logic [4:0]  n;
    if (imm12[11:10] == 2'b00) begin
      case (imm12[9:8])
        2'b00:   v = {24'd0, imm12[7:0]};
        2'b01:   v = {8'd0, imm12[7:0], 8'd0, imm12[7:0]};
        2'b10:   v = {imm12[7:0], 8'd0, imm12[7:0], 8'd0};
        default: v = {imm12[7:0], imm12[7:0], imm12[7:0], imm12[7:0]};
      endcase
      return {1'b0, 1'b0, v};
    end
    unrot = {24'd0, 1'b1, imm12[6:0]};
    n = imm12[11:7];
    v = (unrot >> n) | (unrot << (6'd32 - {1'b0, n}));
    return {1'b1, v[31], v};
  endfunction

  // A32 data-processing opcode of a T32 32-bit DP opcode (A6.3.1/A6.3.11);
  // bit 4 = no A32 equivalent.
  function automatic logic [4:0] dp_opc(input logic [3:0] op, input logic rd_pc, input logic rn_pc,
                                        input logic s);
    case (op)
      4'b0000: return (rd_pc && s) ? 5'b0_1000 : 5'b0_0000;   // TST / AND
      4'b0001: return 5'b0_1110;                              // BIC
      4'b0010: return rn_pc ? 5'b0_1101 : 5'b0_1100;          // MOV / ORR
      4'b0011: return rn_pc ? 5'b0_1111 : 5'b1_0000;          // MVN / ORN
      4'b0100: return (rd_pc && s) ? 5'b0_1001 : 5'b0_0001;   // TEQ / EOR
      4'b1000: return (rd_pc && s) ? 5'b0_1011 : 5'b0_0100;   // CMN / ADD
      4'b1010: return 5'b0_0101;                              // ADC
      4'b1011: return 5'b0_0110;                              // SBC
      4'b1101: return (rd_pc && s) ? 5'b0_1010 : 5'b0_0010;   // CMP / SUB
      4'b1110: return 5'b0_0011;                              // RSB
      default: return 5'b1_0000;
    endcase
  endfunction

  logic        in_it;
  logic [3:0]  cond;
  logic [33:0] tei;
  logic [12:0] enc;
  logic [4:0]  opc;
  logic [27:0] a32_body;
  logic [11:0] imm12;
  logic [31:0] off;
  logic [3:0]  rd4, rn4, rt4, rt24;
  logic        cmp_form;
  logic        fcond_en;   // the A32 form has a fixed cond field (fcond)
  logic [3:0]  fcond;
  logic        s16;

  always @(*) begin
    in_it           = itstate_i[3:0] != 4'd0;
    cond            = in_it ? itstate_i[7:4] : 4'hE;
    s16             = !in_it;
    width32_o       = hw1_i[15:13] == 3'b111 && hw1_i[12:11] != 2'b00;
    a32_body        = A32_NOP[27:0];     // cond added below
    undef_o         = 1'b0;
    pc_align_o      = 1'b0;
    imm_valid_o     = 1'b0;
    imm32_o         = 32'd0;
    imm_c_valid_o   = 1'b0;
    imm_c_o         = 1'b0;
    branch_o        = 1'b0;
    branch_link_o   = 1'b0;
    branch_to_arm_o = 1'b0;
    branch_off_o    = 32'd0;
    cb_o            = 1'b0;
    cb_nz_o         = 1'b0;
    cb_rn_o         = 4'd0;
    it_o            = 1'b0;
    it_next_o       = 8'd0;
    tb_o            = 1'b0;
    tb_h_o          = 1'b0;
    tb_rn_o         = 4'd0;
    tb_rm_o         = 4'd0;
    dual_o          = 1'b0;
    rt2_o           = 4'd0;
    rm_lsl_o        = 2'd0;
    op2_inv_o       = 1'b0;
    unpriv_o        = 1'b0;
    it_cond_o       = 1'b0;
    tei             = 34'd0;
    enc             = 13'd0;
    opc             = 5'd0;
    imm12           = 12'd0;
    off             = 32'd0;
    rd4             = 4'd0;
    rn4             = 4'd0;
    rt4             = 4'd0;
    rt24            = 4'd0;
    cmp_form        = 1'b0;
    fcond_en        = 1'b0;
    fcond           = 4'hF;

    if (!width32_o) begin
      // ---------------------------------------------------------------- 16-bit (A6.2)
      casez (hw1_i[15:10])
        6'b000???: begin   // shift (imm), add, subtract (A6.2.1)
          if (hw1_i[12:11] != 2'b11)   // LSL/LSR/ASR #imm5 -> MOV{S} Rd, Rm, <shift> #imm5
            a32_body = {4'b0001, 3'b101, s16, 4'd0, 1'b0, hw1_i[2:0], hw1_i[10:6], hw1_i[12:11], 1'b0,
                        1'b0, hw1_i[5:3]};
          else if (!hw1_i[10])         // ADD/SUB (register)
            a32_body = {3'b000, hw1_i[9] ? 4'b0010 : 4'b0100, s16, 1'b0, hw1_i[5:3], 1'b0, hw1_i[2:0],
                        8'd0, 1'b0, hw1_i[8:6]};
          else                         // ADD/SUB (imm3)
            a32_body = {3'b001, hw1_i[9] ? 4'b0010 : 4'b0100, s16, 1'b0, hw1_i[5:3], 1'b0, hw1_i[2:0],
                        9'd0, hw1_i[8:6]};
        end
        6'b001???: begin   // MOV/CMP/ADD/SUB (imm8)
          case (hw1_i[12:11])
            2'b00: a32_body = {3'b001, 4'b1101, s16, 4'd0, 1'b0, hw1_i[10:8], 4'd0, hw1_i[7:0]};
            2'b01: a32_body = {3'b001, 4'b1010, 1'b1, 1'b0, hw1_i[10:8], 8'd0, hw1_i[7:0]};
            2'b10: a32_body = {3'b001, 4'b0100, s16, 1'b0, hw1_i[10:8], 1'b0, hw1_i[10:8], 4'd0,
                               hw1_i[7:0]};
            default: a32_body = {3'b001, 4'b0010, s16, 1'b0, hw1_i[10:8], 1'b0, hw1_i[10:8], 4'd0,
                                 hw1_i[7:0]};
          endcase
        end
        6'b010000: begin   // data processing (register) (A6.2.2)
          case (hw1_i[9:6])
            4'b0010, 4'b0011, 4'b0100, 4'b0111:   // LSL/LSR/ASR/ROR (register): MOV{S} Rdn, Rdn, <sh> Rm
              a32_body = {4'b0001, 3'b101, s16, 4'd0, 1'b0, hw1_i[2:0], 1'b0, hw1_i[5:3], 1'b0,
                          hw1_i[9:6] == 4'b0111 ? 2'b11 : hw1_i[9:6] == 4'b0010 ? 2'b00 :
                          hw1_i[9:6] == 4'b0011 ? 2'b01 : 2'b10, 1'b1, 1'b0, hw1_i[2:0]};
            4'b1001:   // RSB Rd, Rn, #0
              a32_body = {3'b001, 4'b0011, s16, 1'b0, hw1_i[5:3], 1'b0, hw1_i[2:0], 12'd0};
            4'b1101:   // MUL Rdm, Rn, Rdm
              a32_body = {4'b0000, 3'b000, s16, 1'b0, hw1_i[2:0], 4'd0, 1'b0, hw1_i[2:0], 4'b1001, 1'b0,
                          hw1_i[5:3]};
            4'b1000, 4'b1010, 4'b1011:   // TST/CMP/CMN
              a32_body = {4'b0001, hw1_i[9:6] == 4'b1000 ? 3'b000 : {2'b01, hw1_i[6]}, 1'b1, 1'b0,
                          hw1_i[2:0], 4'd0, 8'd0, 1'b0, hw1_i[5:3]};
            4'b1111:   // MVN
              a32_body = {4'b0001, 3'b111, s16, 4'd0, 1'b0, hw1_i[2:0], 8'd0, 1'b0, hw1_i[5:3]};
            default: begin   // AND EOR ADC SBC ORR BIC: A32 opcodes
              case (hw1_i[9:6])
                4'b0000: opc = 5'b0_0000;
                4'b0001: opc = 5'b0_0001;
                4'b0101: opc = 5'b0_0101;
                4'b0110: opc = 5'b0_0110;
                4'b1100: opc = 5'b0_1100;
                default: opc = 5'b0_1110;
              endcase
              a32_body = {3'b000, opc[3:0], s16, 1'b0, hw1_i[2:0], 1'b0, hw1_i[2:0], 8'd0, 1'b0, hw1_i[5:3]};
            end
          endcase
        end
        6'b010001: begin   // special data processing, branch and exchange (A6.2.3)
          case (hw1_i[9:8])
            2'b00: a32_body = {3'b000, 4'b0100, 1'b0, hw1_i[7], hw1_i[2:0], hw1_i[7], hw1_i[2:0], 8'd0,
                               hw1_i[6:3]};                                         // ADD Rdn, Rm
            2'b01: a32_body = {4'b0001, 4'b0101, hw1_i[7], hw1_i[2:0], 4'd0, 8'd0, hw1_i[6:3]};   // CMP
            2'b10: a32_body = {4'b0001, 4'b1010, 4'd0, hw1_i[7], hw1_i[2:0], 8'd0, hw1_i[6:3]};   // MOV
            default: a32_body = {20'h12FFF, 1'b0, 1'b0, hw1_i[7], 1'b1, hw1_i[6:3]};               // BX/BLX
          endcase
        end
        6'b01001?: begin   // LDR (literal)
          pc_align_o = 1'b1;
          a32_body = {4'b0101, 4'b1001, 4'hF, 1'b0, hw1_i[10:8], 2'b00, hw1_i[7:0], 2'b00};
        end
        6'b0101??: begin   // load/store (register)
          case (hw1_i[11:9])
            3'b000, 3'b010, 3'b100, 3'b110:   // STR STRB LDR LDRB
              a32_body = {4'b0111, 1'b1, hw1_i[10], 1'b0, hw1_i[11], 1'b0, hw1_i[5:3], 1'b0, hw1_i[2:0], 8'd0,
                          1'b0, hw1_i[8:6]};
            default:   // STRH LDRSB LDRH LDRSH
              a32_body = {4'b0001, 3'b100, hw1_i[11:9] != 3'b001, 1'b0, hw1_i[5:3], 1'b0, hw1_i[2:0], 4'd0,
                          1'b1, hw1_i[11:9] == 3'b011 || hw1_i[11:9] == 3'b111,
                          hw1_i[11:9] != 3'b011, 1'b1, 1'b0, hw1_i[8:6]};
          endcase
        end
        6'b011???: begin   // STR/LDR/STRB/LDRB (imm5)
          a32_body = {4'b0101, 1'b1, hw1_i[12], 1'b0, hw1_i[11], 1'b0, hw1_i[5:3], 1'b0, hw1_i[2:0], 5'd0,
                      hw1_i[12] ? {2'b00, hw1_i[10:6]} : {hw1_i[10:6], 2'b00}};
        end
        6'b1000??: begin   // STRH/LDRH (imm5)
          a32_body = {4'b0001, 3'b110, hw1_i[11], 1'b0, hw1_i[5:3], 1'b0, hw1_i[2:0], 2'b00, hw1_i[10:9],
                      4'b1011, hw1_i[8:6], 1'b0};
        end
        6'b1001??: begin   // STR/LDR SP-relative
          a32_body = {4'b0101, 3'b100, hw1_i[11], 4'hD, 1'b0, hw1_i[10:8], 2'b00, hw1_i[7:0], 2'b00};
        end
        6'b1010??: begin   // ADR / ADD Rd, SP, #imm8*4
          pc_align_o = !hw1_i[11];
          enc = a32_imm_enc({22'd0, hw1_i[7:0], 2'b00});
          a32_body = {3'b001, 4'b0100, 1'b0, hw1_i[11] ? 4'hD : 4'hF, 1'b0, hw1_i[10:8], enc[11:0]};
        end
        6'b1011??: begin   // miscellaneous (A6.2.5)
          casez (hw1_i[11:5])
            7'b0000???: begin   // ADD/SUB SP, SP, #imm7*4
              enc = a32_imm_enc({23'd0, hw1_i[6:0], 2'b00});
              a32_body = {3'b001, hw1_i[7] ? 4'b0010 : 4'b0100, 1'b0, 4'hD, 4'hD, enc[11:0]};
            end
            7'b?0?1???: begin   // CBZ/CBNZ
              cb_o = 1'b1;
              cb_nz_o = hw1_i[11];
              cb_rn_o = {1'b0, hw1_i[2:0]};
              branch_off_o = {25'd0, hw1_i[9], hw1_i[7:3], 1'b0};
            end
            7'b0010???: begin   // SXTH SXTB UXTH UXTB
              a32_body = {5'b01101, hw1_i[7] ? 2'b11 : 2'b01, ~hw1_i[6], 4'hF, 1'b0, hw1_i[2:0], 4'b0000,
                          4'b0111, 1'b0, hw1_i[5:3]};
            end
            7'b010????: begin   // PUSH
              if (one_reg({7'd0, hw1_i[8:0]})) begin   // one register: STR Rt, [SP, #-4]!
                rt4 = hw1_i[8] ? 4'hE : 4'd0;
                for (int i = 0; i < 8; i++) if (hw1_i[i]) rt4 = 4'(i);
                a32_body = {4'b0101, 4'b0010, 4'hD, rt4, 12'd4};
              end else begin
                a32_body = {4'b1001, 4'b0010, 4'hD, 1'b0, hw1_i[8], 6'd0, hw1_i[7:0]};
              end
            end
            7'b110????: begin   // POP
              if (one_reg({7'd0, hw1_i[8:0]})) begin   // one register: LDR Rt, [SP], #4
                rt4 = hw1_i[8] ? 4'hF : 4'd0;
                for (int i = 0; i < 8; i++) if (hw1_i[i]) rt4 = 4'(i);
                a32_body = {4'b0100, 4'b1001, 4'hD, rt4, 12'd4};
              end else begin
                a32_body = {4'b1000, 4'b1011, 4'hD, hw1_i[8], 7'd0, hw1_i[7:0]};
              end
            end
            7'b0110011: begin   // CPS
              a32_body = {8'h10, hw1_i[4] ? 2'b11 : 2'b10, 1'b0, 1'b0, 7'd0, hw1_i[2:0], 1'b0, 5'd0};
              fcond_en = 1'b1;
            end
            7'b1010???: begin   // REV REV16 REVSH
              case (hw1_i[7:6])
                2'b00:   a32_body = {8'h6B, 4'hF, 1'b0, hw1_i[2:0], 4'hF, 4'h3, 1'b0, hw1_i[5:3]};
                2'b01:   a32_body = {8'h6B, 4'hF, 1'b0, hw1_i[2:0], 4'hF, 4'hB, 1'b0, hw1_i[5:3]};
                2'b11:   a32_body = {8'h6F, 4'hF, 1'b0, hw1_i[2:0], 4'hF, 4'hB, 1'b0, hw1_i[5:3]};
                default: undef_o = 1'b1;
              endcase
            end
            7'b1110???: begin   // BKPT imm8 (A32 BKPT is unconditional-always: cond E)
              a32_body = {8'h12, 4'd0, 4'd0, hw1_i[7:4], 4'h7, hw1_i[3:0]};
              fcond_en = 1'b1;
              fcond = 4'hE;
            end
            7'b1111???: begin
              if (hw1_i[3:0] != 4'd0) begin   // IT
                it_o = 1'b1;
                it_next_o = hw1_i[7:0];
              end else if (hw1_i[7:4] <= 4'd4) begin   // NOP YIELD WFE WFI SEV
                a32_body = {A32_NOP[27:8], 4'd0, hw1_i[7:4]};
              end else begin
                undef_o = 1'b1;
              end
            end
            default: undef_o = 1'b1;
          endcase
        end
        6'b1100??: begin   // STM / LDM (writeback unless Rn is loaded)
          a32_body = {4'b1000, 1'b1, 1'b0, !(hw1_i[11] && hw1_i[{1'b0, hw1_i[10:8]}]), hw1_i[11], 1'b0, hw1_i[10:8],
                      8'd0, hw1_i[7:0]};
        end
        6'b1101??: begin   // B<c> T1, UDF, SVC
          if (hw1_i[11:8] == 4'hF) begin
            a32_body = {4'hF, 16'd0, hw1_i[7:0]};
          end else if (hw1_i[11:8] == 4'hE) begin   // UDF #imm8 (A32 UDF: cond E)
            a32_body = {8'h7F, 4'd0, 4'd0, hw1_i[7:4], 4'hF, hw1_i[3:0]};
            undef_o = 1'b1;
            fcond_en = 1'b1;
            fcond = 4'hE;
          end else begin
            branch_o = 1'b1;
            branch_off_o = {{23{hw1_i[7]}}, hw1_i[7:0], 1'b0};
            a32_body = {4'b1010, 24'd0};
          end
        end
        6'b11100?: begin   // B T2
          branch_o = 1'b1;
          branch_off_o = {{20{hw1_i[10]}}, hw1_i[10:0], 1'b0};
          a32_body = {4'b1010, 24'd0};
        end
        default: undef_o = 1'b1;
      endcase
    end else begin
      // ---------------------------------------------------------------- 32-bit (A6.3)
      rd4 = hw2_i[11:8];
      rn4 = hw1_i[3:0];
      rt4 = hw2_i[15:12];
      rt24 = hw2_i[11:8];
      casez ({hw1_i[12:4], hw2_i[15]})
        // ---- load/store multiple (A6.3.5)
        10'b01_00??0??_?: begin
          if (hw1_i[8:7] == 2'b01 || hw1_i[8:7] == 2'b10) begin
            a32_body = {3'b100, hw1_i[8], hw1_i[7], 1'b0, hw1_i[5], hw1_i[4], rn4, hw2_i};
            if (rn4 == 4'hD && hw1_i[5] && one_reg(hw2_i)) begin   // PUSH.W/POP.W {Rt}: STR/LDR
              rt4 = 4'd0;
              for (int i = 0; i < 16; i++) if (hw2_i[i]) rt4 = 4'(i);
              a32_body = hw1_i[4] ? {4'b0100, 4'b1001, 4'hD, rt4, 12'd4} : {4'b0101, 4'b0010, 4'hD, rt4, 12'd4};
            end
          end else if (!hw1_i[4] && rn4 == 4'hD && hw2_i[15:5] == 11'b11000000000) begin
            // SRSDB/SRSIA SP{!}, #mode (B9.3.16) -> A32 SRS (cond 1111; the IT condition in it_cond_o)
            a32_body = {3'b100, !hw1_i[8], hw1_i[8], 1'b1, hw1_i[5], 1'b0, 4'hD, 11'b00000101000, hw2_i[4:0]};
            fcond_en = 1'b1;
            it_cond_o = in_it;
          end else if (hw1_i[4] && hw2_i == 16'hC000) begin
            // RFEDB/RFEIA Rn{!} (B9.3.13) -> A32 RFE (cond 1111; the IT condition in it_cond_o)
            a32_body = {3'b100, !hw1_i[8], hw1_i[8], 1'b0, hw1_i[5], 1'b1, rn4, 16'h0A00};
            fcond_en = 1'b1;
            it_cond_o = in_it;
          end else undef_o = 1'b1;
        end
        // ---- load/store dual, exclusive, table branch (A6.3.6)
        10'b01_00??1??_?: begin
          if (hw1_i[8:7] == 2'b00 && hw1_i[5:4] == 2'b00) begin   // STREX Rd, Rt, [Rn, #imm8*4]
            a32_body = {8'h18, rn4, rd4, 8'hF9, rt4};
            imm_valid_o = hw2_i[7:0] != 8'd0;   // the offset (A32 has [Rn] only)
            imm32_o = {22'd0, hw2_i[7:0], 2'b00};
          end else if (hw1_i[8:7] == 2'b00 && hw1_i[5:4] == 2'b01) begin   // LDREX Rt, [Rn, #imm8*4]
            a32_body = {8'h19, rn4, rt4, 12'hF9F};
            imm_valid_o = hw2_i[7:0] != 8'd0;
            imm32_o = {22'd0, hw2_i[7:0], 2'b00};
          end else if (hw1_i[8:7] == 2'b01 && hw2_i[7:6] == 2'b01 && hw2_i[5:4] != 2'b10 && !hw1_i[5]) begin
            // LDREXB/H/D (hw1[4] = 1), STREXB/H/D: A32 op 0001 1 sz:L (sz 10 byte, 11 half, 01 dual)
            a32_body = hw1_i[4] ? {5'b00011, hw2_i[5:4] == 2'b00 ? 2'b10 : hw2_i[5:4] == 2'b01 ? 2'b11 : 2'b01,
                                   1'b1, rn4, rt4, 12'hF9F}
                                : {5'b00011, hw2_i[5:4] == 2'b00 ? 2'b10 : hw2_i[5:4] == 2'b01 ? 2'b11 : 2'b01,
                                   1'b0, rn4, hw2_i[3:0], 8'hF9, rt4};
            if (hw2_i[5:4] != 2'b11) begin   // byte, halfword: hw2[11:8] (and LDREX Rd) are (1)
              undef_o = rt24 != 4'hF || (hw1_i[4] && hw2_i[3:0] != 4'hF);
            end else begin                   // dual: any pair, Rt2 in the side band (the word's Rt2 is
              dual_o = 1'b1;                 // implied as Rt+1 and ignored)
              rt2_o = rt24;
              undef_o = rt4 == 4'hF || rt24 == 4'hF || (hw1_i[4] && (hw2_i[3:0] != 4'hF || rt4 == rt24));
            end
          end else if (hw1_i[8:7] == 2'b01 && hw1_i[5:4] == 2'b01 && hw2_i[7:5] == 3'b000) begin   // TBB/TBH
            tb_o = 1'b1;
            tb_h_o = hw2_i[4];
            rm_lsl_o = {1'b0, hw2_i[4]};   // TBH: Rm << 1
            tb_rn_o = rn4;
            tb_rm_o = hw2_i[3:0];
          end else if (hw1_i[8] || hw1_i[5]) begin   // LDRD/STRD (imm)
            // A32 LDRD/STRD: Rt even, Rt2 = Rt+1, imm8 offset
            a32_body = {3'b000, hw1_i[8], hw1_i[7], 1'b1, hw1_i[5] & hw1_i[8], 1'b0, rn4, rt4, hw2_i[5:2], 2'b11,
                        ~hw1_i[4], 1'b1, hw2_i[1:0], 2'b00};
            dual_o = 1'b1;
            rt2_o = rt24;
            if (hw2_i[7:6] != 2'b00) begin
              imm_valid_o = 1'b1;
              imm32_o = {22'd0, hw2_i[7:0], 2'b00};
              a32_body[11:8] = 4'd0;
              a32_body[3:0] = 4'd0;
            end
            pc_align_o = rn4 == 4'hF;
          end else undef_o = 1'b1;
        end
        // ---- data processing (shifted register) (A6.3.11)
        10'b01_01?????_?: begin
          opc = dp_opc(hw1_i[8:5], rd4 == 4'hF, rn4 == 4'hF, hw1_i[4]);
          cmp_form = opc[3:2] == 2'b10;
          a32_body = {3'b000, opc[3:0], hw1_i[4] | cmp_form, (opc[3:1] == 3'b110 && opc[0]) ||
                      opc[3:0] == 4'b1111 ? 4'd0 : rn4, cmp_form ? 4'd0 : rd4, hw2_i[14:12], hw2_i[7:6],
                      hw2_i[5:4], 1'b0, hw2_i[3:0]};
          if (opc[3:0] == 4'b1101) a32_body[19:16] = 4'd0;
          undef_o = opc[4] || hw2_i[15];
          if (hw1_i[8:5] == 4'b0011 && rn4 != 4'hF) begin   // ORN: ORR with the shifted Rm inverted
            a32_body[24:21] = 4'b1100;
            op2_inv_o = 1'b1;
            undef_o = hw2_i[15];
          end
          if (hw1_i[8:5] == 4'b0110) begin   // PKHBT/PKHTB (tb = hw2[5]) -> A32 PKH
            a32_body = {8'h68, rn4, rd4, hw2_i[14:12], hw2_i[7:6], hw2_i[5], 2'b01, hw2_i[3:0]};
            undef_o = hw1_i[4] || hw2_i[4] || hw2_i[15];
          end
        end
        // ---- coprocessor (T=0 only: the A32 word is cond:hw1[11:0]:hw2)
        10'b01_1??????_?: begin
          a32_body = {hw1_i[11:0], hw2_i};
          undef_o = hw1_i[9:8] == 2'b11;   // 1110 1111: Advanced SIMD
        end
        // ---- data processing (modified immediate) (A6.3.1)
        10'b10_?0?????_0: begin
          imm12 = {hw1_i[10], hw2_i[14:12], hw2_i[7:0]};
          tei = thumb_expand_imm(imm12);
          opc = dp_opc(hw1_i[8:5], rd4 == 4'hF, rn4 == 4'hF, hw1_i[4]);
          cmp_form = opc[3:2] == 2'b10;
          enc = a32_imm_enc(tei[31:0]);
          a32_body = {3'b001, opc[3:0], hw1_i[4] | cmp_form, (opc[3:0] == 4'b1101 || opc[3:0] == 4'b1111) ?
                      4'd0 : rn4, cmp_form ? 4'd0 : rd4, enc[11:0]};
          if (hw1_i[8:5] == 4'b0011 && rn4 != 4'hF) begin   // ORN: ORR with the inverted constant
            a32_body[24:21] = 4'b1100;
            enc = 13'd0;
            tei[31:0] = ~tei[31:0];
          end else undef_o = opc[4];
          if (!enc[12]) begin
            imm_valid_o = 1'b1;
            imm32_o = tei[31:0];
            imm_c_valid_o = tei[33];
            imm_c_o = tei[32];
            a32_body[11:0] = 12'd0;
          end
        end
        // ---- data processing (plain binary immediate) (A6.3.3)
        10'b10_?1?????_0: begin
          imm12 = {hw1_i[10], hw2_i[14:12], hw2_i[7:0]};
          case (hw1_i[8:4])
            5'b00000, 5'b01010: begin   // ADDW/SUBW (Rn = PC: ADR)
              enc = a32_imm_enc({20'd0, imm12});
              pc_align_o = rn4 == 4'hF;
              a32_body = {3'b001, hw1_i[7] ? 4'b0010 : 4'b0100, 1'b0, rn4, rd4, enc[11:0]};
              if (!enc[12]) begin
                imm_valid_o = 1'b1;
                imm32_o = {20'd0, imm12};
                a32_body[11:0] = 12'd0;
              end
            end
            5'b00100, 5'b01100:   // MOVW/MOVT
              a32_body = {5'b00110, hw1_i[7], 2'b00, hw1_i[3:0], rd4, imm12};
            5'b10100, 5'b11100:   // SBFX/UBFX
              a32_body = {5'b01111, hw1_i[7], 1'b1, hw2_i[4:0], rd4, hw2_i[14:12], hw2_i[7:6], 3'b101, rn4};
            5'b10000, 5'b10010, 5'b11000, 5'b11010: begin   // SSAT/USAT (SSAT16/USAT16 left out)
              a32_body = {5'b01101, hw1_i[7], 1'b1, hw2_i[4:0], rd4, hw2_i[14:12], hw2_i[7:6], hw1_i[5], 2'b01, rn4};
              undef_o = hw1_i[5] && hw2_i[14:12] == 3'd0 && hw2_i[7:6] == 2'd0;
            end
            5'b10110:             // BFI/BFC
              a32_body = {7'b0111110, hw2_i[4:0], rd4, hw2_i[14:12], hw2_i[7:6], 3'b001, rn4};
            default: undef_o = 1'b1;
          endcase
        end
        // ---- branches and miscellaneous control (A6.3.4)
        10'b10_???????_1: begin
          if (hw2_i[14] == 1'b0 && hw2_i[12] == 1'b0) begin
            if (hw1_i[9:7] != 3'b111) begin   // B<c> T3
              branch_o = 1'b1;
              branch_off_o = {{11{hw1_i[10]}}, hw1_i[10], hw2_i[11], hw2_i[13], hw1_i[5:0], hw2_i[10:0], 1'b0};
              a32_body = {4'b1010, 24'd0};
            end else begin
              casez (hw1_i[10:4])
                7'b011100?: begin   // MSR (register), MSR (banked register)
                  a32_body = hw2_i[5] ? {5'b00010, hw1_i[4], 2'b10, hw2_i[11:8], 4'hF, 3'b001, hw2_i[4], 4'h0, rn4}
                                      : {5'b00010, hw1_i[4], 2'b10, hw2_i[11:8], 4'hF, 8'h00, rn4};
                end
                7'b0111010: begin   // hints; CPS.W (T2, B9.3.1) when imod:M != 0 -> A32 CPS (cond 1111)
                  if (hw2_i[10:8] != 3'b000) begin
                    a32_body = {8'h10, hw2_i[10:9], hw2_i[8], 1'b0, 7'd0, hw2_i[7:5], 1'b0, hw2_i[4:0]};
                    fcond_en = 1'b1;
                  end else if (hw2_i[7:0] <= 8'd4) a32_body = {A32_NOP[27:8], hw2_i[7:0]};
                  else undef_o = 1'b1;
                end
                7'b0111011: begin   // CLREX DSB DMB ISB
                  case (hw2_i[7:4])
                    4'b0010: a32_body = 28'h57FF01F;
                    4'b0100: a32_body = {24'h57FF04, hw2_i[3:0]};
                    4'b0101: a32_body = {24'h57FF05, hw2_i[3:0]};
                    4'b0110: a32_body = {24'h57FF06, hw2_i[3:0]};
                    default: undef_o = 1'b1;
                  endcase
                  fcond_en = 1'b1;
                end
                7'b0111101: begin   // SUBS PC, LR, #imm8 (ERET when 0)
                  a32_body = hw2_i[7:0] == 8'd0 ? 28'h160006E : {20'h25EF0, hw2_i[7:0]};
                end
                7'b011111?: begin   // MRS, MRS (banked register)
                  a32_body = hw2_i[5] ? {5'b00010, hw1_i[4], 2'b00, rn4, rd4, 3'b001, hw2_i[4], 8'h00}
                                      : {5'b00010, hw1_i[4], 2'b00, 4'hF, rd4, 12'd0};
                end
                7'b1111110: begin   // HVC #imm16
                  a32_body = {8'h14, hw1_i[3:0], hw2_i[11:4], 4'h7, hw2_i[3:0]};
                  fcond_en = 1'b1;
                  fcond = 4'hE;
                end
                7'b1111111: begin
                  if (hw2_i[13]) begin   // UDF.W #imm16
                    a32_body = {8'h7F, hw1_i[3:0], hw2_i[11:4], 4'hF, hw2_i[3:0]};
                    undef_o = 1'b1;
                    fcond_en = 1'b1;
                    fcond = 4'hE;
                  end else begin         // SMC #imm4
                    a32_body = {24'h160007, hw1_i[3:0]};
                  end
                end
                default: undef_o = 1'b1;
              endcase
            end
          end else if (hw2_i[14] == 1'b1 && hw2_i[12] == 1'b0) begin   // BLX (immediate)
            branch_o = 1'b1;
            branch_link_o = 1'b1;
            branch_to_arm_o = 1'b1;
            branch_off_o = {{7{hw1_i[10]}}, hw1_i[10], ~(hw2_i[13] ^ hw1_i[10]), ~(hw2_i[11] ^ hw1_i[10]),
                            hw1_i[9:0], hw2_i[10:1], 2'b00};
            pc_align_o = 1'b1;
            undef_o = hw2_i[0];
            a32_body = 28'hA000000;
          end else begin   // B.W T4 / BL
            branch_o = 1'b1;
            branch_link_o = hw2_i[14];
            branch_off_o = {{7{hw1_i[10]}}, hw1_i[10], ~(hw2_i[13] ^ hw1_i[10]), ~(hw2_i[11] ^ hw1_i[10]),
                            hw1_i[9:0], hw2_i[10:0], 1'b0};
            a32_body = {3'b101, hw2_i[14], 24'd0};
          end
        end
        // ---- store / load single (A6.3.7-A6.3.10)
        10'b11_00?????_?: begin
          if (hw1_i[6:5] == 2'b11 || (hw1_i[8] && !hw1_i[4])) undef_o = 1'b1;
          if (hw1_i[4] && hw1_i[6:5] != 2'b10 && rt4 == 4'hF) begin   // PLD/PLI: only PLD imm12
            a32_body = {8'h5D, rn4, 4'hF, hw2_i[11:0]};
            fcond_en = 1'b1;
            undef_o = !(hw1_i[7] && !hw1_i[8] && hw1_i[6:5] == 2'b00 && rn4 != 4'hF);
          end else if (hw1_i[6:5] == 2'b10 || (hw1_i[6:5] == 2'b00 && !hw1_i[8])) begin   // word / byte
            if (hw1_i[4] && rn4 == 4'hF) begin   // literal
              pc_align_o = 1'b1;
              a32_body = {3'b010, 1'b1, hw1_i[7], hw1_i[6:5] == 2'b00, 1'b0, 1'b1, 4'hF, rt4, hw2_i[11:0]};
            end else if (hw1_i[7]) begin         // imm12
              a32_body = {3'b010, 1'b1, 1'b1, hw1_i[6:5] == 2'b00, 1'b0, hw1_i[4], rn4, rt4, hw2_i[11:0]};
            end else if (hw2_i[11]) begin        // imm8, P U W
              a32_body = {3'b010, hw2_i[10], hw2_i[9], hw1_i[6:5] == 2'b00, hw2_i[8] & hw2_i[10], hw1_i[4],
                          rn4, rt4, 4'd0, hw2_i[7:0]};
              if (!hw2_i[10] && !hw2_i[8]) undef_o = 1'b1;
              if (hw2_i[10:8] == 3'b110) unpriv_o = 1'b1;   // LDRT/STRT/LDRBT/STRBT: [Rn, #imm8] as PL0
            end else begin                       // register, LSL #imm2
              a32_body = {3'b011, 1'b1, 1'b1, hw1_i[6:5] == 2'b00, 1'b0, hw1_i[4], rn4, rt4, 3'd0, hw2_i[5:4],
                          3'b000, hw2_i[3:0]};
              if (hw2_i[10:6] != 5'd0) undef_o = 1'b1;
            end
          end else begin   // halfword, signed byte, signed halfword
            a32_body = {3'b000, 1'b1, 1'b1, 1'b1, 1'b0, hw1_i[4], rn4, rt4, 4'd0, 1'b1, hw1_i[8],
                        hw1_i[6:5] == 2'b01, 1'b1, 4'd0};
            off = 32'd0;
            if (hw1_i[4] && rn4 == 4'hF) begin   // literal
              pc_align_o = 1'b1;
              a32_body[23] = hw1_i[7];
              off = {20'd0, hw2_i[11:0]};
            end else if (hw1_i[7]) begin
              off = {20'd0, hw2_i[11:0]};
            end else if (hw2_i[11]) begin
              a32_body[24] = hw2_i[10];
              a32_body[23] = hw2_i[9];
              a32_body[21] = hw2_i[8] & hw2_i[10];
              off = {24'd0, hw2_i[7:0]};
              if (!hw2_i[10] && !hw2_i[8]) undef_o = 1'b1;
              if (hw2_i[10:8] == 3'b110) unpriv_o = 1'b1;   // LDRHT/STRHT/LDRSBT/LDRSHT
            end else begin   // register, LSL #imm2 (the shift in the side band)
              a32_body[22] = 1'b0;
              a32_body[3:0] = hw2_i[3:0];
              rm_lsl_o = hw2_i[5:4];
              if (hw2_i[10:6] != 5'd0) undef_o = 1'b1;
            end
            if (a32_body[22]) begin
              a32_body[11:8] = off[7:4];
              a32_body[3:0] = off[3:0];
              if (off[31:8] != 24'd0) begin
                imm_valid_o = 1'b1;
                imm32_o = off;
                a32_body[11:8] = 4'd0;
                a32_body[3:0] = 4'd0;
              end
            end
          end
        end
        // ---- data processing (register) (A6.3.12) and miscellaneous (A6.3.15)
        10'b11_010????_?: begin
          if (hw1_i[7] == 1'b0 && hw2_i[7:4] == 4'b0000) begin   // LSL/LSR/ASR/ROR (register)
            a32_body = {7'b0001101, hw1_i[4], 4'd0, rd4, hw2_i[3:0], 1'b0, hw1_i[6:5], 1'b1, rn4};
            undef_o = hw2_i[15:12] != 4'hF;
          end else if (hw1_i[7] == 1'b0 && hw2_i[7] == 1'b1) begin   // (S|U)XTA(B|H|B16)
            case (hw1_i[6:4])
              3'b000: a32_body = {8'h6B, rn4, rd4, hw2_i[5:4], 6'b000111, hw2_i[3:0]};
              3'b001: a32_body = {8'h6F, rn4, rd4, hw2_i[5:4], 6'b000111, hw2_i[3:0]};
              3'b010: a32_body = {8'h68, rn4, rd4, hw2_i[5:4], 6'b000111, hw2_i[3:0]};
              3'b011: a32_body = {8'h6C, rn4, rd4, hw2_i[5:4], 6'b000111, hw2_i[3:0]};
              3'b100: a32_body = {8'h6A, rn4, rd4, hw2_i[5:4], 6'b000111, hw2_i[3:0]};
              3'b101: a32_body = {8'h6E, rn4, rd4, hw2_i[5:4], 6'b000111, hw2_i[3:0]};
              default: undef_o = 1'b1;
            endcase
          end else if (hw1_i[7:6] == 2'b10 && hw2_i[7:6] == 2'b10) begin   // REV* RBIT CLZ
            case ({hw1_i[5:4], hw2_i[5:4]})
              4'b0000, 4'b0001, 4'b0010, 4'b0011:   // QADD QDADD QSUB QDSUB
                a32_body = {5'b00010, hw2_i[4], hw2_i[5], 1'b0, rn4, rd4, 8'h05, hw2_i[3:0]};
              4'b0100: a32_body = {8'h6B, 4'hF, rd4, 8'hF3, hw2_i[3:0]};
              4'b0101: a32_body = {8'h6B, 4'hF, rd4, 8'hFB, hw2_i[3:0]};
              4'b0110: a32_body = {8'h6F, 4'hF, rd4, 8'hF3, hw2_i[3:0]};
              4'b0111: a32_body = {8'h6F, 4'hF, rd4, 8'hFB, hw2_i[3:0]};
              4'b1100: a32_body = {8'h16, 4'hF, rd4, 8'hF1, hw2_i[3:0]};
              default: undef_o = 1'b1;
            endcase
          end else undef_o = 1'b1;
        end
        // ---- multiply, multiply accumulate (A6.3.16)
        10'b11_0110???_?: begin
          if (hw1_i[6:4] == 3'b000 && hw2_i[5:4] == 2'b00) begin
            a32_body = rt4 == 4'hF ? {8'h00, rd4, 4'd0, hw2_i[3:0], 4'b1001, rn4}
                                   : {8'h02, rd4, rt4, hw2_i[3:0], 4'b1001, rn4};
          end else if (hw1_i[6:4] == 3'b000 && hw2_i[5:4] == 2'b01) begin   // MLS
            a32_body = {8'h06, rd4, rt4, hw2_i[3:0], 4'b1001, rn4};
          end else if (hw1_i[6:4] == 3'b001) begin   // SMLA<x><y> / SMUL<x><y> (Ra = PC); T32 N:M = hw2[5:4]
            a32_body = rt4 == 4'hF ? {8'h16, rd4, 4'd0, hw2_i[3:0], 1'b1, hw2_i[4], hw2_i[5], 1'b0, rn4}
                                   : {8'h10, rd4, rt4, hw2_i[3:0], 1'b1, hw2_i[4], hw2_i[5], 1'b0, rn4};
          end else if (hw1_i[6:4] == 3'b011 && !hw2_i[5]) begin   // SMLAW<y> / SMULW<y> (Ra = PC)
            a32_body = rt4 == 4'hF ? {8'h12, rd4, 4'd0, hw2_i[3:0], 1'b1, hw2_i[4], 2'b10, rn4}
                                   : {8'h12, rd4, rt4, hw2_i[3:0], 1'b1, hw2_i[4], 2'b00, rn4};
          end else if (hw1_i[6:4] == 3'b101 && !hw2_i[5]) begin   // SMMLA{R} / SMMUL{R} (Ra = PC)
            a32_body = {8'h75, rd4, rt4, hw2_i[3:0], 2'b00, hw2_i[4], 1'b1, rn4};
          end else if (hw1_i[6:4] == 3'b110 && !hw2_i[5]) begin   // SMMLS{R}
            a32_body = {8'h75, rd4, rt4, hw2_i[3:0], 2'b11, hw2_i[4], 1'b1, rn4};
            undef_o = rt4 == 4'hF;
          end else undef_o = 1'b1;
          if (hw2_i[7:6] != 2'b00) undef_o = 1'b1;
        end
        // ---- long multiply, divide (A6.3.17)
        10'b11_0111???_?: begin
          case ({hw1_i[6:4], hw2_i[7:4]})
            7'b000_0000: a32_body = {8'h0C, rt24, rt4, hw2_i[3:0], 4'b1001, rn4};   // SMULL
            7'b010_0000: a32_body = {8'h08, rt24, rt4, hw2_i[3:0], 4'b1001, rn4};   // UMULL
            7'b100_0000: a32_body = {8'h0E, rt24, rt4, hw2_i[3:0], 4'b1001, rn4};   // SMLAL
            7'b110_0000: a32_body = {8'h0A, rt24, rt4, hw2_i[3:0], 4'b1001, rn4};   // UMLAL
            7'b110_0110: a32_body = {8'h04, rt24, rt4, hw2_i[3:0], 4'b1001, rn4};   // UMAAL
            7'b100_1000, 7'b100_1001, 7'b100_1010, 7'b100_1011:                     // SMLAL<x><y>
              a32_body = {8'h14, rt24, rt4, hw2_i[3:0], 1'b1, hw2_i[4], hw2_i[5], 1'b0, rn4};
            7'b001_1111: a32_body = {8'h71, rd4, 4'hF, hw2_i[3:0], 4'b0001, rn4};   // SDIV
            7'b011_1111: a32_body = {8'h73, rd4, 4'hF, hw2_i[3:0], 4'b0001, rn4};   // UDIV
            default: undef_o = 1'b1;
          endcase
        end
        default: undef_o = 1'b1;
      endcase
    end
    // the condition: a branch T1/T3 carries its own; BLX imm, barriers, CPS,
    // PLD, BKPT, UDF, SMC/HVC have fixed ones
    a32_o = {cond, a32_body[27:0]};
    if (!width32_o && hw1_i[15:12] == 4'b1101 && hw1_i[11:9] != 3'b111) a32_o[31:28] = hw1_i[11:8];
    if (width32_o && hw1_i[12:11] == 2'b10 && hw2_i[15] && hw2_i[14] == 1'b0 && hw2_i[12] == 1'b0 &&
        hw1_i[9:7] != 3'b111)
      a32_o[31:28] = hw1_i[9:6];
    if (branch_to_arm_o) a32_o[31:28] = 4'hF;
    if (fcond_en) a32_o[31:28] = fcond;
  end

endmodule
