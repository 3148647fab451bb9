`timescale 1ns/1ps
// soc_top -- the hypsim SoC on QEMU's 32-bit virt memory map
// (../shared/ARCHITECTURE.md "Memory map"): the arm_core, RAM at 0x4000_0000,
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
module soc_top #(
  parameter int          RAM_BYTES = 16 * 1024 * 1024,
  parameter logic [31:0] RAM_BASE  = 32'h4000_0000,
  parameter logic [31:0] UART_BASE = 32'h0900_0000,
  parameter logic [31:0] GIC_BASE  = 32'h0800_0000,   // GICD; GICC/GICH/GICV at +0x1/+0x3/+0x4 0000
  parameter int          GIC_NIRQ  = 64,
  parameter logic [31:0] VMM_BASE  = 32'h0b00_0000    // HYPSIM_DOORBELL_PA
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic [31:0] reset_pc_i,
  input  logic        irq_i,
  input  logic        fiq_i,
  input  logic        virq_i,
  input  logic        vfiq_i,
  input  logic        qemu_compat_i,   // see arm_core
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
  // core retire / exception ports, passed through
  output logic        rt_valid_o,
  output logic [31:0] rt_pc_o,
  output logic [31:0] rt_instr_o,
  output logic [31:0] rt_cpsr_o,
  output logic        rt_cond_pass_o,
  output logic        rf_we_o,
  output logic [5:0]  rf_widx_o,
  output logic [31:0] rf_wdata_o,
  output logic        dmem_valid_o,
  output logic        dmem_we_o,
  output logic [31:0] dmem_addr_o,
  output logic [3:0]  dmem_be_o,
  output logic [31:0] dmem_data_o,
  output logic        exc_valid_o,
  output logic [2:0]  exc_type_o,
  output logic [31:0] exc_return_o,
  output logic [31:0] exc_vector_o,
  output logic [31:0] exc_cpsr_o,
  output logic [31:0] exc_hsr_o,
  // bus observation (for X checks and the bus monitor)
  output logic        bus_req_o,
  output logic        bus_we_o,
  output logic [31:0] bus_addr_o,
  output logic [3:0]  bus_be_o,
  output logic [31:0] bus_wdata_o,
  // observation (see the header)
  output logic [37:0][31:0] obs_regs_o,
  output logic [31:0]       obs_cpsr_o,
  output logic [25:0][31:0] obs_cp15_o,
  output logic [8:0][31:0]  obs_hyp_o,
  output logic [9:0][31:0]  obs_timer_o,
  output logic [65:0][31:0] obs_vfp_o,
  output logic [6:0][31:0]  obs_gich_o,
  output logic              short_desc_o        // arm_core short_desc_o
);
  logic        req, we, instr, ack, err;
  logic        gic_irq, gic_fiq, gic_virq, gic_vfiq;
  logic        timer_phys, timer_virt, timer_hyp;
  logic [31:0] addr, wdata, rdata;
  logic [3:0]  be;

  arm_core u_core (
    .clk_i, .rst_ni, .reset_pc_i,
    .bus_req_o(req), .bus_we_o(we), .bus_instr_o(instr), .bus_addr_o(addr),
    .bus_be_o(be), .bus_wdata_o(wdata), .bus_ack_i(ack), .bus_err_i(err), .bus_rdata_i(rdata),
    .irq_i(irq_i | gic_irq), .fiq_i(fiq_i | gic_fiq), .virq_i(virq_i | gic_virq),
    .vfiq_i(vfiq_i | gic_vfiq), .qemu_compat_i,
    .timer_phys_o(timer_phys), .timer_virt_o(timer_virt), .timer_hyp_o(timer_hyp),
    .semihost_en_i, .sh_req_o, .sh_op_o, .sh_arg_o, .sh_ack_i, .sh_ret_i,
    .rt_valid_o, .rt_pc_o, .rt_instr_o, .rt_cpsr_o, .rt_cond_pass_o,
    .rf_we_o, .rf_widx_o, .rf_wdata_o,
    .dmem_valid_o, .dmem_we_o, .dmem_addr_o, .dmem_be_o, .dmem_data_o,
    .exc_valid_o, .exc_type_o, .exc_return_o, .exc_vector_o, .exc_cpsr_o, .exc_hsr_o,
    .obs_regs_o, .obs_cpsr_o, .obs_cp15_o, .obs_hyp_o, .obs_timer_o, .obs_vfp_o, .short_desc_o
  );

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
    .clk_i, .rst_ni, .sel_i(req & ram_hit), .we_i(we), .addr_i(addr - RAM_BASE),
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

  logic gic_maint;
  gic_top #(.NCPU(1), .NIRQ(GIC_NIRQ), .TYPER_ITLINES(8)) u_gic (
    .clk_i, .rst_ni, .sel_i(req & gic_hit), .we_i(we), .frame_i(gic_frame), .cpu_i(1'b0),
    .addr_i(addr[12:0]), .be_i(be), .wdata_i(wdata), .ack_o(gic_ack), .rdata_o(gic_rdata),
    .spi_i({{(GIC_NIRQ - 34){1'b0}}, uart_irq_o, 1'b0}), 
    // PPI 16+k is ppi_i[k]: 26 Hyp timer, 27 virtual timer, 30 physical timer
    .ppi_i({1'b0, timer_phys, 2'b00, timer_virt, timer_hyp, 10'd0}),
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
  wire unused_instr = instr;
  wire unused_maint = gic_maint;   // PPI 25 inside the GIC
endmodule
