`timescale 1ns/1ps
// soc_top -- the hypsim SoC on QEMU's 32-bit virt memory map
// (../shared/ARCHITECTURE.md "Memory map"): NCORE arm_cores (below), RAM at 0x4000_0000,
// a PL011 at 0x0900_0000 and the GICv2 (gic_top, one CPU interface, NIRQ IDs)
// with its four 64 KiB frames GICD 0x0800_0000, GICC 0x0801_0000, GICH
// 0x0803_0000 and GICV 0x0804_0000, behind a single-master decoder. The GIC
// decodes 8 KiB of each frame; the rest of a frame aliases it. The GIC's
// irq/fiq/virq/vfiq drive the core, ORed with the harness's irq_i/fiq_i pins;
// the UART interrupt is SPI 1 (ID 33). An access to an address no slave
// claims completes with a bus error (as QEMU's decode error), which the core
// turns into an external abort.
// The core's generic timer drives PPIs 26 (Hyp), 27 (virtual) and 30
// (physical). While vmm_en_i is set, the 4 KiB page at VMM_BASE is the VMM
// doorbell (soc_vmm_port, firmware/include/vmm_abi.h); otherwise it is
// unclaimed like the rest of QEMU's holes. The RAM backdoor (dbg_*) reads and
// writes RAM for the testbench (semihosting strings, the VMM's run structs). Left out until its issue lands: the MMU. Regions QEMU maps but we do not (flash at 0, PCIe, RTC,
// fw_cfg, virtio) are bus errors here. GICD_TYPER reports QEMU virt's 288
// IDs (ITLinesNumber 8); IDs from GIC_NIRQ up read as zero and ignore writes.
// Observation ports (obs_*_o, read-only, for the testbench's retire tracer):
// the core's (arm_core header) passed through, and obs_gich_o, the GIC's
// virtual interface control of CPU 0 (gic_top obs_gich_o: GICH_HCR,
// GICH_VMCR, GICH_APR, GICH_LR0-3 as read).
// Several cores (NCORE > 1, issue 14; NCORE = 1 is the one-core SoC above, cycle for
// cycle): core c's MPIDR is 0x8000_0000 | c (QEMU virt -smp N); the cores share the
// bus through soc_arbiter (round robin), and the GIC has NCORE CPU and virtual
// interfaces (gic_top NCPU = NCORE, cpu_i = the granted core; each core's timer
// drives its own PPIs; the harness's irq_i/fiq_i/virq_i/vfiq_i go to core 0).
// soc_excl_monitor is the global exclusive monitor (a STREX it fails is not
// written, arm_core bus_exfail_i). soc_psci powers the cores as QEMU does (core 0
// from reset_pc_i, the others off until PSCI CPU_ON) and answers PSCI over SMC
// when psci_en_i (the cores' platform-call port; with NCORE = 1 too, as QEMU -smp 1
// answers PSCI over SMC: soc_psci NCORE = 1, its power outputs unused, the core's
// reset being the SoC's; the SYSTEM_OFF/RESET SMC then retires with the answer to
// the SYS_EXIT below, as a program's SYS_EXIT SVC). SYSTEM_OFF/RESET end the run
// as QEMU -no-reboot does (exit status 0): the SoC puts a semihosting SYS_EXIT
// (ADP_Stopped_ApplicationExit) on the sh_* port, which the testbench serves
// like a program's own; the calling core stays in its call. Semihosting calls of
// the cores share the sh_* port, one at a time (SYSTEM_OFF's first, then the
// lowest-numbered core; sh_req_o drops for a cycle between calls).
// The retire, exception and observation ports are per core, core c's in the
// c-th slice of each (flat vectors: Icarus 11 cannot part-select several words of
// a packed array); obs_gich_o is GIC CPU c's virtual interface for core c.
// TLB maintenance broadcast (B4.2.2 Inner Shareable forms, and PL1 TLBIs under
// HCR.FB): each core's mmu_bridge bc_* pulse (operation, operand, its VMID) goes to
// every other core's tlbi_ext_* port (core c's in slice c, its own slice zero) and
// invalidates there in the same cycle as in the issuing core's TLB, so the broadcast
// is complete when the TLBI instruction completes (a DSB after it waits for nothing).
// fault_tlbi_i (tests only, a strap) drops the broadcast: the IS forms act locally only.
// One system counter (rtl/timer/sys_counter.sv, from the SoC's reset) feeds every
// core's generic timer, so a core powered on later reads the count core 0 reads (as
// on QEMU); with one core it is the count that core's timer kept itself before.
// Left out: DMB/DSB do nothing beyond the core (one transaction at a
// time on the bus, no write buffers: every access is complete at its ack).
module soc_top #(
  parameter int          RAM_BYTES = 16 * 1024 * 1024,
  parameter logic [31:0] RAM_BASE  = 32'h4000_0000,
  parameter logic [31:0] UART_BASE = 32'h0900_0000,
  parameter logic [31:0] GIC_BASE  = 32'h0800_0000,   // GICD; GICC/GICH/GICV at +0x1/+0x3/+0x4 0000
  parameter int          GIC_NIRQ  = 64,
  parameter logic [31:0] VMM_BASE  = 32'h0b00_0000,   // HYPSIM_DOORBELL_PA
  parameter int          NCORE     = 1
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic [31:0] reset_pc_i,
  input  logic        irq_i,
  input  logic        fiq_i,
  input  logic        virq_i,
  input  logic        vfiq_i,
  input  logic        qemu_compat_i,   // see arm_core
  input  logic        psci_en_i,       // PSCI over SMC answered by soc_psci (arm_core psci_en_i)
  // deliberate faults, tests only (tests/test_smp.py; straps held for the whole run, 0 in use):
  input  logic        fault_mon_i,     // soc_excl_monitor never fails a STREX
  input  logic        fault_tlbi_i,    // no TLB maintenance broadcast
  // semihosting
  input  logic        semihost_en_i,
  output logic        sh_req_o,
  output logic [31:0] sh_op_o,
  output logic [31:0] sh_arg_o,
  input  logic        sh_ack_i,
  input  logic [31:0] sh_ret_i,
  // VMM doorbell (soc_vmm_port)
  input  logic        vmm_en_i,
  output logic        vmm_req_o,
  output logic [31:0] vmm_arg_o,
  input  logic        vmm_ack_i,
  // UART transmit stream
  output logic        uart_tx_valid_o,
  output logic [7:0]  uart_tx_data_o,
  output logic        uart_irq_o,
  // RAM backdoor (byte address; read data and the write land one cycle later)
  input  logic [31:0] dbg_addr_i,
  output logic [31:0] dbg_rdata_o,
  input  logic        dbg_we_i,
  input  logic [31:0] dbg_wdata_i,
  // core retire / exception ports, passed through; core c's in slice c
  output logic [NCORE-1:0]    rt_valid_o,
  output logic [NCORE*32-1:0] rt_pc_o,
  output logic [NCORE*32-1:0] rt_instr_o,
  output logic [NCORE*32-1:0] rt_cpsr_o,
  output logic [NCORE-1:0]    rt_cond_pass_o,
  output logic [NCORE-1:0]    rf_we_o,
  output logic [NCORE*6-1:0]  rf_widx_o,
  output logic [NCORE*32-1:0] rf_wdata_o,
  output logic [NCORE-1:0]    dmem_valid_o,
  output logic [NCORE-1:0]    dmem_we_o,
  output logic [NCORE*32-1:0] dmem_addr_o,
  output logic [NCORE*32-1:0] dmem_pa_o,     // the beat's physical address (arm_core dmem_pa_o)
  output logic [NCORE*4-1:0]  dmem_be_o,
  output logic [NCORE*32-1:0] dmem_data_o,
  output logic [NCORE-1:0]    exc_valid_o,
  output logic [NCORE*3-1:0]  exc_type_o,
  output logic [NCORE*32-1:0] exc_return_o,
  output logic [NCORE*32-1:0] exc_vector_o,
  output logic [NCORE*32-1:0] exc_cpsr_o,
  output logic [NCORE*32-1:0] exc_hsr_o,
  // bus observation (for X checks and the bus monitor): the bus after the arbiter
  output logic        bus_req_o,
  output logic        bus_we_o,
  output logic [31:0] bus_addr_o,
  output logic [3:0]  bus_be_o,
  output logic [31:0] bus_wdata_o,
  // observation (see the header); core c's in slice c
  output logic [NCORE*38*32-1:0] obs_regs_o,
  output logic [NCORE*32-1:0]    obs_cpsr_o,
  output logic [NCORE*26*32-1:0] obs_cp15_o,
  output logic [NCORE*9*32-1:0]  obs_hyp_o,
  output logic [NCORE*10*32-1:0] obs_timer_o,
  output logic [NCORE*66*32-1:0] obs_vfp_o,
  output logic [NCORE*7*32-1:0]  obs_gich_o,
  output logic              short_desc_o        // arm_core short_desc_o, any core
);
  localparam int CW = (NCORE > 1) ? $clog2(NCORE) : 1;
  logic        req, we, excl, ack, err, exfail, we_eff;
  logic [CW-1:0] gnt;
  logic [31:0] addr, wdata, rdata;
  logic [3:0]  be;

  // ---------------------------------------------------------------- cores
  logic [NCORE-1:0]    c_req, c_we, c_instr, c_excl, c_ack, c_err, c_short;
  logic [NCORE*32-1:0] c_addr, c_wdata;
  logic [NCORE*4-1:0]  c_be;
  logic [NCORE*16-1:0] c_ppi;
  logic [NCORE-1:0]    c_sh_req, c_sh_smc, c_sh_ack, c_rst_n, c_boot_we;
  logic [NCORE*32-1:0] c_sh_op, c_sh_arg, c_sh_arg2, c_sh_arg3, c_pc, c_boot_r0;
  logic [31:0]         c_sh_ret;
  logic                sys_off;
  localparam logic [31:0] SH_SYS_EXIT = 32'h18, SH_APP_EXIT = 32'h2_0026;
  logic [NCORE-1:0]    gic_irq, gic_fiq, gic_virq, gic_vfiq;
  logic [NCORE-1:0]    c_wake;    // core c's interrupt inputs, any (soc_psci CPU_SUSPEND)
  // TLB maintenance broadcast: core c's in slice c
  logic [NCORE-1:0]    bc;
  logic [NCORE*3-1:0]  bc_op;
  logic [NCORE*32-1:0] bc_data;
  logic [NCORE*8-1:0]  bc_vmid;

  // the system counter, shared by all cores' generic timers
  logic [63:0] sys_cnt;
  sys_counter u_cnt (.clk_i, .rst_ni, .en_i(1'b1), .cnt_o(sys_cnt));

  for (genvar c = 0; c < NCORE; c++) begin : g_core
    logic timer_phys, timer_virt, timer_hyp;
    wire  pin_irq = (c == 0) && irq_i, pin_fiq = (c == 0) && fiq_i;
    wire  pin_virq = (c == 0) && virq_i, pin_vfiq = (c == 0) && vfiq_i;
    assign c_wake[c] = pin_irq | gic_irq[c] | pin_fiq | gic_fiq[c] | pin_virq | gic_virq[c]
                     | pin_vfiq | gic_vfiq[c];
    // the other cores' broadcasts (this core's own slice masked: its local path did it)
    wire [NCORE-1:0] ext = fault_tlbi_i ? '0 : (bc & ~(NCORE'(1) << c));
    arm_core #(.MPIDR(32'h8000_0000 | c), .NEXT(NCORE)) u_core (
      .clk_i, .rst_ni(c_rst_n[c]), .reset_pc_i(c_pc[c*32 +: 32]),
      .bus_req_o(c_req[c]), .bus_we_o(c_we[c]), .bus_instr_o(c_instr[c]), .bus_addr_o(c_addr[c*32 +: 32]),
      .bus_be_o(c_be[c*4 +: 4]), .bus_wdata_o(c_wdata[c*32 +: 32]), .bus_ack_i(c_ack[c]), .bus_err_i(c_err[c]),
      .bus_rdata_i(rdata),
      .irq_i(pin_irq | gic_irq[c]), .fiq_i(pin_fiq | gic_fiq[c]), .virq_i(pin_virq | gic_virq[c]),
      .vfiq_i(pin_vfiq | gic_vfiq[c]), .qemu_compat_i,
      .timer_phys_o(timer_phys), .timer_virt_o(timer_virt), .timer_hyp_o(timer_hyp), .cntpct_i(sys_cnt),
      .semihost_en_i, .sh_req_o(c_sh_req[c]), .sh_op_o(c_sh_op[c*32 +: 32]), .sh_arg_o(c_sh_arg[c*32 +: 32]),
      .sh_ack_i(c_sh_ack[c]), .sh_ret_i(c_sh_ret),
      .psci_en_i, .sh_smc_o(c_sh_smc[c]), .sh_arg2_o(c_sh_arg2[c*32 +: 32]), .sh_arg3_o(c_sh_arg3[c*32 +: 32]),
      .boot_r0_we_i(c_boot_we[c]), .boot_r0_i(c_boot_r0[c*32 +: 32]),
      .bus_excl_o(c_excl[c]), .bus_exfail_i(exfail),
      .rt_valid_o(rt_valid_o[c]), .rt_pc_o(rt_pc_o[c*32 +: 32]), .rt_instr_o(rt_instr_o[c*32 +: 32]),
      .rt_cpsr_o(rt_cpsr_o[c*32 +: 32]), .rt_cond_pass_o(rt_cond_pass_o[c]),
      .rf_we_o(rf_we_o[c]), .rf_widx_o(rf_widx_o[c*6 +: 6]), .rf_wdata_o(rf_wdata_o[c*32 +: 32]),
      .dmem_valid_o(dmem_valid_o[c]), .dmem_we_o(dmem_we_o[c]), .dmem_addr_o(dmem_addr_o[c*32 +: 32]),
      .dmem_pa_o(dmem_pa_o[c*32 +: 32]),
      .dmem_be_o(dmem_be_o[c*4 +: 4]), .dmem_data_o(dmem_data_o[c*32 +: 32]),
      .exc_valid_o(exc_valid_o[c]), .exc_type_o(exc_type_o[c*3 +: 3]), .exc_return_o(exc_return_o[c*32 +: 32]),
      .exc_vector_o(exc_vector_o[c*32 +: 32]), .exc_cpsr_o(exc_cpsr_o[c*32 +: 32]),
      .exc_hsr_o(exc_hsr_o[c*32 +: 32]),
      .obs_regs_o(obs_regs_o[c*38*32 +: 38*32]), .obs_cpsr_o(obs_cpsr_o[c*32 +: 32]),
      .obs_cp15_o(obs_cp15_o[c*26*32 +: 26*32]), .obs_hyp_o(obs_hyp_o[c*9*32 +: 9*32]),
      .obs_timer_o(obs_timer_o[c*10*32 +: 10*32]), .obs_vfp_o(obs_vfp_o[c*66*32 +: 66*32]),
      .short_desc_o(c_short[c]),
      .tlbi_bc_o(bc[c]), .tlbi_bc_op_o(bc_op[c*3 +: 3]), .tlbi_bc_data_o(bc_data[c*32 +: 32]),
      .tlbi_bc_vmid_o(bc_vmid[c*8 +: 8]),
      .tlbi_ext_i(ext), .tlbi_ext_op_i(bc_op), .tlbi_ext_data_i(bc_data), .tlbi_ext_vmid_i(bc_vmid)
    );
    // PPI 16+k is ppi_i[k]: 26 Hyp timer, 27 virtual timer, 30 physical timer
    assign c_ppi[c*16 +: 16] = {1'b0, timer_phys, 2'b00, timer_virt, timer_hyp, 10'd0};
  end
  assign short_desc_o = |c_short;
  wire unused_instr = ^c_instr;

  // a core held in reset (powered off) drives a fetch request at its reset PC: not a master
  wire [NCORE-1:0] c_req_on = (NCORE == 1) ? c_req : (c_req & c_rst_n);
  soc_arbiter #(.NCORE(NCORE)) u_arb (
    .clk_i, .rst_ni,
    .m_req_i(c_req_on), .m_we_i(c_we), .m_excl_i(c_excl), .m_addr_i(c_addr), .m_be_i(c_be),
    .m_wdata_i(c_wdata), .m_ack_o(c_ack), .m_err_o(c_err),
    .req_o(req), .we_o(we), .excl_o(excl), .addr_o(addr), .be_o(be), .wdata_o(wdata), .gnt_o(gnt),
    .ack_i(ack), .err_i(err)
  );

  // ---------------------------------------------------------------- power, PSCI, semihosting
  if (NCORE == 1) begin : g_one
    // one core: powered from reset, no global monitor, semihosting straight through
    assign c_rst_n = rst_ni; assign c_pc = reset_pc_i;
    assign c_boot_we = 1'b0; assign c_boot_r0 = 32'd0;
    assign exfail = 1'b0;
    assign sh_req_o = (c_sh_req[0] && !(psci_en_i && c_sh_smc[0])) || sys_off;
    assign sh_op_o  = sys_off ? SH_SYS_EXIT : c_sh_op;
    assign sh_arg_o = sys_off ? SH_APP_EXIT : c_sh_arg;
    logic        p_ack, p_rst_n, p_boot_we;
    logic [31:0] p_ret, p_pc, p_boot_r0;
    soc_psci #(.NCORE(1)) u_psci (
      .clk_i, .rst_ni, .reset_pc_i, .call_i(c_sh_req & c_sh_smc), .wake_i(c_wake),
      .fn_i(c_sh_op), .a1_i(c_sh_arg), .a2_i(c_sh_arg2), .a3_i(c_sh_arg3),
      .ack_o(p_ack), .ret_o(p_ret), .core_rst_no(p_rst_n), .core_pc_o(p_pc), .boot_r0_we_o(p_boot_we),
      .boot_r0_o(p_boot_r0),
      .sys_off_o(sys_off)
    );
    // SYSTEM_OFF/RESET: the SMC retires with the testbench's answer to the SYS_EXIT the SoC
    // puts on the port, as a program's own SYS_EXIT SVC does (QEMU's log ends with the SMC:
    // the one-core run compares with QEMU instruction by instruction)
    assign c_sh_ack = (c_sh_smc[0] && psci_en_i) ? (p_ack || (sys_off && sh_ack_i)) : sh_ack_i && !sys_off;
    assign c_sh_ret = (c_sh_smc[0] && psci_en_i && !sys_off) ? p_ret : sh_ret_i;
    // one core: its power is the reset (CPU_OFF of the only core waits forever, as on QEMU -smp 1)
    wire unused_mon = excl ^ (|gnt) ^ fault_mon_i ^ fault_tlbi_i ^ p_rst_n ^ (|p_pc) ^ p_boot_we ^ (|p_boot_r0);
  end else begin : g_smp
    logic [NCORE-1:0] p_ack;
    logic [31:0]      p_ret;
    soc_psci #(.NCORE(NCORE)) u_psci (
      .clk_i, .rst_ni, .reset_pc_i, .call_i(c_sh_req & c_sh_smc), .wake_i(c_wake),
      .fn_i(c_sh_op), .a1_i(c_sh_arg), .a2_i(c_sh_arg2), .a3_i(c_sh_arg3),
      .ack_o(p_ack), .ret_o(p_ret), .core_rst_no(c_rst_n), .core_pc_o(c_pc), .boot_r0_we_o(c_boot_we),
      .boot_r0_o(c_boot_r0), .sys_off_o(sys_off)
    );
    soc_excl_monitor #(.NCORE(NCORE)) u_mon (
      .clk_i, .rst_ni, .req_i(req), .we_i(we), .excl_i(excl), .addr_i(addr), .gnt_i(gnt),
      .ack_i(ack), .err_i(err), .fault_i(fault_mon_i), .exfail_o(exfail)
    );
    // semihosting: one core's call at a time on the sh_* port
    logic          sh_busy_q, sh_exit_q;   // sh_exit_q: the call is SYSTEM_OFF's SYS_EXIT
    logic [CW-1:0] sh_own_q, sh_pick;
    logic          sh_any;
    wire  [NCORE-1:0] sh_semi = c_sh_req & ~c_sh_smc;
    always @(*) begin
      sh_any = 1'b0; sh_pick = '0;
      for (int c = NCORE - 1; c >= 0; c--)
        if (sh_semi[c]) begin sh_any = 1'b1; sh_pick = c[CW-1:0]; end
    end
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        sh_busy_q <= 1'b0; sh_own_q <= '0; sh_exit_q <= 1'b0;
      end else if (sh_busy_q) begin
        if (sh_ack_i) sh_busy_q <= 1'b0;
      end else if (sys_off) begin
        sh_busy_q <= 1'b1; sh_exit_q <= 1'b1;
      end else if (sh_any) begin
        sh_busy_q <= 1'b1; sh_own_q <= sh_pick;
      end
    end
    assign sh_req_o = sh_busy_q;
    assign sh_op_o  = sh_exit_q ? SH_SYS_EXIT : c_sh_op[sh_own_q*32 +: 32];
    assign sh_arg_o = sh_exit_q ? SH_APP_EXIT : c_sh_arg[sh_own_q*32 +: 32];
    for (genvar c = 0; c < NCORE; c++) begin : g_sh
      assign c_sh_ack[c] = c_sh_smc[c] ? p_ack[c] : (sh_busy_q && !sh_exit_q && sh_ack_i && {{(32-CW){1'b0}}, sh_own_q} == c);
    end
    assign c_sh_ret = (|(p_ack & c_sh_smc)) ? p_ret : sh_ret_i;
  end
  assign we_eff = we && !exfail;

  // ---------------------------------------------------------------- decoder
  wire        ram_hit  = (addr - RAM_BASE) < RAM_BYTES;
  wire        uart_hit = (addr[31:12] == UART_BASE[31:12]);
  // GIC frames: 64 KiB windows at GIC_BASE + 0x0/0x1/0x3/0x4 0000
  wire [15:0] gic_win  = addr[31:16] - GIC_BASE[31:16];
  wire        gic_hit  = (addr[31:20] == GIC_BASE[31:20])
                         && (gic_win == 16'd0 || gic_win == 16'd1 || gic_win == 16'd3 || gic_win == 16'd4);
  wire [1:0]  gic_frame = (gic_win == 16'd0) ? 2'd0 : (gic_win == 16'd1) ? 2'd1
                        : (gic_win == 16'd3) ? 2'd2 : 2'd3;
  wire        vmm_hit  = vmm_en_i && (addr[31:12] == VMM_BASE[31:12]);
  logic       ram_ack, uart_ack, gic_ack, vmm_ack, vmm_err, err_ack_q;
  logic [31:0] ram_rdata, uart_rdata, gic_rdata, vmm_rdata;

  soc_ram #(.RAM_BYTES(RAM_BYTES)) u_ram (
    .clk_i, .rst_ni, .sel_i(req & ram_hit), .we_i(we_eff), .addr_i(addr - RAM_BASE),
    .be_i(be), .wdata_i(wdata), .ack_o(ram_ack), .rdata_o(ram_rdata),
    .dbg_addr_i(dbg_addr_i - RAM_BASE), .dbg_rdata_o(dbg_rdata_o),
    .dbg_we_i, .dbg_wdata_i
  );

  soc_vmm_port u_vmm (
    .clk_i, .rst_ni, .sel_i(req & vmm_hit), .we_i(we), .addr_i(addr[11:0]), .be_i(be),
    .wdata_i(wdata), .ack_o(vmm_ack), .err_o(vmm_err), .rdata_o(vmm_rdata),
    .vmm_req_o, .vmm_arg_o, .vmm_ack_i
  );

  soc_pl011 u_uart (
    .clk_i, .rst_ni, .sel_i(req & uart_hit), .we_i(we), .addr_i(addr[11:0]), .be_i(be),
    .wdata_i(wdata), .ack_o(uart_ack), .rdata_o(uart_rdata),
    .tx_valid_o(uart_tx_valid_o), .tx_data_o(uart_tx_data_o), .irq_o(uart_irq_o)
  );

  logic [NCORE-1:0] gic_maint;
  gic_top #(.NCPU(NCORE), .NIRQ(GIC_NIRQ), .TYPER_ITLINES(8)) u_gic (
    .clk_i, .rst_ni, .sel_i(req & gic_hit), .we_i(we), .frame_i(gic_frame), .cpu_i(gnt),
    .addr_i(addr[12:0]), .be_i(be), .wdata_i(wdata), .ack_o(gic_ack), .rdata_o(gic_rdata),
    .spi_i({{(GIC_NIRQ - 34){1'b0}}, uart_irq_o, 1'b0}),
    .ppi_i(c_ppi),
    .irq_o(gic_irq), .fiq_o(gic_fiq), .virq_o(gic_virq), .vfiq_o(gic_vfiq), .maint_o(gic_maint),
    .obs_gich_o
  );

  // unclaimed addresses: decode error one cycle later
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) err_ack_q <= 1'b0;
    else         err_ack_q <= req & ~ram_hit & ~uart_hit & ~gic_hit & ~vmm_hit & ~err_ack_q;
  end

  assign ack   = ram_ack | uart_ack | gic_ack | vmm_ack | err_ack_q;
  assign err   = err_ack_q | vmm_err;
  assign rdata = ram_ack ? ram_rdata : uart_ack ? uart_rdata : gic_ack ? gic_rdata
               : vmm_ack ? vmm_rdata : 32'd0;

  assign bus_req_o   = req;
  assign bus_we_o    = we;
  assign bus_addr_o  = addr;
  assign bus_be_o    = be;
  assign bus_wdata_o = wdata;
  wire unused_maint = ^gic_maint;   // PPI 25 inside the GIC
endmodule
