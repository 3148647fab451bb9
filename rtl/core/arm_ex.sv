`timescale 1ns/1ps
// arm_ex -- arm_core's execute datapath: from the instruction in ir_i, the
// decoder's static decode (arm_decoder), the operand values and the state the
// result depends on (CPSR and mode, the SPSR / banked register on the rx port,
// CP15/timer/VFP read data, HCR/HCPTR/CPACR, the exclusive monitor), what the
// execute cycle does: the action (retire, second write, memory beats,
// exception, semihosting, WFI), the register write, the next PC and CPSR, the
// second register write, the memory set-up for arm_lsu, the VFP register
// writes, the exception type with its Hyp syndrome (hsr_o), the exclusive
// monitor set/clear, the rx read index and the CP15/timer access strobe.
// Purely combinational; arm_core holds the state, sequences the controller
// (state_e state_q/state_d) and applies these outputs in S_EXEC.
//
// Implements (ARM ARM ARMv7-A/R):
//   A5/A8  the results of the integer A32 instructions gcc emits for
//          -marm -march=armv7ve: data processing (through arm_shifter/arm_alu),
//          multiplies incl. the halfword/word DSP forms and SMMUL/SMMLA/SMMLS,
//          SDIV/UDIV, QADD/QSUB/QDADD/QDSUB, SSAT/USAT (A2.2.1 saturation),
//          CLZ, MOVW/MOVT, UBFX/SBFX/BFI/BFC, REV/REV16/REVSH/RBIT, PKHBT/PKHTB,
//          SXT*/UXT* incl. the add forms; the addresses and write-back values
//          of single, extra, dual, multiple and exclusive loads/stores;
//          B/BL/BX/BLX(reg).
//   A3.4.1 the local exclusive monitor: LDREX sets, STREX checks and clears, CLREX.
//   B1     MRS/MSR incl. the banked forms (B9.3.9), CPS (B9.3.2), SRS/RFE,
//          ERET (B9.3.3) and SUBS PC, LR (B9.3.19); CPSRWriteByInstr (B1.3.3)
//          with QEMU's choice for the UNPREDICTABLE mode changes.
//   B1.14  the traps decided in execute with their HSR syndrome (B3.13.6): HVC
//          (B9.3.5), SMC under HCR.TSC, WFI/WFE under HCR.TWI/TWE, CP15 MCR/MRC
//          and MCRR/MRRC traps (the decisions are arm_cp15's / the timer's),
//          HCPTR.TCP10/TCP11 (EC 0x07), VMRS of FPSID/MVFRx under HCR.TID0/TID3
//          (EC 0x08); UNDEFINED and SVC taken in Hyp mode (EC 0x00 / 0x11).
//   A7     the VFP transfers (VMRS/VMSR, VMOV core<->S, core<->D[x], the pair
//          forms, VLDR/VSTR, VLDM/VSTM) gated by CPACR.cp10, HCPTR and FPEXC.EN
//          (B1.11.x).
// Semihosting: `SVC #0x123456` outside User mode with semihost_en_i is A_SEMI.
// With psci_en_i (set in every SoC build) an SMC from PL1 or Hyp that HCR.TSC does not
// trap is A_SEMI too: a platform call (PSCI over SMC, answered by the SoC; arm_core
// sh_smc_o), as QEMU virt,virtualization=on treats it; from User mode it stays UNDEFINED.
//
// T32 (t_i = CPSR.T): ir_i is arm_t32_expand's A32 word; pc4_i/pc8_i are the T32
// next address and R15; the side band t_* adds BLX imm, CBZ/CBNZ and IT; every
// instruction does ITAdvance (cpsr_it), MSR/CPS writes of the CPSR included; the
// ncpsr_o of an SVC/HVC carries the advanced ITSTATE arm_core saves in the SPSR. BX/BLX interwork by bit 0, and so do the
// A32 ALU writes to PC (ALUWritePC); a T32 one is BranchWritePC. BL/BLX link
// with bit 0 = T. A32 BLX imm enters Thumb state. Semihosting in T32: SVC #0xab.
//
// Left out (UNDEFINED: the decoder's undef, or A_EXC here): Jazelle (BXJ), SWP, the
// SIMD32 parallel add/subtract family, SEL, SMLAD/SMUAD/SMLSD, USAD8, BKPT,
// CP14, VFP arithmetic, Monitor mode (SMC without HCR.TSC and without psci_en_i,
// the Monitor banked registers), HCR.TGE; WFE is a NOP (no event register).
//
// Icarus 11: every function is called from a continuous assignment (a block
// that calls a function re-triggers on its locals and spins); the enum-typed
// inputs d_act_i / d_mkind_i are converted with a case, not assigned (Icarus
// drops the enum type of an enum port and has no enum casts).
module arm_ex
  import arm_pkg::*;
(
  // instruction and state
  input  logic [31:0]     ir_i,            // the A32 word being executed (ir_q, or arm_t32_expand's)
  input  logic [31:0]     cpsr_i,
  input  logic [31:0]     pc4_i,           // the next instruction's address (A32: + 4; T32: + 2 or 4)
  input  logic [31:0]     pc8_i,           // R15 as read (A32: + 8; T32: + 4, or Align(+ 4, 4))
  input  logic            exec_i,          // the controller is in S_EXEC
  // T32 side band (arm_t32_expand), meaningful when t_i (CPSR.T) is 1
  input  logic            t_i,
  input  logic            t_branch_i,      // B/BL/BLX imm: target = pc8_i + d_br_off_i
  input  logic            t_to_arm_i,      // BLX imm: leave Thumb state
  input  logic            t_cb_i,          // CBZ/CBNZ on rn_v_i (d_br_off_i)
  input  logic            t_cb_nz_i,
  input  logic            t_it_i,          // IT: ITSTATE := t_it_next_i
  input  logic [7:0]      t_it_next_i,
  input  logic            t_it_cond_i,     // T32 SRS/RFE in an IT block: executed only if the IT condition passes
  input  logic            semihost_en_i,
  input  logic            psci_en_i,       // untrapped SMC: platform call (arm_core)
  input  logic            qemu_compat_i,   // HCR.TWE left untrapped, as QEMU 7.2
  input  logic            excl_valid_i,    // exclusive monitor (A3.4.1)
  input  logic [31:0]     excl_addr_i,
  // arm_decoder
  input  logic            d_uncond_i,
  input  logic            d_undef_i,
  input  logic            d_setflags_i,
  input  logic [IC_N-1:0] d_class_i,
  input  act_e            d_act_i,
  input  logic [3:0]      f_rn_i,
  input  logic [3:0]      f_rd_i,
  input  logic [3:0]      f_rm_i,
  input  logic [31:0]     d_imm16_i,
  input  logic [31:0]     d_ls_off_i,
  input  logic [31:0]     d_excl_off_i,    // LDREX/STREX offset (T32 [Rn, #imm8*4]; 0 in A32)
  input  logic            d_ls_off_reg_i,
  input  logic [31:0]     d_br_off_i,
  input  logic [31:0]     v_ls_off_i,
  input  logic [31:0]     d_msr_mask_i,
  input  mkind_e          d_mkind_i,
  input  logic            d_mload_i,
  input  logic            d_msigned_i,
  input  logic            d_muser_i,
  input  logic            d_meret_i,
  input  logic            d_mexcl_i,
  input  logic            d_mwb_i,
  input  logic [1:0]      d_msize_i,
  input  logic [15:0]     d_mlist_i,
  input  logic [5:0]      d_mvidx_i,
  input  logic [6:0]      d_mvcnt_i,
  input  logic            d_clrex_i,
  input  logic            d_wfx_i,
  input  logic            d_rx_srs_sp_i,
  input  logic            d_rx_banked_i,
  input  logic            v_sys_i,
  input  logic            v_mov_s_i,
  input  logic            v_mov_x_i,
  input  logic            v_mov_2_i,
  input  logic            v_ldr_i,
  input  logic            v_ldm_i,
  input  logic            v_dbl_i,
  input  logic            v_sys_priv_i,
  input  logic [5:0]      v_n_word_i,
  input  logic [5:0]      v_m_word_i,
  // physical register indices (arm_pkg numbering) and operand values
  input  logic [5:0]      ra_idx_i,        // Rn of the current mode
  input  logic [5:0]      rd_idx_i,        // Rd of the current mode
  input  logic [5:0]      lr_idx_i,        // LR of the current mode
  input  logic [5:0]      spsr_idx_i,      // SPSR of the current mode
  input  logic [31:0]     rn_v_i,          // operands as read (R15 = address + 8)
  input  logic [31:0]     rm_v_i,
  input  logic [31:0]     rs_v_i,
  input  logic [31:0]     rt_v_i,
  input  logic [31:0]     rx_rdata_i,      // rx port: read at rx_idx_o
  input  logic [31:0]     lr_v_i,
  input  logic [31:0]     elr_hyp_v_i,
  input  logic [31:0]     eret_cpsr_i,     // CPSR an exception return from the SPSR gives
  // arm_shifter / arm_alu
  input  logic [31:0]     sh_result_i,
  input  logic [31:0]     alu_result_i,
  input  logic [3:0]      alu_nzcv_i,
  input  logic            alu_writes_rd_i,
  // CP15 / generic timer
  input  logic [31:0]     cp_rdata_i,
  input  logic [31:0]     cp_rdata_hi_i,
  input  logic            cp_undef_i,
  input  logic            cp_trap_i,
  input  logic [31:0]     hcr_i,
  input  logic            hcptr_tcp_i,
  input  logic [1:0]      cpacr_cp10_i,
  // VFP
  input  logic            fpexc_en_i,
  input  logic [31:0]     v_sys_rdata_i,
  input  logic            v_sys_valid_i,
  input  logic [3:0]      fpscr_nzcv_i,
  input  logic [31:0]     v_ra_i,
  input  logic [31:0]     v_rb_i,
  // results of the execute cycle (used by arm_core in S_EXEC)
  output act_e            act_o,
  output logic            cond_o,          // condition passed (or unconditional)
  output logic            we_o,
  output logic [5:0]      widx_o,
  output logic [31:0]     wdata_o,
  output logic [31:0]     npc_o,
  output logic [31:0]     ncpsr_o,
  output logic [5:0]      wb2_idx_o,
  output logic [31:0]     wb2_val_o,
  output logic [2:0]      exc_o,           // EXC_* when act_o is A_EXC
  output logic [31:0]     hsr_o,           // its syndrome when taken to Hyp mode
  output logic            cp_acc_o,        // CP15 / timer access (in S_EXEC only)
  output logic [5:0]      rx_idx_o,
  // memory set-up (arm_lsu)
  output mkind_e          mkind_o,
  output logic            mload_o,
  output logic            msigned_o,
  output logic            muser_o,
  output logic            mexcl_o,
  output logic            meret_o,
  output logic [1:0]      msize_o,
  output logic [31:0]     maddr_o,
  output logic [15:0]     mlist_o,
  output logic [5:0]      mvidx_o,         // M_VFP: first VFP word
  output logic [6:0]      mvcnt_o,         // M_VFP: number of words
  output logic            wb_en_o,         // base write-back after the beats
  output logic [5:0]      wb_idx_o,
  output logic [31:0]     wb_val_o,
  output logic [3:0]      strex_rd_o,
  output logic            excl_set_o,
  output logic            excl_clr_o,
  // VFP register writes of this instruction
  output logic            vwe0_o,
  output logic            vwe1_o,
  output logic            vsys_we_o,
  output logic [5:0]      vwidx0_o,
  output logic [5:0]      vwidx1_o,
  output logic [31:0]     vwdata0_o,
  output logic [31:0]     vwdata1_o
);

  wire [4:0] mode   = cpsr_i[4:0];
  wire       in_hyp = (mode == MODE_HYP);
  // ir_i[27:25] (the top-level encoding group) is the decoder's alone
  wire       unused_ir = ^ir_i[27:25];

  // The decoder's static action and memory kind (a case, not an assignment:
  // Icarus 11 drops the enum type of an enum port and has no enum casts).
  act_e   d_act;
  mkind_e d_mkind;
  always @(*) begin
    case (d_act_i)
      A_WB2:   d_act = A_WB2;
      A_MEM:   d_act = A_MEM;
      A_EXC:   d_act = A_EXC;
      A_SEMI:  d_act = A_SEMI;
      A_WFI:   d_act = A_WFI;
      default: d_act = A_RETIRE;
    endcase
    case (d_mkind_i)
      M_MULTI: d_mkind = M_MULTI;
      M_SRS:   d_mkind = M_SRS;
      M_RFE:   d_mkind = M_RFE;
      M_VFP:   d_mkind = M_VFP;
      default: d_mkind = M_SINGLE;
    endcase
  end

  // ---------------------------------------------------------------- helpers
  // CPSR write by MSR/CPS (ARM ARM B1.3.3 CPSRWriteByInstr, with QEMU's
  // choice for the UNPREDICTABLE mode changes: the mode field is left alone).
  function automatic logic [31:0] cpsr_write_instr(input logic [31:0] old, input logic [31:0] val,
                                                    input logic [3:0] fields);
    logic [31:0] m, r;
    logic [4:0]  nm;
    m = {{8{fields[3]}}, {8{fields[2]}}, {8{fields[1]}}, {8{fields[0]}}};
    if (old[4:0] == MODE_USR) m = m & 32'hf80f_0000;          // APSR only
    else                     m = m & 32'hf80f_03df;          // no T/J/IT
    nm = val[4:0];
    if (m[0] && nm != old[4:0]) begin
      if (!mode_valid(nm) || nm == MODE_HYP || old[4:0] == MODE_HYP) m = m & ~32'h1f;
    end
    r = (old & ~m) | (val & m);
    return r;
  endfunction

  // Saturation (ARM ARM A2.2.1 SignedSatQ/UnsignedSatQ): {saturated, value}.
  function automatic logic [32:0] sat_signed(input logic signed [63:0] v, input int bits);
    logic signed [63:0] maxv, minv;
    maxv = (64'sd1 <<< (bits - 1)) - 64'sd1;
    minv = -(64'sd1 <<< (bits - 1));
    if (v > maxv) return {1'b1, maxv[31:0]};
    if (v < minv) return {1'b1, minv[31:0]};
    return {1'b0, v[31:0]};
  endfunction

  function automatic logic [32:0] sat_unsigned(input logic signed [63:0] v, input int bits);
    logic signed [63:0] maxv;
    maxv = (64'sd1 <<< bits) - 64'sd1;
    if (v > maxv) return {1'b1, maxv[31:0]};
    if (v < 64'sd0) return {1'b1, 32'd0};
    return {1'b0, v[31:0]};
  endfunction

  function automatic logic [4:0] popcount16(input logic [15:0] l);
    logic [4:0] c;
    c = 5'd0;
    for (int i = 0; i < 16; i++) c = c + {4'd0, l[i]};
    return c;
  endfunction

  // Banked register access (ARM ARM B9.3.9 MRS (Banked register)); returns the
  // physical index and whether the access is permitted (QEMU's rules for
  // the UNPREDICTABLE cases: they are UNDEFINED there).
  function automatic logic [6:0] banked_decode(input logic [4:0] sysm, input logic r,
                                               input logic [4:0] cur);
    logic [4:0] tgt;
    logic [5:0] idx;
    logic       ok;
    logic [3:0] rn;
    ok = 1'b1; idx = 6'd0; tgt = MODE_USR; rn = 4'd0;
    if (!r) begin
      case (sysm[4:3])
        2'b00: begin tgt = MODE_USR; rn = 4'd8 + {1'b0, sysm[2:0]}; ok = (sysm[2:0] != 3'd7); end
        2'b01: begin tgt = MODE_FIQ; rn = 4'd8 + {1'b0, sysm[2:0]}; ok = (sysm[2:0] != 3'd7); end
        default: begin
          rn = sysm[0] ? 4'd13 : 4'd14;
          case (sysm[4:1])
            4'b1000: tgt = MODE_IRQ;
            4'b1001: tgt = MODE_SVC;
            4'b1010: tgt = MODE_ABT;
            4'b1011: tgt = MODE_UND;
            4'b1111: tgt = MODE_HYP;
            default: ok = 1'b0;   // Monitor mode and reserved encodings
          endcase
        end
      endcase
      idx = phys_gpr(tgt, rn);
      if (tgt == MODE_HYP && rn == 4'd14) idx = PHYS_ELR_HYP;
    end else begin
      case (sysm)
        5'b01110: tgt = MODE_FIQ;
        5'b10000: tgt = MODE_IRQ;
        5'b10010: tgt = MODE_SVC;
        5'b10100: tgt = MODE_ABT;
        5'b10110: tgt = MODE_UND;
        5'b11110: tgt = MODE_HYP;
        default: ok = 1'b0;
      endcase
      idx = phys_spsr(tgt);
    end
    if (cur == MODE_USR) ok = 1'b0;
    if (!r && tgt == MODE_HYP && rn == 4'd14) begin
      if (cur != MODE_HYP) ok = 1'b0;               // ELR_hyp: Hyp only
    end else begin
      if (cur == tgt) ok = 1'b0;
      if (tgt == MODE_USR && !r) begin
        if (rn <= 4'd12 && cur != MODE_FIQ) ok = 1'b0;
        if (rn == 4'd13 && cur == MODE_SYS) ok = 1'b0;
        if (rn == 4'd14 && (cur == MODE_HYP || cur == MODE_SYS)) ok = 1'b0;
      end
      if (tgt == MODE_HYP) ok = 1'b0;                 // SP_hyp/SPSR_hyp: Monitor only
    end
    return {ok, idx};
  endfunction

  // ---------------------------------------------------------------- function results
  // (continuous assignments: see the note on Icarus in the header)
  wire       mode_has_spsr = has_spsr(mode);
  wire [5:0] srs_sp_idx  = phys_gpr(ir_i[4:0], 4'd13);
  wire       srs_mode_ok = mode_valid(ir_i[4:0]);
  wire [6:0] bank_dec    = banked_decode({ir_i[8], ir_i[19:16]}, ir_i[22], mode);

  // ---------------------------------------------------------------- VFP access controls
  // Coprocessor 10/11 space (A7.5, A7.8, A7.9): the transfer instructions
  // (decoded by arm_decoder: v_sys_i, v_mov_*, v_ldr_i, v_ldm_i, v_*_word).
  wire       v_pl0      = (mode == MODE_USR);
  // B1.11.x access controls, in priority order: CPACR.cp10 (UNDEFINED), HCPTR (trap), FPEXC.EN
  wire       v_cpacr_ok = in_hyp || (v_pl0 ? cpacr_cp10_i == 2'b11 : cpacr_cp10_i[0]);
  wire       v_en_ok    = fpexc_en_i || (v_sys_i && v_sys_priv_i && !v_pl0);
  // VMRS of the ID registers from PL1 (B1.14.x): FPSID under HCR.TID0, MVFR0/1 under TID3
  wire       v_id_trap  = v_sys_i && ir_i[20] && !in_hyp && !v_pl0
                          && ((ir_i[19:16] == 4'b0000 && hcr_i[HCR_TID0])
                              || ((ir_i[19:16] == 4'b0110 || ir_i[19:16] == 4'b0111) && hcr_i[HCR_TID3]));
  wire [31:0] v_ls_base = (f_rn_i == 4'd15) ? {pc8_i[31:2], 2'b00} : rn_v_i;

  // ---------------------------------------------------------------- execute
  // scratch
  logic [63:0] prod_u, prod_s, acc64, long_res;
  logic [31:0] off, addr_off, ext_src, ext_val, tmp32, bf_mask;
  logic [4:0]  nregs;

  logic [6:0]  bk;
  logic signed [63:0] s64a, s64b;
  logic [31:0] spsr_v;

  assign spsr_v = rx_rdata_i;  // in S_EXEC the rx port reads the SPSR unless told otherwise

  // ITSTATE (CPSR[15:10,26:25]) after this instruction: IT sets it, every other
  // T32 instruction (executed or condition-failed) advances it (A2.5.2 ITAdvance)
  wire [7:0]  it_cur  = {cpsr_i[15:10], cpsr_i[26:25]};
  wire [7:0]  it_adv  = (it_cur[2:0] == 3'b000) ? 8'd0 : {it_cur[7:5], it_cur[3:0], 1'b0};
  wire [7:0]  it_new  = !t_i ? it_cur : t_it_i ? t_it_next_i : it_adv;
  wire [31:0] cpsr_it = {cpsr_i[31:27], it_new[1:0], cpsr_i[24:16], it_new[7:2], cpsr_i[9:0]};

  // More function results (continuous assignments, as above).
  wire        cond_ok = cond_pass(ir_i[31:28], cpsr_i);
  // T32 SRS/RFE in an IT block (t_it_cond_i): the A32 word is cond 1111, the IT condition decides
  wire        cond_it_ok = cond_pass(it_cur[7:4], cpsr_i);
  logic [31:0] cps_val;
  always @(*) begin
    cps_val = cpsr_i;
    if (ir_i[19]) begin
      if (ir_i[8]) cps_val[PSR_A] = ir_i[18];
      if (ir_i[7]) cps_val[PSR_I] = ir_i[18];
      if (ir_i[6]) cps_val[PSR_F] = ir_i[18];
    end
    if (ir_i[17]) cps_val[4:0] = ir_i[4:0];
  end
  // (from cpsr_it: MSR/CPS in an IT block still do ITAdvance; = cpsr_i in A32)
  wire [31:0] cps_cpsr     = cpsr_write_instr(cpsr_it, cps_val, 4'b0011);   // A is bit 8
  wire [31:0] msr_imm_cpsr = cpsr_write_instr(cpsr_it, sh_result_i, ir_i[19:16]);
  wire [31:0] msr_reg_cpsr = cpsr_write_instr(cpsr_it, rm_v_i, ir_i[19:16]);
  wire [4:0]  ldm_nregs    = popcount16(ir_i[15:0]);
  // QADD/QSUB/QDADD/QDSUB: Rd = sat(Rm +- [sat(2 * Rn)]), register fields as encoded
  wire signed [63:0] q_rn  = $signed({{32{rn_v_i[31]}}, rn_v_i});
  wire signed [63:0] q_rm  = $signed({{32{rm_v_i[31]}}, rm_v_i});
  wire [32:0] q_dbl        = sat_signed(q_rn * 64'sd2, 32);
  wire signed [63:0] q_op2 = ir_i[22] ? $signed({{32{q_dbl[31]}}, q_dbl[31:0]}) : q_rn;
  wire [32:0] q_res        = sat_signed(ir_i[21] ? q_rm - q_op2 : q_rm + q_op2, 32);
  // SSAT/USAT operand: Rn shifted LSL or ASR (ASR #0 encodes #32)
  wire [31:0] sat_src  = ir_i[6] ? ((ir_i[11:7] == 5'd0) ? {32{rm_v_i[31]}} : $unsigned($signed(rm_v_i) >>> ir_i[11:7]))
                                 : (rm_v_i << ir_i[11:7]);
  wire [32:0] ssat_res = sat_signed($signed({{32{sat_src[31]}}, sat_src}), {27'd0, ir_i[20:16]} + 1);
  wire [32:0] usat_res = sat_unsigned($signed({{32{sat_src[31]}}, sat_src}), {27'd0, ir_i[20:16]});

  // rx read port in the execute cycle: SP of the SRS target mode, the banked
  // register of MRS/MSR (banked), else the current mode's SPSR.
  logic [6:0] x_bk;
  always @(*) begin
    x_bk = bank_dec;
    rx_idx_o = spsr_idx_i;
    if (d_rx_srs_sp_i)
      rx_idx_o = srs_sp_idx;
    else if (d_rx_banked_i)
      rx_idx_o = x_bk[5:0];
  end

  wire        a32_blx_imm = (ir_i[31:25] == 7'b1111101);
  // the link value of BL/BLX: the next instruction, bit 0 = the state it was called from
  wire [31:0] link_v  = pc4_i | {31'd0, t_i};

  // The execute datapath: results, addresses and the state-dependent decisions
  // (modes, traps, condition, monitor) on top of arm_decoder's static decode.
  always @(*) begin
    act_o = d_act; we_o = 1'b0; widx_o = rd_idx_i; wdata_o = 32'd0;
    npc_o = pc4_i; ncpsr_o = cpsr_it; wb2_idx_o = 6'd0; wb2_val_o = 32'd0; exc_o = EXC_UND;
    hsr_o = {EC_UNKNOWN, 1'b0, 25'd0};   // UNDEFINED in Hyp: EC 0, IL 0 (v7, as QEMU)
    mvidx_o = d_mvidx_i; mvcnt_o = d_mvcnt_i;
    vwe0_o = 1'b0; vwe1_o = 1'b0; vsys_we_o = 1'b0;
    vwidx0_o = v_n_word_i; vwidx1_o = 6'd0; vwdata0_o = rt_v_i; vwdata1_o = rn_v_i;
    mkind_o = d_mkind; mload_o = d_mload_i; msigned_o = d_msigned_i; muser_o = d_muser_i; mexcl_o = d_mexcl_i;
    meret_o = d_meret_i; msize_o = d_msize_i; maddr_o = 32'd0; mlist_o = d_mlist_i;
    wb_en_o = d_mwb_i; wb_idx_o = ra_idx_i; wb_val_o = 32'd0; strex_rd_o = 4'd0;
    excl_set_o = 1'b0; excl_clr_o = 1'b0;
    cp_acc_o = 1'b0;
    prod_u = 64'd0; prod_s = 64'd0; acc64 = 64'd0; long_res = 64'd0;
    off = 32'd0; addr_off = 32'd0; ext_src = 32'd0; ext_val = 32'd0; tmp32 = 32'd0;
    bf_mask = 32'd0; nregs = 5'd0;
    bk = 7'd0;
    s64a = 64'sd0; s64b = 64'sd0;
    cond_o = d_uncond_i ? (!t_it_cond_i || cond_it_ok) : cond_ok;

    if (d_uncond_i && cond_o) begin
      // ------------------------------------------------ unconditional space
      if (d_class_i[IC_CPS]) begin
        // CPS (B9.3.2): in User mode a NOP
        if (mode != MODE_USR) ncpsr_o = cps_cpsr;
      end else if (d_class_i[IC_BARRIER]) begin
        // CLREX / DSB / DMB / ISB (others UNDEFINED: d_undef_i)
        excl_clr_o = d_clrex_i;
      end else if (d_class_i[IC_SRS]) begin
        // SRS: store LR and SPSR of the current mode to the stack of ir[4:0]
        bk = {1'b0, srs_sp_idx};
        if (mode == MODE_USR || mode == MODE_SYS || mode == MODE_HYP ||
            !srs_mode_ok || ir_i[4:0] == MODE_HYP || ir_i[4:0] == MODE_USR) begin
          act_o = A_EXC;
        end else begin
          case ({ir_i[24], ir_i[23]})
            2'b00: maddr_o = rx_rdata_i - 32'd4;   // DA
            2'b01: maddr_o = rx_rdata_i;           // IA
            2'b10: maddr_o = rx_rdata_i - 32'd8;   // DB
            default: maddr_o = rx_rdata_i + 32'd4; // IB
          endcase
          wb_idx_o = bk[5:0];
          wb_val_o = ir_i[23] ? rx_rdata_i + 32'd8 : rx_rdata_i - 32'd8;
        end
      end else if (d_class_i[IC_RFE]) begin
        // RFE
        if (mode == MODE_USR) act_o = A_EXC;
        else begin
          case ({ir_i[24], ir_i[23]})
            2'b00: maddr_o = rn_v_i - 32'd4;
            2'b01: maddr_o = rn_v_i;
            2'b10: maddr_o = rn_v_i - 32'd8;
            default: maddr_o = rn_v_i + 32'd4;
          endcase
          wb_val_o = ir_i[23] ? rn_v_i + 32'd8 : rn_v_i - 32'd8;
        end
      end
      // IC_PLHINT (PLD/PLDW/PLI): hints, no effect; IC_UNDEF: d_undef_i
    end else if (!cond_o) begin
      // condition failed: retire as a NOP
    end else if (d_class_i[IC_MOVW]) begin
      we_o = 1'b1; wdata_o = d_imm16_i;
    end else if (d_class_i[IC_MOVT]) begin
      we_o = 1'b1; wdata_o = {d_imm16_i[15:0], rt_v_i[15:0]};
    end else if (d_class_i[IC_HINT]) begin
      // hints: NOP YIELD WFE WFI SEV DBG; WFE is a NOP here (no events)
      if (d_wfx_i) begin
        if (!in_hyp && (ir_i[0] ? hcr_i[HCR_TWI] : hcr_i[HCR_TWE] && !qemu_compat_i)) begin
          act_o = A_EXC; exc_o = EXC_HYP;
          hsr_o = {EC_WFX, 1'b1, ISS_CV_COND, 19'd0, ~ir_i[0]};
        end else if (ir_i[0]) act_o = A_WFI;
      end
    end else if (d_class_i[IC_MSR_IMM]) begin
      // MSR (immediate)
      if (ir_i[22]) begin
        if (!mode_has_spsr) act_o = A_EXC;
        else begin
          we_o = 1'b1; widx_o = spsr_idx_i;
          wdata_o = (spsr_v & ~d_msr_mask_i) | (sh_result_i & d_msr_mask_i);
        end
      end else begin
        ncpsr_o = msr_imm_cpsr;
      end
    end else if (d_class_i[IC_MISC]) begin
      // miscellaneous instructions (A5.2.12); the encodings left out are d_undef_i
      case (ir_i[6:4])
        3'b000: begin
          if (ir_i[9]) begin
            // banked MRS / MSR
            bk = bank_dec;
            if (!bk[6]) act_o = A_EXC;
            else if (!ir_i[21]) begin we_o = 1'b1; widx_o = rd_idx_i; wdata_o = rx_rdata_i; end
            else begin we_o = 1'b1; widx_o = bk[5:0]; wdata_o = rm_v_i; end
          end else if (!ir_i[21]) begin
            // MRS
            if (ir_i[22]) begin
              if (!mode_has_spsr) act_o = A_EXC;
              else begin we_o = 1'b1; wdata_o = spsr_v; end
            end else begin
              we_o = 1'b1; wdata_o = cpsr_i & ~32'h0700_fc20;   // execution state bits read as 0
            end
          end else begin
            // MSR (register)
            if (ir_i[22]) begin
              if (!mode_has_spsr) act_o = A_EXC;
              else begin
                we_o = 1'b1; widx_o = spsr_idx_i;
                wdata_o = (spsr_v & ~d_msr_mask_i) | (rm_v_i & d_msr_mask_i);
              end
            end else begin
              ncpsr_o = msr_reg_cpsr;
            end
          end
        end
        3'b001: begin
          if (ir_i[22:21] == 2'b01) begin                                   // BX (interworking)
            npc_o = rm_v_i & ~32'd1; ncpsr_o[PSR_T] = rm_v_i[0];
          end
          else if (ir_i[22:21] == 2'b11) begin                              // CLZ
            we_o = 1'b1;
            wdata_o = 32'd32;
            for (int i = 0; i < 32; i++) if (rm_v_i[i]) wdata_o = 32'd31 - i;
          end
        end
        3'b011: begin
          if (ir_i[22:21] == 2'b01) begin                                   // BLX (register)
            npc_o = rm_v_i & ~32'd1; ncpsr_o[PSR_T] = rm_v_i[0];
            we_o = 1'b1; widx_o = lr_idx_i; wdata_o = link_v;
          end
        end
        3'b101: begin
          // QADD QSUB QDADD QDSUB
          we_o = 1'b1;
          wdata_o = q_res[31:0];
          if (q_res[32] || (ir_i[22] && q_dbl[32])) ncpsr_o[PSR_Q] = 1'b1;
        end
        3'b110: begin
          // ERET (B9.3.3): Hyp returns through ELR_hyp; PL1 as SUBS PC, LR, #0
          if (ir_i[22:21] == 2'b11 && mode != MODE_USR && mode != MODE_SYS) begin
            ncpsr_o = eret_cpsr_i;
            npc_o = ((mode == MODE_HYP) ? elr_hyp_v_i : lr_v_i) & ~32'd1;
          end else act_o = A_EXC;
        end
        3'b111: begin
          // HVC (B9.3.5): to Hyp mode; UNDEFINED in User mode.
          // SMC: UNDEFINED (no Security Extensions) unless HCR.TSC traps it
          // from PL1 (B1.14.6) or, with psci_en_i, it is a PSCI call (from PL1 or
          // Hyp, QEMU's SMC conduit). BKPT: UNDEFINED here. (d_act_i: A_EXC)
          if (ir_i[22:21] == 2'b10 && mode != MODE_USR) begin
            exc_o = EXC_HYP;
            hsr_o = {EC_HVC, 1'b1, 9'd0, ir_i[19:8], ir_i[3:0]};
          end else if (ir_i[22:21] == 2'b11 && mode != MODE_USR && !in_hyp && hcr_i[HCR_TSC]) begin
            exc_o = EXC_HYP;
            hsr_o = {EC_SMC, 1'b1, 25'd0};
          end else if (ir_i[22:21] == 2'b11 && mode != MODE_USR && psci_en_i) begin
            act_o = A_SEMI;   // platform call (PSCI over SMC), arm_core psci_en_i
          end
        end
        default: ;   // BXJ: d_undef_i
      endcase
    end else if (d_class_i[IC_HMUL]) begin
      // signed halfword multiplies (A5.2.7): Rd=19:16 Ra=15:12 Rm=11:8 Rn=3:0
      s64a = ir_i[5] ? $signed({{48{rm_v_i[31]}}, rm_v_i[31:16]}) : $signed({{48{rm_v_i[15]}}, rm_v_i[15:0]});
      case (ir_i[22:21])
        2'b00: begin   // SMLAxy
          s64a = (ir_i[6] ? $signed({{48{rs_v_i[31]}}, rs_v_i[31:16]}) : $signed({{48{rs_v_i[15]}}, rs_v_i[15:0]}));
          s64b = ir_i[5] ? $signed({{48{rm_v_i[31]}}, rm_v_i[31:16]}) : $signed({{48{rm_v_i[15]}}, rm_v_i[15:0]});
          s64a = s64a * s64b + $signed({{32{rt_v_i[31]}}, rt_v_i});
          we_o = 1'b1; widx_o = ra_idx_i; wdata_o = s64a[31:0];
          if (s64a != $signed({{32{s64a[31]}}, s64a[31:0]})) ncpsr_o[PSR_Q] = 1'b1;
        end
        2'b01: begin   // SMLAWy (bit5=0) / SMULWy (bit5=1)
          s64a = $signed({{32{rm_v_i[31]}}, rm_v_i}) *
                 (ir_i[6] ? $signed({{48{rs_v_i[31]}}, rs_v_i[31:16]}) : $signed({{48{rs_v_i[15]}}, rs_v_i[15:0]}));
          s64a = s64a >>> 16;
          if (!ir_i[5]) s64a = s64a + $signed({{32{rt_v_i[31]}}, rt_v_i});
          we_o = 1'b1; widx_o = ra_idx_i; wdata_o = s64a[31:0];
          if (!ir_i[5] && s64a != $signed({{32{s64a[31]}}, s64a[31:0]})) ncpsr_o[PSR_Q] = 1'b1;
        end
        2'b10: begin   // SMLALxy: RdHi=19:16 RdLo=15:12 (d_act_i: A_WB2)
          s64a = (ir_i[6] ? $signed({{48{rs_v_i[31]}}, rs_v_i[31:16]}) : $signed({{48{rs_v_i[15]}}, rs_v_i[15:0]}));
          s64b = ir_i[5] ? $signed({{48{rm_v_i[31]}}, rm_v_i[31:16]}) : $signed({{48{rm_v_i[15]}}, rm_v_i[15:0]});
          long_res = $unsigned(s64a * s64b) + {rn_v_i, rt_v_i};
          we_o = 1'b1; widx_o = rd_idx_i; wdata_o = long_res[31:0];
          wb2_idx_o = ra_idx_i; wb2_val_o = long_res[63:32];
        end
        default: begin // SMULxy
          s64a = (ir_i[6] ? $signed({{48{rs_v_i[31]}}, rs_v_i[31:16]}) : $signed({{48{rs_v_i[15]}}, rs_v_i[15:0]}));
          s64b = ir_i[5] ? $signed({{48{rm_v_i[31]}}, rm_v_i[31:16]}) : $signed({{48{rm_v_i[15]}}, rm_v_i[15:0]});
          s64a = s64a * s64b;
          we_o = 1'b1; widx_o = ra_idx_i; wdata_o = s64a[31:0];
        end
      endcase
    end else if (d_class_i[IC_DP]) begin
      // data processing (register, register-shifted register, immediate)
      we_o = alu_writes_rd_i;
      wdata_o = alu_result_i;
      if (d_setflags_i) ncpsr_o[31:28] = alu_nzcv_i;
      if (alu_writes_rd_i && f_rd_i == 4'd15) begin
        we_o = 1'b0;
        // ALUWritePC (A2.3.2): interworking in A32, BranchWritePC in T32
        npc_o = alu_result_i & ~32'd1;
        if (!t_i) ncpsr_o[PSR_T] = alu_result_i[0];
        if (d_setflags_i) begin
          // exception return: CPSR <= SPSR (B9.3.19 SUBS PC, LR and related)
          if (!mode_has_spsr) act_o = A_EXC;
          else ncpsr_o = eret_cpsr_i;
        end
      end
    end else if (d_class_i[IC_MUL]) begin
      // ------------------------------------------------ multiplies (A5.2.5); UMAAL/MLS with S: d_undef_i
      prod_u = {32'd0, rm_v_i} * {32'd0, rs_v_i};
      s64a = $signed({{32{rm_v_i[31]}}, rm_v_i}) * $signed({{32{rs_v_i[31]}}, rs_v_i});
      prod_s = s64a;
      case (ir_i[23:21])
        3'b000, 3'b001: begin   // MUL, MLA
          tmp32 = prod_u[31:0] + (ir_i[21] ? rt_v_i : 32'd0);
          we_o = 1'b1; widx_o = ra_idx_i; wdata_o = tmp32;
          if (d_setflags_i) begin ncpsr_o[PSR_N] = tmp32[31]; ncpsr_o[PSR_Z] = (tmp32 == 32'd0); end
        end
        3'b010: begin           // UMAAL (d_act_i: A_WB2)
          if (!d_undef_i) begin
            long_res = prod_u + {32'd0, rn_v_i} + {32'd0, rt_v_i};
            we_o = 1'b1; widx_o = rd_idx_i; wdata_o = long_res[31:0];
            wb2_idx_o = ra_idx_i; wb2_val_o = long_res[63:32];
          end
        end
        3'b011: begin           // MLS
          if (!d_undef_i) begin we_o = 1'b1; widx_o = ra_idx_i; wdata_o = rt_v_i - prod_u[31:0]; end
        end
        default: begin          // UMULL UMLAL SMULL SMLAL (d_act_i: A_WB2)
          long_res = (ir_i[22] ? prod_s : prod_u) + (ir_i[21] ? {rn_v_i, rt_v_i} : 64'd0);
          we_o = 1'b1; widx_o = rd_idx_i; wdata_o = long_res[31:0];
          wb2_idx_o = ra_idx_i; wb2_val_o = long_res[63:32];
          if (d_setflags_i) begin ncpsr_o[PSR_N] = long_res[63]; ncpsr_o[PSR_Z] = (long_res == 64'd0); end
        end
      endcase
    end else if (d_class_i[IC_EXCL]) begin
      // ------------------------------------------------ exclusives (A5.2.10)
      maddr_o = rn_v_i + d_excl_off_i;
      if (ir_i[20]) begin
        excl_set_o = 1'b1;
      end else begin
        strex_rd_o = f_rd_i;
        if (!(excl_valid_i && excl_addr_i == maddr_o)) begin
          // monitor fails: no store, Rd = 1
          act_o = A_RETIRE; we_o = 1'b1; widx_o = rd_idx_i; wdata_o = 32'd1;
        end
        excl_clr_o = 1'b1;
      end
    end else if (d_class_i[IC_XLDST] || d_class_i[IC_LDST]) begin
      // ------------------------------------------------ extra loads/stores (A5.2.8), LDR/STR (A5.3)
      off = !d_ls_off_reg_i ? d_ls_off_i : d_class_i[IC_XLDST] ? rm_v_i : sh_result_i;
      addr_off = ir_i[23] ? rn_v_i + off : rn_v_i - off;
      maddr_o = ir_i[24] ? addr_off : rn_v_i;
      wb_val_o = addr_off;
    end else if (d_class_i[IC_MEDIA]) begin
      // ------------------------------------------------ media instructions (A5.4); others d_undef_i
      case (ir_i[24:23])
        2'b01: begin
          // packing, unpacking, saturation, reversal (A5.4.3)
          ext_src = (rm_v_i >> {ir_i[11:10], 3'b000}) | (rm_v_i << (6'd32 - {1'b0, ir_i[11:10], 3'b000}));
          if (ir_i[11:10] == 2'b00) ext_src = rm_v_i;
          we_o = 1'b1;
          if (ir_i[22:20] == 3'b000 && !ir_i[5]) begin
            // PKHBT / PKHTB
            if (!ir_i[6]) begin
              tmp32 = rm_v_i << ir_i[11:7];
              wdata_o = {tmp32[31:16], rn_v_i[15:0]};
            end else begin
              tmp32 = (ir_i[11:7] == 5'd0) ? {32{rm_v_i[31]}} : $unsigned($signed(rm_v_i) >>> ir_i[11:7]);
              wdata_o = {rn_v_i[31:16], tmp32[15:0]};
            end
          end else if (ir_i[21] && !ir_i[5]) begin
            // SSAT / USAT (sat_imm in 20:16, shift in 6 and 11:7)
            wdata_o = ir_i[22] ? usat_res[31:0] : ssat_res[31:0];
            if (ir_i[22] ? usat_res[32] : ssat_res[32]) ncpsr_o[PSR_Q] = 1'b1;
          end else if (ir_i[7:5] == 3'b011 && ir_i[22:20] != 3'b000 && ir_i[22:20] != 3'b100) begin
            // SXTAB SXTAH UXTAB UXTAH (and SXTB/SXTH/UXTB/UXTH when Rn=15)
            case ({ir_i[22], ir_i[20]})
              2'b00: ext_val = {{24{ext_src[7]}}, ext_src[7:0]};
              2'b01: ext_val = {{16{ext_src[15]}}, ext_src[15:0]};
              2'b10: ext_val = {24'd0, ext_src[7:0]};
              default: ext_val = {16'd0, ext_src[15:0]};
            endcase
            wdata_o = (f_rn_i == 4'd15) ? ext_val : rn_v_i + ext_val;
          end else if (ir_i[22:20] == 3'b011 && ir_i[7:5] == 3'b001) begin
            wdata_o = {rm_v_i[7:0], rm_v_i[15:8], rm_v_i[23:16], rm_v_i[31:24]};                    // REV
          end else if (ir_i[22:20] == 3'b011 && ir_i[7:5] == 3'b101) begin
            wdata_o = {rm_v_i[23:16], rm_v_i[31:24], rm_v_i[7:0], rm_v_i[15:8]};                    // REV16
          end else if (ir_i[22:20] == 3'b111 && ir_i[7:5] == 3'b001) begin
            for (int i = 0; i < 32; i++) wdata_o[i] = rm_v_i[31 - i];                          // RBIT
          end else if (ir_i[22:20] == 3'b111 && ir_i[7:5] == 3'b101) begin
            wdata_o = {{16{rm_v_i[7]}}, rm_v_i[7:0], rm_v_i[15:8]};                               // REVSH
          end else begin
            we_o = 1'b0;
          end
        end
        2'b10: begin
          // signed multiplies and divide (A5.4.4): Rd=19:16 Ra=15:12 Rm=11:8 Rn=3:0
          if (ir_i[22:20] == 3'b001 && ir_i[7:5] == 3'b000) begin
            we_o = 1'b1; widx_o = ra_idx_i;                                                     // SDIV
            if (rs_v_i == 32'd0) wdata_o = 32'd0;
            else if (rm_v_i == 32'h8000_0000 && rs_v_i == 32'hffff_ffff) wdata_o = 32'h8000_0000;
            else wdata_o = $unsigned($signed(rm_v_i) / $signed(rs_v_i));
          end else if (ir_i[22:20] == 3'b011 && ir_i[7:5] == 3'b000) begin
            we_o = 1'b1; widx_o = ra_idx_i;                                                     // UDIV
            wdata_o = (rs_v_i == 32'd0) ? 32'd0 : rm_v_i / rs_v_i;
          end else if (ir_i[22:20] == 3'b101 && (ir_i[7:6] == 2'b00 || ir_i[7:6] == 2'b11)) begin
            // SMMUL / SMMLA / SMMLS (+R rounding)
            s64a = $signed({{32{rm_v_i[31]}}, rm_v_i}) * $signed({{32{rs_v_i[31]}}, rs_v_i});
            acc64 = (f_rd_i == 4'd15 && !ir_i[7]) ? 64'd0 : {rt_v_i, 32'd0};
            long_res = ir_i[7] ? acc64 - $unsigned(s64a) : acc64 + $unsigned(s64a);
            if (ir_i[5]) long_res = long_res + 64'h0000_0000_8000_0000;
            we_o = 1'b1; widx_o = ra_idx_i; wdata_o = long_res[63:32];
          end
        end
        2'b11: begin
          if (ir_i[22:21] == 2'b11 && ir_i[6:5] == 2'b10) begin
            // UBFX
            bf_mask = (ir_i[20:16] == 5'd31) ? 32'hffff_ffff : ((32'd1 << (ir_i[20:16] + 5'd1)) - 32'd1);
            we_o = 1'b1; wdata_o = (rm_v_i >> ir_i[11:7]) & bf_mask;
          end else if (ir_i[22:21] == 2'b01 && ir_i[6:5] == 2'b10) begin
            // SBFX
            tmp32 = rm_v_i << (5'd31 - (ir_i[11:7] + ir_i[20:16]));
            we_o = 1'b1; wdata_o = $unsigned($signed(tmp32) >>> (5'd31 - ir_i[20:16]));
          end else if (ir_i[22:21] == 2'b10 && ir_i[6:5] == 2'b00 && !d_undef_i) begin
            // BFI / BFC: msb = 20:16, lsb = 11:7
            bf_mask = ((ir_i[20:16] == 5'd31) ? 32'hffff_ffff : ((32'd1 << (ir_i[20:16] + 5'd1)) - 32'd1))
                      & ~((32'd1 << ir_i[11:7]) - 32'd1);
            ext_src = (f_rm_i == 4'd15) ? 32'd0 : (rm_v_i << ir_i[11:7]);
            we_o = 1'b1; wdata_o = (rt_v_i & ~bf_mask) | (ext_src & bf_mask);
          end
        end
        default: ;     // parallel add/subtract: d_undef_i
      endcase
    end else if (d_class_i[IC_LDM]) begin
      // ------------------------------------------------ LDM/STM (A5.5); empty list: d_undef_i
      nregs = ldm_nregs;
      case ({ir_i[24], ir_i[23]})
        2'b00: maddr_o = rn_v_i - {25'd0, nregs, 2'b00} + 32'd4;   // DA
        2'b01: maddr_o = rn_v_i;                            // IA
        2'b10: maddr_o = rn_v_i - {25'd0, nregs, 2'b00};           // DB
        default: maddr_o = rn_v_i + 32'd4;                  // IB
      endcase
      wb_val_o = ir_i[23] ? rn_v_i + {25'd0, nregs, 2'b00} : rn_v_i - {25'd0, nregs, 2'b00};
      if (ir_i[22] && (mode == MODE_USR || mode == MODE_SYS || (mode == MODE_HYP))) act_o = A_EXC;
    end else if (d_class_i[IC_BRANCH]) begin
      // ------------------------------------------------ B / BL
      npc_o = pc8_i + d_br_off_i;
      if (ir_i[24]) begin we_o = 1'b1; widx_o = lr_idx_i; wdata_o = link_v; end
    end else if (d_class_i[IC_SVC]) begin
      // ------------------------------------------------ SVC (d_act_i: A_EXC)
      // semihosting: SVC #0x123456 (A32), SVC #0xab (T32)
      if (ir_i[23:0] == (t_i ? 24'h0000ab : 24'h123456) && semihost_en_i && mode != MODE_USR) act_o = A_SEMI;
      else begin
        exc_o = EXC_SVC;
        hsr_o = {EC_SVC_HYP, 1'b1, 9'd0, ir_i[15:0]};   // used when taken in Hyp mode
      end
    end else if (d_class_i[IC_MCR]) begin
      // ------------------------------------------------ MCR / MRC p15
      cp_acc_o = 1'b1;
      if (cp_trap_i) begin
        act_o = A_EXC; cp_acc_o = 1'b0; exc_o = EXC_HYP;
        hsr_o = {EC_CP15, 1'b1, ISS_CV_COND, ir_i[7:5], ir_i[23:21], ir_i[19:16], 1'b0,
                 ir_i[15:12], ir_i[3:0], ir_i[20]};
      end else if (cp_undef_i) begin
        act_o = A_EXC; cp_acc_o = 1'b0;
      end else if (ir_i[20]) begin
        if (f_rd_i == 4'd15) ncpsr_o[31:28] = cp_rdata_i[31:28];
        else begin we_o = 1'b1; wdata_o = cp_rdata_i; end
      end
    end else if (d_class_i[IC_MCRR]) begin
      // ------------------------------------------------ MCRR / MRRC p15
      cp_acc_o = 1'b1;
      if (cp_trap_i) begin
        act_o = A_EXC; cp_acc_o = 1'b0; exc_o = EXC_HYP;
        hsr_o = {EC_CP15_64, 1'b1, ISS_CV_COND, ir_i[7:4], 2'b00, ir_i[19:16], 1'b0,
                 ir_i[15:12], ir_i[3:0], ir_i[20]};
      end else if (cp_undef_i || d_undef_i) begin
        act_o = A_EXC; cp_acc_o = 1'b0;
      end else if (ir_i[20]) begin
        // MRRC: Rt <= low word now, Rt2 <= high word in the second write cycle (d_act_i: A_WB2)
        we_o = 1'b1; wdata_o = cp_rdata_i; wb2_idx_o = ra_idx_i; wb2_val_o = cp_rdata_hi_i;
      end
    end else if (d_class_i[IC_VFP]) begin
      // ------------------------------------------------ VFP transfers (cp10/cp11)
      // d_act_i A_EXC: UNDEFINED unless accepted below (incl. all arithmetic)
      if (v_cpacr_ok && hcptr_tcp_i) begin
        // HCPTR.TCP10/11 (B1.14.10): to Hyp (from Hyp: its Undefined vector), EC 0x07, coproc 10
        exc_o = in_hyp ? EXC_UND : EXC_HYP;
        hsr_o = {EC_HCPTR, 1'b1, ISS_CV_COND, 16'd0, 4'hA};
      end else if (v_cpacr_ok && v_id_trap) begin
        // EC 0x08: the MRC-form ISS of VMRS (opc1 7, CRn = the register)
        exc_o = EXC_HYP;
        hsr_o = {EC_VMRS_ID, 1'b1, ISS_CV_COND, 3'd0, 3'd7, ir_i[19:16], 1'b0, ir_i[15:12], 4'd0, 1'b1};
      end else if (v_cpacr_ok && v_en_ok) begin
        if (v_sys_i) begin
          if (ir_i[20]) begin
            // VMRS Rt, reg; VMRS APSR_nzcv, FPSCR
            if (v_sys_valid_i && !(v_pl0 && v_sys_priv_i)) begin
              if (f_rd_i != 4'd15) begin act_o = A_RETIRE; we_o = 1'b1; wdata_o = v_sys_rdata_i; end
              else if (!v_sys_priv_i) begin act_o = A_RETIRE; ncpsr_o[31:28] = fpscr_nzcv_i; end
            end
          end else if (f_rd_i != 4'd15 && !(v_pl0 && v_sys_priv_i)
                       && (ir_i[19:16] == 4'b0000 || ir_i[19:16] == 4'b0001 || ir_i[19:16] == 4'b1000)) begin
            act_o = A_RETIRE; vsys_we_o = 1'b1;                  // VMSR FPSID (ignored), FPSCR, FPEXC
          end
        end else if (v_mov_s_i || v_mov_x_i) begin
          if (!ir_i[20]) begin act_o = A_RETIRE; vwe0_o = 1'b1; end   // VMOV Sn / Dn[x], Rt
          else if (f_rd_i != 4'd15) begin act_o = A_RETIRE; we_o = 1'b1; wdata_o = v_ra_i; end
        end else if (v_mov_2_i) begin
          if (v_dbl_i || v_m_word_i != 6'd31) begin
            if (!ir_i[20]) begin
              // VMOV Dm, Rt, Rt2 / VMOV Sm, Sm1, Rt, Rt2
              act_o = A_RETIRE; vwe0_o = 1'b1; vwe1_o = 1'b1;
              vwidx0_o = v_m_word_i; vwidx1_o = v_m_word_i + 6'd1;
            end else if (f_rd_i != 4'd15 && f_rn_i != 4'd15 && f_rd_i != f_rn_i) begin
              // VMOV Rt, Rt2, Dm: Rt now, Rt2 in the second write cycle
              act_o = A_WB2; we_o = 1'b1; wdata_o = v_ra_i; wb2_idx_o = ra_idx_i; wb2_val_o = v_rb_i;
            end
          end
        end else if (v_ldr_i) begin
          act_o = A_MEM;
          maddr_o = ir_i[23] ? v_ls_base + v_ls_off_i : v_ls_base - v_ls_off_i;
        end else if (v_ldm_i) begin
          // VLDM/VSTM IA (P=0 U=1) and DB with write-back (P=1 U=0 W=1), VPUSH/VPOP
          act_o = A_MEM;
          maddr_o = ir_i[23] ? rn_v_i : rn_v_i - v_ls_off_i;
          wb_val_o = ir_i[23] ? rn_v_i + v_ls_off_i : rn_v_i - v_ls_off_i;
        end
      end
    end
    // IC_UNDEF (other coprocessors, CP14, ...): d_undef_i

    // T32: BLX imm (its A32 word is 0xFA000000) and CBZ/CBNZ (a NOP word)
    if (t_i && t_branch_i && t_to_arm_i) begin
      act_o = A_RETIRE; npc_o = pc8_i + d_br_off_i; ncpsr_o[PSR_T] = 1'b0;
      we_o = 1'b1; widx_o = lr_idx_i; wdata_o = link_v;
    end
    if (t_i && t_cb_i && ((rn_v_i == 32'd0) != t_cb_nz_i)) npc_o = pc8_i + d_br_off_i;
    // A32 BLX imm (A8.8.25): to Thumb state at PC + 8 + imm24:H:0
    if (!t_i && a32_blx_imm) begin
      act_o = A_RETIRE; npc_o = pc8_i + d_br_off_i + {30'd0, ir_i[24], 1'b0}; ncpsr_o[PSR_T] = 1'b1;
      we_o = 1'b1; widx_o = lr_idx_i; wdata_o = pc4_i;
    end

    if (d_undef_i) act_o = A_EXC;
    if (!cond_o) act_o = A_RETIRE;   // condition failed: a NOP
    if (act_o == A_EXC) begin
      we_o = 1'b0;
      vwe0_o = 1'b0; vwe1_o = 1'b0; vsys_we_o = 1'b0;
      cp_acc_o = 1'b0;
      excl_set_o = 1'b0; excl_clr_o = 1'b0;
    end
    if (!exec_i) cp_acc_o = 1'b0;
  end
endmodule
