`timescale 1ns/1ps
// arm_cp15 -- the CP15 system-control registers of an ARMv7-A core with the
// Virtualization and Large Physical Address Extensions (ARM ARM B4.1, B3.17
// "Organization of the CP15 registers in a VMSA implementation"), with Cortex-A15 identification as
// QEMU's cortex-a15 model presents it on `-M virt,virtualization=on` (no EL3).
// Cache maintenance and the CP15 barriers are accepted as no-ops (no caches).
// The MMU registers (TTBR0/1, TTBCR, MAIR0/1, HTTBR, HTCR, HMAIR0/1, VTTBR,
// VTCR, HSCTLR.M) leave on mmu_*_o for rtl/mmu (SCTLR and HCR on their own
// outputs); TLB maintenance
// (B4.2.2: TLBI* at PL1, TLBI*H and TLBIALLNSNH in Hyp mode, IS forms) and
// address translation (B4.2.3: ATS1C* at PL1, ATS12NSO* and ATS1H* in Hyp mode)
// are decoded onto maint_*_o and carried out by the MMU; ATS results come back
// on par_we_i. Aborts taken to Hyp mode write HDFAR/HIFAR/HPFAR with the HSR.
// Hyp-mode registers (B4.1.x, opc1 == 4): HCR, HDCR, HCPTR, HSTR, HACR,
// HSCTLR, HACTLR, HTCR, VTCR, HMAIR0/1, HTPIDR, HSR, HDFAR, HIFAR, HPFAR,
// VPIDR, VMPIDR. HCR and HSTR drive trap_o: whether the access on the
// MCR/MRC inputs traps to Hyp mode (B1.14: HSTR.Tn, HCR.TID1/TID2/TID3, TAC,
// TSW, TPC, TPU, TTLB, TVM, TIDCP), decided as tb/models/hsr.py does: at PL1
// a trap has priority over an unknown register's UNDEFINED, at PL0 an access
// UNDEFINED at PL0 stays UNDEFINED; Hyp registers are never trapped.
// PL1 reads of MIDR/MPIDR return VPIDR/VMPIDR (B4.1.158, identity
// virtualization), as on QEMU.
// MCRR/MRRC (is64_i; opc1, crm) reach the 64-bit registers: TTBR0, TTBR1
// and PAR (their 32-bit MCR/MRC views are the low words), HTTBR and VTTBR.
// Left out: PMU (c9), IMPLEMENTATION DEFINED c15 (those accesses are UNDEFINED
// here), and ISR (c12, reads 0: the pending A/I/F lines are not brought here).
// The generic timer's c14 registers are arm_generic_timer's (rtl/timer).
// Observation (read-only, for the testbench's retire tracer; no logic reads
// them): the registers of a vCPU's context, each word the value an MRC (for
// _LO/_HI the MRRC Rt/Rt2) of it returns in a permitted mode, held this cycle
// (a write shows from the cycle after its clock edge):
//   obs_pl1_o[0..25]  SCTLR CPACR TTBCR DACR DFSR IFSR ADFSR AIFSR DFAR IFAR
//                     PRRR NMRR AMAIR0 AMAIR1 VBAR CONTEXTIDR TPIDRURW TPIDRURO
//                     TPIDRPRW CSSELR TTBR0_LO TTBR0_HI TTBR1_LO TTBR1_HI
//                     PAR_LO PAR_HI
//   obs_hyp_o[0..8]   HCR HSTR HCPTR HDCR HVBAR VTTBR_LO VTTBR_HI VPIDR VMPIDR
module arm_cp15 #(
  parameter logic [31:0] MIDR     = 32'h414f_c0f0,   // QEMU 7.2 cortex-a15 (r4p0)
  parameter logic [31:0] MPIDR    = 32'h8000_0000,   // per core: arm_core MPIDR (Aff0 = core number, soc_top)
  parameter logic [31:0] CTR      = 32'h8444_c004,
  parameter logic [31:0] ID_PFR0  = 32'h0000_1131,
  parameter logic [31:0] ID_PFR1  = 32'h0001_1001,   // no Security Extensions (QEMU, no EL3)
  parameter logic [31:0] ID_DFR0  = 32'h0201_0505,   // as QEMU 7.2 reports it
  parameter logic [31:0] ID_MMFR0 = 32'h1020_1105,
  parameter logic [31:0] ID_MMFR1 = 32'h2000_0000,
  parameter logic [31:0] ID_MMFR2 = 32'h0124_0000,
  parameter logic [31:0] ID_MMFR3 = 32'h0210_2211,
  parameter logic [31:0] ID_ISAR0 = 32'h0210_1110,
  parameter logic [31:0] ID_ISAR1 = 32'h1311_2111,
  parameter logic [31:0] ID_ISAR2 = 32'h2123_2041,
  parameter logic [31:0] ID_ISAR3 = 32'h1111_2131,
  parameter logic [31:0] ID_ISAR4 = 32'h1001_1142,
  parameter logic [31:0] ID_ISAR5 = 32'h0000_0000,
  parameter logic [31:0] CLIDR    = 32'h0a20_0023,
  parameter logic [31:0] SCTLR_RESET = 32'h00c5_0078,
  // Cortex-A15 IMPLEMENTATION DEFINED registers as QEMU 7.2 shows them on virt
  parameter logic [31:0] L2CTLR   = 32'h0080_0000,   // c9, opc1 1, c0, 2 (writes ignored)
  parameter logic [31:0] CBAR     = 32'h0800_0000    // c15, opc1 4, c0, 0: GIC base, PL1 read-only
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  // MCR/MRC access from the core, evaluated in the execute cycle
  input  logic        acc_i,        // an access is executing (condition passed)
  input  logic        write_i,      // MCR / MCRR
  input  logic        is64_i,       // MCRR / MRRC: opc1_i and crm_i select, crn_i/opc2_i are 0
  input  logic [3:0]  crn_i,
  input  logic [2:0]  opc1_i,
  input  logic [3:0]  crm_i,
  input  logic [2:0]  opc2_i,
  input  logic [31:0] wdata_i,
  input  logic [31:0] wdata_hi_i,   // MCRR: Rt2
  input  logic [4:0]  mode_i,
  // 1: leave untrapped what QEMU 7.2 does not trap from PL1 (HCR.TID3, TSW,
  // TPC, TPU, TIDCP; TID1 but for AIDR), for lockstep runs against QEMU
  input  logic        qemu_compat_i,
  output logic [31:0] rdata_o,
  output logic [31:0] rdata_hi_o,   // MRRC: Rt2
  output logic        undef_o,      // access is UNDEFINED (unknown or not permitted)
  output logic        trap_o,       // access traps to Hyp mode (HSR EC 0x03)
  // fault status updates on aborts taken to PL1 (ARM ARM B4.1.52, B4.1.96)
  input  logic        dabort_i,
  input  logic        pabort_i,
  input  logic [31:0] fsr_i,
  input  logic [31:0] far_i,
  input  logic        far_valid_i,  // 0: the abort leaves DFAR/IFAR (a virtual abort's is UNKNOWN)
  input  logic        clear_va_i,   // a virtual abort is taken: HCR.VA := 0
  input  logic        hsr_we_i,     // syndrome of an exception taken to Hyp mode
  input  logic [31:0] hsr_i,
  // with hsr_we_i: an abort taken to Hyp mode writes HIFAR (instr) or HDFAR,
  // and HPFAR for a stage-2 fault (B3.13.x)
  input  logic        habt_i,
  input  logic        habt_instr_i,
  input  logic [31:0] habt_far_i,
  input  logic        habt_hpfar_we_i,
  input  logic [31:0] habt_hpfar_i,
  // ATS result (64-bit PAR, B4.1.112)
  input  logic        par_we_i,
  input  logic [63:0] par_i,
  // TLB maintenance / ATS decode of the access on the inputs (valid when it
  // executes: acc_i, not UNDEFINED, not trapped); op per rtl/mmu/mmu.sv
  output logic        maint_o,
  output logic        maint_tlbi_o,   // 1 TLBI, 0 ATS
  output logic [3:0]  maint_tlbi_op_o,
  output logic [1:0]  maint_ats_kind_o,
  output logic [1:0]  maint_ats_pl_o,
  output logic [1:0]  maint_ats_op_o,
  // MMU controls
  output logic [31:0] mmu_ttbcr_o,
  output logic [63:0] mmu_ttbr0_o,
  output logic [63:0] mmu_ttbr1_o,
  output logic [31:0] mmu_mair0_o,
  output logic [31:0] mmu_mair1_o,
  output logic        mmu_hsctlr_m_o,
  output logic        hsctlr_te_o,    // HSCTLR.TE: Hyp-mode exception entry in Thumb state
  output logic [31:0] mmu_htcr_o,
  output logic [63:0] mmu_httbr_o,
  output logic [31:0] mmu_hmair0_o,
  output logic [31:0] mmu_hmair1_o,
  output logic [31:0] mmu_vtcr_o,
  output logic [63:0] mmu_vttbr_o,
  output logic [31:0] sctlr_o,
  output logic [31:0] vbar_o,
  output logic [31:0] hvbar_o,
  output logic [31:0] hcr_o,
  output logic        hcptr_tcp_o,  // HCPTR.TCP10 | TCP11: VFP traps to Hyp
  output logic [1:0]  cpacr_cp10_o, // CPACR.cp10 access rights
  output logic        ttbcr_eae_o,  // TTBCR.EAE: long-descriptor fault status format
  // observation (see the header)
  output logic [25:0][31:0] obs_pl1_o,
  output logic [8:0][31:0]  obs_hyp_o
);
  import arm_pkg::*;

  logic [31:0] sctlr_q, actlr_q, cpacr_q, ttbr0_q, ttbr1_q, ttbcr_q, dacr_q;
  logic [31:0] dfsr_q, ifsr_q, adfsr_q, aifsr_q, dfar_q, ifar_q, par_q;
  logic [31:0] prrr_q, nmrr_q, amair0_q, amair1_q, vbar_q, hvbar_q;
  logic [31:0] contextidr_q, tpidrurw_q, tpidruro_q, tpidrprw_q, csselr_q;
  logic [31:0] hcr_q, hdcr_q, hcptr_q, hstr_q, hacr_q, hsctlr_q, hactlr_q, htcr_q, vtcr_q;
  logic [31:0] hmair0_q, hmair1_q, htpidr_q, hsr_q, hdfar_q, hifar_q, hpfar_q, vpidr_q, vmpidr_q;
  // 64-bit registers: high words of TTBR0/TTBR1/PAR, and HTTBR/VTTBR whole
  logic [31:0] ttbr0_hi_q, ttbr1_hi_q, par_hi_q;
  logic [63:0] httbr_q, vttbr_q;
  logic        sel_httbr, sel_vttbr, sel_cbar;

  // HCR bit positions: arm_pkg (B4.1.65)

  logic [15:0] key;
  logic        pl0, hyp, ok, wr;
  logic        m_tlbi, m_ats, m_hyp_op, m_ats12nso;   // TLB maintenance / ATS decode (below)
  logic [3:0]  m_tlbi_op;


  assign key = {crn_i, opc1_i, crm_i, opc2_i, 2'b00};
  assign pl0 = (mode_i == MODE_USR);
  assign hyp = (mode_i == MODE_HYP);

  // Register selection codes for the write path.
  localparam logic [4:0] W_NONE = 5'd0,  W_SCTLR = 5'd1, W_ACTLR = 5'd2, W_CPACR = 5'd3,
                         W_TTBR0 = 5'd4, W_TTBR1 = 5'd5, W_TTBCR = 5'd6, W_DACR = 5'd7,
                         W_DFSR = 5'd8,  W_IFSR = 5'd9,  W_ADFSR = 5'd10, W_AIFSR = 5'd11,
                         W_DFAR = 5'd12, W_IFAR = 5'd13, W_PAR = 5'd14,  W_PRRR = 5'd15,
                         W_NMRR = 5'd16, W_AMAIR0 = 5'd17, W_AMAIR1 = 5'd18, W_VBAR = 5'd19,
                         W_HVBAR = 5'd20, W_CTXID = 5'd21, W_TPIDRURW = 5'd22,
                         W_TPIDRURO = 5'd23, W_TPIDRPRW = 5'd24, W_CSSELR = 5'd25;
  // Hyp registers: selected by hsel (0 = none)
  localparam logic [4:0] H_NONE = 5'd0, H_HCR = 5'd1, H_HDCR = 5'd2, H_HCPTR = 5'd3, H_HSTR = 5'd4,
                         H_HACR = 5'd5, H_HSCTLR = 5'd6, H_HACTLR = 5'd7, H_HTCR = 5'd8,
                         H_VTCR = 5'd9, H_HMAIR0 = 5'd10, H_HMAIR1 = 5'd11, H_HTPIDR = 5'd12,
                         H_HSR = 5'd13, H_HDFAR = 5'd14, H_HIFAR = 5'd15, H_HPFAR = 5'd16,
                         H_VPIDR = 5'd17, H_VMPIDR = 5'd18;
  logic [4:0] wsel, hsel;
  logic [31:0] rdata, rdata_hi;
  logic        undef;

  // Driven once from locals (Icarus 11: see arm_shifter).
  assign rdata_o = rdata;
  assign rdata_hi_o = rdata_hi;
  assign undef_o = undef;

  // Decode: rdata, whether the access exists/permitted, and the write target.
  always_comb begin
    rdata = 32'd0;
    rdata_hi = 32'd0;
    ok      = 1'b0;      // encoding exists
    wr      = 1'b0;      // encoding is writable
    wsel    = W_NONE;
    hsel    = H_NONE;
    sel_httbr = 1'b0;
    sel_vttbr = 1'b0;
    sel_cbar  = 1'b0;

    if (is64_i) begin
      ok = 1'b1; wr = 1'b1;
      case ({opc1_i, crm_i})
        {3'd0, 4'd2}: begin rdata = ttbr0_q; rdata_hi = ttbr0_hi_q; wsel = W_TTBR0; end
        {3'd1, 4'd2}: begin rdata = ttbr1_q; rdata_hi = ttbr1_hi_q; wsel = W_TTBR1; end
        {3'd0, 4'd7}: begin rdata = par_q;   rdata_hi = par_hi_q;   wsel = W_PAR; end
        {3'd4, 4'd2}: begin rdata = httbr_q[31:0]; rdata_hi = httbr_q[63:32]; sel_httbr = 1'b1; end
        {3'd6, 4'd2}: begin rdata = vttbr_q[31:0]; rdata_hi = vttbr_q[63:32]; sel_vttbr = 1'b1; end
        default: begin ok = 1'b0; wr = 1'b0; end
      endcase
    end else if (crn_i == 4'd0 && opc1_i == 3'd0 && crm_i == 4'd0) begin
      ok = ~write_i;
      case (opc2_i)
        3'd1:    rdata = CTR;
        3'd2:    rdata = 32'd0;       // TCMTR
        3'd3:    rdata = 32'd0;       // TLBTR
        3'd5:    rdata = hyp ? MPIDR : vmpidr_q;
        default: rdata = hyp ? MIDR : vpidr_q;   // MIDR and its aliases (4, 6 = REVIDR, 7) as QEMU
      endcase
    end else if (crn_i == 4'd0 && opc1_i == 3'd0 && crm_i >= 4'd1 && crm_i <= 4'd7) begin
      ok = ~write_i;
      case ({crm_i[2:0], opc2_i})
        6'o10: rdata = ID_PFR0;
        6'o11: rdata = ID_PFR1;
        6'o12: rdata = ID_DFR0;
        6'o13: rdata = 32'd0;         // ID_AFR0
        6'o14: rdata = ID_MMFR0;
        6'o15: rdata = ID_MMFR1;
        6'o16: rdata = ID_MMFR2;
        6'o17: rdata = ID_MMFR3;
        6'o20: rdata = ID_ISAR0;
        6'o21: rdata = ID_ISAR1;
        6'o22: rdata = ID_ISAR2;
        6'o23: rdata = ID_ISAR3;
        6'o24: rdata = ID_ISAR4;
        6'o25: rdata = ID_ISAR5;
        default: rdata = 32'd0;       // reserved ID space is RAZ
      endcase
    end else if (crn_i == 4'd0 && opc1_i == 3'd1 && crm_i == 4'd0) begin
      ok = ~write_i;
      case (opc2_i)
        3'd0: rdata = 32'd0;  // CCSIDR: modelled below from CSSELR
        3'd1: rdata = CLIDR;
        3'd7: rdata = 32'd0;  // AIDR
        default: ok = 1'b0;
      endcase
      if (opc2_i == 3'd0)
        case (csselr_q[3:0])
          4'd0:    rdata = 32'h701f_e00a;
          4'd1:    rdata = 32'h201f_e00a;
          4'd2:    rdata = 32'h711f_e07a;
          default: rdata = 32'd0;
        endcase
    end else begin
      ok = 1'b1; wr = 1'b1;
      case (key)
        {4'd0, 3'd2, 4'd0, 3'd0, 2'b00}: begin rdata = csselr_q;   wsel = W_CSSELR; end
        {4'd1, 3'd0, 4'd0, 3'd0, 2'b00}: begin rdata = sctlr_q;    wsel = W_SCTLR; end
        {4'd1, 3'd0, 4'd0, 3'd1, 2'b00}: begin rdata = actlr_q;    wsel = W_ACTLR; end
        {4'd1, 3'd0, 4'd0, 3'd2, 2'b00}: begin rdata = cpacr_q;    wsel = W_CPACR; end
        {4'd2, 3'd0, 4'd0, 3'd0, 2'b00}: begin rdata = ttbr0_q;    wsel = W_TTBR0; end
        {4'd2, 3'd0, 4'd0, 3'd1, 2'b00}: begin rdata = ttbr1_q;    wsel = W_TTBR1; end
        {4'd2, 3'd0, 4'd0, 3'd2, 2'b00}: begin rdata = ttbcr_q;    wsel = W_TTBCR; end
        {4'd3, 3'd0, 4'd0, 3'd0, 2'b00}: begin rdata = dacr_q;     wsel = W_DACR; end
        {4'd5, 3'd0, 4'd0, 3'd0, 2'b00}: begin rdata = dfsr_q;     wsel = W_DFSR; end
        {4'd5, 3'd0, 4'd0, 3'd1, 2'b00}: begin rdata = ifsr_q;     wsel = W_IFSR; end
        {4'd5, 3'd0, 4'd1, 3'd0, 2'b00}: begin rdata = adfsr_q;    wsel = W_ADFSR; end
        {4'd5, 3'd0, 4'd1, 3'd1, 2'b00}: begin rdata = aifsr_q;    wsel = W_AIFSR; end
        {4'd6, 3'd0, 4'd0, 3'd0, 2'b00}: begin rdata = dfar_q;     wsel = W_DFAR; end
        {4'd6, 3'd0, 4'd0, 3'd2, 2'b00}: begin rdata = ifar_q;     wsel = W_IFAR; end
        {4'd7, 3'd0, 4'd4, 3'd0, 2'b00}: begin rdata = par_q;      wsel = W_PAR; end
        {4'd10, 3'd0, 4'd2, 3'd0, 2'b00}: begin rdata = prrr_q;    wsel = W_PRRR; end
        {4'd10, 3'd0, 4'd2, 3'd1, 2'b00}: begin rdata = nmrr_q;    wsel = W_NMRR; end
        {4'd10, 3'd0, 4'd3, 3'd0, 2'b00}: begin rdata = amair0_q;  wsel = W_AMAIR0; end
        {4'd10, 3'd0, 4'd3, 3'd1, 2'b00}: begin rdata = amair1_q;  wsel = W_AMAIR1; end
        {4'd12, 3'd0, 4'd0, 3'd0, 2'b00}: begin rdata = vbar_q;    wsel = W_VBAR; end
        {4'd12, 3'd0, 4'd1, 3'd0, 2'b00}: begin rdata = 32'd0;     wr = 1'b0; end // ISR: reads 0 (see the header)
        {4'd12, 3'd4, 4'd0, 3'd0, 2'b00}: begin rdata = hvbar_q;   wsel = W_HVBAR; end
        {4'd13, 3'd0, 4'd0, 3'd0, 2'b00}: begin rdata = 32'd0;     end // FCSEIDR RAZ/WI
        {4'd13, 3'd0, 4'd0, 3'd1, 2'b00}: begin rdata = contextidr_q; wsel = W_CTXID; end
        {4'd13, 3'd0, 4'd0, 3'd2, 2'b00}: begin rdata = tpidrurw_q; wsel = W_TPIDRURW; end
        {4'd13, 3'd0, 4'd0, 3'd3, 2'b00}: begin rdata = tpidruro_q; wsel = W_TPIDRURO; end
        {4'd13, 3'd0, 4'd0, 3'd4, 2'b00}: begin rdata = tpidrprw_q; wsel = W_TPIDRPRW; end
        {4'd0,  3'd4, 4'd0, 3'd0, 2'b00}: begin rdata = vpidr_q;  hsel = H_VPIDR; end
        {4'd0,  3'd4, 4'd0, 3'd5, 2'b00}: begin rdata = vmpidr_q; hsel = H_VMPIDR; end
        {4'd1,  3'd4, 4'd0, 3'd0, 2'b00}: begin rdata = hsctlr_q; hsel = H_HSCTLR; end
        {4'd1,  3'd4, 4'd0, 3'd1, 2'b00}: begin rdata = hactlr_q; hsel = H_HACTLR; end
        {4'd1,  3'd4, 4'd1, 3'd0, 2'b00}: begin rdata = hcr_q;    hsel = H_HCR; end
        {4'd1,  3'd4, 4'd1, 3'd1, 2'b00}: begin rdata = hdcr_q;   hsel = H_HDCR; end
        {4'd1,  3'd4, 4'd1, 3'd2, 2'b00}: begin rdata = hcptr_q;  hsel = H_HCPTR; end
        {4'd1,  3'd4, 4'd1, 3'd3, 2'b00}: begin rdata = hstr_q;   hsel = H_HSTR; end
        {4'd1,  3'd4, 4'd1, 3'd7, 2'b00}: begin rdata = hacr_q;   hsel = H_HACR; end
        {4'd2,  3'd4, 4'd0, 3'd2, 2'b00}: begin rdata = htcr_q;   hsel = H_HTCR; end
        {4'd2,  3'd4, 4'd1, 3'd2, 2'b00}: begin rdata = vtcr_q;   hsel = H_VTCR; end
        {4'd5,  3'd4, 4'd2, 3'd0, 2'b00}: begin rdata = hsr_q;    hsel = H_HSR; end
        {4'd6,  3'd4, 4'd0, 3'd0, 2'b00}: begin rdata = hdfar_q;  hsel = H_HDFAR; end
        {4'd6,  3'd4, 4'd0, 3'd2, 2'b00}: begin rdata = hifar_q;  hsel = H_HIFAR; end
        {4'd6,  3'd4, 4'd0, 3'd4, 2'b00}: begin rdata = hpfar_q;  hsel = H_HPFAR; end
        {4'd10, 3'd4, 4'd2, 3'd0, 2'b00}: begin rdata = hmair0_q; hsel = H_HMAIR0; end
        {4'd10, 3'd4, 4'd2, 3'd1, 2'b00}: begin rdata = hmair1_q; hsel = H_HMAIR1; end
        {4'd13, 3'd4, 4'd0, 3'd2, 2'b00}: begin rdata = htpidr_q; hsel = H_HTPIDR; end
        {4'd9,  3'd1, 4'd0, 3'd2, 2'b00}: begin rdata = L2CTLR; end      // L2CTLR, writes ignored
        {4'd9,  3'd1, 4'd0, 3'd3, 2'b00}: begin rdata = 32'd0; end       // L2ECTLR, writes ignored
        {4'd15, 3'd4, 4'd0, 3'd0, 2'b00}: begin rdata = CBAR; wr = 1'b0; sel_cbar = 1'b1; end
        default: begin
          ok = 1'b0; wr = 1'b0;
          // c7 cache maintenance/barriers (no-ops), ATS, and c8 TLB maintenance:
          // write-only
          if (write_i && ((opc1_i == 3'd0 && (crn_i == 4'd7 || crn_i == 4'd8)) || m_hyp_op)) begin
            ok = 1'b1; wr = 1'b1;
          end
        end
      endcase
    end
    // Permission checks (ARM ARM B3.17.2): PL0 sees only TPIDRURW (rw) and
    // TPIDRURO (ro); Hyp registers (opc1 == 4) need Hyp mode.
    undef = ~ok | (write_i & ~wr);
    if (pl0 && !(wsel == W_TPIDRURW || (wsel == W_TPIDRURO && !write_i))) undef = 1'b1;
    if (((opc1_i == 3'd4 && !sel_cbar) || sel_vttbr || m_ats12nso) && !hyp) undef = 1'b1;

  end

  wire do_write = acc_i & write_i & ~undef & ~trap_o;

  // Hyp registers (storage; reset values as QEMU shows them)
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      hcr_q <= 32'd0; hdcr_q <= 32'd0; hcptr_q <= 32'd0; hstr_q <= 32'd0; hacr_q <= 32'd0;
      hsctlr_q <= 32'd0; hactlr_q <= 32'd0; htcr_q <= 32'd0; vtcr_q <= 32'd0;
      hmair0_q <= 32'd0; hmair1_q <= 32'd0; htpidr_q <= 32'd0; hsr_q <= 32'd0;
      hdfar_q <= 32'd0; hifar_q <= 32'd0; hpfar_q <= 32'd0; vpidr_q <= MIDR; vmpidr_q <= MPIDR;
    end else if (hsr_we_i) begin
      hsr_q <= hsr_i;
      if (habt_i && habt_instr_i)  hifar_q <= habt_far_i;
      if (habt_i && !habt_instr_i) hdfar_q <= habt_far_i;
      if (habt_i && habt_hpfar_we_i) hpfar_q <= habt_hpfar_i;
    end else if (clear_va_i) begin
      hcr_q[HCR_VA] <= 1'b0;
    end else if (do_write) begin
      case (hsel)
        H_HCR:    hcr_q <= wdata_i;
        H_HDCR:   hdcr_q <= wdata_i;
        H_HCPTR:  hcptr_q <= wdata_i;
        H_HSTR:   hstr_q <= wdata_i;
        H_HACR:   hacr_q <= wdata_i;
        H_HSCTLR: hsctlr_q <= wdata_i;
        H_HACTLR: hactlr_q <= wdata_i;
        H_HTCR:   htcr_q <= wdata_i;
        H_VTCR:   vtcr_q <= wdata_i;
        H_HMAIR0: hmair0_q <= wdata_i;
        H_HMAIR1: hmair1_q <= wdata_i;
        H_HTPIDR: htpidr_q <= wdata_i;
        H_HSR:    hsr_q <= wdata_i;
        H_HDFAR:  hdfar_q <= wdata_i;
        H_HIFAR:  hifar_q <= wdata_i;
        H_HPFAR:  hpfar_q <= wdata_i;
        H_VPIDR:  vpidr_q <= wdata_i;
        H_VMPIDR: vmpidr_q <= wdata_i;
        default: ;
      endcase
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      sctlr_q <= SCTLR_RESET; actlr_q <= 32'd0; cpacr_q <= 32'd0;
      ttbr0_q <= 32'd0; ttbr1_q <= 32'd0; ttbcr_q <= 32'd0; dacr_q <= 32'd0;
      adfsr_q <= 32'd0; aifsr_q <= 32'd0; par_q <= 32'd0;
      prrr_q <= 32'd0; nmrr_q <= 32'd0; amair0_q <= 32'd0; amair1_q <= 32'd0;
      vbar_q <= 32'd0; hvbar_q <= 32'd0; contextidr_q <= 32'd0;
      tpidrurw_q <= 32'd0; tpidruro_q <= 32'd0; tpidrprw_q <= 32'd0; csselr_q <= 32'd0;
    end else if (par_we_i) begin
      par_q <= par_i[31:0];
    end else if (do_write) begin
      case (wsel)
        W_SCTLR:    sctlr_q <= wdata_i;
        W_ACTLR:    actlr_q <= wdata_i;
        W_CPACR:    cpacr_q <= wdata_i & 32'hc0f0_0000;       // cp10/cp11, ASEDIS, D32DIS
        W_TTBR0:    ttbr0_q <= wdata_i;
        W_TTBR1:    ttbr1_q <= wdata_i;
        W_TTBCR:    ttbcr_q <= wdata_i & ~32'h0038_c078;
        W_DACR:     dacr_q <= wdata_i;
        W_ADFSR:    adfsr_q <= wdata_i;
        W_AIFSR:    aifsr_q <= wdata_i;
        W_PAR:      par_q <= wdata_i;
        W_PRRR:     prrr_q <= wdata_i;
        W_NMRR:     nmrr_q <= wdata_i;
        W_AMAIR0:   amair0_q <= wdata_i;
        W_AMAIR1:   amair1_q <= wdata_i;
        W_VBAR:     vbar_q <= wdata_i & 32'hffff_ffe0;
        W_HVBAR:    hvbar_q <= wdata_i & 32'hffff_ffe0;
        W_CTXID:    contextidr_q <= wdata_i;
        W_TPIDRURW: tpidrurw_q <= wdata_i;
        W_TPIDRURO: tpidruro_q <= wdata_i;
        W_TPIDRPRW: tpidrprw_q <= wdata_i;
        W_CSSELR:   csselr_q <= wdata_i & 32'h0000_000f;
        default: ;
      endcase
    end
  end

  // 64-bit registers (MCRR); a 32-bit MCR of TTBR0/TTBR1/PAR leaves the high word
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ttbr0_hi_q <= 32'd0; ttbr1_hi_q <= 32'd0; par_hi_q <= 32'd0;
      httbr_q <= 64'd0; vttbr_q <= 64'd0;
    end else if (par_we_i) begin
      par_hi_q <= par_i[63:32];
    end else if (do_write && is64_i) begin
      if (wsel == W_TTBR0) ttbr0_hi_q <= wdata_hi_i;
      if (wsel == W_TTBR1) ttbr1_hi_q <= wdata_hi_i;
      if (wsel == W_PAR)   par_hi_q   <= wdata_hi_i;
      if (sel_httbr)       httbr_q    <= {wdata_hi_i, wdata_i};
      if (sel_vttbr)       vttbr_q    <= {wdata_hi_i, wdata_i};
    end
  end

  // Fault status/address registers: written by software or by abort entry.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      dfsr_q <= 32'd0; dfar_q <= 32'd0; ifsr_q <= 32'd0; ifar_q <= 32'd0;
    end else if (dabort_i) begin
      dfsr_q <= fsr_i;
      if (far_valid_i) dfar_q <= far_i;
    end else if (pabort_i) begin
      ifsr_q <= fsr_i;
      if (far_valid_i) ifar_q <= far_i;
    end else if (do_write) begin
      if (wsel == W_DFSR) dfsr_q <= wdata_i;
      if (wsel == W_IFSR) ifsr_q <= wdata_i;
      if (wsel == W_DFAR) dfar_q <= wdata_i;
      if (wsel == W_IFAR) ifar_q <= wdata_i;
    end
  end

  assign sctlr_o = sctlr_q;
  assign vbar_o  = vbar_q;
  assign hvbar_o = hvbar_q;
  assign hcr_o   = hcr_q;
  assign hcptr_tcp_o  = hcptr_q[10] | hcptr_q[11];
  assign cpacr_cp10_o = cpacr_q[21:20];
  assign ttbcr_eae_o  = ttbcr_q[31];
  assign mmu_ttbcr_o  = ttbcr_q;
  assign mmu_ttbr0_o  = {ttbr0_hi_q, ttbr0_q};
  assign mmu_ttbr1_o  = {ttbr1_hi_q, ttbr1_q};
  assign mmu_mair0_o  = prrr_q;     // PRRR is MAIR0 with TTBCR.EAE=1 (B4.1.104)
  assign mmu_mair1_o  = nmrr_q;     // NMRR is MAIR1
  assign mmu_hsctlr_m_o = hsctlr_q[HSCTLR_M];
  assign hsctlr_te_o    = hsctlr_q[HSCTLR_TE];
  assign mmu_htcr_o   = htcr_q;
  assign mmu_httbr_o  = httbr_q;
  assign mmu_hmair0_o = hmair0_q;
  assign mmu_hmair1_o = hmair1_q;
  assign mmu_vtcr_o   = vtcr_q;
  assign mmu_vttbr_o  = vttbr_q;

  // ---------------------------------------------------------------- observation
  always_comb begin
    obs_pl1_o[0]  = sctlr_q;
    obs_pl1_o[1]  = cpacr_q;
    obs_pl1_o[2]  = ttbcr_q;
    obs_pl1_o[3]  = dacr_q;
    obs_pl1_o[4]  = dfsr_q;
    obs_pl1_o[5]  = ifsr_q;
    obs_pl1_o[6]  = adfsr_q;
    obs_pl1_o[7]  = aifsr_q;
    obs_pl1_o[8]  = dfar_q;
    obs_pl1_o[9]  = ifar_q;
    obs_pl1_o[10] = prrr_q;
    obs_pl1_o[11] = nmrr_q;
    obs_pl1_o[12] = amair0_q;
    obs_pl1_o[13] = amair1_q;
    obs_pl1_o[14] = vbar_q;
    obs_pl1_o[15] = contextidr_q;
    obs_pl1_o[16] = tpidrurw_q;
    obs_pl1_o[17] = tpidruro_q;
    obs_pl1_o[18] = tpidrprw_q;
    obs_pl1_o[19] = csselr_q;
    obs_pl1_o[20] = ttbr0_q;
    obs_pl1_o[21] = ttbr0_hi_q;
    obs_pl1_o[22] = ttbr1_q;
    obs_pl1_o[23] = ttbr1_hi_q;
    obs_pl1_o[24] = par_q;
    obs_pl1_o[25] = par_hi_q;
  end
  // HCR HSTR HCPTR HDCR HVBAR VTTBR_LO VTTBR_HI VPIDR VMPIDR (word 0 first)
  assign obs_hyp_o = {vmpidr_q, vpidr_q, vttbr_q, hvbar_q, hdcr_q, hcptr_q, hstr_q, hcr_q};

  // ---------------------------------------------------------------- TLB maintenance and ATS
  // B4.2.2: c8 opc1 0 CRm 3 (Inner Shareable) / 5 (ITLB) / 6 (DTLB) / 7, opc2
  // 0 ALL, 1 MVA, 2 ASID, 3 MVAA (CRm 3/7 only); opc1 4 CRm 3 / 7 opc2 0 ALLH,
  // 1 MVAH, 4 ALLNSNH. B4.2.3: c7 CRm 8 opc1 0 opc2 0-3 ATS1C{P,U}{R,W},
  // opc2 4-7 ATS12NSO{P,U}{R,W}; opc1 4 opc2 0-1 ATS1H{R,W}.
  // Unlisted encodings in this space stay no-ops (opc1 0) or UNDEFINED (opc1 4).
  always @(*) begin
    m_tlbi = 1'b0; m_ats = 1'b0; m_tlbi_op = 4'd7;
    m_ats12nso = 1'b0;
    if (!is64_i && write_i && crn_i == 4'd8) begin
      m_tlbi_op[3] = (crm_i == 4'd3);
      if (opc1_i == 3'd0 && (crm_i == 4'd3 || crm_i == 4'd7 || ((crm_i == 4'd5 || crm_i == 4'd6) && opc2_i <= 3'd2)))
        case (opc2_i)
          3'd0, 3'd1, 3'd2, 3'd3: begin m_tlbi = 1'b1; m_tlbi_op[2:0] = opc2_i; end
          default: ;
        endcase
      else if (opc1_i == 3'd4 && (crm_i == 4'd3 || crm_i == 4'd7))
        case (opc2_i)
          3'd0: begin m_tlbi = 1'b1; m_tlbi_op[2:0] = 3'd4; end
          3'd1: begin m_tlbi = 1'b1; m_tlbi_op[2:0] = 3'd5; end
          3'd4: begin m_tlbi = 1'b1; m_tlbi_op[2:0] = 3'd6; end
          default: ;
        endcase
    end
    if (!is64_i && write_i && crn_i == 4'd7 && crm_i == 4'd8) begin
      m_ats = (opc1_i == 3'd0) || (opc1_i == 3'd4 && opc2_i <= 3'd1);
      m_ats12nso = (opc1_i == 3'd0) && opc2_i[2];
    end
    m_hyp_op = (opc1_i == 3'd4) && (m_tlbi || m_ats);
  end
  assign maint_o          = acc_i && !undef && !trap_o && (m_tlbi || m_ats);
  assign maint_tlbi_o     = m_tlbi;
  assign maint_tlbi_op_o  = m_tlbi_op;
  assign maint_ats_kind_o = {1'b0, opc2_i[0]};                           // R load, W store
  assign maint_ats_pl_o   = (opc1_i == 3'd4) ? 2'd2 : opc2_i[1] ? 2'd0 : 2'd1;   // H, U, P
  assign maint_ats_op_o   = m_ats12nso ? 2'd2 : 2'd1;                    // stage 1+2 / stage 1

  // ---------------------------------------------------------------- traps to Hyp
  logic c0_0, c7_0, t_hstr, t_tid1, t_tid2, t_tid3, t_tac, t_tsw, t_tpc, t_tpu, t_ttlb, t_tvm,
        t_tidcp;
  always_comb begin
    c0_0   = (crn_i == 4'd0) && (crm_i == 4'd0);
    c7_0   = write_i && (crn_i == 4'd7) && (opc1_i == 3'd0);
    // HSTR.Tn: CRn of an MCR/MRC, CRm of an MCRR/MRRC (B4.1.73)
    t_hstr = is64_i ? hstr_q[{1'b0, crm_i}] && (crm_i != 4'd4) && (crm_i != 4'd14)
                    : hstr_q[{1'b0, crn_i}] && (crn_i != 4'd4) && (crn_i != 4'd14);
    // TCMTR, TLBTR, REVIDR, AIDR
    t_tid1 = !write_i && c0_0 && ((opc1_i == 3'd0 && !qemu_compat_i
                                   && (opc2_i == 3'd2 || opc2_i == 3'd3 || opc2_i == 3'd6))
                                  || (opc1_i == 3'd1 && opc2_i == 3'd7));
    // CTR, CCSIDR, CLIDR, CSSELR
    t_tid2 = c0_0 && ((opc1_i == 3'd0 && opc2_i == 3'd1) || (opc1_i == 3'd1 && opc2_i <= 3'd1)
                      || (opc1_i == 3'd2 && opc2_i == 3'd0));
    // the ID register space c0, opc1 0, CRm 1-7
    t_tid3 = !write_i && (crn_i == 4'd0) && (opc1_i == 3'd0) && (crm_i >= 4'd1) && (crm_i <= 4'd7);
    t_tac  = (crn_i == 4'd1) && (opc1_i == 3'd0) && (crm_i == 4'd0) && (opc2_i == 3'd1);
    // DC*SW / DC*MVAC: CRm 6, 10, 14 with opc2 2 / 1
    t_tsw  = c7_0 && (crm_i == 4'd6 || crm_i == 4'd10 || crm_i == 4'd14) && (opc2_i == 3'd2);
    t_tpc  = c7_0 && (crm_i == 4'd6 || crm_i == 4'd10 || crm_i == 4'd14) && (opc2_i == 3'd1);
    // ICIALLU, ICIMVAU, ICIALLUIS, DCCMVAU
    t_tpu  = c7_0 && ((crm_i == 4'd5 && opc2_i <= 3'd1) || (crm_i == 4'd1 && opc2_i == 3'd0)
                      || (crm_i == 4'd11 && opc2_i == 3'd1));
    t_ttlb = write_i && (crn_i == 4'd8) && (opc1_i == 3'd0);
    t_tvm  = write_i && (wsel == W_SCTLR || wsel == W_TTBR0 || wsel == W_TTBR1 || wsel == W_TTBCR
                         || wsel == W_DACR || wsel == W_DFSR || wsel == W_IFSR || wsel == W_ADFSR
                         || wsel == W_AIFSR || wsel == W_DFAR || wsel == W_IFAR || wsel == W_PRRR
                         || wsel == W_NMRR || wsel == W_AMAIR0 || wsel == W_AMAIR1 || wsel == W_CTXID);
    // IMPLEMENTATION DEFINED space: c9 CRm 0-2,5-8; c10 CRm 0,1,4,8; c11 CRm 0-8,15
    t_tidcp = (crn_i == 4'd9 && (crm_i <= 4'd2 || (crm_i >= 4'd5 && crm_i <= 4'd8)))
           || (crn_i == 4'd10 && (crm_i <= 4'd1 || crm_i == 4'd4 || crm_i == 4'd8))
           || (crn_i == 4'd11 && (crm_i <= 4'd8 || crm_i == 4'd15));
    // only HSTR and TVM (TTBR0/TTBR1 writes) reach the 64-bit accesses
    // TID3/TSW/TPC/TPU/TIDCP: not trapped by QEMU 7.2 from PL1 (left out with qemu_compat_i)
    trap_o = !hyp && (opc1_i != 3'd4 || sel_cbar) && !sel_vttbr && !(pl0 && undef)
             && (t_hstr || (t_tvm && hcr_q[HCR_TVM])
                 || (!is64_i && ((t_tid1 && hcr_q[HCR_TID1]) || (t_tid2 && hcr_q[HCR_TID2])
                                 || (t_tac && hcr_q[HCR_TAC]) || (t_ttlb && hcr_q[HCR_TTLB])))
                 || (!is64_i && !qemu_compat_i
                     && ((t_tid3 && hcr_q[HCR_TID3]) || (t_tsw && hcr_q[HCR_TSW])
                         || (t_tpc && hcr_q[HCR_TPC]) || (t_tpu && hcr_q[HCR_TPU])
                         || (t_tidcp && hcr_q[HCR_TIDCP]))));
  end
endmodule
