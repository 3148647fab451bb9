`timescale 1ns/1ps
// arm_core -- a multi-cycle ARMv7-A core, A32 and T32 (Thumb-2, through arm_t32_expand).
//
// Implements (ARM ARM ARMv7-A/R, chapter references):
//   A5/A8  the integer A32 instruction set gcc emits for -marm -march=armv7ve:
//          data processing with every shifter form, multiplies incl. the
//          halfword/word DSP forms and SMMUL/SMMLA/SMMLS, SDIV/UDIV, QADD
//          family, SSAT/USAT, CLZ, MOVW/MOVT, UBFX/SBFX/BFI/BFC, REV/REV16/
//          REVSH/RBIT, PKHBT/PKHTB, SXT*/UXT* incl. the add forms, all single,
//          extra, dual, multiple and exclusive loads/stores (unaligned word and
//          halfword accesses are split into two bus beats), B/BL/BX/BLX(reg).
//   B1     all modes with banked registers and SPSRs (no Monitor mode: no
//          Security Extensions), MRS/MSR incl. the banked forms, CPS, SRS/RFE,
//          ERET, the PL1 exception model (undefined, SVC, prefetch/data abort
//          on bus error, IRQ, FIQ) with VBAR and SCTLR.V, and exceptions
//          taken from Hyp mode to the Hyp vectors at HVBAR.
//   B4     CP15 through arm_cp15 (MCR/MRC, and MCRR/MRRC of the 64-bit registers).
//   B8     the generic timer (arm_generic_timer, rtl/timer) behind the c14
//          accesses; its PPI levels leave on timer_*_o for the GIC.
//   A7     the VFP register file (arm_vfp) and the transfers lazy VFP switching
//          needs: VMRS/VMSR, VMOV core<->S, core<->D[x], two core<->D or S pair,
//          VLDR/VSTR, VLDM/VSTM (VPUSH/VPOP); gated by CPACR.cp10 (UNDEFINED),
//          HCPTR.TCP10/TCP11 (trap to Hyp, HSR EC 0x07), HCR.TID0/TID3 for VMRS of
//          FPSID/MVFRx (EC 0x08) and FPEXC.EN (B1.11.x).
//          VFP register writes do not appear on the retire port.
// Reset state is the one QEMU gives a bare-metal ELF on -M virt,
// virtualization=on: Hyp mode, A/I/F masked, all registers zero, PC=reset_pc_i
// (an odd reset_pc_i enters Thumb state at reset_pc_i - 1, as QEMU does).
//
// Semihosting: with semihost_en_i, `SVC #0x123456` outside User mode halts the
// core on the semihosting port instead of taking the SVC exception (as
// qemu-system-arm -semihosting does); the host answers with sh_ret_i -> R0.
//
//   B1.14  traps to Hyp mode with their HSR syndrome (B3.13.6): HVC, SMC under
//          HCR.TSC, WFI/WFE under HCR.TWI/TWE, CP15 MCR/MRC under HSTR and
//          the HCR.TID1-3/TAC/TSW/TPC/TPU/TTLB/TVM/TIDCP controls (arm_cp15);
//          UNDEFINED and SVC taken in Hyp mode write HSR EC 0x00 / 0x11.
//   B1.8   interrupt routing: HCR.IMO/FMO take physical IRQ/FIQ to Hyp mode
//          (HVBAR+0x18/0x1c, ELR_hyp = preferred return address); with IMO/FMO
//          set, HCR.VI/VF or the virq_i/vfiq_i pins raise virtual IRQ/FIQ to PL1;
//          HCR.VA with AMO a virtual asynchronous abort (a data abort at PL1,
//          DFSR async external abort, HCR.VA cleared when taken).
//
//   B3     the VMSA through rtl/mmu (mmu_bridge + mmu): fetches and data
//          accesses are translated when SCTLR.M / HCR.VM (PL1&0) or HSCTLR.M
//          (Hyp mode) say so, LDRT/STRT-class accesses as PL0; TLB maintenance
//          and ATS from CP15 stall execute until the MMU has done them.
//          Aborts (B3.12, B3.13.6): stage-1 faults below Hyp go to PL1 with
//          long-format DFSR/IFSR and DFAR/IFAR; stage-2 faults go to Hyp mode
//          (HVBAR+0x14, HSR EC 0x20/0x24); faults and external aborts in Hyp
//          mode to HVBAR+0x0c/0x10 (EC 0x21/0x25), writing HIFAR/HDFAR and, for
//          stage 2, HPFAR. A stage-2 data abort carries ISV/SAS/SSE/SRT for
//          single LDR/STR{B,H,SB,SH} without writeback (not LDRD, LDM,
//          exclusives, VFP, or a stage-1 walk's fault), as QEMU does; HSR.IL
//          is 0 for prefetch aborts and for data aborts without ISV (QEMU).
//
//   A2.3.2/A6 T32 (CPSR.T = 1): halfword fetch (a 32-bit instruction at PC[1] = 1
//          takes its second halfword from the next word in S_FETCH2; an abort
//          there is the instruction's prefetch abort, IFAR = address + 2);
//          arm_t32_expand turns hw1/hw2 into the A32 word the decoder runs plus
//          a side band (R15 = address + 4 or Align(address + 4, 4), ThumbExpandImm
//          constants and carry, LDRD/STRD/LDREXD/STREXD Rt2 (any pair; Rt2 = Rt
//          stores the register twice), the LDREX/STREX offset, the LDRT family
//          as a PL0 offset access without writeback, the IT condition of
//          SRS/RFE, B/BL/BLX imm, CBZ/CBNZ, IT, TBB/TBH as LDRB/LDRH PC with
//          PC := address + 4 + 2 * value);
//          ITSTATE in CPSR[15:10,26:25] with ITAdvance (arm_ex); interworking
//          by bit 0 for BX, BLX, LDR/LDM/POP PC and the A32 ALU writes to PC;
//          A32 BLX imm into Thumb; SVC/UNDEF/HVC return to the next instruction
//          (+2 or +4). The retire port's instr is hw1:hw2 (hw1 in [31:16]) or the
//          16-bit halfword.
//   B1.8.3/B1.9/B3.13.6 exceptions from Thumb state: LR offsets (arm_exc_unit: UNDEFINED
//          + 2, SVC/HVC next, aborts and interrupts as A32), entry in the state
//          SCTLR.TE / HSCTLR.TE give; SPSR.T and SPSR.IT saved (the instruction's
//          own ITSTATE, advanced past it for SVC and HVC, whose preferred return is
//          the next instruction, and, with qemu_compat_i, for a trapped WFI/WFE as
//          QEMU 7.2 does); HSR.IL = 0 for a 16-bit T32 instruction (traps,
//          SVC/UNDEF in Hyp, data aborts with ISV); no ISV for TBB/TBH (QEMU).
//
// Deliberately left out (UNDEFINED here): the T32 encodings arm_t32_expand
// does not expand (its header); Jazelle, SWP, the SIMD32 parallel add/subtract
// family, SEL, SMLAD/SMUAD/SMLSD, USAD8, CP14, VFP arithmetic, physical
// asynchronous aborts (none in this SoC, so HCR.AMO only gates HCR.VA),
// HCR.TGE, alignment faults, big-endian data.
//
// Combinational blocks are `always @(*)`: Icarus 11 re-triggers an
// always_comb on the local variables of the functions it calls and spins at
// time 0, so blocks that call functions cannot be always_comb.
//
// Observation ports (read-only, for the testbench's retire tracer; nothing in
// the SoC reads them), each the value held in this cycle, so the state after
// a retirement or exception entry shows in the cycle after its rt_valid_o /
// exc_valid_o pulse:
//   obs_regs_o   the 38 physical registers (arm_regfile obs_regs_o)
//   obs_cpsr_o   the current CPSR
//   obs_cp15_o   arm_cp15 obs_pl1_o (SCTLR ... PAR_HI)
//   obs_hyp_o    arm_cp15 obs_hyp_o (HCR ... VMPIDR)
//   obs_timer_o  arm_generic_timer obs_o (CNTKCTL CNTHCTL CNTVOFF CNTV_* CNTP_*)
//   obs_vfp_o    arm_vfp obs_o (FPSCR FPEXC, then the 64 words of D0-D31)
//
// Microarchitecture: fetch (bus request until ack), execute, then optional
// memory beats / second register write / exception entry. One register-file
// write per cycle; every write is visible on the retire port.
// Structure (the way lowRISC Ibex splits its core):
//   arm_pkg       shared types and constants (modes, PSR bits, register numbering,
//                 EXC/EC/FSC/HCR/SCTLR values, the state_e/mkind_e/act_e enums)
//   arm_decoder   ir_q -> class, fields, operand selects, immediates, static
//                 action and memory set-up, UNDEFINED encodings (no state)
//   arm_ex        the execute datapath: results, next PC/CPSR, addresses and
//                 memory set-up, VFP writes, the mode/trap/condition/monitor-
//                 dependent decisions and the trap syndromes (combinational)
//   (this file)   the state registers, the controller (state_e state_q/state_d),
//                 the instances and the wiring, the assertions
//   arm_lsu       the memory-beat engine and the bus side towards mmu_bridge
//   arm_exc_unit  interrupt selection, exception entry values, abort syndromes
//   arm_regfile, arm_shifter, arm_alu, arm_cp15, arm_vfp; arm_generic_timer (rtl/timer)
//   and mmu_bridge (rtl/mmu) are instantiated here.
module arm_core #(
  // MPIDR (B4.1.106) as QEMU virt reports it: multiprocessor format, Aff0 = core number
  parameter logic [31:0] MPIDR = 32'h8000_0000,
  parameter int          NEXT  = 1          // TLB maintenance broadcast inputs (mmu_bridge NEXT)
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic [31:0] reset_pc_i,
  // memory bus: request held until ack; err with ack means a bus error
  output logic        bus_req_o,
  output logic        bus_we_o,
  output logic        bus_instr_o,
  output logic [31:0] bus_addr_o,      // word aligned
  output logic [3:0]  bus_be_o,
  output logic [31:0] bus_wdata_o,
  input  logic        bus_ack_i,
  input  logic        bus_err_i,
  input  logic [31:0] bus_rdata_i,
  // interrupts (level, active high); virtual ones from a GIC's virtual CPU interface
  input  logic        irq_i,
  input  logic        fiq_i,
  input  logic        virq_i,
  input  logic        vfiq_i,
  // 1: the traps QEMU 7.2 leaves out stay untrapped (HCR.TWE here; the CP15
  // ones in arm_cp15), so that lockstep runs against QEMU can match
  input  logic        qemu_compat_i,
  // generic timer interrupt levels: PPIs 30 (physical), 27 (virtual), 26 (Hyp)
  output logic        timer_phys_o,
  output logic        timer_virt_o,
  output logic        timer_hyp_o,
  input  logic [63:0] cntpct_i,        // the SoC's system counter (rtl/timer/sys_counter.sv)
  // semihosting port
  input  logic        semihost_en_i,
  output logic        sh_req_o,
  output logic [31:0] sh_op_o,
  output logic [31:0] sh_arg_o,
  input  logic        sh_ack_i,
  input  logic [31:0] sh_ret_i,
  // SMP (issue 14; with one core soc_top ties off boot_r0_* and bus_exfail_i):
  //   psci_en_i: an SMC that HCR.TSC does not trap, from PL1 or Hyp mode, is a
  //     platform call on the semihosting port instead of UNDEFINED: sh_smc_o = 1,
  //     function id sh_op_o = r0, arguments sh_arg_o = r1, sh_arg2_o = r2,
  //     sh_arg3_o = r3, sh_ret_i -> r0 (QEMU -M virt,virtualization=on answers PSCI
  //     over SMC itself, whatever r0 holds and whatever -smp is; soc_psci is its
  //     stand-in, a PSCI 1.1 implementation; tb_top sets psci_en_i for every core count).
  //   boot_r0_we_i: r0 := boot_r0_i in the first cycle out of reset (PSCI CPU_ON's
  //     context_id for a core the SoC powers on).
  //   bus_excl_o: the bus request is a beat of an LDREX/STREX (soc_excl_monitor, the
  //     global monitor of ARM ARM A3.4.2); bus_exfail_i, with the ack of a STREX
  //     beat: the global monitor failed it (the store was not done), so Rd := 1.
  input  logic        psci_en_i,
  output logic        sh_smc_o,
  output logic [31:0] sh_arg2_o,
  output logic [31:0] sh_arg3_o,
  input  logic        boot_r0_we_i,
  input  logic [31:0] boot_r0_i,
  output logic        bus_excl_o,
  input  logic        bus_exfail_i,
  // retire port: one pulse per retired (or faulted) instruction
  output logic        rt_valid_o,
  output logic [31:0] rt_pc_o,
  output logic [31:0] rt_instr_o,
  output logic [31:0] rt_cpsr_o,       // CPSR after the instruction
  output logic        rt_cond_pass_o,
  // register writes (physical index, see arm_pkg.sv), any cycle
  output logic        rf_we_o,
  output logic [5:0]  rf_widx_o,
  output logic [31:0] rf_wdata_o,
  // completed data accesses
  output logic        dmem_valid_o,
  output logic        dmem_we_o,
  output logic [31:0] dmem_addr_o,
  output logic [31:0] dmem_pa_o,       // the beat's physical address: bus_addr_o in its cycle (mmu_bridge p_addr_o)
  output logic [3:0]  dmem_be_o,
  output logic [31:0] dmem_data_o,
  // exception port: one pulse per exception entry
  output logic        exc_valid_o,
  output logic [2:0]  exc_type_o,      // EXC_* of arm_pkg
  output logic [31:0] exc_hsr_o,       // HSR written on entry to Hyp (0 when not written)
  output logic [31:0] exc_return_o,    // LR / ELR_hyp value written
  output logic [31:0] exc_vector_o,
  output logic [31:0] exc_cpsr_o,      // CPSR after entry
  // observation (see the header)
  output logic [37:0][31:0] obs_regs_o,
  output logic [31:0]       obs_cpsr_o,
  output logic [25:0][31:0] obs_cp15_o,
  output logic [8:0][31:0]  obs_hyp_o,
  output logic [9:0][31:0]  obs_timer_o,
  output logic [65:0][31:0] obs_vfp_o,
  // mmu_bridge short_desc_o: an access this core's MMU cannot translate (short descriptors)
  output logic        short_desc_o,
  // TLB maintenance broadcast (mmu_bridge bc_*/ext_*): this core's IS operation, the others'
  output logic        tlbi_bc_o,
  output logic [2:0]  tlbi_bc_op_o,
  output logic [31:0] tlbi_bc_data_o,
  output logic [7:0]  tlbi_bc_vmid_o,
  input  logic [NEXT-1:0]    tlbi_ext_i,
  input  logic [NEXT*3-1:0]  tlbi_ext_op_i,
  input  logic [NEXT*32-1:0] tlbi_ext_data_i,
  input  logic [NEXT*8-1:0]  tlbi_ext_vmid_i
);
  import arm_pkg::*;

  // ---------------------------------------------------------------- state
  state_e      state_q, state_d;
  logic [31:0] pc_q, pc_d;
  logic [31:0] ir_q, ir_d;
  logic [31:0] cpsr_q, cpsr_d;

  logic        fetch_busy_q, fetch_busy_d;
  // memory engine (arm_lsu): the operation under way
  mkind_e      lsu_kind;
  logic        lsu_load, lsu_signed, lsu_excl, lsu_eret, lsu_list0, lsu_split_first, lsu_last_beat;
  logic        lsu_base_loaded, mem_start;
  logic [1:0]  lsu_size;
  logic [31:0] lsu_spsr, lsu_addr, load_val;
  logic [3:0]  lsu_strex_rd, beat_reg;
  logic [5:0]  lsu_vidx, beat_idx;
  // pending results
  logic        wb_en_q, wb_en_d;
  logic [5:0]  wb_idx_q, wb_idx_d;
  logic [31:0] wb_val_q, wb_val_d;
  logic [31:0] npc_q, npc_d;           // next PC once the instruction retires
  logic [31:0] ncpsr_q, ncpsr_d;       // next CPSR once it retires
  // exception entry
  logic [2:0]  exc_q, exc_d;
  logic        exc_hyp_q, exc_hyp_d;   // the exception is taken to Hyp mode
  logic [31:0] hsr_q, hsr_d;           // its syndrome (written to HSR unless IRQ/FIQ)
  logic        exc_insn_q, exc_insn_d; // caused by an instruction (retires it)
  logic [31:0] exc_fsr_q, exc_fsr_d;
  logic [31:0] exc_far_q, exc_far_d;
  logic        exc_abt_q, exc_abt_d;   // an abort taken to Hyp mode: HIFAR/HDFAR written
  logic        exc_iabt_q, exc_iabt_d; // ... on the instruction side (HIFAR)
  logic        exc_hpfar_we_q, exc_hpfar_we_d;
  logic [31:0] exc_hpfar_q, exc_hpfar_d;
  // exclusive monitor (ARM ARM A3.4.1, local monitor only)
  logic        excl_valid_q, excl_valid_d;
  logic [31:0] excl_addr_q, excl_addr_d;
  logic        boot_q;                 // first cycle out of reset (boot_r0_i)

  logic irq_take, fiq_take, vabt_take;
  logic exc_vabt_q, exc_vabt_d;        // the data abort is the virtual one (HCR.VA)

  // ---------------------------------------------------------------- regfile
  logic [4:0]  mode;
  logic [5:0]  ra_idx, rb_idx, rc_idx, rd_idx, rx_idx;
  logic [31:0] ra_raw, rb_raw, rc_raw, rd_raw, rx_raw;
  logic [31:0] lr_v, r0_v, r1_v, elr_hyp_v;
  logic        rf_we;
  logic [5:0]  rf_widx;
  logic [31:0] rf_wdata;

  // Controller states as plain wires for port connections: Icarus 11 loses the
  // type of an enum constant named in a port-connection expression (later
  // `state_d = S_FETCH` then "requires an explicit cast").
  wire st_fetch = (state_q == S_FETCH);
  wire st_exec  = (state_q == S_EXEC);

  assign mode = cpsr_q[4:0];
  wire in_hyp = (mode == MODE_HYP);
  wire [1:0] cur_pl = in_hyp ? 2'd2 : (mode == MODE_USR) ? 2'd0 : 2'd1;

  // ---------------------------------------------------------------- decoder
  logic            d_uncond, d_undef, d_setflags;
  logic [IC_N-1:0] d_class;
  act_e            d_act;
  logic [3:0]      f_rn, f_rd, f_rs, f_rm;
  logic            d_sh_imm, d_sh_by_reg;
  logic [1:0]      d_sh_type;
  logic [31:0]     d_sh_imm8, d_imm16, d_ls_off, d_br_off, v_ls_off, d_msr_mask;
  logic [7:0]      d_sh_amount;
  logic            d_ls_off_reg;
  mkind_e          d_mkind;
  logic            d_mload, d_msigned, d_muser, d_meret, d_mexcl, d_mwb;
  logic [1:0]      d_msize;
  logic [15:0]     d_mlist;
  logic [5:0]      d_mvidx;
  logic [6:0]      d_mvcnt;
  logic            d_clrex, d_wfx, d_rx_srs_sp, d_rx_banked;
  logic            cp_is64, tm_sel;
  logic [3:0]      cp_crn, cp_opc1;
  logic [2:0]      cp_opc2;
  logic            v_sys, v_mov_s, v_mov_x, v_mov_2, v_ldr, v_ldm, v_dbl, v_sys_priv;
  logic [5:0]      v_n_word, v_m_word;

  // ---------------------------------------------------------------- T32 (CPSR.T = 1)
  // ir_q holds the instruction as fetched in the retire port's form: a 16-bit
  // one in [15:0] ([31:16] = 0), a 32-bit one as hw1:hw2 (hw1 in [31:16]).
  // arm_t32_expand turns it into the A32 word the decoder and arm_ex execute
  // (ir_x) plus the side band; with CPSR.T = 0, ir_x = ir_q.
  wire         t_mode = cpsr_q[PSR_T];
  wire         t_w32  = (ir_q[31:29] == 3'b111) && (ir_q[28:27] != 2'b00);
  logic        t_width32, t_undef, t_pc_align, t_imm_valid, t_imm_c_valid, t_imm_c;
  logic        t_branch, t_branch_link, t_branch_to_arm, t_cb, t_cb_nz, t_it;
  logic        t_tb, t_tb_h, t_dual, t_op2_inv, t_unpriv, t_it_cond;
  logic [1:0]  t_rm_lsl;
  logic [31:0] t_a32, t_imm32, t_branch_off;
  logic [3:0]  t_cb_rn, t_tb_rn, t_tb_rm, t_rt2;
  logic [7:0]  t_it_next;
  arm_t32_expand u_t32 (
    .hw1_i(t_w32 ? ir_q[31:16] : ir_q[15:0]), .hw2_i(ir_q[15:0]),
    .itstate_i({cpsr_q[15:10], cpsr_q[26:25]}),
    .width32_o(t_width32), .a32_o(t_a32), .undef_o(t_undef), .pc_align_o(t_pc_align),
    .imm_valid_o(t_imm_valid), .imm32_o(t_imm32), .imm_c_valid_o(t_imm_c_valid), .imm_c_o(t_imm_c),
    .branch_o(t_branch), .branch_link_o(t_branch_link), .branch_to_arm_o(t_branch_to_arm),
    .branch_off_o(t_branch_off), .cb_o(t_cb), .cb_nz_o(t_cb_nz), .cb_rn_o(t_cb_rn),
    .it_o(t_it), .it_next_o(t_it_next), .tb_o(t_tb), .tb_h_o(t_tb_h), .tb_rn_o(t_tb_rn),
    .tb_rm_o(t_tb_rm), .dual_o(t_dual), .rt2_o(t_rt2), .rm_lsl_o(t_rm_lsl), .op2_inv_o(t_op2_inv),
    .unpriv_o(t_unpriv), .it_cond_o(t_it_cond)
  );
  // TBB/TBH run as A32 LDRB/LDRH PC, [Rn, Rm] (TBH: Rm << 1 by t_rm_lsl, rm_v below); the
  // loaded value makes the branch in S_MEM: PC := address + 4 + 2 * value
  wire        t_tbx = t_mode && t_tb;
  wire [31:0] t_tb_word = t_tb_h ? {12'he19, t_tb_rn, 12'hf0b, t_tb_rm}
                                 : {12'he7d, t_tb_rn, 12'hf00, t_tb_rm};
  wire [31:0] ir_x = !t_mode ? ir_q : t_tb ? t_tb_word : t_a32;
  wire        t_undef_x = t_undef;
  wire        unused_t32 = ^{t_width32, t_branch_link};

  // decoder outputs as executed: the T32 side band replaces what the A32 word cannot say
  logic            d_undef_r;
  logic [31:0]     d_sh_imm8_r, d_ls_off_r, d_br_off_r;
  logic [3:0]      f_rn_r;
  logic [15:0]     d_mlist_r;
  // BLX imm (0xFA/0xFB in A32, the expander's 0xFA000000 in T32) is executed by arm_ex
  wire        blx_imm  = (ir_x[31:25] == 7'b1111101);
  // (the decoder's A32 checks that T32 does not have: LDRD/STRD Rt even, the PC as a
  // TBB/TBH load's destination)
  assign d_undef   = t_mode ? (t_undef_x || (d_undef_r && !(t_branch && t_branch_to_arm) && !t_dual && !t_tb))
                            : (d_undef_r && !blx_imm);
  assign d_sh_imm8 = (t_mode && t_imm_valid) ? t_imm32 : d_sh_imm8_r;
  assign d_ls_off  = (t_mode && t_imm_valid) ? t_imm32 : d_ls_off_r;
  assign d_br_off  = (t_mode && (t_branch || t_cb)) ? t_branch_off : d_br_off_r;
  assign f_rn      = (t_mode && t_cb) ? t_cb_rn : f_rn_r;
  // T32 LDRD/STRD/LDREXD/STREXD: the pair Rt, Rt2 (t_rt2); Rt is the word's Rt field,
  // except for STREXD, whose A32 word holds its Rt in the Rm field
  wire [3:0]  t_rt     = (d_class[IC_EXCL] && !ir_x[20]) ? f_rm : f_rd;
  assign d_mlist   = (t_mode && t_dual) ? ((16'h1 << t_rt) | (16'h1 << t_rt2)) : d_mlist_r;
  // T32 LDREX/STREX [Rn, #imm8*4] (the offset in the imm side band), 0 otherwise
  wire [31:0] d_excl_off = (t_mode && t_imm_valid) ? t_imm32 : 32'd0;

  arm_decoder u_decoder (
    .instr_i(ir_x),
    .uncond_o(d_uncond), .class_o(d_class), .undef_o(d_undef_r), .act_o(d_act), .setflags_o(d_setflags),
    .rn_o(f_rn_r), .rd_o(f_rd), .rs_o(f_rs), .rm_o(f_rm),
    .sh_imm_o(d_sh_imm), .sh_by_reg_o(d_sh_by_reg), .sh_type_o(d_sh_type), .sh_imm8_o(d_sh_imm8_r),
    .sh_amount_o(d_sh_amount),
    .imm16_o(d_imm16), .ls_off_o(d_ls_off_r), .ls_off_reg_o(d_ls_off_reg), .br_off_o(d_br_off_r),
    .v_off_o(v_ls_off), .msr_mask_o(d_msr_mask),
    .mkind_o(d_mkind), .mload_o(d_mload), .msigned_o(d_msigned), .msize_o(d_msize), .muser_o(d_muser),
    .meret_o(d_meret), .mexcl_o(d_mexcl), .mlist_o(d_mlist_r), .mwb_o(d_mwb), .mvidx_o(d_mvidx),
    .mvcnt_o(d_mvcnt),
    .clrex_o(d_clrex), .wfx_o(d_wfx), .rx_srs_sp_o(d_rx_srs_sp), .rx_banked_o(d_rx_banked),
    .cp_is64_o(cp_is64), .cp_crn_o(cp_crn), .cp_opc1_o(cp_opc1), .cp_opc2_o(cp_opc2), .tm_sel_o(tm_sel),
    .v_sys_o(v_sys), .v_mov_s_o(v_mov_s), .v_mov_x_o(v_mov_x), .v_mov_2_o(v_mov_2), .v_ldr_o(v_ldr),
    .v_ldm_o(v_ldm), .v_dbl_o(v_dbl), .v_sys_priv_o(v_sys_priv),
    .v_n_word_o(v_n_word), .v_m_word_o(v_m_word)
  );

  wire [31:0] pc8 = pc_q + 32'd8;
  wire [31:0] pc4 = pc_q + 32'd4;
  // the next instruction's address, and R15 as read: address + 8 (A32); address + 4
  // (T32), word aligned for literal loads, ADR and BLX imm (Align(PC, 4))
  wire [31:0] pc_next = t_mode ? (pc_q + (t_w32 ? 32'd4 : 32'd2)) : pc4;
  wire [31:0] pc_rd   = !t_mode ? pc8
                      : (t_pc_align || (t_branch && t_branch_to_arm)) ? {pc4[31:2], 2'b00} : pc4;

  // Every function call that more than one block needs is made once, here,
  // in a continuous assignment: Icarus 11 makes two procedural blocks that
  // call the same function wake each other up forever.
  wire [5:0] lr_idx      = phys_gpr(mode, 4'd14);
  wire [5:0] spsr_idx    = phys_spsr(mode);
  wire [5:0] strex_rd_idx = phys_gpr(mode, lsu_strex_rd);

  assign ra_idx = phys_gpr(mode, f_rn);
  assign rb_idx = phys_gpr(mode, f_rm);
  assign rc_idx = phys_gpr(mode, f_rs);
  assign rd_idx = phys_gpr(mode, f_rd);

  arm_regfile u_regfile (
    .clk_i, .rst_ni,
    .ra_idx_i(ra_idx), .rb_idx_i(rb_idx), .rc_idx_i(rc_idx), .rd_idx_i(rd_idx),
    .rx_idx_i(rx_idx), .ry_idx_i(lr_idx),
    .ra_o(ra_raw), .rb_o(rb_raw), .rc_o(rc_raw), .rd_o(rd_raw), .rx_o(rx_raw), .ry_o(lr_v),
    .r0_o(r0_v), .r1_o(r1_v), .elr_hyp_o(elr_hyp_v),
    .we_i(rf_we), .widx_i(rf_widx), .wdata_i(rf_wdata), .obs_regs_o
  );

  // Architectural reads: R15 reads as the instruction address + 8.
  wire [31:0] rn_v = (f_rn == 4'd15) ? pc_rd : ra_raw;
  // T32 side band t_rm_lsl: Rm << 0-3 (TBH; LDRH/STRH/LDRSB/LDRSH register, LSL #1-3, whose
  // A32 words have no shift); 0 for every other T32 instruction, unused in A32
  wire [31:0] rm_v = (f_rm == 4'd15) ? pc_rd : t_mode ? (rb_raw << t_rm_lsl) : rb_raw;
  wire [31:0] rs_v = (f_rs == 4'd15) ? pc_rd : rc_raw;
  wire [31:0] rt_v = (f_rd == 4'd15) ? pc_rd : rd_raw;

  // ---------------------------------------------------------------- shifter + ALU
  logic [31:0] sh_value, sh_result;
  logic [1:0]  sh_type;
  logic [7:0]  sh_amount;
  logic        sh_by_reg, sh_imm, sh_carry;
  logic [31:0] alu_result;
  logic [3:0]  alu_nzcv;
  logic        alu_writes_rd;

  // operand selects from the decoder (A8.4): rotated imm8, or Rm shifted by imm5 / Rs
  assign sh_imm    = d_sh_imm;
  assign sh_by_reg = d_sh_by_reg;
  assign sh_type   = d_sh_type;
  assign sh_value  = d_sh_imm ? d_sh_imm8 : rm_v;
  assign sh_amount = d_sh_by_reg ? rs_v[7:0] : d_sh_amount;

  arm_shifter u_shifter (
    .value_i(sh_value), .type_i(sh_type), .amount_i(sh_amount), .by_reg_i(sh_by_reg),
    .imm_i(sh_imm), .carry_i((t_mode && t_imm_c_valid) ? t_imm_c : cpsr_q[PSR_C]), .result_o(sh_result), .carry_o(sh_carry)
  );

  arm_alu u_alu (
    // T32 ORN (register) runs as A32 ORR with the operand inverted (t_op2_inv)
    .opcode_i(ir_x[24:21]), .a_i(rn_v), .b_i((t_mode && t_op2_inv) ? ~sh_result : sh_result), .shifter_c_i(sh_carry),
    .nzcv_i(cpsr_q[31:28]), .result_o(alu_result), .nzcv_o(alu_nzcv),
    .writes_rd_o(alu_writes_rd)
  );

  // ---------------------------------------------------------------- CP15
  logic        cp_acc, cp_undef;
  logic [31:0] cp_rdata, sctlr, vbar, hvbar;
  logic        cp_dabort, cp_pabort;
  logic        cp_trap;
  logic [31:0] hcr;
  logic        hcptr_tcp, ttbcr_eae;
  logic [1:0]  cpacr_cp10;
  // HSR on entry to Hyp mode (B3.13.6), except for interrupts
  wire         hsr_we  = (state_q == S_EXC_ENTER) && exc_hyp_q
                         && exc_q != EXC_IRQ && exc_q != EXC_FIQ;
  // MMU registers and maintenance (rtl/mmu/mmu_bridge.sv)
  logic [31:0] mmu_ttbcr, mmu_mair0, mmu_mair1, mmu_htcr, mmu_hmair0, mmu_hmair1,
               mmu_vtcr;
  logic [63:0] mmu_ttbr0, mmu_ttbr1, mmu_httbr, mmu_vttbr, m_par;
  logic        cp_maint, m_tlbi, m_done, mmu_hsctlr_m, hsctlr_te;
  logic [3:0]  m_tlbi_op;
  logic [1:0]  m_ats_kind, m_ats_pl, m_ats_op;

  // MCRR/MRRC p15 (A8.8.99/A8.8.109): the fields come from the decoder (cp_*)
  logic [31:0] cp_rdata_hi, cp15_rdata, cp15_rdata_hi;
  logic        cp15_undef, cp15_trap;
  arm_cp15 #(.MPIDR(MPIDR)) u_cp15 (
    .clk_i, .rst_ni,
    .acc_i(cp_acc), .write_i(~ir_x[20]), .is64_i(cp_is64),
    .crn_i(cp_crn), .opc1_i(cp_opc1[2:0]),   // opc1 > 7 (MCRR) is UNDEFINED in the core
    .crm_i(ir_x[3:0]), .opc2_i(cp_opc2), .wdata_i(rt_v), .wdata_hi_i(rn_v),
    .mode_i(mode), .qemu_compat_i,
    .rdata_o(cp15_rdata), .rdata_hi_o(cp15_rdata_hi), .undef_o(cp15_undef), .trap_o(cp15_trap),
    .dabort_i(cp_dabort), .pabort_i(cp_pabort), .fsr_i(exc_fsr_q), .far_i(exc_far_q),
    .far_valid_i(!exc_vabt_q), .clear_va_i(vabt_take && st_fetch),
    .hsr_we_i(hsr_we), .hsr_i(hsr_q),
    .habt_i(exc_abt_q), .habt_instr_i(exc_iabt_q), .habt_far_i(exc_far_q),
    .habt_hpfar_we_i(exc_hpfar_we_q), .habt_hpfar_i(exc_hpfar_q),
    .par_we_i(m_done && !m_tlbi), .par_i(m_par),
    .maint_o(cp_maint), .maint_tlbi_o(m_tlbi), .maint_tlbi_op_o(m_tlbi_op),
    .maint_ats_kind_o(m_ats_kind), .maint_ats_pl_o(m_ats_pl), .maint_ats_op_o(m_ats_op),
    .mmu_ttbcr_o(mmu_ttbcr), .mmu_ttbr0_o(mmu_ttbr0), .mmu_ttbr1_o(mmu_ttbr1),
    .mmu_mair0_o(mmu_mair0), .mmu_mair1_o(mmu_mair1), .mmu_hsctlr_m_o(mmu_hsctlr_m), .hsctlr_te_o(hsctlr_te),
    .mmu_htcr_o(mmu_htcr), .mmu_httbr_o(mmu_httbr), .mmu_hmair0_o(mmu_hmair0),
    .mmu_hmair1_o(mmu_hmair1), .mmu_vtcr_o(mmu_vtcr), .mmu_vttbr_o(mmu_vttbr),
    .sctlr_o(sctlr), .vbar_o(vbar), .hvbar_o(hvbar), .hcr_o(hcr),
    .hcptr_tcp_o(hcptr_tcp), .cpacr_cp10_o(cpacr_cp10), .ttbcr_eae_o(ttbcr_eae),
    .obs_pl1_o(obs_cp15_o), .obs_hyp_o
  );

  // ---------------------------------------------------------------- generic timer (c14)
  // tm_sel (decoder): CRn 14 of an MCR/MRC, CRm 14 of an MCRR/MRRC; its CNTHCTL
  // traps report as the CP15 traps they are (EC 0x03 / 0x04).
  logic [63:0] tm_rdata, tm_cntpct;
  logic        tm_undef, tm_trap;
  arm_generic_timer #(.EXT_COUNT(1'b1)) u_timer (
    .clk_i, .rst_ni, .cnt_en_i(1'b1), .cnt_i(cntpct_i),
    .acc_valid_i(cp_acc && tm_sel), .write_i(~ir_x[20]), .is64_i(cp_is64),
    .crn_i(cp_crn), .opc1_i(cp_opc1), .crm_i(ir_x[3:0]), .opc2_i(cp_opc2),
    .pl_i(cur_pl), .wdata_i({rn_v, rt_v}),
    .rdata_o(tm_rdata), .undef_o(tm_undef), .trap_o(tm_trap),
    .irq_phys_o(timer_phys_o), .irq_virt_o(timer_virt_o), .irq_hyp_o(timer_hyp_o),
    .cntpct_o(tm_cntpct), .obs_o(obs_timer_o)
  );
  wire unused_cntpct = ^tm_cntpct;
  assign cp_rdata    = tm_sel ? tm_rdata[31:0] : cp15_rdata;
  assign cp_rdata_hi = tm_sel ? tm_rdata[63:32] : cp15_rdata_hi;
  assign cp_undef    = tm_sel ? tm_undef : cp15_undef;
  assign cp_trap     = tm_sel ? tm_trap : cp15_trap;

  // ---------------------------------------------------------------- helpers
  // CPSR write by an exception return (SPSR -> CPSR). Called here only, for the
  // three SPSR sources (rx port in execute, the LSU's latched SPSR, an RFE load);
  // arm_ex gets the first result.
  function automatic logic [31:0] cpsr_write_eret(input logic [31:0] old, input logic [31:0] val);
    logic [31:0] r;
    r = val & 32'hff0f_ffff;
    r[4] = 1'b1;
    if (!mode_valid(val[4:0]) || (val[4:0] == MODE_HYP && old[4:0] != MODE_HYP))
      r[4:0] = old[4:0];
    return r;
  endfunction

  // ---------------------------------------------------------------- VFP
  logic [5:0]  v_ra_idx, v_rb_idx, v_widx0, v_widx1;
  logic [31:0] v_ra, v_rb, v_wdata0, v_wdata1, v_sys_rdata;
  logic [3:0]  fpscr_nzcv;
  logic        v_we0, v_we1, v_sys_we, v_sys_valid, fpexc_en;

  arm_vfp u_vfp (
    .clk_i, .rst_ni,
    .ra_idx_i(v_ra_idx), .rb_idx_i(v_rb_idx), .ra_o(v_ra), .rb_o(v_rb),
    .we0_i(v_we0), .widx0_i(v_widx0), .wdata0_i(v_wdata0),
    .we1_i(v_we1), .widx1_i(v_widx1), .wdata1_i(v_wdata1),
    .sys_reg_i(ir_x[19:16]), .sys_rdata_o(v_sys_rdata), .sys_valid_o(v_sys_valid),
    .sys_we_i(v_sys_we), .sys_wdata_i(rt_v), .fpscr_nzcv_o(fpscr_nzcv), .fpexc_en_o(fpexc_en),
    .obs_o(obs_vfp_o)
  );

  // ---------------------------------------------------------------- execute (arm_ex)
  // Outputs of the execute stage (valid in S_EXEC).
  act_e        x_act;
  logic        x_we;
  logic [5:0]  x_widx;
  logic [31:0] x_wdata;
  logic [31:0] x_npc, x_ncpsr;
  logic [5:0]  x_wb2_idx;
  logic [31:0] x_wb2_val;
  logic [2:0]  x_exc;
  logic [31:0] x_hsr;          // syndrome of an exception to Hyp mode
  logic        x_cond;
  // memory setup
  mkind_e      x_mkind;
  logic        x_mload, x_msigned, x_muser, x_mexcl, x_meret;
  logic [1:0]  x_msize;
  logic [31:0] x_maddr;
  logic [15:0] x_mlist;
  logic [5:0]  x_mvidx;        // M_VFP: first VFP word
  logic [6:0]  x_mvcnt;        // M_VFP: number of words
  logic        x_vwe0, x_vwe1, x_vsys_we;   // VFP register writes of this instruction
  logic [5:0]  x_vwidx0, x_vwidx1;
  logic [31:0] x_vwdata0, x_vwdata1;
  logic        x_wb_en;
  logic [5:0]  x_wb_idx;
  logic [31:0] x_wb_val;
  logic [3:0]  x_strex_rd;
  logic        x_excl_set, x_excl_clr;
  logic [5:0]  x_rx_idx;

  logic [31:0] spsr_v;
  assign spsr_v = rx_raw;  // in S_EXEC the rx port reads the SPSR unless told otherwise
  wire [31:0] eret_cpsr_spsr = cpsr_write_eret(cpsr_q, spsr_v);

  // The execute datapath (arm_ex): results, addresses and the state-dependent
  // decisions (modes, traps, condition, monitor) on top of arm_decoder's decode.
  arm_ex u_ex (
    .ir_i(ir_x), .cpsr_i(cpsr_q), .pc4_i(pc_next), .pc8_i(pc_rd), .exec_i(st_exec),
    .t_i(t_mode), .t_branch_i(t_branch), .t_to_arm_i(t_branch_to_arm), .t_cb_i(t_cb),
    .t_cb_nz_i(t_cb_nz), .t_it_i(t_it), .t_it_next_i(t_it_next), .t_it_cond_i(t_mode && t_it_cond),
    .semihost_en_i, .psci_en_i, .qemu_compat_i, .excl_valid_i(excl_valid_q), .excl_addr_i(excl_addr_q),
    .d_uncond_i(d_uncond), .d_undef_i(d_undef), .d_setflags_i(d_setflags), .d_class_i(d_class),
    .d_act_i(d_act), .f_rn_i(f_rn), .f_rd_i(f_rd), .f_rm_i(f_rm), .d_imm16_i(d_imm16),
    .d_ls_off_i(d_ls_off), .d_excl_off_i(d_excl_off), .d_ls_off_reg_i(d_ls_off_reg), .d_br_off_i(d_br_off), .v_ls_off_i(v_ls_off),
    .d_msr_mask_i(d_msr_mask), .d_mkind_i(d_mkind), .d_mload_i(d_mload), .d_msigned_i(d_msigned),
    .d_muser_i(d_muser), .d_meret_i(d_meret), .d_mexcl_i(d_mexcl), .d_mwb_i(d_mwb), .d_msize_i(d_msize),
    .d_mlist_i(d_mlist), .d_mvidx_i(d_mvidx), .d_mvcnt_i(d_mvcnt), .d_clrex_i(d_clrex), .d_wfx_i(d_wfx),
    .d_rx_srs_sp_i(d_rx_srs_sp), .d_rx_banked_i(d_rx_banked),
    .v_sys_i(v_sys), .v_mov_s_i(v_mov_s), .v_mov_x_i(v_mov_x), .v_mov_2_i(v_mov_2), .v_ldr_i(v_ldr),
    .v_ldm_i(v_ldm), .v_dbl_i(v_dbl), .v_sys_priv_i(v_sys_priv), .v_n_word_i(v_n_word),
    .v_m_word_i(v_m_word),
    .ra_idx_i(ra_idx), .rd_idx_i(rd_idx), .lr_idx_i(lr_idx), .spsr_idx_i(spsr_idx),
    .rn_v_i(rn_v), .rm_v_i(rm_v), .rs_v_i(rs_v), .rt_v_i(rt_v), .rx_rdata_i(rx_raw), .lr_v_i(lr_v),
    .elr_hyp_v_i(elr_hyp_v), .eret_cpsr_i(eret_cpsr_spsr),
    .sh_result_i(sh_result), .alu_result_i(alu_result), .alu_nzcv_i(alu_nzcv),
    .alu_writes_rd_i(alu_writes_rd),
    .cp_rdata_i(cp_rdata), .cp_rdata_hi_i(cp_rdata_hi), .cp_undef_i(cp_undef), .cp_trap_i(cp_trap),
    .hcr_i(hcr), .hcptr_tcp_i(hcptr_tcp), .cpacr_cp10_i(cpacr_cp10),
    .fpexc_en_i(fpexc_en), .v_sys_rdata_i(v_sys_rdata), .v_sys_valid_i(v_sys_valid),
    .fpscr_nzcv_i(fpscr_nzcv), .v_ra_i(v_ra), .v_rb_i(v_rb),
    .act_o(x_act), .cond_o(x_cond), .we_o(x_we), .widx_o(x_widx), .wdata_o(x_wdata), .npc_o(x_npc),
    .ncpsr_o(x_ncpsr), .wb2_idx_o(x_wb2_idx), .wb2_val_o(x_wb2_val), .exc_o(x_exc), .hsr_o(x_hsr),
    .cp_acc_o(cp_acc), .rx_idx_o(x_rx_idx),
    .mkind_o(x_mkind), .mload_o(x_mload), .msigned_o(x_msigned), .muser_o(x_muser), .mexcl_o(x_mexcl),
    .meret_o(x_meret), .msize_o(x_msize), .maddr_o(x_maddr), .mlist_o(x_mlist), .mvidx_o(x_mvidx),
    .mvcnt_o(x_mvcnt), .wb_en_o(x_wb_en), .wb_idx_o(x_wb_idx), .wb_val_o(x_wb_val),
    .strex_rd_o(x_strex_rd), .excl_set_o(x_excl_set), .excl_clr_o(x_excl_clr),
    .vwe0_o(x_vwe0), .vwe1_o(x_vwe1), .vsys_we_o(x_vsys_we), .vwidx0_o(x_vwidx0), .vwidx1_o(x_vwidx1),
    .vwdata0_o(x_vwdata0), .vwdata1_o(x_vwdata1)
  );

  // ---------------------------------------------------------------- memory engine
  // the core's side of the memory port: virtual addresses, translated by u_mmu
  logic        vb_req, vb_we, vb_instr, vb_ack, vb_err;
  logic [31:0] vb_addr, vb_wdata, vb_rdata;
  logic [3:0]  vb_be;
  wire         st_fetch2 = (state_q == S_FETCH2);
  wire         fetch_req = (st_fetch && !irq_take && !fiq_take && !vabt_take) || st_fetch2;
  wire         st_mem    = (state_q == S_MEM);

  arm_lsu u_lsu (
    .clk_i, .rst_ni,
    .start_i(mem_start), .kind_i(x_mkind), .load_i(x_mload), .addr_i(x_maddr), .list_i(x_mlist),
    .user_i(x_muser), .size_i(x_msize), .signed_i(x_msigned), .excl_i(x_mexcl),
    .strex_rd_i(x_strex_rd), .eret_i(x_meret), .spsr_i(spsr_v), .vidx_i(x_mvidx), .vcnt_i(x_mvcnt),
    .rev_i(t_mode && t_dual && (t_rt2 < t_rt)), .dup_i(t_mode && t_dual && (t_rt2 == t_rt)),
    .active_i(st_mem), .fetch_i(fetch_req), .pc_i(st_fetch2 ? pc4[31:2] : pc_q[31:2]), .pc8_i(pc8), .mode_i(mode),
    .base_reg_i(f_rn), .is_ldm_i(d_class[IC_LDM]), .rx_rdata_i(rx_raw), .v_rdata_i(v_ra),
    .vb_req_o(vb_req), .vb_we_o(vb_we), .vb_instr_o(vb_instr), .vb_addr_o(vb_addr), .vb_be_o(vb_be),
    .vb_wdata_o(vb_wdata), .vb_ack_i(vb_ack), .vb_err_i(vb_err), .vb_rdata_i(vb_rdata),
    .kind_o(lsu_kind), .load_o(lsu_load), .signed_o(lsu_signed), .size_o(lsu_size), .excl_o(lsu_excl),
    .eret_o(lsu_eret), .spsr_o(lsu_spsr), .strex_rd_o(lsu_strex_rd), .addr_o(lsu_addr),
    .list0_o(lsu_list0), .vidx_o(lsu_vidx), .beat_reg_o(beat_reg), .beat_idx_o(beat_idx),
    .load_val_o(load_val), .split_first_o(lsu_split_first), .last_beat_o(lsu_last_beat),
    .base_loaded_o(lsu_base_loaded)
  );

  // rx port: dynamic register reads (STM/STRD/SRS data, SPSR, banked, SRS SP)
  always @(*) begin
    rx_idx = x_rx_idx;
    if (state_q == S_MEM) begin
      if (lsu_kind == M_SRS) rx_idx = lsu_list0 ? lr_idx : spsr_idx;
      else rx_idx = beat_idx;
    end
  end

  // VFP read ports: the M_VFP beat's word, else the operands of a VMOV
  assign v_ra_idx = (state_q == S_MEM) ? lsu_vidx : (v_mov_2 ? v_m_word : v_n_word);
  assign v_rb_idx = v_m_word + 6'd1;

  // ---------------------------------------------------------------- MMU
  // LDRT/STRT/LDRBT/STRBT/LDRHT/STRHT/LDRSBT/LDRSHT (P=0, W=1) access as PL0; in T32
  // (t_unpriv) their A32 word is the offset form [Rn, #imm8] without writeback
  wire mem_unpriv = (state_q == S_MEM) && (lsu_kind == M_SINGLE) && !lsu_excl
                    && ((!ir_x[24] && ir_x[21]) || (t_mode && t_unpriv));
  logic        vb_fault, flt_to_hyp, flt_stage2, flt_s1ptw;
  logic [5:0]  flt_ec;
  logic [24:0] flt_iss;
  logic [31:0] flt_fsr, flt_hpfar;
  mmu_bridge #(.NEXT(NEXT)) u_mmu (
    .clk_i, .rst_ni,
    .sctlr_m_i(sctlr[SCTLR_M]), .ttbcr_i(mmu_ttbcr), .ttbr0_i(mmu_ttbr0), .ttbr1_i(mmu_ttbr1),
    .mair0_i(mmu_mair0), .mair1_i(mmu_mair1), .hsctlr_m_i(mmu_hsctlr_m), .htcr_i(mmu_htcr),
    .httbr_i(mmu_httbr), .hmair0_i(mmu_hmair0), .hmair1_i(mmu_hmair1),
    .hcr_vm_i(hcr[HCR_VM]), .hcr_ptw_i(hcr[HCR_PTW]), .hcr_dc_i(hcr[HCR_DC]), .hcr_fb_i(hcr[HCR_FB]),
    .vtcr_i(mmu_vtcr), .vttbr_i(mmu_vttbr),
    .v_req_i(vb_req), .v_we_i(vb_we), .v_instr_i(vb_instr), .v_addr_i(vb_addr), .v_be_i(vb_be),
    .v_wdata_i(vb_wdata), .v_pl_i(mem_unpriv ? 2'd0 : cur_pl),
    .v_ack_o(vb_ack), .v_err_o(vb_err), .v_rdata_o(vb_rdata),
    .fault_o(vb_fault), .flt_to_hyp_o(flt_to_hyp), .flt_stage2_o(flt_stage2),
    .flt_s1ptw_o(flt_s1ptw), .flt_ec_o(flt_ec), .flt_iss_o(flt_iss), .flt_fsr_o(flt_fsr),
    .flt_hpfar_o(flt_hpfar),
    .m_valid_i(st_exec && cp_maint), .m_tlbi_i(m_tlbi), .m_tlbi_op_i(m_tlbi_op),
    .m_ats_kind_i(m_ats_kind), .m_ats_pl_i(m_ats_pl), .m_ats_op_i(m_ats_op), .m_data_i(rt_v),
    .m_done_o(m_done), .m_par_o(m_par),
    .bc_o(tlbi_bc_o), .bc_op_o(tlbi_bc_op_o), .bc_data_o(tlbi_bc_data_o), .bc_vmid_o(tlbi_bc_vmid_o),
    .ext_inv_i(tlbi_ext_i), .ext_op_i(tlbi_ext_op_i), .ext_data_i(tlbi_ext_data_i),
    .ext_vmid_i(tlbi_ext_vmid_i),
    .p_req_o(bus_req_o), .p_we_o(bus_we_o), .p_instr_o(bus_instr_o), .p_addr_o(bus_addr_o),
    .p_be_o(bus_be_o), .p_wdata_o(bus_wdata_o), .p_ack_i(bus_ack_i), .p_err_i(bus_err_i),
    .p_rdata_i(bus_rdata_i),
    .short_desc_o
  );

  // ---------------------------------------------------------------- exceptions
  // interrupt selection, entry values and abort syndromes (arm_exc_unit)
  logic        irq_hyp, fiq_hyp, wfi_wake, abt_hyp;
  logic [4:0]  e_mode;
  logic [31:0] e_lr, e_vec, e_cpsr, dabt_hsr, iabt_hsr, ext_fsr;
  logic [5:0]  e_lr_idx, e_spsr_idx;
  // a single LDR/STR{B,H,SB,SH} without writeback: its data abort syndrome has ISV
  // (not TBB/TBH, which run as a load too: QEMU gives them none)
  wire         isv_access = (lsu_kind == M_SINGLE) && !lsu_excl && ir_x[24] && !ir_x[21] && !t_tbx;
  wire         t16 = t_mode && !t_w32;   // a 16-bit T32 instruction: HSR.IL = 0

  arm_exc_unit u_exc (
    .irq_i, .fiq_i, .virq_i, .vfiq_i, .hcr_i(hcr), .cpsr_i(cpsr_q), .fetch_busy_i(fetch_busy_q),
    .irq_take_o(irq_take), .fiq_take_o(fiq_take), .vabt_take_o(vabt_take),
    .irq_hyp_o(irq_hyp), .fiq_hyp_o(fiq_hyp), .wfi_wake_o(wfi_wake),
    .exc_i(exc_q), .exc_hyp_i(exc_hyp_q), .exc_ec_i(hsr_q[31:26]),
    .pc_i(pc_q), .pc4_i(pc4), .pcn_i(pc_next), .pc8_i(pc8), .sctlr_i(sctlr), .hsctlr_te_i(hsctlr_te), .vbar_i(vbar), .hvbar_i(hvbar),
    .e_mode_o(e_mode), .e_lr_o(e_lr), .e_vec_o(e_vec), .e_cpsr_o(e_cpsr),
    .e_lr_idx_o(e_lr_idx), .e_spsr_idx_o(e_spsr_idx),
    .mem_beat_i(st_mem), .mem_load_i(lsu_load), .isv_access_i(isv_access), .mem_size_i(lsu_size),
    .mem_signed_i(lsu_signed), .mem_rt_i(f_rd), .t16_i(t16), .qemu_compat_i, .ttbcr_eae_i(ttbcr_eae),
    .fault_i(vb_fault), .flt_to_hyp_i(flt_to_hyp), .flt_s1ptw_i(flt_s1ptw), .flt_ec_i(flt_ec),
    .flt_iss_i(flt_iss),
    .abt_hyp_o(abt_hyp), .dabt_hsr_o(dabt_hsr), .iabt_hsr_o(iabt_hsr), .ext_fsr_o(ext_fsr)
  );

  // SPSR written on entry: the CPSR the exception came from. From T32, an SVC or HVC
  // (preferred return: the next instruction) saves ITSTATE advanced past itself
  // (arm_ex's ncpsr, latched in S_EXEC); so does a trapped WFI/WFE under
  // qemu_compat_i, as QEMU 7.2 does (its WFI helper runs after the IT step;
  // B1.8.3 asks for the WFI's own ITSTATE, which the core saves otherwise).
  wire        exc_it_adv = t_mode && exc_insn_q
                           && (exc_q == EXC_SVC
                               || (exc_q == EXC_HYP && (hsr_q[31:26] == EC_HVC
                                                        || (qemu_compat_i && hsr_q[31:26] == EC_WFX))));
  wire [31:0] exc_spsr = !exc_it_adv ? cpsr_q
                         : {cpsr_q[31:27], ncpsr_q[26:25], cpsr_q[24:16], ncpsr_q[15:10], cpsr_q[9:0]};

  wire [31:0] eret_cpsr_mspsr = cpsr_write_eret(cpsr_q, lsu_spsr);
  wire [31:0] eret_cpsr_load  = cpsr_write_eret(cpsr_q, vb_rdata);

  // ---------------------------------------------------------------- next state
  logic        rt_valid;
  wire [15:0]  fetch_hw1     = pc_q[1] ? vb_rdata[31:16] : vb_rdata[15:0];
  wire         fetch_hw1_w32 = (fetch_hw1[15:13] == 3'b111) && (fetch_hw1[12:11] != 2'b00);

  always @(*) begin
    state_d = state_q; pc_d = pc_q; ir_d = ir_q; cpsr_d = cpsr_q;
    mem_start = 1'b0;
    fetch_busy_d = 1'b0;
    wb_en_d = wb_en_q; wb_idx_d = wb_idx_q; wb_val_d = wb_val_q;
    npc_d = npc_q; ncpsr_d = ncpsr_q;
    exc_d = exc_q; exc_insn_d = exc_insn_q; exc_fsr_d = exc_fsr_q; exc_far_d = exc_far_q;
    exc_hyp_d = exc_hyp_q; hsr_d = hsr_q; exc_vabt_d = exc_vabt_q;
    exc_abt_d = exc_abt_q; exc_iabt_d = exc_iabt_q;
    exc_hpfar_we_d = exc_hpfar_we_q; exc_hpfar_d = exc_hpfar_q;
    v_we0 = 1'b0; v_we1 = 1'b0; v_sys_we = 1'b0;
    v_widx0 = x_vwidx0; v_widx1 = x_vwidx1; v_wdata0 = x_vwdata0; v_wdata1 = x_vwdata1;
    excl_valid_d = excl_valid_q; excl_addr_d = excl_addr_q;
    rf_we = 1'b0; rf_widx = 6'd0; rf_wdata = 32'd0;
    rt_valid = 1'b0;
    cp_dabort = 1'b0; cp_pabort = 1'b0;
    dmem_valid_o = 1'b0;

    case (state_q)
      S_FETCH: begin
        exc_vabt_d = 1'b0; exc_abt_d = 1'b0;
        if (boot_q && boot_r0_we_i) begin rf_we = 1'b1; rf_widx = 6'd0; rf_wdata = boot_r0_i; end
        if (fiq_take || irq_take) begin
          exc_d = fiq_take ? EXC_FIQ : EXC_IRQ;
          exc_hyp_d = fiq_take ? fiq_hyp : irq_hyp;
          exc_insn_d = 1'b0;
          state_d = S_EXC_LR;
        end else if (vabt_take) begin
          // reported as a data abort: DFSR = asynchronous external abort
          // (short format 0x406, long 0x211), DFAR left alone; LR = next + 8
          exc_d = EXC_DABT; exc_hyp_d = 1'b0; exc_insn_d = 1'b0; exc_vabt_d = 1'b1;
          exc_fsr_d = ttbcr_eae ? 32'h0000_0211 : 32'h0000_0406;
          state_d = S_EXC_LR;
        end else if (!vb_ack) begin
          fetch_busy_d = 1'b1;
        end else begin
          if (vb_err) begin
            // translation fault or external abort (decode error: ExT/EA = 0)
            exc_d = (abt_hyp && !in_hyp) ? EXC_HYP : EXC_PABT;
            exc_insn_d = 1'b0; exc_hyp_d = abt_hyp;
            exc_fsr_d = vb_fault ? flt_fsr : ext_fsr; exc_far_d = pc_q;
            hsr_d = iabt_hsr;
            exc_abt_d = abt_hyp; exc_iabt_d = 1'b1;
            exc_hpfar_we_d = vb_fault && flt_stage2; exc_hpfar_d = flt_hpfar;
            state_d = S_EXC_LR;
          end else if (!t_mode) begin
            ir_d = vb_rdata;
            state_d = S_EXEC;
          end else begin
            // T32: the halfword at PC; a 32-bit instruction at PC[1] = 1 takes its
            // second halfword from the next word (S_FETCH2)
            ir_d = {16'd0, fetch_hw1};
            state_d = S_EXEC;
            if (fetch_hw1_w32) begin
              if (pc_q[1]) begin
                ir_d = {fetch_hw1, 16'd0};
                state_d = S_FETCH2;
              end else begin
                ir_d = {fetch_hw1, vb_rdata[31:16]};
              end
            end
          end
        end
      end

      S_FETCH2: begin
        if (!vb_ack) begin
          fetch_busy_d = 1'b1;
        end else if (vb_err) begin
          // the second halfword's abort belongs to the instruction
          exc_d = (abt_hyp && !in_hyp) ? EXC_HYP : EXC_PABT;
          exc_insn_d = 1'b0; exc_hyp_d = abt_hyp;
          exc_fsr_d = vb_fault ? flt_fsr : ext_fsr; exc_far_d = pc_q + 32'd2;
          hsr_d = iabt_hsr;
          exc_abt_d = abt_hyp; exc_iabt_d = 1'b1;
          exc_hpfar_we_d = vb_fault && flt_stage2; exc_hpfar_d = flt_hpfar;
          state_d = S_EXC_LR;
        end else begin
          ir_d = {ir_q[31:16], vb_rdata[15:0]};
          state_d = S_EXEC;
        end
      end

      S_EXEC: if (cp_maint && !m_done) begin
        // TLB maintenance / ATS: wait for the MMU
      end else begin
        rf_we = x_we; rf_widx = x_widx; rf_wdata = x_wdata;
        v_we0 = x_vwe0; v_we1 = x_vwe1; v_sys_we = x_vsys_we;
        npc_d = x_npc; ncpsr_d = x_ncpsr;
        if (x_excl_clr) excl_valid_d = 1'b0;
        case (x_act)
          A_RETIRE: begin
            rt_valid = 1'b1;
            pc_d = x_npc; cpsr_d = x_ncpsr;
            state_d = S_FETCH;
          end
          A_WB2: begin
            wb_en_d = 1'b1; wb_idx_d = x_wb2_idx; wb_val_d = x_wb2_val;
            state_d = S_WB2;
          end
          A_MEM: begin
            mem_start = 1'b1;   // arm_lsu takes the x_m* set-up
            wb_en_d = x_wb_en; wb_idx_d = x_wb_idx; wb_val_d = x_wb_val;
            if (x_excl_set) begin excl_valid_d = 1'b1; excl_addr_d = x_maddr; end
            state_d = S_MEM;
          end
          A_EXC: begin
            exc_d = x_exc; exc_insn_d = 1'b1;
            exc_hyp_d = in_hyp || (x_exc == EXC_HYP);
            // HSR.IL (B3.13.6): x_hsr has the A32 value; 0 for a 16-bit T32 instruction
            hsr_d = t16 ? {x_hsr[31:26], 1'b0, x_hsr[24:0]} : x_hsr;
            state_d = S_EXC_LR;
          end
          A_SEMI: begin
            state_d = S_SEMI;
          end
          default: begin   // A_WFI
            state_d = S_WFI;
          end
        endcase
      end

      S_MEM: begin
        // a beat of arm_lsu: what it does to the registers, PC, CPSR and VFP file
        if (vb_ack) begin
          dmem_valid_o = 1'b1;
          if (vb_err) begin
            exc_d = (abt_hyp && !in_hyp) ? EXC_HYP : EXC_DABT;
            exc_insn_d = 1'b1; exc_hyp_d = abt_hyp;
            exc_fsr_d = vb_fault ? flt_fsr : ext_fsr;
            exc_far_d = (lsu_kind == M_SINGLE) ? lsu_addr : {lsu_addr[31:2], 2'b00};
            hsr_d = dabt_hsr;
            exc_abt_d = abt_hyp; exc_iabt_d = 1'b0;
            exc_hpfar_we_d = vb_fault && flt_stage2; exc_hpfar_d = flt_hpfar;
            if (lsu_excl && !lsu_load) excl_valid_d = 1'b0;
            state_d = S_EXC_LR;
          end else if (!lsu_split_first) begin
            // beat complete
            if (lsu_kind == M_VFP) begin
              if (lsu_load) begin v_we0 = 1'b1; v_widx0 = lsu_vidx; v_wdata0 = vb_rdata; end
            end else if (lsu_load) begin
              if (lsu_kind == M_RFE) begin
                if (lsu_list0) npc_d = vb_rdata;
                else ncpsr_d = eret_cpsr_load;
              end else if (beat_reg == 4'd15) begin
                // LoadWritePC (A2.3.2): interworking by bit 0
                npc_d = load_val & ~32'd1;
                ncpsr_d[PSR_T] = load_val[0];
                if (t_tbx) begin
                  npc_d = pc4 + {load_val[30:0], 1'b0};
                  ncpsr_d[PSR_T] = 1'b1;
                end
              end else begin
                rf_we = 1'b1; rf_widx = beat_idx; rf_wdata = load_val;
              end
            end
            if (lsu_last_beat) begin
              if (lsu_eret) begin
                ncpsr_d = eret_cpsr_mspsr;
              end
              if (lsu_excl && !lsu_load) begin
                // STREX succeeded: Rd <= 0 in the write-back cycle (1 when the
                // SoC's global monitor failed it: bus_exfail_i)
                wb_en_d = 1'b1; wb_idx_d = strex_rd_idx; wb_val_d = {31'd0, bus_exfail_i};
              end else if (lsu_base_loaded) begin
                wb_en_d = 1'b0;   // LDM loaded its base: the loaded value wins (as QEMU)
              end
              state_d = S_WB2;
            end
          end
        end
      end

      S_WB2: begin
        // second register write (long multiplies, base write-back, STREX status)
        rf_we = wb_en_q; rf_widx = wb_idx_q; rf_wdata = wb_val_q;
        rt_valid = 1'b1;
        pc_d = npc_q;
        cpsr_d = ncpsr_q;
        state_d = S_FETCH;
      end

      S_EXC_LR: begin
        rf_we = 1'b1;
        rf_widx = e_lr_idx;
        rf_wdata = e_lr;
        state_d = S_EXC_ENTER;
      end

      S_EXC_ENTER: begin
        rf_we = 1'b1; rf_widx = e_spsr_idx; rf_wdata = exc_spsr;
        cp_dabort = (exc_q == EXC_DABT) && (e_mode != MODE_HYP);
        cp_pabort = (exc_q == EXC_PABT) && (e_mode != MODE_HYP);
        rt_valid = exc_insn_q;
        pc_d = e_vec; cpsr_d = e_cpsr;
        state_d = S_FETCH;
      end

      S_SEMI: begin
        if (sh_ack_i) begin
          rf_we = 1'b1; rf_widx = 6'd0; rf_wdata = sh_ret_i;
          rt_valid = 1'b1;
          pc_d = pc_next;
          state_d = S_FETCH;
        end
      end

      default: begin  // S_WFI: wake on any pending interrupt, even if masked (B1.8.13)
        if (wfi_wake) begin
          rt_valid = 1'b1;
          pc_d = pc_next;
          state_d = S_FETCH;
        end
      end
    endcase
  end


  // ---------------------------------------------------------------- registers
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= S_FETCH;
      // an odd entry starts in Thumb state, as QEMU's boot and PSCI CPU_ON set the PC
      // (AArch32: T := entry[0], PC := entry with bit 0 clear)
      pc_q    <= {reset_pc_i[31:1], 1'b0};
      ir_q    <= 32'd0;
      // 0x400001da as QEMU enters an ELF: Hyp, A I F masked, Z set (flags are
      // architecturally UNKNOWN at reset; we pick QEMU's value); T from the entry
      cpsr_q  <= {1'b0, 1'b1, 21'd0, 1'b1, 1'b1, 1'b1, reset_pc_i[0], MODE_HYP};
    end else begin
      state_q <= state_d;
      pc_q    <= pc_d;
      ir_q    <= ir_d;
      cpsr_q  <= cpsr_d;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      fetch_busy_q <= 1'b0;
      wb_en_q <= 1'b0; wb_idx_q <= 6'd0; wb_val_q <= 32'd0; npc_q <= 32'd0; ncpsr_q <= 32'd0;
    end else begin
      fetch_busy_q <= fetch_busy_d;
      wb_en_q <= wb_en_d; wb_idx_q <= wb_idx_d; wb_val_q <= wb_val_d; npc_q <= npc_d;
      ncpsr_q <= ncpsr_d;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      exc_q <= EXC_UND; exc_insn_q <= 1'b0; exc_fsr_q <= 32'd0; exc_far_q <= 32'd0;
      exc_hyp_q <= 1'b0; hsr_q <= 32'd0; exc_vabt_q <= 1'b0;
      exc_abt_q <= 1'b0; exc_iabt_q <= 1'b0; exc_hpfar_we_q <= 1'b0; exc_hpfar_q <= 32'd0;
      excl_valid_q <= 1'b0; excl_addr_q <= 32'd0; boot_q <= 1'b1;
    end else begin
      boot_q <= 1'b0;
      exc_q <= exc_d; exc_insn_q <= exc_insn_d; exc_fsr_q <= exc_fsr_d; exc_far_q <= exc_far_d;
      exc_hyp_q <= exc_hyp_d; hsr_q <= hsr_d; exc_vabt_q <= exc_vabt_d;
      exc_abt_q <= exc_abt_d; exc_iabt_q <= exc_iabt_d;
      exc_hpfar_we_q <= exc_hpfar_we_d; exc_hpfar_q <= exc_hpfar_d;
      excl_valid_q <= excl_valid_d; excl_addr_q <= excl_addr_d;
    end
  end

  // ---------------------------------------------------------------- ports
  assign rt_valid_o     = rt_valid;
  assign rt_pc_o        = pc_q;
  assign rt_instr_o     = ir_q;
  assign rt_cpsr_o      = cpsr_d;
  assign rt_cond_pass_o = x_cond;
  assign rf_we_o        = rf_we;
  assign rf_widx_o      = rf_widx;
  assign rf_wdata_o     = rf_wdata;
  assign dmem_we_o      = vb_we;
  assign dmem_addr_o    = vb_addr;
  // The PA of the beat: in the cycle of vb_ack mmu_bridge drives the access on the
  // physical bus (B_IDLE pass-through: the VA; B_ACCESS: the translated PA), so
  // bus_addr_o is its physical address (B3.1: the output of stage 1 and stage 2); on
  // a translation fault (ack+err from B_XLAT) no access is made and it is the VA.
  assign dmem_pa_o      = bus_addr_o;
  assign dmem_be_o      = vb_be;
  assign dmem_data_o    = vb_we ? vb_wdata : vb_rdata;
  assign exc_valid_o    = (state_q == S_EXC_ENTER);
  assign exc_type_o     = exc_q;
  assign exc_hsr_o      = hsr_we ? hsr_q : 32'd0;
  assign exc_return_o   = e_lr;
  assign exc_vector_o   = e_vec;
  assign exc_cpsr_o     = e_cpsr;
  assign sh_req_o       = (state_q == S_SEMI);
  assign sh_op_o        = r0_v;
  assign sh_arg_o       = r1_v;
  assign sh_arg2_o      = obs_regs_o[2];   // r2, r3: not banked (arm_pkg numbering)
  assign sh_arg3_o      = obs_regs_o[3];
  assign sh_smc_o       = (state_q == S_SEMI) && (ir_x[27:20] == 8'h16) && (ir_x[7:4] == 4'h7);
  assign bus_excl_o     = (state_q == S_MEM) && lsu_excl;
  assign obs_cpsr_o     = cpsr_q;

  // ---------------------------------------------------------------- assertions
  // The bus contract of the port list, checked in every Verilator run (--assert) and on
  // Icarus: a request is held, unchanged, until its ack (address, direction and kind;
  // byte enables and data too for a write).
  logic        bus_wait_q;
  logic [33:0] bus_req_q;
  logic [35:0] bus_wr_q;
  always @(posedge clk_i) begin
    bus_wait_q <= rst_ni && bus_req_o && !bus_ack_i;
    bus_req_q  <= {bus_we_o, bus_instr_o, bus_addr_o};
    bus_wr_q   <= {bus_be_o, bus_wdata_o};
    if (rst_ni && bus_wait_q)
      assert (bus_req_o && {bus_we_o, bus_instr_o, bus_addr_o} == bus_req_q
              && (!bus_we_o || {bus_be_o, bus_wdata_o} == bus_wr_q))
      else $fatal(1, "arm_core: a bus request was withdrawn or changed before its ack (was %s 0x%08x, now req=%0d %s 0x%08x)",
                  bus_req_q[33] ? "write" : "read", bus_req_q[31:0], bus_req_o, bus_we_o ? "write" : "read",
                  bus_addr_o);
  end

  // Decoder: exactly one instruction class for the instruction being executed; the
  // retire port carries no X when it pulses (Icarus; Verilator is two-state).
  always @(posedge clk_i) begin
    if (rst_ni && state_q == S_EXEC)
      assert (d_class != '0 && (d_class & (d_class - 1'b1)) == '0)
      else $fatal(1, "arm_core: decoder class of 0x%08x is not one-hot (0x%06x)", ir_q, d_class);
    if (rst_ni && rt_valid_o)
      assert ((^{rt_pc_o, rt_instr_o, rt_cpsr_o, rt_cond_pass_o}) !== 1'bx)
      else $fatal(1, "arm_core: X on the retire port (pc 0x%08x instr 0x%08x cpsr 0x%08x)",
                  rt_pc_o, rt_instr_o, rt_cpsr_o);
  end
endmodule
