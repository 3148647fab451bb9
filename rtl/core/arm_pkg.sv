`timescale 1ns/1ps
// arm_pkg -- the types and constants the core's modules share (ARMv7-A).
//   ARM ARM B1.3 (processor modes), B1.3.2 (banked registers), B1.3.3 (PSRs),
//   A8.3 (condition codes), B3.13.6 (HSR exception classes and ISS),
//   B3.13.3 (long-descriptor fault status), B4.1.65 (HCR), B4.1.130 (SCTLR),
//   B4.1.66 (HSCTLR), and the typed enums of the core's state machines.
// Imported with `import arm_pkg::*;` inside each module that needs it (compiled
// first: tb/simulator.py Design.sources and the Makefile's RTL_SOURCES put
// *_pkg.sv files first).
// Left out: the Security Extensions' constants (no Monitor mode, no SCR/NSACR),
// Thumb/Jazelle state bits beyond what the CPSR writes clear, and the HSR ECs this
// core never produces are listed only so that the cross-check against tb/models/hsr.py
// and firmware/include/kvm_arm.h (tests/test_constants_agree.py) covers the whole table.
package arm_pkg;

  // ---------------------------------------------------------------- modes (B1.3.1)
  localparam logic [4:0] MODE_USR = 5'h10;
  localparam logic [4:0] MODE_FIQ = 5'h11;
  localparam logic [4:0] MODE_IRQ = 5'h12;
  localparam logic [4:0] MODE_SVC = 5'h13;
  localparam logic [4:0] MODE_MON = 5'h16;
  localparam logic [4:0] MODE_ABT = 5'h17;
  localparam logic [4:0] MODE_HYP = 5'h1a;
  localparam logic [4:0] MODE_UND = 5'h1b;
  localparam logic [4:0] MODE_SYS = 5'h1f;

  // ---------------------------------------------------------------- CPSR bit positions (B1.3.3)
  localparam int PSR_N = 31;
  localparam int PSR_Z = 30;
  localparam int PSR_C = 29;
  localparam int PSR_V = 28;
  localparam int PSR_Q = 27;
  localparam int PSR_E = 9;
  localparam int PSR_A = 8;
  localparam int PSR_I = 7;
  localparam int PSR_F = 6;
  localparam int PSR_T = 5;

  // ---------------------------------------------------------------- physical registers
  // Physical register file layout (6-bit index), also the numbering used on the
  // retire port and in trace files (tb/models/arm_state.py mirrors it):
  //   0-7   R0-R7 (shared)        8-12  R8-R12 usr     13,14 SP_usr LR_usr
  //   15-21 R8_fiq..R14_fiq       22,23 SP/LR_irq      24,25 SP/LR_svc
  //   26,27 SP/LR_abt             28,29 SP/LR_und      30    SP_hyp
  //   31    ELR_hyp               32-37 SPSR_fiq,irq,svc,abt,und,hyp
  localparam logic [5:0] PHYS_ELR_HYP = 6'd31;

  // ---------------------------------------------------------------- exception types
  // The exc_type_o encoding of arm_core (tb/trace.py ExcType mirrors it).
  // EXC_HYP: HVC or a trap, taken to Hyp mode with its syndrome.
  localparam logic [2:0] EXC_UND = 3'd1, EXC_SVC = 3'd2, EXC_PABT = 3'd3,
                         EXC_DABT = 3'd4, EXC_IRQ = 3'd5, EXC_FIQ = 3'd6, EXC_HYP = 3'd7;

  // ---------------------------------------------------------------- HSR (B3.13.6)
  // Exception classes (table B3-22; the one Python table is tb/models/hsr.py EC).
  localparam logic [5:0] EC_UNKNOWN = 6'h00, EC_WFX = 6'h01, EC_CP15 = 6'h03, EC_CP15_64 = 6'h04,
                         EC_CP14_MR = 6'h05, EC_CP14_LS = 6'h06,
                         EC_HCPTR = 6'h07, EC_VMRS_ID = 6'h08, EC_JAZELLE = 6'h09,
                         EC_CP14_64 = 6'h0c,
                         EC_SVC_HYP = 6'h11,
                         EC_HVC = 6'h12, EC_SMC = 6'h13,
                         EC_IABT_LOWER = 6'h20, EC_IABT_CUR = 6'h21,
                         EC_DABT_LOWER = 6'h24, EC_DABT_CUR = 6'h25;
  // CV=1, COND=0xE as QEMU reports every trapped A32 instruction (B3.13.6 "The COND field")
  localparam logic [4:0] ISS_CV_COND = 5'b1_1110;
  // long-descriptor fault status: synchronous external abort (B3.13.3)
  localparam logic [5:0] FSC_EXT = 6'h10;

  // ---------------------------------------------------------------- HCR bits (B4.1.65)
  localparam int HCR_VM = 0, HCR_SWIO = 1, HCR_PTW = 2, HCR_FMO = 3, HCR_IMO = 4, HCR_AMO = 5,
                 HCR_VF = 6, HCR_VI = 7, HCR_VA = 8, HCR_FB = 9, HCR_DC = 12,
                 HCR_TWI = 13, HCR_TWE = 14, HCR_TID0 = 15, HCR_TID1 = 16, HCR_TID2 = 17,
                 HCR_TID3 = 18, HCR_TSC = 19, HCR_TIDCP = 20, HCR_TAC = 21, HCR_TSW = 22,
                 HCR_TPC = 23, HCR_TPU = 24, HCR_TTLB = 25, HCR_TVM = 26, HCR_TGE = 27;

  // ---------------------------------------------------------------- SCTLR / HSCTLR bits
  // SCTLR (B4.1.130): M (stage-1 MMU enable), V (high vectors), EE (exception endianness),
  // TE (PL1 exceptions are taken in Thumb state, B1.9.x)
  localparam int SCTLR_M = 0, SCTLR_V = 13, SCTLR_EE = 25, SCTLR_TE = 30;
  // HSCTLR (B4.1.66): M (Hyp stage-1 MMU enable), TE (Hyp exceptions taken in Thumb state)
  localparam int HSCTLR_M = 0, HSCTLR_TE = 30;

  // ---------------------------------------------------------------- state machines
  // arm_core's controller (one state at a time by construction).
  typedef enum logic [3:0] {
    S_FETCH     = 4'd0,   // fetch request until ack; interrupts are taken here
    S_EXEC      = 4'd1,   // execute the instruction in ir_q
    S_MEM       = 4'd2,   // memory beats (arm_lsu)
    S_WB2       = 4'd3,   // second register write, then retire
    S_EXC_LR    = 4'd4,   // exception entry: LR / ELR_hyp
    S_EXC_ENTER = 4'd5,   // exception entry: SPSR, CPSR, PC
    S_SEMI      = 4'd6,   // semihosting call outstanding
    S_WFI       = 4'd7,   // waiting for an interrupt
    S_FETCH2    = 4'd8    // T32: fetch of the word holding the second halfword
  } state_e;

  // memory-operation kinds (arm_lsu)
  typedef enum logic [2:0] {
    M_SINGLE = 3'd0,  // one LDR/STR{B,H,SB,SH}; may split
    M_MULTI  = 3'd1,  // word beats over a register list
    M_SRS    = 3'd2,  // LR then SPSR of current mode
    M_RFE    = 3'd3,  // PC then CPSR
    M_VFP    = 3'd4   // words of the VFP register file
  } mkind_e;

  // what the execute cycle does next
  typedef enum logic [2:0] {
    A_RETIRE = 3'd0,  // retire now
    A_WB2    = 3'd1,  // a second register write first
    A_MEM    = 3'd2,  // memory beats first
    A_EXC    = 3'd3,  // take an exception (UNDEFINED, SVC, trap)
    A_SEMI   = 3'd4,  // semihosting call
    A_WFI    = 3'd5   // wait for an interrupt
  } act_e;

  // instruction classes: bit positions of arm_decoder's one-hot class_o
  // (ARM ARM A5.1 unconditional space, A5.2-A5.7 and A7 for the rest)
  localparam int IC_CPS     = 0,   // CPS (cond 1111)
                 IC_BARRIER = 1,   // CLREX DSB DMB ISB (cond 1111)
                 IC_PLHINT  = 2,   // PLD PLDW PLI (cond 1111)
                 IC_SRS     = 3,   // SRS (cond 1111)
                 IC_RFE     = 4,   // RFE (cond 1111)
                 IC_MOVW    = 5,
                 IC_MOVT    = 6,
                 IC_HINT    = 7,   // NOP YIELD WFE WFI SEV DBG
                 IC_MSR_IMM = 8,
                 IC_MISC    = 9,   // A5.2.12: MRS/MSR (incl. banked), BX, CLZ, BLX, Q*, ERET, HVC, SMC, BKPT
                 IC_HMUL    = 10,  // A5.2.7 signed halfword multiplies
                 IC_DP      = 11,  // data processing (register, register-shifted, immediate)
                 IC_MUL     = 12,  // A5.2.5 multiplies
                 IC_EXCL    = 13,  // A5.2.10 LDREX/STREX family
                 IC_XLDST   = 14,  // A5.2.8 extra loads/stores
                 IC_LDST    = 15,  // A5.3 LDR/STR word and byte
                 IC_MEDIA   = 16,  // A5.4
                 IC_LDM     = 17,  // A5.5 LDM/STM
                 IC_BRANCH  = 18,  // B / BL
                 IC_SVC     = 19,
                 IC_MCR     = 20,  // MCR/MRC p15
                 IC_MCRR    = 21,  // MCRR/MRRC p15
                 IC_VFP     = 22,  // cp10/cp11 space
                 IC_UNDEF   = 23;  // everything else (UNDEFINED here)
  localparam int IC_N = 24;

  // ---------------------------------------------------------------- functions
  function automatic logic [5:0] phys_gpr(input logic [4:0] mode, input logic [3:0] r);
    logic [5:0] p;
    p = {2'b00, r};
    if (r >= 4'd8 && r <= 4'd12) begin
      if (mode == MODE_FIQ) p = 6'd15 + {2'b00, r} - 6'd8;
    end else if (r == 4'd13 || r == 4'd14) begin
      case (mode)
        MODE_FIQ: p = (r == 4'd13) ? 6'd20 : 6'd21;
        MODE_IRQ: p = (r == 4'd13) ? 6'd22 : 6'd23;
        MODE_SVC: p = (r == 4'd13) ? 6'd24 : 6'd25;
        MODE_ABT: p = (r == 4'd13) ? 6'd26 : 6'd27;
        MODE_UND: p = (r == 4'd13) ? 6'd28 : 6'd29;
        MODE_HYP: p = (r == 4'd13) ? 6'd30 : 6'd14;   // Hyp banks SP only
        default:  p = {2'b00, r};
      endcase
    end
    return p;
  endfunction

  // SPSR of a mode; has_spsr() says whether the mode has one.
  function automatic logic [5:0] phys_spsr(input logic [4:0] mode);
    case (mode)
      MODE_FIQ: return 6'd32;
      MODE_IRQ: return 6'd33;
      MODE_SVC: return 6'd34;
      MODE_ABT: return 6'd35;
      MODE_UND: return 6'd36;
      default:  return 6'd37;  // MODE_HYP
    endcase
  endfunction

  function automatic logic has_spsr(input logic [4:0] mode);
    return (mode == MODE_FIQ) || (mode == MODE_IRQ) || (mode == MODE_SVC) ||
           (mode == MODE_ABT) || (mode == MODE_UND) || (mode == MODE_HYP);
  endfunction

  // Modes this core implements (no Security Extensions, so no Monitor mode).
  function automatic logic mode_valid(input logic [4:0] mode);
    return has_spsr(mode) || (mode == MODE_USR) || (mode == MODE_SYS);
  endfunction

  // Condition code check, ARM ARM A8.3. (Written as one expression: Icarus 11
  // spins when a function called from a combinational block assigns a local twice.)
  function automatic logic cond_pass(input logic [3:0] cond, input logic [31:0] psr);
    return (cond == 4'b1111) ? 1'b1 : (cond[0] ^ (
           (cond[3:1] == 3'b000) ? psr[PSR_Z] :
           (cond[3:1] == 3'b001) ? psr[PSR_C] :
           (cond[3:1] == 3'b010) ? psr[PSR_N] :
           (cond[3:1] == 3'b011) ? psr[PSR_V] :
           (cond[3:1] == 3'b100) ? (psr[PSR_C] & ~psr[PSR_Z]) :
           (cond[3:1] == 3'b101) ? (psr[PSR_N] == psr[PSR_V]) :
           (cond[3:1] == 3'b110) ? ((psr[PSR_N] == psr[PSR_V]) & ~psr[PSR_Z]) : 1'b1));
  endfunction

endpackage
