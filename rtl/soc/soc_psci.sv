`timescale 1ns/1ps
// soc_psci -- power control of the multi-core SoC and the PSCI firmware QEMU
// emulates (ARM DEN 0022 PSCI 1.1, SMC32 calling convention, as QEMU 7.2 answers
// it for -M virt,virtualization=on: measured, firmware/README.md "Two cores"). It is the stand-in
// for that firmware: an SMC from PL1 or Hyp mode that HCR.TSC does not trap halts
// the core on its platform-call port (arm_core psci_en_i: sh_req with sh_smc,
// r0 = function id, r1-r3 = arguments); this block answers r0 with an ack a cycle
// later (one call per cycle, the lowest-numbered core first).
// Every SMC that reaches it is a PSCI call, whatever r0 holds, as on QEMU 7.2 for any -smp
// (measured with -smp 1 and 2: firmware/smp/smc1.c, firmware/README.md "Two cores"); the
// one-core SoC has it too (NCORE = 1: CPU_ON of any other core -2, AFFINITY_INFO of core 1 -2).
// Power-on as QEMU: core 0 leaves reset at reset_pc_i (the ELF entry, Hyp mode);
// cores 1..NCORE-1 are held in reset (powered off) until a CPU_ON names them, and
// then leave reset at its entry address in Hyp mode with r0 = its context_id
// (core_rst_no, core_pc_o, boot_r0_*_o). CPU_OFF puts the calling core back into
// reset (it never returns). SYSTEM_OFF and SYSTEM_RESET end the run as QEMU
// -no-reboot does: sys_off_o rises and the calling core stays in its call.
// Answers (r0): VERSION 0x00010001; CPU_ON 0, ALREADY_ON (-4) for a core that is
// on, INVALID_PARAMETERS (-2) for an MPIDR naming no core (Aff0 >= NCORE or
// Aff1/Aff2 not 0, or bits 31:24 set: an MPIDR as read, with its M bit, names no core
// on QEMU 7.2, measured by firmware/smp/boot.c); AFFINITY_INFO ON (0) / OFF
// (1) at level 0, -2 for no such core, 0 above level 0; MIGRATE_INFO_TYPE 2
// (no migration needed); CPU_SUSPEND 0 once the caller has an interrupt pending
// (wake_i: its IRQ/FIQ/vIRQ/vFIQ inputs, masked or not), as QEMU's WFI in its
// CPU_SUSPEND (until then the call is not served and the core stays halted in it;
// other cores' calls go on), -2 at once with power_state[31:17] set;
// PSCI_FEATURES 0 for the SMC32 ids above (and itself), else NOT_SUPPORTED (-1);
// every other id, and every SMC64 id (bit 30; an AArch32 caller), -1.
// Left out: ON_PENDING (a core is on the cycle after CPU_ON), MIGRATE,
// SYSTEM_SUSPEND, CPU_FREEZE/DEFAULT_SUSPEND, powerdown states (QEMU has none
// either), and HCR.VI/VF as a CPU_SUSPEND wake-up (QEMU counts them).
module soc_psci #(
  parameter int NCORE = 2
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic [31:0]         reset_pc_i,      // core 0's entry
  input  logic [NCORE-1:0]    call_i,          // core c is in a platform call
  input  logic [NCORE-1:0]    wake_i,          // core c has an interrupt pending (CPU_SUSPEND's end)
  input  logic [NCORE*32-1:0] fn_i,            // its r0 .. r3
  input  logic [NCORE*32-1:0] a1_i,
  input  logic [NCORE*32-1:0] a2_i,
  input  logic [NCORE*32-1:0] a3_i,
  output logic [NCORE-1:0]    ack_o,           // the call of core c is answered
  output logic [31:0]         ret_o,           // r0, with ack_o
  output logic [NCORE-1:0]    core_rst_no,     // core c powered off: held in reset
  output logic [NCORE*32-1:0] core_pc_o,       // core c's reset PC
  output logic [NCORE-1:0]    boot_r0_we_o,    // core c leaves reset with r0 := boot_r0_o
  output logic [NCORE*32-1:0] boot_r0_o,
  output logic                sys_off_o        // SYSTEM_OFF or SYSTEM_RESET called
);
  localparam logic [31:0] F_VERSION = 32'h8400_0000, F_CPU_SUSPEND = 32'h8400_0001,
                          F_CPU_OFF = 32'h8400_0002, F_CPU_ON = 32'h8400_0003,
                          F_AFFINITY_INFO = 32'h8400_0004, F_MIGRATE_INFO_TYPE = 32'h8400_0006,
                          F_SYSTEM_OFF = 32'h8400_0008, F_SYSTEM_RESET = 32'h8400_0009,
                          F_FEATURES = 32'h8400_000a;
  localparam logic [31:0] R_SUCCESS = 32'd0, R_NOT_SUPPORTED = 32'hffff_ffff,
                          R_INVALID = 32'hffff_fffe, R_ALREADY_ON = 32'hffff_fffc;
  // VERSION's answer (PSCI 1.1) and MIGRATE_INFO_TYPE's (2: no Trusted OS to migrate)
  localparam logic [31:0] R_VERSION = 32'h0001_0001, R_MIGRATE_INFO_TYPE = 32'd2;

  logic [NCORE-1:0]    on_q, warm_q, ack_q;
  logic [NCORE-1:0]    run_q;   // on_q a cycle later: reset is released once core_pc_o holds the entry
  logic [NCORE*32-1:0] entry_q, ctx_q;
  logic [31:0]         ret_q;
  logic                off_q;

  // a core in CPU_SUSPEND (standby power_state) with no interrupt pending waits
  logic [NCORE-1:0] waiting;
  for (genvar c = 0; c < NCORE; c++) begin : g_wait
    assign waiting[c] = fn_i[c*32 +: 32] == F_CPU_SUSPEND && a1_i[c*32 + 17 +: 15] == 15'd0 && !wake_i[c];
  end
  // the call served this cycle: the lowest-numbered core in a call not yet answered
  logic        sel_v;
  logic [31:0] sel, fn, a1, a2, a3, tgt;
  always @(*) begin
    sel_v = 1'b0; sel = 32'd0;
    for (int c = NCORE - 1; c >= 0; c--) begin
      if (call_i[c] && !ack_q[c] && on_q[c] && !waiting[c]) begin sel_v = 1'b1; sel = c; end
    end
  end
  assign fn  = fn_i[sel*32 +: 32];
  assign a1  = a1_i[sel*32 +: 32];
  assign a2  = a2_i[sel*32 +: 32];
  assign a3  = a3_i[sel*32 +: 32];
  assign tgt = {24'd0, a1[7:0]};
  wire tgt_ok = (a1[31:8] == 24'd0) && (tgt < NCORE);   // QEMU: the affinity exactly, no M bit
  wire tgt_on = tgt_ok && on_q[tgt];

  // r0 of the call, and whether it returns at all
  logic [31:0] ret;
  logic        returns;
  always @(*) begin
    ret = R_NOT_SUPPORTED; returns = 1'b1;
    case (fn)
      F_VERSION:           ret = R_VERSION;
      F_CPU_SUSPEND:       ret = (a1[31:17] != 15'd0) ? R_INVALID : R_SUCCESS;
      F_CPU_OFF:           returns = 1'b0;
      F_CPU_ON:            ret = !tgt_ok ? R_INVALID : tgt_on ? R_ALREADY_ON : R_SUCCESS;
      F_AFFINITY_INFO:     ret = (a2 != 32'd0) ? R_SUCCESS : !tgt_ok ? R_INVALID
                               : tgt_on ? 32'd0 : 32'd1;
      F_MIGRATE_INFO_TYPE: ret = R_MIGRATE_INFO_TYPE;
      F_SYSTEM_OFF, F_SYSTEM_RESET: returns = 1'b0;
      F_FEATURES: begin
        case (a1)
          F_VERSION, F_CPU_SUSPEND, F_CPU_OFF, F_CPU_ON, F_AFFINITY_INFO, F_MIGRATE_INFO_TYPE,
          F_SYSTEM_OFF, F_SYSTEM_RESET, F_FEATURES: ret = R_SUCCESS;
          default: ret = R_NOT_SUPPORTED;
        endcase
      end
      default: ret = R_NOT_SUPPORTED;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      on_q <= {{(NCORE-1){1'b0}}, 1'b1}; run_q <= {{(NCORE-1){1'b0}}, 1'b1};
      warm_q <= '0; ack_q <= '0; entry_q <= '0; ctx_q <= '0; ret_q <= 32'd0; off_q <= 1'b0;
    end else begin
      ack_q <= '0;
      run_q <= on_q;
      if (sel_v && !off_q) begin
        ret_q <= ret;
        if (returns) ack_q[sel] <= 1'b1;
        if (fn == F_CPU_ON && tgt_ok && !tgt_on) begin
          on_q[tgt] <= 1'b1; warm_q[tgt] <= 1'b1;
          entry_q[tgt*32 +: 32] <= a2; ctx_q[tgt*32 +: 32] <= a3;
        end
        if (fn == F_CPU_OFF) begin on_q[sel] <= 1'b0; run_q[sel] <= 1'b0; end
        if (fn == F_SYSTEM_OFF || fn == F_SYSTEM_RESET) off_q <= 1'b1;
      end
    end
  end

  for (genvar c = 0; c < NCORE; c++) begin : g_core
    assign core_rst_no[c]          = rst_ni && on_q[c] && run_q[c];
    assign core_pc_o[c*32 +: 32]   = warm_q[c] ? entry_q[c*32 +: 32] : (c == 0) ? reset_pc_i : 32'd0;
    assign boot_r0_we_o[c]         = warm_q[c];
    assign boot_r0_o[c*32 +: 32]   = ctx_q[c*32 +: 32];
  end
  assign ack_o     = ack_q;
  assign ret_o     = ret_q;
  assign sys_off_o = off_q;

  // a core is answered only while it is in its call, and only a core that is on calls
  always @(posedge clk_i) begin
    if (rst_ni)
      assert ((ack_q & ~call_i) == '0 && (call_i & ~(on_q & run_q)) == '0)
      else $fatal(1, "soc_psci: an answer to a core not in a call (ack %b call %b on %b)", ack_q, call_i, on_q);
  end
endmodule
