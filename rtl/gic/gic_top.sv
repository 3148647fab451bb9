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
  localparam logic [1:0] FR_GICD = 2'd0, FR_GICC = 2'd1, FR_GICH = 2'd2, FR_GICV = 2'd3;
  localparam logic [9:0] SPURIOUS = 10'd1023;

  // ---------------------------------------------------------------- state
  logic                 ack_q;
  logic [31:0]          rdata_q;
  logic [1:0]           dctlr_q;                  // GICD_CTLR EnableGrp1, EnableGrp0
  logic [NCPU*32-1:0]   en_ppi_q, latch_ppi_q, act_ppi_q;
  logic [NCPU*256-1:0]  prio_ppi_q;               // 32 bytes per CPU
  logic [NCPU*16*NCPU-1:0] sgi_pend_q;            // [target][sgi][source]
  logic [NSPI-1:0]      en_spi_q, latch_spi_q, act_spi_q, edge_spi_q, spi_line_q;
  logic [NSPI*8-1:0]    prio_spi_q;
  logic [NSPI*NCPU-1:0] targ_spi_q;
  // CPU interfaces: GICC_CTLR {EOImode, CBPR, FIQEn, AckCtl, EnableGrp1, EnableGrp0}
  logic [NCPU*6-1:0]    cctlr_q;
  logic [NCPU*8-1:0]    pmr_q;
  logic [NCPU*3-1:0]    bpr_q, abpr_q;
  logic [NCPU*128-1:0]  apr_q;                    // active group priorities, prio[7:1]
  // virtual interface: GICH_HCR[7:0], EOICount, LRs, GICV state (= GICH_VMCR)
  logic [NCPU*8-1:0]    hcr_q;
  logic [NCPU*5-1:0]    eoicnt_q;
  logic [NCPU*128-1:0]  lr_q;                     // 4 LRs of 32 bits per CPU
  logic [NCPU*6-1:0]    vctlr_q;                  // {EOImode, CBPR, FIQEn, AckCtl, En1, En0}
  logic [NCPU*5-1:0]    vpmr_q;
  logic [NCPU*3-1:0]    vbpr_q, vabpr_q;
  logic [NCPU*32-1:0]   vapr_q;
  logic [NCPU-1:0]      irq_q, fiq_q, virq_q, vfiq_q;

  // ------------------------------------------------------ bus decode
  wire            access = sel_i & ~ack_q;
  wire            wr     = access & we_i & (|be_i);
  wire            rd     = access & ~we_i;
  wire [CW-1:0]   cpu    = (NCPU > 1) ? cpu_i : {CW{1'b0}};
  wire [12:0]     a      = {addr_i[12:2], 2'b00};
  wire            is_d   = frame_i == FR_GICD;
  wire            is_c    = frame_i == FR_GICC;
  wire            is_h    = frame_i == FR_GICH;
  wire            is_v    = frame_i == FR_GICV;
  wire [9:0]      wid    = wdata_i[9:0];

  // -------------------------------------- per-CPU views of every interrupt
  logic [NCPU*NIRQ-1:0]   en_v, pend_v, act_v, elig_v;
  logic [NCPU*NIRQ*8-1:0] prio_v;
  logic [NCPU*32-1:0]     ppi_line;
  logic [NCPU-1:0]        maint;

  for (genvar c = 0; c < NCPU; c++) begin : g_view
    for (genvar i = 0; i < NIRQ; i++) begin : g_irq
      if (i < 16) begin : g_sgi
        assign en_v[c*NIRQ+i]   = 1'b1;
        assign pend_v[c*NIRQ+i] = |sgi_pend_q[(c*16+i)*NCPU +: NCPU];
        assign act_v[c*NIRQ+i]  = act_ppi_q[c*32+i];
        assign prio_v[(c*NIRQ+i)*8 +: 8] = prio_ppi_q[(c*32+i)*8 +: 8];
        assign elig_v[c*NIRQ+i] = dctlr_q[0] & pend_v[c*NIRQ+i] & ~act_v[c*NIRQ+i];
        assign ppi_line[c*32+i] = 1'b0;
      end else if (i < 32) begin : g_ppi
        assign ppi_line[c*32+i] = ppi_i[c*16+i-16] | ((i == 25) & maint[c]);
        assign en_v[c*NIRQ+i]   = en_ppi_q[c*32+i];
        assign pend_v[c*NIRQ+i] = latch_ppi_q[c*32+i] | ppi_line[c*32+i];
        assign act_v[c*NIRQ+i]  = act_ppi_q[c*32+i];
        assign prio_v[(c*NIRQ+i)*8 +: 8] = prio_ppi_q[(c*32+i)*8 +: 8];
        assign elig_v[c*NIRQ+i] = dctlr_q[0] & en_v[c*NIRQ+i] & pend_v[c*NIRQ+i] & ~act_v[c*NIRQ+i];
      end else begin : g_spi
        assign en_v[c*NIRQ+i]   = en_spi_q[i-32];
        assign pend_v[c*NIRQ+i] = latch_spi_q[i-32] | (~edge_spi_q[i-32] & spi_i[i-32]);
        assign act_v[c*NIRQ+i]  = act_spi_q[i-32];
        assign prio_v[(c*NIRQ+i)*8 +: 8] = prio_spi_q[(i-32)*8 +: 8];
        assign elig_v[c*NIRQ+i] = dctlr_q[0] & en_v[c*NIRQ+i] & pend_v[c*NIRQ+i] & ~act_v[c*NIRQ+i]
                                  & targ_spi_q[(i-32)*NCPU+c];
      end
    end
  end

  // ------------------------------- per-CPU selection, physical and virtual
  logic [NCPU*10-1:0] hp_id;      // highest priority pending ID (1023: none)
  logic [NCPU*3-1:0]  hp_src;     // its source CPU when it is an SGI
  logic [NCPU*8-1:0]  hp_prio;
  logic [NCPU-1:0]    hp_ok;      // passes enables and the priority mask (HPPIR)
  logic [NCPU-1:0]    hp_pre;     // ... and preempts the running priority (IAR, irq)
  logic [NCPU*9-1:0]  rpr;        // running priority, 0x100 when idle
  logic [NCPU*7-1:0]  apr_lo;     // index of the highest active priority
  logic [NCPU*2-1:0]  v_lr;       // best pending list register
  logic [NCPU-1:0]    v_ok, v_pre;
  logic [NCPU*9-1:0]  vrpr;
  logic [NCPU*5-1:0]  vapr_lo;
  logic [NCPU*4-1:0]  eisr, elrsr;
  logic [NCPU*8-1:0]  misr;

  for (genvar c = 0; c < NCPU; c++) begin : g_sel
    logic       found, vfound;
    logic [9:0] bid;
    logic [2:0] bsrc;
    logic [7:0] bprio, gmask, vgmask;
    logic [4:0] vbprio;
    logic [1:0] vbl;
    logic [2:0] nvalid;
    logic       anypend;
    // always @(*), not always_comb: these loops read back what they wrote and
    // Icarus 11 re-triggers such always_comb blocks endlessly.
    always @(*) begin
      found = 1'b0; bid = SPURIOUS; bprio = 8'hff; bsrc = 3'd0;
      for (int i = 0; i < NIRQ; i++) begin
        if (elig_v[c*NIRQ+i] && (!found || prio_v[(c*NIRQ+i)*8 +: 8] < bprio)) begin
          found = 1'b1; bid = i[9:0]; bprio = prio_v[(c*NIRQ+i)*8 +: 8];
        end
      end
      if (found && bid < 10'd16) begin
        for (int s = NCPU - 1; s >= 0; s--)
          if (sgi_pend_q[(c*16+32'(bid))*NCPU+s]) bsrc = s[2:0];
      end
    end
    always @(*) begin
      apr_lo[c*7 +: 7] = 7'd0;
      for (int k = 127; k >= 0; k--)
        if (apr_q[c*128+k]) apr_lo[c*7 +: 7] = k[6:0];
      vapr_lo[c*5 +: 5] = 5'd0;
      for (int k = 31; k >= 0; k--)
        if (vapr_q[c*32+k]) vapr_lo[c*5 +: 5] = k[4:0];
    end
    assign rpr[c*9 +: 9]  = (|apr_q[c*128 +: 128]) ? {1'b0, apr_lo[c*7 +: 7], 1'b0} : 9'h100;
    assign vrpr[c*9 +: 9] = (|vapr_q[c*32 +: 32]) ? {1'b0, vapr_lo[c*5 +: 5], 3'b000} : 9'h100;
    assign gmask  = 8'hff << ({1'b0, bpr_q[c*3 +: 3]} + 4'd1);
    assign vgmask = 8'hff << ({1'b0, vbpr_q[c*3 +: 3]} + 4'd1);
    assign hp_id[c*10 +: 10] = bid;
    assign hp_src[c*3 +: 3]  = bsrc;
    assign hp_prio[c*8 +: 8] = bprio;
    assign hp_ok[c]  = found & cctlr_q[c*6] & (bprio < pmr_q[c*8 +: 8]);
    assign hp_pre[c] = hp_ok[c] & ({1'b0, bprio & gmask} < rpr[c*9 +: 9]);

    // list registers: [31] HW [30] Grp1 [29:28] State [27:23] Priority
    // [19:10] PhysicalID (HW=1) or [19] EOI, [12:10] CPUID (HW=0) [9:0] VirtualID
    always @(*) begin
      vfound = 1'b0; vbl = 2'd0; vbprio = 5'h1f; nvalid = 3'd0; anypend = 1'b0;
      for (int l = 0; l < 4; l++) begin
        if (lr_q[c*128+l*32+28 +: 2] != 2'b00) nvalid = nvalid + 3'd1;
        if (lr_q[c*128+l*32+28 +: 2] == 2'b01) begin
          anypend = 1'b1;
          if (!vfound || lr_q[c*128+l*32+23 +: 5] < vbprio) begin
            vfound = 1'b1; vbl = l[1:0]; vbprio = lr_q[c*128+l*32+23 +: 5];
          end
        end
      end
    end
    for (genvar l = 0; l < 4; l++) begin : g_lr
      wire [31:0] lr = lr_q[c*128+l*32 +: 32];
      assign eisr[c*4+l]  = (lr[29:28] == 2'b00) & ~lr[31] & lr[19];
      assign elrsr[c*4+l] = (lr[29:28] == 2'b00) & (lr[31] | ~lr[19]);
      wire unused_lr = ^lr;   // only State, HW and EOI matter here
    end
    assign v_lr[c*2 +: 2] = vbl;
    assign v_ok[c]  = vfound & hcr_q[c*8] & vctlr_q[c*6] & (vbprio < vpmr_q[c*5 +: 5]);
    assign v_pre[c] = v_ok[c] & ({1'b0, {vbprio, 3'b000} & vgmask} < vrpr[c*9 +: 9]);
    // GICH_MISR: EOI U LRENP NP VGrp0E VGrp0D VGrp1E VGrp1D
    assign misr[c*8 +: 8] = {
      hcr_q[c*8+7] & ~vctlr_q[c*6+1], hcr_q[c*8+6] & vctlr_q[c*6+1],
      hcr_q[c*8+5] & ~vctlr_q[c*6],   hcr_q[c*8+4] & vctlr_q[c*6],
      hcr_q[c*8+3] & ~anypend,        hcr_q[c*8+2] & (eoicnt_q[c*5 +: 5] != 5'd0),
      hcr_q[c*8+1] & (nvalid <= 3'd1), |eisr[c*4 +: 4]};
    assign maint[c] = hcr_q[c*8] & (|misr[c*8 +: 8]);
  end

  // GICH_HCR and GICH_VMCR as read, per CPU (the read mux and obs_gich_o)
  logic [NCPU-1:0][31:0] gich_hcr_rd, gich_vmcr_rd;
  for (genvar c = 0; c < NCPU; c++) begin : g_gich_rd
    assign gich_hcr_rd[c]  = {eoicnt_q[c*5 +: 5], 19'd0, hcr_q[c*8 +: 8]};
    assign gich_vmcr_rd[c] = {vpmr_q[c*5 +: 5], 3'd0, vbpr_q[c*3 +: 3], vabpr_q[c*3 +: 3], 8'd0,
                              vctlr_q[c*6+5], 4'd0, vctlr_q[c*6 +: 5]};
    assign obs_gich_o[c*224 +: 224] = {lr_q[c*128 +: 128], vapr_q[c*32 +: 32], gich_vmcr_rd[c],
                                   gich_hcr_rd[c]};
  end

  // Values for the accessing CPU.
  wire [9:0]  c_id    = hp_id[cpu*10 +: 10];
  wire [2:0]  c_src   = hp_src[cpu*3 +: 3];
  wire [7:0]  c_prio  = hp_prio[cpu*8 +: 8];
  wire [7:0]  c_gprio = c_prio & (8'hff << ({1'b0, bpr_q[cpu*3 +: 3]} + 4'd1));
  wire [1:0]  c_vl    = v_lr[cpu*2 +: 2];
  wire [31:0] c_vlr   = lr_q[cpu*128 + 32'(c_vl)*32 +: 32];
  wire [7:0]  c_vgp   = {c_vlr[27:23], 3'b000} & (8'hff << ({1'b0, vbpr_q[cpu*3 +: 3]} + 4'd1));
  wire [31:0] c_iar   = {19'd0, (c_id < 10'd16) ? c_src : 3'd0, c_id};
  wire [31:0] c_viar  = {19'd0, (!c_vlr[31] && c_vlr[9:0] < 10'd16) ? c_vlr[12:10] : 3'd0,
                         c_vlr[9:0]};

  // Access types with side effects.
  wire ack_phys  = rd & is_c & a == 13'h00c & hp_pre[cpu];
  wire ack_virt  = rd & is_v & a == 13'h00c & v_pre[cpu];
  wire eoi_phys  = wr & is_c & a == 13'h010 & wid < 10'(NIRQ) & (|apr_q[cpu*128 +: 128]);
  wire deact_phys = (eoi_phys & ~cctlr_q[cpu*6+5]) |
                    (wr & is_c & a == 13'h1000 & cctlr_q[cpu*6+5] & wid < 10'(NIRQ));
  // GICV_EOIR: priority drop if any is active; with EOImode=0 also deactivation.
  // An unmatched deactivation counts in EOICount, for EOIR only if it dropped.
  wire eoi_virt  = wr & is_v & a == 13'h010 & wid < 10'd1020;
  wire vdrop     = eoi_virt & (|vapr_q[cpu*32 +: 32]);
  wire dir_virt  = wr & is_v & a == 13'h1000 & vctlr_q[cpu*6+5] & wid < 10'd1020;
  wire deact_virt = (eoi_virt & ~vctlr_q[cpu*6+5]) | dir_virt;

  // Virtual deactivation: the first active LR holding the written ID.
  logic       vd_hit;
  logic [1:0] vd_lr;
  always @(*) begin  // always @(*): reads back vd_hit (Icarus 11, see above)
    vd_hit = 1'b0; vd_lr = 2'd0;
    for (int l = 0; l < 4; l++) begin
      if (!vd_hit && lr_q[cpu*128+l*32+29] && lr_q[cpu*128+l*32 +: 10] == wid &&
          (wid >= 10'd16 || lr_q[cpu*128+l*32+31] || lr_q[cpu*128+l*32+10 +: 3] == wdata_i[12:10])) begin
        vd_hit = 1'b1; vd_lr = l[1:0];
      end
    end
  end
  wire [31:0] vd_lrv  = lr_q[cpu*128 + 32'(vd_lr)*32 +: 32];
  wire        hw_deact = deact_virt & vd_hit & vd_lrv[31];
  wire [9:0]  hw_pid   = vd_lrv[19:10];

  // ------------------------------------------------------------ read mux
  logic [31:0] rd_d;
  wire  [5:0]  wn = a[7:2];          // word index in a register array
  wire  [7:0]  bw = a[9:2];          // word index in a byte array
  always @(*) begin  // always @(*): indexed part-selects (Icarus 11)
    rd_d = 32'd0;
    case (frame_i)
      FR_GICD: begin
        if (a == 13'h000) rd_d = {30'd0, dctlr_q};
        else if (a == 13'h004) rd_d = {24'd0, (8'(NCPU - 1) << 5)
                                          | 8'((TYPER_ITLINES != 0) ? TYPER_ITLINES : NIRQ / 32 - 1)};
        else if (a == 13'h008) rd_d = 32'h0000_043b;
        else if (a >= 13'h100 && a < 13'h400 && 32'(wn[4:0]) < NIRQ / 32) begin
          case (a[9:7])
            3'd2, 3'd3: rd_d = en_v[cpu*NIRQ + 32'(wn[4:0])*32 +: 32];
            3'd4, 3'd5: rd_d = pend_v[cpu*NIRQ + 32'(wn[4:0])*32 +: 32];
            3'd6, 3'd7: rd_d = act_v[cpu*NIRQ + 32'(wn[4:0])*32 +: 32];
            default: rd_d = 32'd0;
          endcase
        end else if (a >= 13'h400 && a < 13'h800 && 32'(bw) < NIRQ / 4)
          rd_d = prio_v[(cpu*NIRQ + 32'(bw)*4)*8 +: 32];
        else if (a >= 13'h800 && a < 13'h820)
          rd_d = {4{8'(1) << cpu}};
        else if (a >= 13'h820 && a < 13'hc00 && 32'(bw) < NIRQ / 4) begin
          for (int k = 0; k < 4; k++)
            rd_d[k*8 +: 8] = 8'(targ_spi_q[(32'(bw)*4+k-32)*NCPU +: NCPU]);
        end else if (a == 13'hc00) rd_d = 32'haaaa_aaaa;
        else if (a >= 13'hc08 && a < 13'hd00 && 32'(a[7:2]) < NIRQ / 16) begin
          for (int f = 0; f < 16; f++)
            rd_d[2*f+1] = edge_spi_q[32'(a[7:2])*16+f-32];
        end else if (a >= 13'hf10 && a < 13'hf30) begin
          for (int k = 0; k < 4; k++)
            rd_d[k*8 +: 8] = 8'(sgi_pend_q[(cpu*16 + 32'(a[3:2])*4 + k)*NCPU +: NCPU]);
        end
      end
      FR_GICC: begin
        case (a)
          13'h000: rd_d = {22'd0, cctlr_q[cpu*6+5], 4'd0, cctlr_q[cpu*6 +: 5]};
          13'h004: rd_d = {24'd0, pmr_q[cpu*8 +: 8]};
          13'h008: rd_d = {29'd0, bpr_q[cpu*3 +: 3]};
          13'h00c: rd_d = hp_pre[cpu] ? c_iar : {22'd0, SPURIOUS};
          13'h014: rd_d = {24'd0, rpr[cpu*9 +: 8] | {8{rpr[cpu*9+8]}}};
          13'h018: rd_d = hp_ok[cpu] ? c_iar : {22'd0, SPURIOUS};
          13'h01c: rd_d = {29'd0, abpr_q[cpu*3 +: 3]};
          13'h020, 13'h028: rd_d = {22'd0, SPURIOUS};
          13'h0d0: rd_d = apr_q[cpu*128 +: 32];
          13'h0d4: rd_d = apr_q[cpu*128+32 +: 32];
          13'h0d8: rd_d = apr_q[cpu*128+64 +: 32];
          13'h0dc: rd_d = apr_q[cpu*128+96 +: 32];
          13'h0fc: rd_d = 32'h0002_043b;
          default: rd_d = 32'd0;
        endcase
      end
      FR_GICH: begin
        case (a)
          13'h000: rd_d = gich_hcr_rd[cpu];
          13'h004: rd_d = 32'h9000_0003;
          13'h008: rd_d = gich_vmcr_rd[cpu];
          13'h010: rd_d = {24'd0, misr[cpu*8 +: 8]};
          13'h020: rd_d = {28'd0, eisr[cpu*4 +: 4]};
          13'h030: rd_d = {28'd0, elrsr[cpu*4 +: 4]};
          13'h0f0: rd_d = vapr_q[cpu*32 +: 32];
          13'h100: rd_d = lr_q[cpu*128 +: 32];
          13'h104: rd_d = lr_q[cpu*128+32 +: 32];
          13'h108: rd_d = lr_q[cpu*128+64 +: 32];
          13'h10c: rd_d = lr_q[cpu*128+96 +: 32];
          default: rd_d = 32'd0;
        endcase
      end
      default: begin  // FR_GICV
        case (a)
          13'h000: rd_d = {22'd0, vctlr_q[cpu*6+5], 4'd0, vctlr_q[cpu*6 +: 5]};
          13'h004: rd_d = {24'd0, vpmr_q[cpu*5 +: 5], 3'd0};
          13'h008: rd_d = {29'd0, vbpr_q[cpu*3 +: 3]};
          13'h00c: rd_d = v_pre[cpu] ? c_viar : {22'd0, SPURIOUS};
          13'h014: rd_d = {24'd0, vrpr[cpu*9 +: 8] | {8{vrpr[cpu*9+8]}}};
          13'h018: rd_d = v_ok[cpu] ? c_viar : {22'd0, SPURIOUS};
          13'h01c: rd_d = {29'd0, vabpr_q[cpu*3 +: 3]};
          13'h020, 13'h028: rd_d = {22'd0, SPURIOUS};
          13'h0d0: rd_d = vapr_q[cpu*32 +: 32];
          13'h0fc: rd_d = 32'h0002_043b;
          default: rd_d = 32'd0;
        endcase
      end
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

  // ------------------------------------------------ distributor registers
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      dctlr_q <= 2'd0;
    end else if (wr && is_d && a == 13'h000) begin
      dctlr_q <= wdata_i[1:0];
    end
  end

  // enables, priorities, targets, trigger configuration
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      en_ppi_q <= '0; en_spi_q <= '0; prio_ppi_q <= '0; prio_spi_q <= '0;
      targ_spi_q <= '0; edge_spi_q <= '0;
    end else if (wr && is_d) begin
      if (a >= 13'h100 && a < 13'h200 && 32'(wn[4:0]) < NIRQ / 32) begin
        for (int b = 0; b < 32; b++) begin
          if (wdata_i[b]) begin
            if (wn[4:0] == 5'd0) begin
              if (b >= 16) en_ppi_q[cpu*32+b] <= ~a[7];
            end else en_spi_q[32'(wn[4:0])*32+b-32] <= ~a[7];
          end
        end
      end
      if (a >= 13'h400 && a < 13'h800 && 32'(bw) < NIRQ / 4) begin
        for (int k = 0; k < 4; k++) begin
          if (be_i[k]) begin
            if (bw < 8'd8) prio_ppi_q[(cpu*32+32'(bw)*4+k)*8 +: 8] <= wdata_i[k*8 +: 8];
            else prio_spi_q[(32'(bw)*4+k-32)*8 +: 8] <= wdata_i[k*8 +: 8];
          end
        end
      end
      if (a >= 13'h820 && a < 13'hc00 && 32'(bw) < NIRQ / 4) begin
        for (int k = 0; k < 4; k++)
          if (be_i[k]) targ_spi_q[(32'(bw)*4+k-32)*NCPU +: NCPU] <= wdata_i[k*8 +: NCPU];
      end
      if (a >= 13'hc08 && a < 13'hd00 && 32'(a[7:2]) < NIRQ / 16) begin
        for (int f = 0; f < 16; f++) edge_spi_q[32'(a[7:2])*16+f-32] <= wdata_i[2*f+1];
      end
    end
  end

  // pending latches (PPIs, SPIs) and the SPI line sampler for edges
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      latch_ppi_q <= '0; latch_spi_q <= '0; spi_line_q <= '0;
    end else begin
      spi_line_q <= spi_i;
      for (int i = 0; i < NSPI; i++)
        if (edge_spi_q[i] && spi_i[i] && !spi_line_q[i]) latch_spi_q[i] <= 1'b1;
      if (wr && is_d && a >= 13'h200 && a < 13'h300 && 32'(wn[4:0]) < NIRQ / 32) begin
        for (int b = 0; b < 32; b++) begin
          if (wdata_i[b]) begin
            if (wn[4:0] == 5'd0) begin
              if (b >= 16) latch_ppi_q[cpu*32+b] <= ~a[7];
            end else latch_spi_q[32'(wn[4:0])*32+b-32] <= ~a[7];
          end
        end
      end
      if (ack_phys && c_id >= 10'd16) begin
        if (c_id < 10'd32) latch_ppi_q[cpu*32 + 32'(c_id)] <= 1'b0;
        else latch_spi_q[32'(c_id) - 32] <= 1'b0;
      end
    end
  end

  // SGI pending state per target, SGI and source
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      sgi_pend_q <= '0;
    end else begin
      if (wr && is_d && a == 13'hf00) begin
        for (int t = 0; t < NCPU; t++) begin
          if ((wdata_i[25:24] == 2'd0 && wdata_i[16+t]) ||
              (wdata_i[25:24] == 2'd1 && t != 32'(cpu)) ||
              (wdata_i[25:24] == 2'd2 && t == 32'(cpu)))
            sgi_pend_q[(t*16 + 32'(wdata_i[3:0]))*NCPU + 32'(cpu)] <= 1'b1;
        end
      end
      if (wr && is_d && a >= 13'hf10 && a < 13'hf30) begin
        for (int k = 0; k < 4; k++)
          for (int s = 0; s < NCPU; s++)
            if (be_i[k] && wdata_i[k*8+s])
              sgi_pend_q[(cpu*16 + 32'(a[3:2])*4 + k)*NCPU + s] <= a[5];  // F2x sets
      end
      if (ack_phys && c_id < 10'd16)
        sgi_pend_q[(cpu*16 + 32'(c_id))*NCPU + 32'(c_src)] <= 1'b0;
    end
  end

  // active state
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      act_ppi_q <= '0; act_spi_q <= '0;
    end else begin
      if (wr && is_d && a >= 13'h300 && a < 13'h400 && 32'(wn[4:0]) < NIRQ / 32) begin
        for (int b = 0; b < 32; b++) begin
          if (wdata_i[b]) begin
            if (wn[4:0] == 5'd0) act_ppi_q[cpu*32+b] <= ~a[7];
            else act_spi_q[32'(wn[4:0])*32+b-32] <= ~a[7];
          end
        end
      end
      if (ack_phys) begin
        if (c_id < 10'd32) act_ppi_q[cpu*32 + 32'(c_id)] <= 1'b1;
        else act_spi_q[32'(c_id) - 32] <= 1'b1;
      end
      if (deact_phys) begin
        if (wid < 10'd32) act_ppi_q[cpu*32 + 32'(wid)] <= 1'b0;
        else act_spi_q[32'(wid) - 32] <= 1'b0;
      end
      if (hw_deact && hw_pid < 10'(NIRQ)) begin
        if (hw_pid < 10'd32) act_ppi_q[cpu*32 + 32'(hw_pid)] <= 1'b0;
        else act_spi_q[32'(hw_pid) - 32] <= 1'b0;
      end
    end
  end

  // ------------------------------------------------ CPU interface registers
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cctlr_q <= '0; pmr_q <= '0; bpr_q <= '0;
      abpr_q <= {NCPU{3'd1}};
    end else if (wr && is_c) begin
      case (a)
        13'h000: cctlr_q[cpu*6 +: 6] <= {wdata_i[9], wdata_i[4:0]};
        13'h004: pmr_q[cpu*8 +: 8] <= wdata_i[7:0];
        13'h008: bpr_q[cpu*3 +: 3] <= wdata_i[2:0];
        13'h01c: abpr_q[cpu*3 +: 3] <= (wdata_i[2:0] < 3'd1) ? 3'd1 : wdata_i[2:0];
        default: ;
      endcase
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      apr_q <= '0;
    end else begin
      if (wr && is_c && a >= 13'h0d0 && a < 13'h0e0) apr_q[cpu*128 + 32'(a[3:2])*32 +: 32] <= wdata_i;
      if (ack_phys) apr_q[cpu*128 + 32'(c_gprio[7:1])] <= 1'b1;
      if (eoi_phys) apr_q[cpu*128 + 32'(apr_lo[cpu*7 +: 7])] <= 1'b0;
    end
  end

  // ------------------------------------------- virtual interface registers
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      hcr_q <= '0;
    end else if (wr && is_h && a == 13'h000) begin
      hcr_q[cpu*8 +: 8] <= wdata_i[7:0];
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      eoicnt_q <= '0;
    end else begin
      if (wr && is_h && a == 13'h000) eoicnt_q[cpu*5 +: 5] <= wdata_i[31:27];
      if (deact_virt && !vd_hit && (dir_virt || vdrop)) eoicnt_q[cpu*5 +: 5] <= eoicnt_q[cpu*5 +: 5] + 5'd1;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      lr_q <= '0;
    end else begin
      if (wr && is_h && a >= 13'h100 && a < 13'h110)
        lr_q[cpu*128 + 32'(a[3:2])*32 +: 32] <= wdata_i & 32'hff8f_ffff;
      if (ack_virt) lr_q[cpu*128 + 32'(c_vl)*32 + 28 +: 2] <= 2'b10;
      if (deact_virt && vd_hit) lr_q[cpu*128 + 32'(vd_lr)*32 + 29] <= 1'b0;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      vctlr_q <= '0; vpmr_q <= '0; vbpr_q <= {NCPU{3'd2}}; vabpr_q <= {NCPU{3'd3}};
    end else if (wr && is_h && a == 13'h008) begin      // GICH_VMCR
      vpmr_q[cpu*5 +: 5]  <= wdata_i[31:27];
      vbpr_q[cpu*3 +: 3]  <= (wdata_i[23:21] < 3'd2) ? 3'd2 : wdata_i[23:21];
      vabpr_q[cpu*3 +: 3] <= (wdata_i[20:18] < 3'd3) ? 3'd3 : wdata_i[20:18];
      vctlr_q[cpu*6 +: 6] <= {wdata_i[9], wdata_i[4:0]};
    end else if (wr && is_v) begin
      case (a)
        13'h000: vctlr_q[cpu*6 +: 6] <= {wdata_i[9], wdata_i[4:0]};
        13'h004: vpmr_q[cpu*5 +: 5] <= wdata_i[7:3];
        13'h008: vbpr_q[cpu*3 +: 3] <= (wdata_i[2:0] < 3'd2) ? 3'd2 : wdata_i[2:0];
        13'h01c: vabpr_q[cpu*3 +: 3] <= (wdata_i[2:0] < 3'd3) ? 3'd3 : wdata_i[2:0];
        default: ;
      endcase
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      vapr_q <= '0;
    end else begin
      if (wr && ((is_h && a == 13'h0f0) || (is_v && a == 13'h0d0))) vapr_q[cpu*32 +: 32] <= wdata_i;
      if (ack_virt) vapr_q[cpu*32 + 32'(c_vgp[7:3])] <= 1'b1;
      if (vdrop) vapr_q[cpu*32 + 32'(vapr_lo[cpu*5 +: 5])] <= 1'b0;
    end
  end

  // Bits read only in part: byte lanes of word-aligned addresses, SGI bits of
  // the PPI enable/latch vectors (SGIs are RAO/WI there), unused LR fields.
  wire unused_ok = ^{addr_i[1:0], en_ppi_q, latch_ppi_q, ppi_line, c_gprio[0], c_vlr, c_vgp[2:0],
                     vd_lrv, wn[5]};

  // ------------------------------------------------------------- outputs
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      irq_q <= '0; fiq_q <= '0; virq_q <= '0; vfiq_q <= '0;
    end else begin
      for (int c = 0; c < NCPU; c++) begin
        irq_q[c]  <= hp_pre[c] & ~cctlr_q[c*6+3];
        fiq_q[c]  <= hp_pre[c] & cctlr_q[c*6+3];
        virq_q[c] <= v_pre[c] & ~vctlr_q[c*6+3];
        vfiq_q[c] <= v_pre[c] & vctlr_q[c*6+3];
      end
    end
  end
  assign irq_o   = irq_q;
  assign fiq_o   = fiq_q;
  assign virq_o  = virq_q;
  assign vfiq_o  = vfiq_q;
  assign maint_o = maint;
endmodule
