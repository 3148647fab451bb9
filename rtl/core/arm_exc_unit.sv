`timescale 1ns/1ps
// arm_exc_unit -- arm_core's exceptions: which interrupt (or virtual abort) the
// controller takes at the next fetch, the values an exception entry writes
// (vector, LR / ELR_hyp, CPSR, the banked LR and SPSR it writes to), the abort
// syndromes (HSR ISS, PL1 fault status) and the WFI wake-up condition.
// Purely combinational; the controller (arm_core) holds the exception being
// taken (exc_q, exc_hyp_q, hsr_q, ...) and sequences the entry.
//   ARM ARM B1.8.3 (exception return addresses), B1.8.1/B1.9 (vectors,
//   VBAR, SCTLR.V, HVBAR), B1.8.6/B1.9.x (IRQ/FIQ routing with HCR.IMO/FMO,
//   virtual IRQ/FIQ), B1.8.13 (WFI wake-up), B1.9.x (virtual asynchronous
//   abort, HCR.VA/AMO), B3.13.6 (HSR ISS of EC 0x20/0x21/0x24/0x25),
//   B3.13.3 (fault status formats), B1.14 (Hyp entry: CPSR.A/I/F set, E = 0).
// Exceptions from Thumb state (B1.8.3 table B1-7, B1.9): the LR offsets are the
// A32 ones except UNDEFINED (T32: address + 2, for a 32-bit instruction too, as
// QEMU 7.2) and SVC / HVC (the next instruction, + 2 or + 4); entry clears IT
// and sets CPSR.T := SCTLR.TE (PL1 vectors) or HSCTLR.TE (Hyp vectors); a data
// abort with ISV from a 16-bit T32 load/store has HSR.IL = 0 (B3.13.6).
// Left out: physical asynchronous aborts (none in the SoC), Monitor mode and
// SCR routing (no Security Extensions), HCR.TGE routing, and HSCTLR.EE
// (Hyp entry is little-endian).
module arm_exc_unit
  import arm_pkg::*;
(
  // interrupt selection (taken only at a fetch, outside an outstanding one)
  input  logic        irq_i,
  input  logic        fiq_i,
  input  logic        virq_i,
  input  logic        vfiq_i,
  input  logic [31:0] hcr_i,
  input  logic [31:0] cpsr_i,
  input  logic        fetch_busy_i,   // an instruction fetch is outstanding
  output logic        irq_take_o,
  output logic        fiq_take_o,
  output logic        vabt_take_o,
  output logic        irq_hyp_o,      // a physical IRQ routed to Hyp mode
  output logic        fiq_hyp_o,      // a physical FIQ routed to Hyp mode
  output logic        wfi_wake_o,     // any pending interrupt, masked or not (B1.8.13)
  // exception entry
  input  logic [2:0]  exc_i,          // EXC_* being taken
  input  logic        exc_hyp_i,      // ... to Hyp mode
  input  logic [5:0]  exc_ec_i,       // its HSR.EC
  input  logic [31:0] pc_i,
  input  logic [31:0] pc4_i,
  input  logic [31:0] pcn_i,       // the next instruction (T32: address + 2 or 4): SVC/UNDEF/HVC return
  input  logic [31:0] pc8_i,
  input  logic [31:0] sctlr_i,
  input  logic        hsctlr_te_i,    // HSCTLR.TE: Hyp entry in Thumb state
  input  logic [31:0] vbar_i,
  input  logic [31:0] hvbar_i,
  output logic [4:0]  e_mode_o,
  output logic [31:0] e_lr_o,
  output logic [31:0] e_vec_o,
  output logic [31:0] e_cpsr_o,
  output logic [5:0]  e_lr_idx_o,     // where e_lr goes: LR of e_mode, or ELR_hyp
  output logic [5:0]  e_spsr_idx_o,
  // abort syndromes of the access under way (fetch or data beat)
  input  logic        mem_beat_i,     // a data beat (S_MEM), not a fetch
  input  logic        mem_load_i,
  input  logic        isv_access_i,   // a single LDR/STR{B,H,SB,SH} without writeback
  input  logic [1:0]  mem_size_i,
  input  logic        mem_signed_i,
  input  logic [3:0]  mem_rt_i,
  input  logic        t16_i,          // the instruction is a 16-bit T32 one (HSR.IL = 0)
  input  logic        qemu_compat_i,
  input  logic        ttbcr_eae_i,
  input  logic        fault_i,        // an MMU fault (else an external abort)
  input  logic        flt_to_hyp_i,
  input  logic        flt_s1ptw_i,
  input  logic [5:0]  flt_ec_i,
  input  logic [24:0] flt_iss_i,
  output logic        abt_hyp_o,      // the abort is taken to Hyp mode
  output logic [31:0] dabt_hsr_o,
  output logic [31:0] iabt_hsr_o,
  output logic [31:0] ext_fsr_o       // PL1 fault status of an external abort
);
  wire [4:0] mode   = cpsr_i[4:0];
  wire       in_hyp = (mode == MODE_HYP);

  // ---------------------------------------------------------------- interrupts
  // B1.8.6 and B1.9.x: with HCR.IMO/FMO a physical IRQ/FIQ goes to Hyp mode,
  // unmasked by CPSR.I/F outside Hyp mode; without, it goes to PL1 and is not
  // taken in Hyp mode. Virtual IRQ/FIQ (HCR.VI/VF, the GIC's pins) exist only
  // with IMO/FMO set and only outside Hyp mode.
  wire irq_hyp  = irq_i && hcr_i[HCR_IMO] && (!in_hyp || !cpsr_i[PSR_I]);
  wire fiq_hyp  = fiq_i && hcr_i[HCR_FMO] && (!in_hyp || !cpsr_i[PSR_F]);
  wire irq_pl1  = !in_hyp && !cpsr_i[PSR_I]
                  && ((irq_i && !hcr_i[HCR_IMO]) || ((hcr_i[HCR_VI] || virq_i) && hcr_i[HCR_IMO]));
  wire fiq_pl1  = !in_hyp && !cpsr_i[PSR_F]
                  && ((fiq_i && !hcr_i[HCR_FMO]) || ((hcr_i[HCR_VF] || vfiq_i) && hcr_i[HCR_FMO]));
  assign irq_hyp_o  = irq_hyp;
  assign fiq_hyp_o  = fiq_hyp;
  assign fiq_take_o = (fiq_hyp || fiq_pl1) && !fetch_busy_i;
  assign irq_take_o = (irq_hyp || irq_pl1) && !fiq_take_o && !fetch_busy_i;
  // HCR.VA with AMO: a virtual asynchronous abort to PL1, unmasked by CPSR.A,
  // after the interrupts as QEMU orders them; taking it clears HCR.VA (B1.8.x)
  assign vabt_take_o = !in_hyp && hcr_i[HCR_AMO] && hcr_i[HCR_VA] && !cpsr_i[PSR_A]
                       && !fiq_take_o && !irq_take_o && !fetch_busy_i;
  // WFI: wake on any pending interrupt, even if masked (B1.8.13)
  assign wfi_wake_o = irq_i || fiq_i || (!in_hyp && ((hcr_i[HCR_IMO] && (hcr_i[HCR_VI] || virq_i))
                                                     || (hcr_i[HCR_FMO] && (hcr_i[HCR_VF] || vfiq_i))
                                                     || (hcr_i[HCR_AMO] && hcr_i[HCR_VA])));

  // ---------------------------------------------------------------- entry values
  logic [4:0]  e_mode;
  logic [31:0] e_lr, e_vec, e_cpsr;
  logic [7:0]  e_off;
  always @(*) begin
    case (exc_i)
      EXC_UND:  begin e_mode = MODE_UND; e_off = 8'h04; end
      EXC_SVC:  begin e_mode = MODE_SVC; e_off = 8'h08; end
      EXC_PABT: begin e_mode = MODE_ABT; e_off = 8'h0c; end
      EXC_DABT: begin e_mode = MODE_ABT; e_off = 8'h10; end
      EXC_IRQ:  begin e_mode = MODE_IRQ; e_off = 8'h18; end
      EXC_HYP:  begin e_mode = MODE_HYP; e_off = (mode == MODE_HYP) ? 8'h08 : 8'h14; end
      default:  begin e_mode = MODE_FIQ; e_off = 8'h1c; end
    endcase
    // LR value (ARM ARM B1.8.3 table "Exception return addresses"); for Hyp the
    // preferred return address goes to ELR_hyp.
    case (exc_i)
      // UNDEFINED: A32 address + 4, T32 address + 2 whatever the width (B1.8.3, QEMU)
      EXC_UND:  e_lr = (mode == MODE_HYP) ? pc_i : cpsr_i[PSR_T] ? pc_i + 32'd2 : pcn_i;
      EXC_SVC:  e_lr = pcn_i;
      // HVC returns after itself; a trapped instruction is its own preferred return
      EXC_HYP:  e_lr = (exc_ec_i == EC_HVC) ? pcn_i : pc_i;
      EXC_PABT: e_lr = (mode == MODE_HYP) ? pc_i : pc4_i;
      EXC_DABT: e_lr = (mode == MODE_HYP) ? pc_i : pc8_i;
      default:  e_lr = exc_hyp_i ? pc_i : pc4_i;   // IRQ/FIQ: pc is the next instruction
    endcase
    e_cpsr = cpsr_i;
    e_cpsr[26:24] = 3'b000; e_cpsr[15:10] = 6'd0;   // IT, J
    // B1.9.x: entry in Thumb state when the target's SCTLR.TE / HSCTLR.TE says so
    e_cpsr[PSR_T] = exc_hyp_i ? hsctlr_te_i : sctlr_i[SCTLR_TE];
    if (exc_hyp_i) begin
      e_mode = MODE_HYP;
      e_vec = hvbar_i + {24'd0, e_off};
      e_cpsr[PSR_A] = 1'b1; e_cpsr[PSR_I] = 1'b1; e_cpsr[PSR_F] = 1'b1;
      e_cpsr[PSR_E] = 1'b0;
    end else begin
      e_vec = (sctlr_i[SCTLR_V] ? 32'hffff_0000 : vbar_i) + {24'd0, e_off};
      e_cpsr[PSR_I] = 1'b1;
      if (exc_i == EXC_PABT || exc_i == EXC_DABT || exc_i == EXC_IRQ || exc_i == EXC_FIQ) e_cpsr[PSR_A] = 1'b1;
      if (exc_i == EXC_FIQ) e_cpsr[PSR_F] = 1'b1;
      e_cpsr[PSR_E] = sctlr_i[SCTLR_EE];
    end
    e_cpsr[4:0] = e_mode;
  end
  assign e_mode_o = e_mode;
  assign e_lr_o   = e_lr;
  assign e_vec_o  = e_vec;
  assign e_cpsr_o = e_cpsr;

  wire [5:0] e_lr_gpr = phys_gpr(e_mode, 4'd14);
  assign e_lr_idx_o   = (e_mode == MODE_HYP) ? PHYS_ELR_HYP : e_lr_gpr;
  assign e_spsr_idx_o = phys_spsr(e_mode);

  // ---------------------------------------------------------------- syndromes
  // Abort syndromes (B3.13.6 ISS for EC 0x20/0x21/0x24/0x25). ISV with SAS/SSE/SRT
  // for a single load/store without writeback (QEMU's rule), for a stage-2 abort
  // and not for a stage-1 walk's one; QEMU 7.2 also fills them in for data
  // aborts taken from Hyp mode (EC 0x25), which the core does only with
  // qemu_compat_i. IL is UNK/SBZP on v7 without ISV (B3.13.6): 0, as QEMU; with
  // ISV it is the instruction's width (0 for a 16-bit T32 load/store).
  wire        dabt_isv    = isv_access_i && !(fault_i && flt_s1ptw_i) && (!in_hyp || qemu_compat_i);
  wire [8:0]  dabt_iss_hi = dabt_isv ? {1'b1, mem_size_i, mem_signed_i, 1'b0, mem_rt_i} : 9'd0;
  wire        dabt_il     = dabt_isv && !t16_i;
  assign dabt_hsr_o = fault_i ? {flt_ec_i, dabt_il, dabt_iss_hi, flt_iss_i[15:0]}
                              : {EC_DABT_CUR, dabt_il, dabt_iss_hi, 9'd0, !mem_load_i, FSC_EXT};
  assign iabt_hsr_o = fault_i ? {flt_ec_i, 1'b0, flt_iss_i}
                              : {EC_IABT_CUR, 1'b0, 19'd0, FSC_EXT};
  // external abort status for PL1: long format with TTBCR.EAE (LPAE bit 9), else short
  assign ext_fsr_o  = ttbcr_eae_i ? {20'd0, !mem_load_i && mem_beat_i, 2'b01, 3'd0, FSC_EXT}
                                  : {20'd0, !mem_load_i && mem_beat_i, 11'h008};
  assign abt_hyp_o  = in_hyp || (fault_i && flt_to_hyp_i);
endmodule
