// arm_defs.svh -- shared ARMv7-A constants and the banked-register mapping.
// Included inside each module that needs it (no include guard: the
// definitions are module-local; Icarus -g2012 packages are not relied on).
// ARM ARM B1.3 (processor modes), B1.3.2 (banked registers), B1.3.3 (PSRs).

localparam logic [4:0] MODE_USR = 5'h10;
localparam logic [4:0] MODE_FIQ = 5'h11;
localparam logic [4:0] MODE_IRQ = 5'h12;
localparam logic [4:0] MODE_SVC = 5'h13;
localparam logic [4:0] MODE_MON = 5'h16;
localparam logic [4:0] MODE_ABT = 5'h17;
localparam logic [4:0] MODE_HYP = 5'h1a;
localparam logic [4:0] MODE_UND = 5'h1b;
localparam logic [4:0] MODE_SYS = 5'h1f;

// CPSR bit positions
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

// Physical register file layout (6-bit index), also the numbering used on the
// retire port and in trace files (tb/models/arm_state.py mirrors it):
//   0-7   R0-R7 (shared)        8-12  R8-R12 usr     13,14 SP_usr LR_usr
//   15-21 R8_fiq..R14_fiq       22,23 SP/LR_irq      24,25 SP/LR_svc
//   26,27 SP/LR_abt             28,29 SP/LR_und      30    SP_hyp
//   31    ELR_hyp               32-37 SPSR_fiq,irq,svc,abt,und,hyp
localparam logic [5:0] PHYS_ELR_HYP = 6'd31;

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

