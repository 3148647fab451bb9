`timescale 1ns/1ps
// gic_top -- GICv2 with the virtualization extensions (ARM IHI0048B): the
// distributor (ch. 4.3), NCPU CPU interfaces (4.4), and per CPU the virtual
// interface control (GICH, 5.3) and the virtual CPU interface (GICV, 5.5)
// with four list registers. Register behaviour follows QEMU's
// hw/intc/arm_gic.c (has-virtualization-extensions, no security extensions)
// where the spec leaves a choice; the spec wins where they differ.
//
// Bus: the SoC's own slave protocol (what the core drives, as soc_pl011):
// sel_i/we_i/addr_i/be_i/wdata_i in, ack_o one cycle after sel_i
// (registered; the master holds sel_i until ack) and rdata_o. One port with
// a frame select: frame_i 0 = GICD, 1 = GICC, 2 = GICH, 3 = GICV; cpu_i is
// the index of the accessing CPU (banks SGI/PPI state, GICC, GICH, GICV).
// addr_i is the byte offset within the frame; it is 13 bits because GICC_DIR
// and GICV_DIR sit at offset 0x1000 (the SoC decodes 8 KiB for GICC/GICV).
// Word registers are written whole when any be_i bit is set; IPRIORITYR,
// ITARGETSR, CPENDSGIR and SPENDSGIR honour be_i per byte.
//
// Interrupts: IDs 0..NIRQ-1 (NIRQ a multiple of 32, 64..256; default 64:
// SPIs 32..63, GICD_TYPER.ITLinesNumber = NIRQ/32-1). SGIs 0-15 (pending per
// source CPU), PPIs 16-31 per CPU from ppi_i (level-sensitive, ICFGR1 RO 0;
// PPI 25 is also driven by this CPU's maintenance interrupt), SPIs from spi_i
// (level or edge per ICFGR). NCPU is 1..8. A level interrupt is pending
// while its line is high or its software latch (ISPENDR) is set; an edge
// sets the latch; acknowledge clears the latch (IHI0048B 3.2.4). Physical
// priorities have 8 bits (QEMU), virtual priorities 5 bits (GICH_VTR =
// 0x90000003). HPPIR reports the highest pending interrupt above the
// priority mask; IAR and irq_o also need it to preempt the running priority.
// GICD_IIDR = 0x43B and GICC_IIDR = 0x2043B as QEMU.
//
// Deliberately left out (documented choices):
// - Group 1 / security extensions: IGROUPR is RAZ/WI, every interrupt is
//   group 0, signalled on fiq_o when GICC_CTLR.FIQEn else irq_o. GICC_ABPR
//   is stored (minimum 1); AIAR/AHPPIR read 1023, AEOIR is ignored.
//   GICD_CTLR and GICC_CTLR store EnableGrp1, AckCtl and CBPR (as QEMU),
//   which change nothing here.
// - LR Grp1 is stored only: every LR is treated as group 0 and enabled by
//   GICV_CTLR.EnableGrp0. GICV_AIAR/AHPPIR read 1023.
// - SGI enables are RAO/WI; ISPENDR0/ICPENDR0 SGI bits are WI (use
//   SPENDSGIR/CPENDSGIR); ITARGETSR0-7 read the reader's CPU bit.
// - GICC_EOIR is ignored when no priority is active or the ID is >= NIRQ
//   (QEMU). GICV_EOIR of IDs 1020-1023 is ignored; with no active priority it
//   still deactivates (QEMU). Preemption compares the group priority with the
//   running priority (IHI0048B 3.3.3; QEMU compares the full priority, which
//   differs only when BPR changes while interrupts are active).
// - Virtual EOI/DIR match an LR by VirtualID and, for HW=0 SGIs, CPUID
//   (IHI0048B 5.4; QEMU matches the VirtualID only).
// - No ID registers at 0xFD0-0xFFC; no GICH per-CPU alias frames.
//
// Module tree (one file each, each header cites its section and lists what
// it leaves out):
//   gic_top          this file: frame/CPU decode of the bus port, read-data
//                    mux, ack; the overview and the choices below
//   gic_pkg          register offsets, frame numbers, IIDR/VTR values, the
//                    list register gic_lr_t, priority helpers
//   gic_distributor  GICD (4.3): enables, pending/active state, SGI sources,
//                    priorities, targets, ICFGR, SGIR; per CPU the highest-
//                    priority pending interrupt
//   gic_cpu_if       one per CPU (g_cpu[c].u_cif): GICC (4.4), running
//                    priority/APR, irq_o/fiq_o
//   gic_virt_if      one per CPU (g_cpu[c].u_vif): GICH (5.3) and GICV (5.5),
//                    list registers, maintenance interrupt, virq_o/vfiq_o
// Only the accessing CPU's (cpu_i) interfaces see a bus strobe, so at most
// one of them acknowledges or deactivates in a cycle; the distributor applies
// it to cpu_i's banked state.
//
// Observation (read-only, for the testbench's retire tracer; no logic reads
// it): obs_gich_o[c*224 +: 224] is CPU c's virtual interface control as
// GICH reads return it in this cycle, seven words from the least significant:
// GICH_HCR, GICH_VMCR, GICH_APR, GICH_LR0..GICH_LR3 (a write shows from the
// cycle after its clock edge). A flat vector: Icarus 11 aborts on a part-select
// of several words of a packed array.
module gic_top #(
  parameter int NCPU = 1,
  parameter int NIRQ = 64,
  // GICD_TYPER.ITLinesNumber as reported; 0 reports the implemented NIRQ/32-1.
  // The SoC reports QEMU virt's 288 IDs (8) while implementing NIRQ: the IDs
  // in between read as zero and ignore writes, like any ID >= NIRQ.
  parameter int TYPER_ITLINES = 0,
  localparam int CW   = (NCPU > 1) ? $clog2(NCPU) : 1,
  localparam int NSPI = NIRQ - 32
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                sel_i,
  input  logic                we_i,
  input  logic [1:0]          frame_i,
  input  logic [CW-1:0]       cpu_i,
  input  logic [12:0]         addr_i,
  input  logic [3:0]          be_i,
  input  logic [31:0]         wdata_i,
  output logic                ack_o,
  output logic [31:0]         rdata_o,
  input  logic [NSPI-1:0]     spi_i,
  input  logic [NCPU*16-1:0]  ppi_i,     // CPU c's PPI 16+k is ppi_i[c*16+k]
  output logic [NCPU-1:0]     irq_o,
  output logic [NCPU-1:0]     fiq_o,
  output logic [NCPU-1:0]     virq_o,
  output logic [NCPU-1:0]     vfiq_o,
  output logic [NCPU-1:0]     maint_o,   // maintenance interrupt (also PPI 25)
  output logic [NCPU*224-1:0] obs_gich_o
);
  import gic_pkg::*;

  // ------------------------------------------------------ bus decode
  logic        ack_q;
  logic [31:0] rdata_q;
  wire          access = sel_i & ~ack_q;
  wire          wr     = access & we_i & (|be_i);
  wire          rd     = access & ~we_i;
  wire [CW-1:0] cpu    = (NCPU > 1) ? cpu_i : {CW{1'b0}};
  wire [12:0]   a      = {addr_i[12:2], 2'b00};
  wire          is_d   = frame_i == FR_GICD;
  wire          is_c   = frame_i == FR_GICC;
  wire          is_h   = frame_i == FR_GICH;
  wire          is_v   = frame_i == FR_GICV;

  // ------------------------------------------------------ distributor
  logic [31:0]        gicd_rdata;
  logic [NCPU-1:0]    hp_found;
  logic [NCPU*10-1:0] hp_id;
  logic [NCPU*3-1:0]  hp_src;
  logic [NCPU*8-1:0]  hp_prio;
  logic [NCPU-1:0]    maint;
  logic [NCPU-1:0]    cif_ack, cif_deact, vif_hw_deact;
  logic [NCPU*10-1:0] vif_hw_pid;

  gic_distributor #(.NCPU(NCPU), .NIRQ(NIRQ), .TYPER_ITLINES(TYPER_ITLINES)) u_dist (
    .clk_i, .rst_ni,
    .wr_i(wr & is_d), .cpu_i(cpu), .addr_i(a), .be_i, .wdata_i, .rdata_o(gicd_rdata),
    .spi_i, .ppi_i, .maint_i(maint),
    // only the accessing CPU's interfaces can acknowledge or deactivate
    .ack_i(|cif_ack), .deact_i(|cif_deact),
    .hw_deact_i(|vif_hw_deact), .hw_pid_i(vif_hw_pid[cpu*10 +: 10]),
    .hp_found_o(hp_found), .hp_id_o(hp_id), .hp_src_o(hp_src), .hp_prio_o(hp_prio)
  );

  // --------------------- per CPU: CPU interface, virtual interface (GICH + GICV)
  logic [NCPU*32-1:0] gicc_rdata, gich_rdata, gicv_rdata;
  logic [NCPU-1:0]    here;               // CPU c is the accessing CPU
  for (genvar c = 0; c < NCPU; c++) begin : g_cpu
    assign here[c] = cpu == CW'(c);

    gic_cpu_if #(.NIRQ(NIRQ)) u_cif (
      .clk_i, .rst_ni,
      .wr_i(wr & is_c & here[c]), .rd_i(rd & is_c & here[c]), .addr_i(a), .wdata_i,
      .rdata_o(gicc_rdata[c*32 +: 32]),
      .hp_found_i(hp_found[c]), .hp_id_i(hp_id[c*10 +: 10]), .hp_src_i(hp_src[c*3 +: 3]),
      .hp_prio_i(hp_prio[c*8 +: 8]),
      .ack_o(cif_ack[c]), .deact_o(cif_deact[c]), .irq_o(irq_o[c]), .fiq_o(fiq_o[c])
    );

    gic_virt_if u_vif (
      .clk_i, .rst_ni,
      .gich_wr_i(wr & is_h & here[c]), .gicv_wr_i(wr & is_v & here[c]),
      .gicv_rd_i(rd & is_v & here[c]), .addr_i(a), .wdata_i,
      .gich_rdata_o(gich_rdata[c*32 +: 32]), .gicv_rdata_o(gicv_rdata[c*32 +: 32]),
      .hw_deact_o(vif_hw_deact[c]), .hw_pid_o(vif_hw_pid[c*10 +: 10]),
      .virq_o(virq_o[c]), .vfiq_o(vfiq_o[c]), .maint_o(maint[c]),
      .obs_o(obs_gich_o[c*224 +: 224])
    );
  end
  assign maint_o = maint;

  // ------------------------------------------------------------ read mux
  logic [31:0] rd_d;
  always @(*) begin  // always @(*): indexed part-selects (Icarus 11)
    case (frame_i)
      FR_GICD: rd_d = gicd_rdata;
      FR_GICC: rd_d = gicc_rdata[cpu*32 +: 32];
      FR_GICH: rd_d = gich_rdata[cpu*32 +: 32];
      default: rd_d = gicv_rdata[cpu*32 +: 32];   // FR_GICV
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ack_q <= 1'b0; rdata_q <= 32'd0;
    end else begin
      ack_q <= access;
      if (rd) rdata_q <= rd_d;
    end
  end
  assign ack_o   = ack_q;
  assign rdata_o = rdata_q;

  // Bits read only in part: byte lanes of word-aligned addresses.
  wire unused_ok = ^{addr_i[1:0]};

  // ------------------------------------------------------------ assertions
  // The bus contract and the decode, checked in every run (Verilator builds
  // use --assert; Icarus runs them too): an access selects exactly one frame
  // and exactly one CPU's interfaces; only that CPU's interfaces acknowledge
  // or deactivate; ack_o answers the access of the cycle before (one cycle
  // after sel_i). Frame and CPU are only defined while sel_i is high.
  // $onehot of a vector, not of a concatenation: Icarus 11 returns 0 for
  // $onehot({a, b, ...}) of single bits.
  logic       access_q;
  wire  [3:0] frame_sel = {is_d, is_c, is_h, is_v};
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      access_q <= 1'b0;
    end else begin
      access_q <= access;
      if (sel_i) begin
        assert ($onehot(frame_sel))
        else $fatal(1, "gic_top: frame_i %0d selects not exactly one frame", frame_i);
        assert ($onehot(here))
        else $fatal(1, "gic_top: cpu_i %0d selects not exactly one of %0d CPUs", cpu_i, NCPU);
        assert ((cif_ack | cif_deact | vif_hw_deact) == ((cif_ack | cif_deact | vif_hw_deact) & here))
        else $fatal(1, "gic_top: a CPU other than %0d acknowledged or deactivated", cpu);
      end
      assert (ack_q === access_q)
      else $fatal(1, "gic_top: ack_o %0b is not the access of the cycle before (%0b)", ack_q, access_q);
    end
  end
endmodule
