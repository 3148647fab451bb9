`timescale 1ns/1ps
// gic_virt_if -- ONE CPU's virtual interface (ARM IHI0048B): the virtual
// interface control registers GICH (5.3: HCR, VTR, VMCR, MISR, EISR, ELRSR,
// APR, four list registers, the maintenance interrupt, 5.3.2-5.3.11) and the
// virtual CPU interface GICV (5.5: CTLR, PMR, BPR, IAR, EOIR, RPR, HPPIR,
// ABPR, APR0, IIDR, DIR) that a guest sees. gic_top instantiates one per CPU;
// its bus strobes are already qualified by frame and CPU.
//
// List registers are gic_lr_t (gic_pkg, 5.3.11): HW, Grp1, State, Priority
// (5 bits, GICH_VTR = 0x90000003), PhysicalID or {EOI, CPUID}, VirtualID.
// Writes clear the reserved bits 22:20. GICV_IAR takes the pending LR of the
// highest priority (the lowest-numbered LR on a tie) that passes GICH_HCR.En,
// GICV_CTLR.EnableGrp0 and GICV_PMR and preempts the running priority (its
// group priority, GICV_BPR, against GICV_APR), and makes it active. GICV_EOIR
// drops the highest active priority if any; with EOImode = 0 it, and with
// EOImode = 1 GICV_DIR, deactivates the first active LR that holds the ID
// (for an HW = 0 SGI also the CPUID, 5.4); an HW = 1 LR then deactivates its
// physical interrupt in the distributor (hw_deact_o, hw_pid_o). An unmatched
// deactivation counts in GICH_HCR.EOICount (for EOIR only if it dropped).
//
// Left out (documented choices, see gic_top): LR Grp1 is stored only, every LR
// is group 0 and enabled by GICV_CTLR.EnableGrp0 (GICV_AIAR/AHPPIR read
// 1023, GICV_AEOIR is ignored); GICV_EOIR of IDs 1020-1023 is ignored; with
// no active priority GICV_EOIR still deactivates (QEMU); no GICH per-CPU
// alias frames; GICV_CTLR.AckCtl/CBPR/EnableGrp1 are stored only.
module gic_virt_if (
  input  logic         clk_i,
  input  logic         rst_ni,
  // bus, already decoded for this CPU: GICH write, GICV write, GICV read
  input  logic         gich_wr_i,
  input  logic         gicv_wr_i,
  input  logic         gicv_rd_i,
  input  logic [12:0]  addr_i,       // word-aligned byte offset in the frame
  input  logic [31:0]  wdata_i,
  output logic [31:0]  gich_rdata_o, // this cycle's read value at addr_i
  output logic [31:0]  gicv_rdata_o,
  // to the distributor: deactivation of an HW = 1 LR's physical interrupt
  output logic         hw_deact_o,
  output logic [9:0]   hw_pid_o,
  output logic         virq_o,
  output logic         vfiq_o,
  output logic         maint_o,      // maintenance interrupt (also PPI 25)
  // GICH_HCR, VMCR, APR, LR0..LR3 as read (the retire tracer's observation)
  output logic [223:0] obs_o
);
  import gic_pkg::*;

  // ---------------------------------------------------------------- state
  logic [7:0]  hcr_q;                // GICH_HCR[7:0]
  logic [4:0]  eoicnt_q;             // GICH_HCR.EOICount
  gic_lr_t     lr_q [NLR];
  gic_lr_t     lr_d [NLR];
  logic [5:0]  vctlr_q;              // {EOImode, CBPR, FIQEn, AckCtl, En1, En0}
  logic [4:0]  vpmr_q;
  logic [2:0]  vbpr_q, vabpr_q;
  logic [31:0] vapr_q;               // active group priorities, prio[7:3]
  logic        virq_q, vfiq_q;

  wire [9:0] wid = wdata_i[9:0];

  // ------------------------------------------ selection of the pending LR
  logic       vfound;
  logic [1:0] vbl;                   // best pending list register
  logic [4:0] vbprio;
  logic [2:0] nvalid;
  logic       anypend;
  // always @(*), not always_comb: these loops read back what they wrote and
  // Icarus 11 re-triggers such always_comb blocks endlessly. A field of an
  // array element is read through a struct variable (Icarus 11).
  gic_lr_t    sel_cur, vd_cur;     // the LR a loop looks at
  always @(*) begin
    vfound = 1'b0; vbl = 2'd0; vbprio = 5'h1f; nvalid = 3'd0; anypend = 1'b0;
    for (int l = 0; l < NLR; l++) begin
      sel_cur = lr_q[l];
      if (sel_cur.state != LR_INVALID) nvalid = nvalid + 3'd1;
      if (sel_cur.state == LR_PENDING) begin
        anypend = 1'b1;
        if (!vfound || sel_cur.prio < vbprio) begin
          vfound = 1'b1; vbl = l[1:0]; vbprio = sel_cur.prio;
        end
      end
    end
  end

  logic [3:0] eisr, elrsr;
  for (genvar l = 0; l < NLR; l++) begin : g_lr
    gic_lr_t lr;
    assign lr = lr_q[l];
    assign eisr[l]  = (lr.state == LR_INVALID) & ~lr.hw & lr_eoi(lr);
    assign elrsr[l] = (lr.state == LR_INVALID) & (lr.hw | ~lr_eoi(lr));
    wire unused_lr = ^lr;   // only State, HW and EOI matter here
  end

  // running priority and the highest active priority
  logic [4:0] vapr_lo;
  always @(*) begin
    vapr_lo = 5'd0;
    for (int k = 31; k >= 0; k--)
      if (vapr_q[k]) vapr_lo = k[4:0];
  end
  wire [8:0] vrpr  = (|vapr_q) ? {1'b0, vapr_lo, 3'b000} : 9'h100;
  wire       v_ok  = vfound & hcr_q[0] & vctlr_q[CTLR_EN0] & (vbprio < vpmr_q);
  wire       v_pre = v_ok & ({1'b0, {vbprio, 3'b000} & group_mask(vbpr_q)} < vrpr);

  // GICH_MISR: EOI U LRENP NP VGrp0E VGrp0D VGrp1E VGrp1D
  wire [7:0] misr = {
    hcr_q[7] & ~vctlr_q[1], hcr_q[6] & vctlr_q[1],
    hcr_q[5] & ~vctlr_q[0], hcr_q[4] & vctlr_q[0],
    hcr_q[3] & ~anypend,    hcr_q[2] & (eoicnt_q != 5'd0),
    hcr_q[1] & (nvalid <= 3'd1), |eisr};
  assign maint_o = hcr_q[0] & (|misr);

  // the LR GICV_IAR would acknowledge
  gic_lr_t    c_vlr;
  assign c_vlr = lr_q[vbl];
  wire [7:0]  c_vgp  = {c_vlr.prio, 3'b000} & group_mask(vbpr_q);
  wire [31:0] c_viar = {19'd0, (!c_vlr.hw && c_vlr.virtual_id < 10'd16) ? lr_cpuid(c_vlr) : 3'd0,
                        c_vlr.virtual_id};

  // Access types with side effects.
  wire ack_virt  = gicv_rd_i & addr_i == GICC_IAR & v_pre;
  // GICV_EOIR: priority drop if any is active; with EOImode=0 also deactivation.
  wire eoi_virt  = gicv_wr_i & addr_i == GICC_EOIR & wid < 10'd1020;
  wire vdrop     = eoi_virt & (|vapr_q);
  wire dir_virt  = gicv_wr_i & addr_i == GICC_DIR & vctlr_q[CTLR_EOIMODE] & wid < 10'd1020;
  wire deact_virt = (eoi_virt & ~vctlr_q[CTLR_EOIMODE]) | dir_virt;

  // Virtual deactivation: the first active LR holding the written ID.
  logic       vd_hit;
  logic [1:0] vd_lr;
  always @(*) begin  // always @(*): reads back vd_hit (Icarus 11, see above)
    vd_hit = 1'b0; vd_lr = 2'd0;
    for (int l = 0; l < NLR; l++) begin
      vd_cur = lr_q[l];
      if (!vd_hit && vd_cur.state[1] && vd_cur.virtual_id == wid &&
          (wid >= 10'd16 || vd_cur.hw || lr_cpuid(vd_cur) == wdata_i[12:10])) begin
        vd_hit = 1'b1; vd_lr = l[1:0];
      end
    end
  end
  gic_lr_t vd_lrv;
  assign vd_lrv     = lr_q[vd_lr];
  assign hw_deact_o = deact_virt & vd_hit & vd_lrv.hw;
  assign hw_pid_o   = vd_lrv.physical_id;

  // ------------------------------------------------------------ registers
  wire wr_lr = gich_wr_i & addr_i >= GICH_LR0 & addr_i < GICH_LR_END;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      hcr_q <= '0;
    end else if (gich_wr_i && addr_i == GICH_HCR) begin
      hcr_q <= wdata_i[7:0];
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      eoicnt_q <= '0;
    end else begin
      if (gich_wr_i && addr_i == GICH_HCR) eoicnt_q <= wdata_i[31:27];
      if (deact_virt && !vd_hit && (dir_virt || vdrop)) eoicnt_q <= eoicnt_q + 5'd1;
    end
  end

  // List registers: a GICH write, then acknowledge (-> active), then
  // deactivation (clears the active bit), in that order of precedence.
  always @(*) begin  // always @(*): field writes go through a struct variable (Icarus 11)
    gic_lr_t nxt;
    for (int l = 0; l < NLR; l++) begin
      nxt = lr_q[l];
      if (wr_lr && 32'(addr_i[3:2]) == l) nxt = wdata_i & LR_WRITE_MASK;
      if (ack_virt && 32'(vbl) == l) nxt.state = LR_ACTIVE;
      if (deact_virt && vd_hit && 32'(vd_lr) == l) nxt.state = {1'b0, nxt.state[0]};
      lr_d[l] = nxt;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int l = 0; l < NLR; l++) lr_q[l] <= '0;
    end else begin
      for (int l = 0; l < NLR; l++) lr_q[l] <= lr_d[l];
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      vctlr_q <= '0; vpmr_q <= '0; vbpr_q <= 3'd2; vabpr_q <= 3'd3;
    end else if (gich_wr_i && addr_i == GICH_VMCR) begin
      vpmr_q  <= wdata_i[31:27];
      vbpr_q  <= (wdata_i[23:21] < 3'd2) ? 3'd2 : wdata_i[23:21];
      vabpr_q <= (wdata_i[20:18] < 3'd3) ? 3'd3 : wdata_i[20:18];
      vctlr_q <= {wdata_i[9], wdata_i[4:0]};
    end else if (gicv_wr_i) begin
      case (addr_i)
        GICC_CTLR: vctlr_q <= {wdata_i[9], wdata_i[4:0]};
        GICC_PMR:  vpmr_q  <= wdata_i[7:3];
        GICC_BPR:  vbpr_q  <= (wdata_i[2:0] < 3'd2) ? 3'd2 : wdata_i[2:0];
        GICC_ABPR: vabpr_q <= (wdata_i[2:0] < 3'd3) ? 3'd3 : wdata_i[2:0];
        default: ;
      endcase
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      vapr_q <= '0;
    end else begin
      if ((gich_wr_i && addr_i == GICH_APR) || (gicv_wr_i && addr_i == GICC_APR0)) vapr_q <= wdata_i;
      if (ack_virt) vapr_q[c_vgp[7:3]] <= 1'b1;
      if (vdrop) vapr_q[vapr_lo] <= 1'b0;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      virq_q <= 1'b0; vfiq_q <= 1'b0;
    end else begin
      virq_q <= v_pre & ~vctlr_q[CTLR_FIQEN];
      vfiq_q <= v_pre & vctlr_q[CTLR_FIQEN];
    end
  end
  assign virq_o = virq_q;
  assign vfiq_o = vfiq_q;

  // ------------------------------------------------------------ read data
  wire [31:0] hcr_rd  = {eoicnt_q, 19'd0, hcr_q};
  wire [31:0] vmcr_rd = {vpmr_q, 3'd0, vbpr_q, vabpr_q, 8'd0, vctlr_q[5], 4'd0, vctlr_q[4:0]};
  assign obs_o = {lr_q[3], lr_q[2], lr_q[1], lr_q[0], vapr_q, vmcr_rd, hcr_rd};

  always @(*) begin
    case (addr_i)
      GICH_HCR:    gich_rdata_o = hcr_rd;
      GICH_VTR:    gich_rdata_o = GICH_VTR_VAL;
      GICH_VMCR:   gich_rdata_o = vmcr_rd;
      GICH_MISR:   gich_rdata_o = {24'd0, misr};
      GICH_EISR0:  gich_rdata_o = {28'd0, eisr};
      GICH_ELRSR0: gich_rdata_o = {28'd0, elrsr};
      GICH_APR:    gich_rdata_o = vapr_q;
      13'h100:     gich_rdata_o = lr_q[0];
      13'h104:     gich_rdata_o = lr_q[1];
      13'h108:     gich_rdata_o = lr_q[2];
      13'h10c:     gich_rdata_o = lr_q[3];
      default:     gich_rdata_o = 32'd0;
    endcase
  end

  always @(*) begin
    case (addr_i)
      GICC_CTLR:   gicv_rdata_o = {22'd0, vctlr_q[5], 4'd0, vctlr_q[4:0]};
      GICC_PMR:    gicv_rdata_o = {24'd0, vpmr_q, 3'd0};
      GICC_BPR:    gicv_rdata_o = {29'd0, vbpr_q};
      GICC_IAR:    gicv_rdata_o = v_pre ? c_viar : {22'd0, SPURIOUS};
      GICC_RPR:    gicv_rdata_o = {24'd0, vrpr[7:0] | {8{vrpr[8]}}};
      GICC_HPPIR:  gicv_rdata_o = v_ok ? c_viar : {22'd0, SPURIOUS};
      GICC_ABPR:   gicv_rdata_o = {29'd0, vabpr_q};
      GICC_AIAR, GICC_AHPPIR: gicv_rdata_o = {22'd0, SPURIOUS};
      GICC_APR0:   gicv_rdata_o = vapr_q;
      GICC_IIDR:   gicv_rdata_o = GICC_IIDR_VAL;
      default:     gicv_rdata_o = 32'd0;
    endcase
  end

  // Bits read only in part: byte lanes of word-aligned addresses, unused LR fields.
  wire unused_ok = ^{addr_i[1:0], c_vlr, c_vgp[2:0], vd_lrv, sel_cur, vd_cur};

  // ------------------------------------------------------------ assertions
  // IHI0048B 5.3.11 / 5.4 invariants of this logic, checked in every run
  // (Verilator builds use --assert; Icarus runs them too). The reset is an
  // event of the block, not sampled, as in the flops.
  always @(posedge clk_i or negedge rst_ni) begin
    if (rst_ni && ack_virt)
      assert (c_vlr.state == LR_PENDING && c_vlr.prio < vpmr_q)
      else $fatal(1, "gic_virt_if: GICV_IAR acknowledged LR%0d in state %0d (priority %0d, PMR %0d): only a pending LR above the mask may be taken",
                  vbl, c_vlr.state, c_vlr.prio, vpmr_q);
    if (rst_ni && deact_virt && vd_hit)
      assert (vd_lrv.state[1] && vd_lrv.virtual_id == wid)
      else $fatal(1, "gic_virt_if: deactivation of ID %0d matched LR%0d (state %0d, VirtualID %0d), which is not active with that ID",
                  wid, vd_lr, vd_lrv.state, vd_lrv.virtual_id);
    if (rst_ni && vdrop)
      assert (vapr_q[vapr_lo])
      else $fatal(1, "gic_virt_if: GICV_EOIR priority drop of an inactive group priority %0d (APR 0x%08x)", vapr_lo, vapr_q);
    if (rst_ni && (gich_wr_i || gicv_wr_i || gicv_rd_i))
      assert (!(gich_wr_i && gicv_wr_i) && !(gicv_wr_i && gicv_rd_i))
      else $fatal(1, "gic_virt_if: more than one access strobe in one cycle (GICH wr %0b, GICV wr %0b, GICV rd %0b)",
                  gich_wr_i, gicv_wr_i, gicv_rd_i);
  end
endmodule
