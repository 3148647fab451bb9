`timescale 1ns/1ps
// arm_decoder -- decodes the instruction register of arm_core into control
// signals: instruction class (one-hot), register fields, shifter operand
// selects, immediates, the static action kind, the memory-operation set-up,
// the S bit, and whether the encoding is UNDEFINED whatever the state.
// Purely combinational on instr_i: no results, no addresses, no state.
//   ARM ARM A5.1 (unconditional space), A5.2 (data processing and
//   miscellaneous), A5.3 (load/store word and byte), A5.4 (media), A5.5
//   (branch, block transfer), A5.6 (coprocessor, SVC), A7.5/A7.8/A7.9 (VFP
//   transfers), A8.4 (shifts applied to a register), A8.8 (the instructions).
// Left out (decided in arm_core's execute stage because they need state):
// mode-dependent UNDEFINED cases (SRS/RFE/MSR SPSR/ERET/LDM^ in the wrong
// mode, banked-register permissions), the HCR/HSTR/HCPTR/CPACR/FPEXC traps and
// controls, the condition check, and the STREX monitor. The leaf operator
// selects inside a class (which multiply, which extend, ...) are read from
// the instruction word by the execute datapath that computes the result.
// Thumb, Jazelle, SWP, SIMD32 and the rest of arm_core's "left out" list
// decode as UNDEFINED (IC_UNDEF or undef_o).
module arm_decoder
  import arm_pkg::*;
(
  input  logic [31:0]     instr_i,
  output logic            uncond_o,       // cond field 1111: the unconditional space
  output logic [IC_N-1:0] class_o,        // one-hot, bit IC_* of arm_pkg
  output logic            undef_o,        // UNDEFINED whatever the mode and controls
  output act_e            act_o,          // what the execute cycle does unless state overrides it
  output logic            setflags_o,     // the S bit (bit 20)
  // register fields (architectural numbers; arm_core maps them to physical ones)
  output logic [3:0]      rn_o,           // 19:16
  output logic [3:0]      rd_o,           // 15:12
  output logic [3:0]      rs_o,           // 11:8
  output logic [3:0]      rm_o,           // 3:0
  // shifter operand (A8.4): immediate-rotate, register shifted by imm5 or by Rs
  output logic            sh_imm_o,       // the operand is the rotated imm8
  output logic            sh_by_reg_o,    // the shift amount is Rs[7:0]
  output logic [1:0]      sh_type_o,
  output logic [31:0]     sh_imm8_o,      // imm8 zero-extended
  output logic [7:0]      sh_amount_o,    // rotation (2 * rot) or imm5, when not by_reg
  // immediates
  output logic [31:0]     imm16_o,        // MOVW: imm4:imm12
  output logic [31:0]     ls_off_o,       // LDR/STR imm12, extra load/store imm4H:imm4L
  output logic            ls_off_reg_o,   // the load/store offset is a register
  output logic [31:0]     br_off_o,       // B/BL: sign-extended imm24 << 2
  output logic [31:0]     v_off_o,        // VLDR/VSTR/VLDM: imm8 << 2
  output logic [31:0]     msr_mask_o,     // MSR field mask (bits 19:16 -> bytes)
  // memory-operation set-up (used when act is A_MEM)
  output mkind_e          mkind_o,
  output logic            mload_o,
  output logic            msigned_o,
  output logic [1:0]      msize_o,        // 0 byte, 1 half, 2 word
  output logic            muser_o,        // LDM/STM (User registers)
  output logic            meret_o,        // LDM (exception return)
  output logic            mexcl_o,        // LDREX/STREX family
  output logic [15:0]     mlist_o,        // registers to transfer
  output logic            mwb_o,          // base write-back
  output logic [5:0]      mvidx_o,        // M_VFP: first VFP word
  output logic [6:0]      mvcnt_o,        // M_VFP: number of words
  // miscellaneous
  output logic            clrex_o,        // CLREX
  output logic            wfx_o,          // WFI or WFE (hint space)
  output logic            rx_srs_sp_o,    // rx read port: SP of the SRS target mode
  output logic            rx_banked_o,    // rx read port: the banked register of MRS/MSR (banked)
  // CP15 / generic timer fields (MCR/MRC and MCRR/MRRC)
  output logic            cp_is64_o,
  output logic [3:0]      cp_crn_o,
  output logic [3:0]      cp_opc1_o,
  output logic [2:0]      cp_opc2_o,
  output logic            tm_sel_o,       // a generic timer register (c14)
  // VFP transfers
  output logic            v_sys_o,        // VMRS/VMSR
  output logic            v_mov_s_o,      // VMOV Rt<->Sn
  output logic            v_mov_x_o,      // VMOV Rt<->Dn[x]
  output logic            v_mov_2_o,      // VMOV Rt,Rt2<->Dm / Sm,Sm1
  output logic            v_ldr_o,        // VLDR/VSTR
  output logic            v_ldm_o,        // VLDM/VSTM with a valid register list
  output logic            v_dbl_o,        // double-precision registers
  output logic            v_sys_priv_o,   // VMRS/VMSR of a PL1-only register
  output logic [5:0]      v_n_word_o,
  output logic [5:0]      v_m_word_o
);
  logic [31:0] ir;
  logic [5:0]  v_d_word;   // first VFP word of Vd
  assign ir = instr_i;

  assign uncond_o   = (ir[31:28] == 4'b1111);
  assign setflags_o = ir[20];
  assign rn_o = ir[19:16];
  assign rd_o = ir[15:12];
  assign rs_o = ir[11:8];
  assign rm_o = ir[3:0];

  // shifter operand: LDR/STR register offsets shift Rm by imm5
  wire ls_space = (ir[27:26] == 2'b01);
  assign sh_imm_o    = !ls_space && ir[25];
  assign sh_by_reg_o = !ls_space && !ir[25] && ir[4];
  assign sh_type_o   = ir[6:5];
  assign sh_imm8_o   = {24'd0, ir[7:0]};
  assign sh_amount_o = sh_imm_o ? {3'd0, ir[11:8], 1'b0} : {3'd0, ir[11:7]};

  assign imm16_o    = {16'd0, ir[19:16], ir[11:0]};
  assign br_off_o   = {{6{ir[23]}}, ir[23:0], 2'b00};
  assign v_off_o    = {22'd0, ir[7:0], 2'b00};
  assign msr_mask_o = {{8{ir[19]}}, {8{ir[18]}}, {8{ir[17]}}, {8{ir[16]}}};

  // CP15: MCRR/MRRC p15 (A8.8.99/A8.8.109): opc1 in [7:4], CRm; Rt2 in the CRn field
  assign cp_is64_o = (ir[27:21] == 7'b1100010);
  assign cp_crn_o  = cp_is64_o ? 4'd0 : ir[19:16];
  assign cp_opc1_o = cp_is64_o ? ir[7:4] : {1'b0, ir[23:21]};
  assign cp_opc2_o = cp_is64_o ? 3'd0 : ir[7:5];
  // CRn 14 of an MCR/MRC, CRm 14 of an MCRR/MRRC
  assign tm_sel_o  = cp_is64_o ? (ir[3:0] == 4'd14) : (cp_crn_o == 4'd14);

  // Coprocessor 10/11 space (A7.5, A7.8, A7.9): the transfer instructions.
  wire v_space = (ir[27:25] == 3'b110 || ir[27:24] == 4'b1110) && ir[11:9] == 3'b101;
  assign v_sys_o   = ir[27:21] == 7'b1110111 && ir[11:8] == 4'b1010 && ir[7:0] == 8'h10;
  assign v_mov_s_o = ir[27:21] == 7'b1110000 && ir[11:8] == 4'b1010 && ir[6:0] == 7'h10;
  assign v_mov_x_o = ir[27:22] == 6'b111000 && ir[11:8] == 4'b1011 && ir[6:0] == 7'h10;
  assign v_mov_2_o = ir[27:21] == 7'b1100010 && ir[7:6] == 2'b00 && ir[4];
  assign v_ldr_o   = ir[27:24] == 4'b1101 && !ir[21];
  assign v_dbl_o   = ir[8];
  // first word of Vd (D: D:Vd, word 2*d; S: Vd:D)
  assign v_d_word = v_dbl_o ? {ir[22], ir[15:12], 1'b0} : {1'b0, ir[15:12], ir[22]};
  assign v_n_word_o = v_mov_x_o ? {ir[7], ir[19:16], ir[21]} : {1'b0, ir[19:16], ir[7]};
  assign v_m_word_o = v_dbl_o ? {ir[5], ir[3:0], 1'b0} : {1'b0, ir[3:0], ir[5]};
  wire       v_ldm_enc = ir[27:25] == 3'b110 && ((!ir[24] && ir[23]) || (ir[24] && !ir[23] && ir[21]));
  wire [8:0] v_ldm_end = {3'd0, v_d_word} + {1'b0, ir[7:0]};
  wire       v_ldm_ok  = ir[7:0] != 8'd0 && (!v_dbl_o || !ir[0])
                         && v_ldm_end <= (v_dbl_o ? 9'd64 : 9'd32);
  assign v_ldm_o      = v_ldm_enc && v_ldm_ok;
  assign v_sys_priv_o = ir[19:16] != 4'b0001;   // FPSID, FPEXC, MVFR0/1: PL1 only

  // rx read port selects of the execute cycle
  assign rx_srs_sp_o = uncond_o && ir[27:25] == 3'b100 && ir[22] && !ir[20];
  assign rx_banked_o = ir[27:23] == 5'b00010 && !ir[25] && !ir[20] && !ir[7] && ir[6:4] == 3'b000 && ir[9];

  // class, static action and memory set-up, in the priority order of the encoding tables
  always @(*) begin
    class_o = '0; undef_o = 1'b0; act_o = A_RETIRE;
    mkind_o = M_SINGLE; mload_o = 1'b0; msigned_o = 1'b0; msize_o = 2'd2; muser_o = 1'b0;
    meret_o = 1'b0; mexcl_o = 1'b0; mlist_o = 16'd0; mwb_o = 1'b0; mvidx_o = 6'd0; mvcnt_o = 7'd0;
    ls_off_o = {20'd0, ir[11:0]}; ls_off_reg_o = ir[25];
    clrex_o = 1'b0; wfx_o = 1'b0;

    if (uncond_o) begin
      if (ir[27:20] == 8'h10 && ir[16] == 1'b0 && ir[5] == 1'b0) begin
        class_o[IC_CPS] = 1'b1;
      end else if (ir[27:20] == 8'h57 && ir[19:8] == 12'hff0) begin
        class_o[IC_BARRIER] = 1'b1;
        clrex_o = (ir[7:4] == 4'h1);
        undef_o = !(ir[7:4] == 4'h1 || ir[7:4] == 4'h4 || ir[7:4] == 4'h5 || ir[7:4] == 4'h6);
      end else if ((ir[27:24] == 4'b0101 || ir[27:24] == 4'b0100) && ir[22:20] == 3'b101) begin
        class_o[IC_PLHINT] = 1'b1;
      end else if (ir[27:25] == 3'b100 && ir[22] && !ir[20]) begin
        class_o[IC_SRS] = 1'b1;
        act_o = A_MEM; mkind_o = M_SRS; mlist_o = 16'h0003; mwb_o = ir[21];
      end else if (ir[27:25] == 3'b100 && !ir[22] && ir[20]) begin
        class_o[IC_RFE] = 1'b1;
        act_o = A_MEM; mkind_o = M_RFE; mload_o = 1'b1; mlist_o = 16'h0003; mwb_o = ir[21];
      end else begin
        class_o[IC_UNDEF] = 1'b1;   // BLX(imm) needs Thumb; everything else UNDEFINED here
        undef_o = 1'b1;
      end
    end else if (ir[27:26] == 2'b00 && !(ir[25] == 1'b0 && ir[7] && ir[4])) begin
      if (ir[24:23] == 2'b10 && !ir[20]) begin
        if (ir[25]) begin
          case (ir[22:21])
            2'b00: class_o[IC_MOVW] = 1'b1;
            2'b10: class_o[IC_MOVT] = 1'b1;
            default: begin
              if (ir[19:16] == 4'd0 && !ir[22]) begin
                class_o[IC_HINT] = 1'b1;
                wfx_o = (ir[7:0] == 8'h03 || ir[7:0] == 8'h02);
              end else begin
                class_o[IC_MSR_IMM] = 1'b1;
              end
            end
          endcase
        end else if (!ir[7]) begin
          class_o[IC_MISC] = 1'b1;
          case (ir[6:4])
            3'b000, 3'b101, 3'b110: ;
            3'b001: undef_o = !(ir[22:21] == 2'b01 || ir[22:21] == 2'b11);   // BX, CLZ
            3'b011: undef_o = (ir[22:21] != 2'b01);                          // BLX (register)
            3'b111: act_o = A_EXC;                                          // HVC SMC BKPT
            default: undef_o = 1'b1;                                        // BXJ
          endcase
        end else if (!ir[4]) begin
          class_o[IC_HMUL] = 1'b1;
          if (ir[22:21] == 2'b10) act_o = A_WB2;                            // SMLALxy
        end else begin
          class_o[IC_UNDEF] = 1'b1;
          undef_o = 1'b1;
        end
      end else begin
        class_o[IC_DP] = 1'b1;
      end
    end else if (ir[27:24] == 4'b0000 && ir[7:4] == 4'b1001) begin
      class_o[IC_MUL] = 1'b1;
      undef_o = (ir[23:21] == 3'b010 || ir[23:21] == 3'b011) && ir[20];   // UMAAL, MLS with S
      if (ir[23:21] == 3'b010 || ir[23]) act_o = A_WB2;                   // UMAAL, long multiplies
    end else if (ir[27:23] == 5'b00011 && ir[11:4] == 8'hf9) begin
      class_o[IC_EXCL] = 1'b1;
      act_o = A_MEM; mexcl_o = 1'b1; mload_o = ir[20];
      case (ir[22:21])
        2'b00: begin mkind_o = M_SINGLE; msize_o = 2'd2; end
        2'b01: begin mkind_o = M_MULTI; end
        2'b10: begin mkind_o = M_SINGLE; msize_o = 2'd0; end
        default: begin mkind_o = M_SINGLE; msize_o = 2'd1; end
      endcase
      if (ir[20]) mlist_o = (ir[22:21] == 2'b01) ? (16'h3 << rd_o) : (16'h1 << rd_o);
      else        mlist_o = (ir[22:21] == 2'b01) ? (16'h3 << rm_o) : (16'h1 << rm_o);
    end else if (ir[27:25] == 3'b000 && ir[7] && ir[4]) begin
      class_o[IC_XLDST] = 1'b1;
      act_o = A_MEM; mwb_o = !ir[24] || ir[21]; mlist_o = 16'h1 << rd_o;
      ls_off_o = {24'd0, ir[11:8], ir[3:0]}; ls_off_reg_o = !ir[22];
      if (ir[6:5] == 2'b00) begin
        undef_o = 1'b1;                                                    // SWP: not here
      end else if (ir[6:5] == 2'b01) begin
        mload_o = ir[20]; msize_o = 2'd1;                                  // LDRH/STRH
      end else if (ir[20]) begin
        mload_o = 1'b1; msigned_o = 1'b1; msize_o = ir[5] ? 2'd1 : 2'd0;  // LDRSH/LDRSB
      end else begin
        mkind_o = M_MULTI; mload_o = !ir[5]; mlist_o = 16'h3 << rd_o;      // LDRD/STRD
        undef_o = rd_o[0];
      end
    end else if (ir[27:26] == 2'b01 && !(ir[25] && ir[4])) begin
      class_o[IC_LDST] = 1'b1;
      act_o = A_MEM; mwb_o = !ir[24] || ir[21];
      mload_o = ir[20]; msize_o = ir[22] ? 2'd0 : 2'd2; mlist_o = 16'h1 << rd_o;
    end else if (ir[27:25] == 3'b011) begin
      class_o[IC_MEDIA] = 1'b1;
      case (ir[24:23])
        2'b01: undef_o = !((ir[22:20] == 3'b000 && !ir[5])                                       // PKH
                           || (ir[21] && !ir[5])                                                 // SSAT USAT
                           || (ir[7:5] == 3'b011 && ir[22:20] != 3'b000 && ir[22:20] != 3'b100)  // extends
                           || (ir[22:20] == 3'b011 && (ir[7:5] == 3'b001 || ir[7:5] == 3'b101))  // REV REV16
                           || (ir[22:20] == 3'b111 && (ir[7:5] == 3'b001 || ir[7:5] == 3'b101))); // RBIT REVSH
        2'b10: undef_o = !((ir[22:20] == 3'b001 && ir[7:5] == 3'b000)                            // SDIV
                           || (ir[22:20] == 3'b011 && ir[7:5] == 3'b000)                         // UDIV
                           || (ir[22:20] == 3'b101 && (ir[7:6] == 2'b00 || ir[7:6] == 2'b11)));  // SMMUL...
        2'b11: begin
          if (ir[22:21] == 2'b11 && ir[6:5] == 2'b10)                                            // UBFX
            undef_o = ({1'b0, ir[11:7]} + {1'b0, ir[20:16]} > 6'd31);
          else if (ir[22:21] == 2'b01 && ir[6:5] == 2'b10)                                       // SBFX
            undef_o = ({1'b0, ir[11:7]} + {1'b0, ir[20:16]} > 6'd31);
          else if (ir[22:21] == 2'b10 && ir[6:5] == 2'b00)                                       // BFI BFC
            undef_o = (ir[20:16] < ir[11:7]);
          else undef_o = 1'b1;                                                                   // incl. UDF
        end
        default: undef_o = 1'b1;                                                                 // parallel add/sub
      endcase
    end else if (ir[27:25] == 3'b100) begin
      class_o[IC_LDM] = 1'b1;
      act_o = A_MEM; mkind_o = M_MULTI; mload_o = ir[20]; mlist_o = ir[15:0]; mwb_o = ir[21];
      if (ir[22]) begin
        if (ir[20] && ir[15]) meret_o = 1'b1;     // LDM (exception return)
        else muser_o = 1'b1;                       // LDM/STM (User registers)
      end
      undef_o = (ir[15:0] == 16'd0);
    end else if (ir[27:25] == 3'b101) begin
      class_o[IC_BRANCH] = 1'b1;
    end else if (ir[27:24] == 4'b1111) begin
      class_o[IC_SVC] = 1'b1;
      act_o = A_EXC;
    end else if (ir[27:24] == 4'b1110 && ir[4] && ir[11:8] == 4'hf) begin
      class_o[IC_MCR] = 1'b1;
    end else if (cp_is64_o && ir[11:8] == 4'hf) begin
      class_o[IC_MCRR] = 1'b1;
      if (ir[20]) act_o = A_WB2;                  // MRRC: Rt2 in the second write cycle
      // opc1 > 7 not implemented; PC or Rt == Rt2 UNPREDICTABLE
      undef_o = ir[7] || rd_o == 4'd15 || rn_o == 4'd15 || (ir[20] && rd_o == rn_o);
    end else if (v_space) begin
      class_o[IC_VFP] = 1'b1;
      act_o = A_EXC;                              // UNDEFINED unless arm_core accepts it
      mkind_o = M_VFP; mload_o = ir[20]; mvidx_o = v_d_word;
      mvcnt_o = v_ldr_o ? (v_dbl_o ? 7'd2 : 7'd1) : ir[6:0];
      mwb_o = v_ldm_o && ir[21];
    end else begin
      class_o[IC_UNDEF] = 1'b1;                   // other coprocessors (CP14): UNDEFINED here
      undef_o = 1'b1;
    end
  end
endmodule
