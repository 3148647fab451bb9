`timescale 1ns/1ps
// tb_top -- simulation harness around soc_top: reset and clock come from
// cocotb; this module adds what must not cost a Python wake-up per cycle:
//   * the retire tracer (trace file named by +trace=<file>), fed by the SoC's
//     retire/exception ports and its read-only observation ports (obs_*: the
//     register context snapshots at world switches); with TRACE=0 (the
//     free-running build: `hypsim run --no-trace`, `make bench`) it is not
//     elaborated at all,
//   * the cycle and retirement counters (cycle_o, retired_o; the tracer's cycle
//     numbers come from them) and the --max-cycles watchdog (+max_cycles=N),
//   * the exception-loop detector (exc_loop_o, below),
//   * an X check on the bus (Icarus only; Verilator is two-state),
//   * a stop on a configuration the RTL does not implement: a PL1&0 access
//     with SCTLR.M=1 and TTBCR.EAE=0 (short-descriptor tables; rtl/mmu walks
//     long descriptors only), from the core's short_desc_o port.
// The VMM doorbell (vmm_*) and the RAM backdoor (dbg_*) pass straight through
// to cocotb (tb/cocotb_top.py, tb/vmm.py).
// NCORE > 1 (`hypsim run --smp N`): soc_top with NCORE cores; one retire tracer
// per core (core 0's file from +trace=<file>, core c's from +trace<c>=<file>, each
// with the cycle numbers of the one cycle counter), retired_o counts every core's
// retirements. Each core has its exception-loop detector (exc_loop_detector); the
// unsupported-configuration stop takes any core's short_desc_o.
// PSCI over SMC is on for every core count, one core too (soc_top psci_en_i = 1,
// soc_psci; SYSTEM_OFF ends the run through the semihosting port): QEMU -M
// virt,virtualization=on answers an untrapped SMC from PL1 or Hyp mode with PSCI
// whatever -smp is.
module tb_top #(
  parameter bit TRACE = 1'b1,
  parameter int NCORE = 1
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic [31:0] reset_pc_i,
  input  logic        irq_i,
  input  logic        fiq_i,
  input  logic        virq_i,
  input  logic        vfiq_i,
  input  logic        qemu_compat_i,
  input  logic        fault_mon_i,    // tests only ($HYPSIM_SMP_FAULT=monitor): no global exclusive monitor
  input  logic        fault_tlbi_i,   // tests only ($HYPSIM_SMP_FAULT=tlbi): no TLB maintenance broadcast
  input  logic        semihost_en_i,
  output logic        sh_req_o,
  output logic [31:0] sh_op_o,
  output logic [31:0] sh_arg_o,
  input  logic        sh_ack_i,
  input  logic [31:0] sh_ret_i,
  input  logic        vmm_en_i,
  output logic        vmm_req_o,
  output logic [31:0] vmm_arg_o,
  input  logic        vmm_ack_i,
  output logic        uart_tx_valid_o,
  output logic [7:0]  uart_tx_data_o,
  input  logic [31:0] dbg_addr_i,
  output logic [31:0] dbg_rdata_o,
  input  logic        dbg_we_i,
  input  logic [31:0] dbg_wdata_i,
  input  logic        trace_flush_i,
  output logic        watchdog_o,
  output logic        bus_x_o,
  output logic        unsupported_o,
  output logic [63:0] cycle_o,
  output logic [63:0] retired_o,
  output logic        exc_loop_o,
  output logic [11:0][31:0] exc_loop_info_o
);
  // per core, core c's in slice c (soc_top)
  logic [NCORE-1:0]    rt_valid_a, rt_cond_pass_a, rf_we_a, dmem_valid_a, dmem_we_a, exc_valid_a;
  logic [NCORE*32-1:0] rt_pc_a, rt_instr_a, rt_cpsr_a, rf_wdata_a, dmem_addr_a, dmem_pa_a, dmem_data_a;
  logic [NCORE*32-1:0] exc_return_a, exc_vector_a, exc_cpsr_a, exc_hsr_a, obs_cpsr_a;
  logic [NCORE*6-1:0]  rf_widx_a;
  logic [NCORE*4-1:0]  dmem_be_a;
  logic [NCORE*3-1:0]  exc_type_a;
  logic [NCORE*38*32-1:0] obs_regs_a;
  logic [NCORE*26*32-1:0] obs_cp15_a;
  logic [NCORE*9*32-1:0]  obs_hyp_a;
  logic [NCORE*10*32-1:0] obs_timer_a;
  logic [NCORE*66*32-1:0] obs_vfp_a;
  logic [NCORE*7*32-1:0]  obs_gich_a;
  logic        uart_irq;
  logic        bus_req, bus_we, short_desc_now;
  logic [31:0] bus_addr, bus_wdata;
  logic [3:0]  bus_be;

  soc_top #(.NCORE(NCORE)) u_soc (
    .clk_i, .rst_ni, .reset_pc_i, .irq_i, .fiq_i, .virq_i, .vfiq_i, .qemu_compat_i,
    .psci_en_i(1'b1), .fault_mon_i, .fault_tlbi_i,
    .semihost_en_i, .sh_req_o, .sh_op_o, .sh_arg_o, .sh_ack_i, .sh_ret_i,
    .vmm_en_i, .vmm_req_o, .vmm_arg_o, .vmm_ack_i,
    .uart_tx_valid_o, .uart_tx_data_o, .uart_irq_o(uart_irq),
    .dbg_addr_i, .dbg_rdata_o, .dbg_we_i, .dbg_wdata_i,
    .rt_valid_o(rt_valid_a), .rt_pc_o(rt_pc_a), .rt_instr_o(rt_instr_a), .rt_cpsr_o(rt_cpsr_a),
    .rt_cond_pass_o(rt_cond_pass_a),
    .rf_we_o(rf_we_a), .rf_widx_o(rf_widx_a), .rf_wdata_o(rf_wdata_a),
    .dmem_valid_o(dmem_valid_a), .dmem_we_o(dmem_we_a), .dmem_addr_o(dmem_addr_a), .dmem_pa_o(dmem_pa_a),
    .dmem_be_o(dmem_be_a), .dmem_data_o(dmem_data_a),
    .exc_valid_o(exc_valid_a), .exc_type_o(exc_type_a), .exc_return_o(exc_return_a),
    .exc_vector_o(exc_vector_a), .exc_cpsr_o(exc_cpsr_a), .exc_hsr_o(exc_hsr_a),
    .bus_req_o(bus_req), .bus_we_o(bus_we), .bus_addr_o(bus_addr), .bus_be_o(bus_be),
    .bus_wdata_o(bus_wdata),
    .obs_regs_o(obs_regs_a), .obs_cpsr_o(obs_cpsr_a), .obs_cp15_o(obs_cp15_a), .obs_hyp_o(obs_hyp_a),
    .obs_timer_o(obs_timer_a), .obs_vfp_o(obs_vfp_a), .obs_gich_o(obs_gich_a), .short_desc_o(short_desc_now)
  );

  // core 0's last retired PC, for the messages below
  logic [31:0] rt_pc;
  assign rt_pc = rt_pc_a[31:0];

  // ---------------------------------------------------------------- counters
  // Cycles and retirements since reset, in both builds: cycle_o/retired_o for
  // cocotb (tb/cocotb_top.py) and the watchdog, the cycle number for the tracer.
  logic [63:0] cycle_q, retired_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cycle_q   <= 64'd0;
      retired_q <= 64'd0;
    end else begin
      cycle_q <= cycle_q + 64'd1;
      retired_q <= retired_q + 64'($countones(rt_valid_a));
    end
  end
  assign cycle_o   = cycle_q;
  assign retired_o = retired_q;

  if (TRACE) begin : g_trace
    for (genvar c = 0; c < NCORE; c++) begin : g_core
      retire_tracer #(.CORE(c)) u_tracer (
        .clk_i, .rst_ni, .flush_i(trace_flush_i),
        .rt_valid_i(rt_valid_a[c]), .rt_pc_i(rt_pc_a[c*32 +: 32]), .rt_instr_i(rt_instr_a[c*32 +: 32]),
        .rt_cpsr_i(rt_cpsr_a[c*32 +: 32]), .rt_cond_pass_i(rt_cond_pass_a[c]),
        .rf_we_i(rf_we_a[c]), .rf_widx_i(rf_widx_a[c*6 +: 6]), .rf_wdata_i(rf_wdata_a[c*32 +: 32]),
        .dmem_valid_i(dmem_valid_a[c]), .dmem_we_i(dmem_we_a[c]), .dmem_addr_i(dmem_addr_a[c*32 +: 32]),
        .dmem_pa_i(dmem_pa_a[c*32 +: 32]),
        .dmem_be_i(dmem_be_a[c*4 +: 4]), .dmem_data_i(dmem_data_a[c*32 +: 32]),
        .exc_valid_i(exc_valid_a[c]), .exc_type_i(exc_type_a[c*3 +: 3]), .exc_return_i(exc_return_a[c*32 +: 32]),
        .exc_vector_i(exc_vector_a[c*32 +: 32]), .exc_cpsr_i(exc_cpsr_a[c*32 +: 32]), .exc_hsr_i(exc_hsr_a[c*32 +: 32]),
        .obs_regs_i(obs_regs_a[c*38*32 +: 38*32]), .obs_cpsr_i(obs_cpsr_a[c*32 +: 32]),
        .obs_cp15_i(obs_cp15_a[c*26*32 +: 26*32]), .obs_hyp_i(obs_hyp_a[c*9*32 +: 9*32]),
        .obs_timer_i(obs_timer_a[c*10*32 +: 10*32]), .obs_vfp_i(obs_vfp_a[c*66*32 +: 66*32]),
        .obs_gich_i(obs_gich_a[c*7*32 +: 7*32]),
        .cycle_i(cycle_q)
      );
    end
  end else begin : g_no_trace
    // no tracer: the ports only it reads
    wire unused_obs = trace_flush_i ^ (|rt_cond_pass_a) ^ (|rf_we_a) ^ (|rf_widx_a) ^ (|rf_wdata_a)
                      ^ (|dmem_valid_a) ^ (|dmem_we_a) ^ (|dmem_addr_a) ^ (|dmem_pa_a) ^ (|dmem_be_a) ^ (|dmem_data_a)
                      ^ (|obs_regs_a) ^ (|obs_hyp_a) ^ (|obs_timer_a) ^ (|obs_vfp_a) ^ (|obs_gich_a)
                      ^ (|rt_cpsr_a) ^ (|exc_return_a) ^ (|exc_cpsr_a) ^ (|obs_cp15_a) ^ (|rt_instr_a)
                      ^ (|exc_vector_a) ^ (|exc_hsr_a) ^ (|exc_type_a) ^ (|rt_pc_a) ^ (|obs_cpsr_a)
                      ^ (|exc_valid_a) ^ (|rt_valid_a);
  end

  // ---------------------------------------------------------------- watchdog
  logic [63:0] max_cycles;
  initial begin
    if (!$value$plusargs("max_cycles=%d", max_cycles)) max_cycles = 64'd0;
  end
  assign watchdog_o = (max_cycles != 64'd0) && (cycle_o >= max_cycles);

  // ---------------------------------------------------------------- X check
  logic bus_x_q;
  wire  bus_x_now = bus_req && ($isunknown(bus_we) || $isunknown(bus_addr) || $isunknown(bus_be) ||
                                (bus_we && $isunknown(bus_wdata)));
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) bus_x_q <= 1'b0;
    else if (bus_x_now) begin
      if (!bus_x_q)
        $display("HYPSIM-ERROR: X on the SoC bus at cycle %0d: addr=%h we=%b be=%b wdata=%h (last retired PC %h)",
                 cycle_o, bus_addr, bus_we, bus_be, bus_wdata, rt_pc);
      bus_x_q <= 1'b1;
    end
  end
  assign bus_x_o = bus_x_q;

  // ---------------------------------------------------------------- unsupported configuration
  logic unsup_q;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) unsup_q <= 1'b0;
    else if (short_desc_now) begin
      if (!unsup_q)
        $display("HYPSIM-ERROR: SCTLR.M=1 with TTBCR.EAE=0 at cycle %0d (last retired PC %h): short-descriptor tables are not implemented",
                 cycle_o, rt_pc);
      unsup_q <= 1'b1;
    end
  end
  assign unsupported_o = unsup_q;

  // ---------------------------------------------------------------- exception loop
  // A run that only takes exceptions, retiring no instruction in between (e.g. an
  // undefined BLX into Thumb code, then a prefetch abort at a vector with no memory
  // behind it, again and again), stops after EXC_LOOP_LIMIT entries in a row instead
  // of spinning to --max-cycles. On the retire port an instruction that raises an
  // exception (UNDEFINED, SVC, HVC, a trap, a data abort) pulses rt_valid in the
  // cycle of its entry (exc_valid); a prefetch abort or an interrupt retires
  // nothing. So an instruction *completed* when rt_valid is high without
  // exc_valid, and the count is of entries since the last completed instruction:
  // a vector whose first instruction itself faults (UNDEFINED, a prefetch abort
  // of the vector fetch) does not reset it. Any handler that runs one instruction
  // does (an interrupt masks itself on entry, an ERET or a WFI completes), so
  // exception-heavy programs never get near the limit.
  // exc_loop_o rises the cycle after the limit-th entry, when that entry's CP15
  // writes show; exc_loop_info_o is frozen from then on (tb/cocotb_top.py reads it):
  //   [0] {count[15:0], last type[7:4], first type[3:0]}  [1] first PC  [2] first
  //   instruction  [3] first CPSR before the entry  [4] first vector  [5] last PC
  //   [6] last CPSR before the entry  [7] last vector  [8] last HSR written (0: none)
  //   [9] DFSR  [10] IFSR  [11] DFAR (PL1's, after the last entry)
  // The PC of an entry is the faulting instruction's, the fetch address of a
  // prefetch abort, the next instruction's for an interrupt.
  // One detector per core (exc_loop_detector); exc_loop_o is any core's, exc_loop_info_o
  // the lowest-numbered looping core's.
  logic [NCORE-1:0]            loop_a;
  logic [NCORE*12*32-1:0]       loop_info_a;   // flat: core c's info_o in slice c
  for (genvar c = 0; c < NCORE; c++) begin : g_loop
    exc_loop_detector u_loop (
      .clk_i, .rst_ni, .rt_valid_i(rt_valid_a[c]), .exc_valid_i(exc_valid_a[c]),
      .exc_type_i(exc_type_a[c*3 +: 3]), .rt_pc_i(rt_pc_a[c*32 +: 32]), .rt_instr_i(rt_instr_a[c*32 +: 32]),
      .obs_cpsr_i(obs_cpsr_a[c*32 +: 32]), .exc_vector_i(exc_vector_a[c*32 +: 32]),
      .exc_hsr_i(exc_hsr_a[c*32 +: 32]), .dfsr_i(obs_cp15_a[c*26*32 + 4*32 +: 32]),
      .ifsr_i(obs_cp15_a[c*26*32 + 5*32 +: 32]), .dfar_i(obs_cp15_a[c*26*32 + 8*32 +: 32]),
      .loop_o(loop_a[c]), .info_o(loop_info_a[c*12*32 +: 12*32])
    );
  end
  always @(*) begin
    exc_loop_info_o = loop_info_a[0 +: 12*32];
    for (int c = NCORE - 1; c >= 0; c--) if (loop_a[c]) exc_loop_info_o = loop_info_a[c*12*32 +: 12*32];
  end
  assign exc_loop_o = |loop_a;
  wire unused_irq = uart_irq;
endmodule
