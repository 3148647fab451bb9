`timescale 1ns/1ps
// retire_tracer -- writes the core's retire, register-write, data-access and
// exception ports to a text trace file (+trace=<file>) so that all checking
// happens after the run, without a Python wake-up per instruction. Format
// (hex unless noted; parsed by tb/trace.py):
//   H <name> <name> ...                      first line, once: the context snapshot's field names
//   W <phys-reg> <value>                     register write (arm_pkg.sv numbering)
//   M <r|w> <addr> <be> <data> [<pa>]        completed data beat: addr is the VA (dmem_addr_i),
//                                            pa its physical address (dmem_pa_i, arm_core
//                                            dmem_pa_o), written only when it differs from the VA
//   R <cycle-dec> <pc> <instr> <cpsr> <cond> instruction retired
//   X <cycle-dec> <type> <return> <vector> <cpsr> <hsr>   exception entered
//                                            (hsr: the HSR written on entry to Hyp, else 0)
//   S <cycle-dec> <kind> <value> <value> ... context snapshot at a world switch, one
//                                            %08h word per H name, in H order:
//     kind x: an exception entry into Hyp mode from a mode below (exc_valid_i, new CPSR
//             mode Hyp, current mode not Hyp): the state after the entry (ELR_hyp,
//             SPSR_hyp, HSR/HxFAR written);
//     kind e: an instruction retired in Hyp mode whose new CPSR mode is not Hyp (ERET,
//             MOVS pc, LDM^, RFE ...): the state after it, what the lower mode finds.
//     <cycle-dec> is the cycle of the event; its S line follows the event's R or X line.
// When a snapshot is sampled (why one cycle after its event is exact):
//   * every obs_*_i port is a function of flops only (no path from any input), so in
//     any cycle it shows the state left by the clock edges before that cycle;
//   * every write of an event lands at the edge that ends its rt_valid_i / exc_valid_i
//     cycle or earlier: register file, CP15 (incl. HSR/HxFAR, DFSR/DFAR, PAR), timer
//     and VFP writes happen in the core's execute, memory, write-back and exception
//     cycles that end with that pulse; a GIC write at its bus access, before the core
//     sees the ack (no posted writes in mmu_bridge); nothing is left pending after it;
//   * the cycle after an event is always a fetch (arm_core S_FETCH), which writes no
//     architectural state before the edge that ends it (the earliest write of the next
//     event, HCR.VA cleared by a virtual abort, lands at that edge).
// So the ports hold exactly the state after the event in the cycle after it; the S
// line is written at the edge ending that cycle, before that cycle's own W/M lines.
// Snapshot fields (the H line; a contract with the scoreboards, do not reorder):
//   the 38 physical registers as tb/models/arm_state.PHYS_NAMES, cpsr (current CPSR);
//   CP15: SCTLR CPACR TTBCR DACR DFSR IFSR ADFSR AIFSR DFAR IFAR PRRR NMRR AMAIR0
//         AMAIR1 VBAR CONTEXTIDR TPIDRURW TPIDRURO TPIDRPRW CNTKCTL CSSELR TTBR0_LO
//         TTBR0_HI TTBR1_LO TTBR1_HI PAR_LO PAR_HI;
//   Hyp:  HCR HSTR HCPTR HDCR HVBAR VTTBR_LO VTTBR_HI VPIDR VMPIDR CNTHCTL;
//   timers: CNTVOFF_LO CNTVOFF_HI CNTV_CTL CNTV_CVAL_LO CNTV_CVAL_HI CNTP_CTL
//         CNTP_CVAL_LO CNTP_CVAL_HI (CTL with ISTATUS as a read shows it);
//   VFP:  FPSCR FPEXC D0_LO D0_HI ... D31_LO D31_HI (D<n>_LO = S<2n>);
//   GIC CPU <core>: GICH_HCR GICH_VMCR GICH_APR GICH_LR0 GICH_LR1 GICH_LR2 GICH_LR3.
// CORE: the core whose ports these are (tb_top, NCORE > 1): core 0's trace file is
// named by +trace=<file>, core c's (1..7) by +trace<c>=<file>.
module retire_tracer #(
  parameter int CORE = 0
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        flush_i,
  input  logic        rt_valid_i,
  input  logic [31:0] rt_pc_i,
  input  logic [31:0] rt_instr_i,
  input  logic [31:0] rt_cpsr_i,
  input  logic        rt_cond_pass_i,
  input  logic        rf_we_i,
  input  logic [5:0]  rf_widx_i,
  input  logic [31:0] rf_wdata_i,
  input  logic        dmem_valid_i,
  input  logic        dmem_we_i,
  input  logic [31:0] dmem_addr_i,
  input  logic [31:0] dmem_pa_i,       // the beat's PA after stage 1 and 2 (arm_core dmem_pa_o)
  input  logic [3:0]  dmem_be_i,
  input  logic [31:0] dmem_data_i,
  input  logic        exc_valid_i,
  input  logic [2:0]  exc_type_i,
  input  logic [31:0] exc_return_i,
  input  logic [31:0] exc_vector_i,
  input  logic [31:0] exc_cpsr_i,
  input  logic [31:0] exc_hsr_i,
  // observation ports (soc_top obs_*_o)
  input  logic [37:0][31:0] obs_regs_i,
  input  logic [31:0]       obs_cpsr_i,
  input  logic [25:0][31:0] obs_cp15_i,
  input  logic [8:0][31:0]  obs_hyp_i,
  input  logic [9:0][31:0]  obs_timer_i,
  input  logic [65:0][31:0] obs_vfp_i,
  input  logic [6:0][31:0]  obs_gich_i,
  // tb_top's cycle counter (cycles since reset, the number in the R/X/S lines)
  input  logic [63:0] cycle_i
);
  localparam logic [4:0] MODE_HYP = 5'h1a;
  // The H line, in the groups the S line is written in (below).
  localparam NAMES_REGS = {"r0 r1 r2 r3 r4 r5 r6 r7 r8 r9 r10 r11 r12 sp_usr lr_usr ",
                           "r8_fiq r9_fiq r10_fiq r11_fiq r12_fiq sp_fiq lr_fiq sp_irq lr_irq ",
                           "sp_svc lr_svc sp_abt lr_abt sp_und lr_und sp_hyp elr_hyp ",
                           "spsr_fiq spsr_irq spsr_svc spsr_abt spsr_und spsr_hyp cpsr"};
  localparam NAMES_CP15 = {"SCTLR CPACR TTBCR DACR DFSR IFSR ADFSR AIFSR DFAR IFAR PRRR NMRR ",
                           "AMAIR0 AMAIR1 VBAR CONTEXTIDR TPIDRURW TPIDRURO TPIDRPRW CNTKCTL ",
                           "CSSELR TTBR0_LO TTBR0_HI TTBR1_LO TTBR1_HI PAR_LO PAR_HI"};
  localparam NAMES_HYP  = {"HCR HSTR HCPTR HDCR HVBAR VTTBR_LO VTTBR_HI VPIDR VMPIDR CNTHCTL ",
                           "CNTVOFF_LO CNTVOFF_HI CNTV_CTL CNTV_CVAL_LO CNTV_CVAL_HI ",
                           "CNTP_CTL CNTP_CVAL_LO CNTP_CVAL_HI FPSCR FPEXC"};
  // then D0_LO D0_HI ... D31_LO D31_HI, then:
  localparam NAMES_GICH = "GICH_HCR GICH_VMCR GICH_APR GICH_LR0 GICH_LR1 GICH_LR2 GICH_LR3";

  integer fd;
  string path;

  initial begin
    fd = 0;
    if (CORE == 0 ? $value$plusargs("trace=%s", path) : CORE == 1 ? $value$plusargs("trace1=%s", path)
        : CORE == 2 ? $value$plusargs("trace2=%s", path) : CORE == 3 ? $value$plusargs("trace3=%s", path)
        : CORE == 4 ? $value$plusargs("trace4=%s", path) : CORE == 5 ? $value$plusargs("trace5=%s", path)
        : CORE == 6 ? $value$plusargs("trace6=%s", path) : CORE == 7 ? $value$plusargs("trace7=%s", path)
        : 1'b0) begin
      fd = $fopen(path, "w");
      if (fd == 0) $display("HYPSIM-ERROR: cannot open trace file %s", path);
      else begin
        $fwrite(fd, "H %0s %0s %0s", NAMES_REGS, NAMES_CP15, NAMES_HYP);
        for (int d = 0; d < 32; d++) $fwrite(fd, " D%0d_LO D%0d_HI", d, d);
        $fwrite(fd, " %0s\n", NAMES_GICH);
      end
    end
  end

  // A world switch in this cycle: its snapshot is written at the next edge.
  wire from_below = obs_cpsr_i[4:0] != MODE_HYP;
  wire sw_entry   = exc_valid_i && exc_cpsr_i[4:0] == MODE_HYP && from_below;
  wire sw_return  = rt_valid_i && !exc_valid_i && !from_below && rt_cpsr_i[4:0] != MODE_HYP;
  logic        snap_q, snap_entry_q;
  logic [63:0] snap_cycle_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      snap_q <= 1'b0; snap_entry_q <= 1'b0; snap_cycle_q <= 64'd0;
    end else begin
      snap_q <= sw_entry || sw_return;
      snap_entry_q <= sw_entry;
      snap_cycle_q <= cycle_i;
    end
  end

  always @(posedge clk_i) begin
    if (rst_ni && fd != 0) begin
      if (snap_q) begin
        $fwrite(fd, "S %0d %s", snap_cycle_q, snap_entry_q ? "x" : "e");
        for (int i = 0; i < 38; i++) $fwrite(fd, " %08h", obs_regs_i[i]);
        $fwrite(fd, " %08h", obs_cpsr_i);
        for (int i = 0; i < 19; i++) $fwrite(fd, " %08h", obs_cp15_i[i]);   // SCTLR .. TPIDRPRW
        $fwrite(fd, " %08h", obs_timer_i[0]);                                // CNTKCTL
        for (int i = 19; i < 26; i++) $fwrite(fd, " %08h", obs_cp15_i[i]);  // CSSELR .. PAR_HI
        for (int i = 0; i < 9; i++) $fwrite(fd, " %08h", obs_hyp_i[i]);     // HCR .. VMPIDR
        for (int i = 1; i < 10; i++) $fwrite(fd, " %08h", obs_timer_i[i]);  // CNTHCTL .. CNTP_CVAL_HI
        for (int i = 0; i < 66; i++) $fwrite(fd, " %08h", obs_vfp_i[i]);    // FPSCR FPEXC D0_LO ..
        for (int i = 0; i < 7; i++) $fwrite(fd, " %08h", obs_gich_i[i]);    // GICH_*
        $fwrite(fd, "\n");
      end
      if (rf_we_i) $fwrite(fd, "W %02h %08h\n", rf_widx_i, rf_wdata_i);
      if (dmem_valid_i) begin
        if (dmem_pa_i == dmem_addr_i)
          $fwrite(fd, "M %s %08h %1h %08h\n", dmem_we_i ? "w" : "r", dmem_addr_i, dmem_be_i, dmem_data_i);
        else
          $fwrite(fd, "M %s %08h %1h %08h %08h\n", dmem_we_i ? "w" : "r", dmem_addr_i, dmem_be_i, dmem_data_i,
                  dmem_pa_i);
      end
      if (rt_valid_i) $fwrite(fd, "R %0d %08h %08h %08h %0d\n", cycle_i, rt_pc_i, rt_instr_i, rt_cpsr_i, rt_cond_pass_i);
      if (exc_valid_i) $fwrite(fd, "X %0d %0d %08h %08h %08h %08h\n", cycle_i, exc_type_i, exc_return_i,
                               exc_vector_i, exc_cpsr_i, exc_hsr_i);
    end
  end

  always @(posedge flush_i) if (fd != 0) $fflush(fd);
endmodule
