`timescale 1ns/1ps
// gic_cpu_if -- ONE physical CPU interface (ARM IHI0048B 4.4): GICC_CTLR,
// PMR, BPR, IAR, EOIR, RPR, HPPIR, ABPR, AIAR/AEOIR/AHPPIR, APR0-3, IIDR and
// DIR, the running priority and active priorities (3.3, 4.4.4), and irq_o /
// fiq_o of its CPU. gic_top instantiates one per CPU; its bus strobes are
// already qualified by frame and CPU.
//
// The distributor hands over this CPU's highest-priority pending interrupt
// (hp_*_i). HPPIR reports it when it passes GICC_CTLR.EnableGrp0 and the
// priority mask (hp_ok); IAR acknowledges it, and irq_o/fiq_o signal it, when
// its group priority (GICC_BPR) also preempts the running priority (hp_pre,
// IHI0048B 3.3.3). An acknowledge (ack_o) makes the distributor set it active
// and clear its pending state; this interface sets its group priority in
// GICC_APR (one bit per priority[7:1]). GICC_EOIR drops the highest active
// priority and, with EOImode = 0, deactivates the written ID; with EOImode = 1
// GICC_DIR deactivates (deact_o; the ID is wdata_i[9:0]). Physical priorities
// have 8 bits (QEMU). GICC_IIDR = 0x2043B (QEMU).
//
// Left out (documented choices, see gic_top): group 1 and the security
// extensions -- every interrupt is group 0, signalled on fiq_o when
// GICC_CTLR.FIQEn else irq_o; GICC_ABPR is stored (minimum 1), AIAR/AHPPIR read
// 1023, AEOIR is ignored; EnableGrp1, AckCtl and CBPR are stored only (QEMU).
// GICC_EOIR is ignored when no priority is active or the ID is >= NIRQ (QEMU).
// Preemption compares the group priority (QEMU the full priority, which
// differs only when BPR changes while interrupts are active).
module gic_cpu_if #(
  parameter int NIRQ = 64
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  // bus, already decoded for this CPU's GICC frame
  input  logic        wr_i,
  input  logic        rd_i,
  input  logic [12:0] addr_i,       // word-aligned byte offset in the frame
  input  logic [31:0] wdata_i,
  output logic [31:0] rdata_o,      // this cycle's read value at addr_i
  // this CPU's highest-priority pending interrupt, from the distributor
  input  logic        hp_found_i,
  input  logic [9:0]  hp_id_i,
  input  logic [2:0]  hp_src_i,     // source CPU of an SGI
  input  logic [7:0]  hp_prio_i,
  // to the distributor
  output logic        ack_o,        // GICC_IAR acknowledges hp_id_i this cycle
  output logic        deact_o,      // deactivate interrupt wdata_i[9:0] this cycle
  output logic        irq_o,
  output logic        fiq_o
);
  import gic_pkg::*;

  // ---------------------------------------------------------------- state
  logic [5:0]   cctlr_q;            // {EOImode, CBPR, FIQEn, AckCtl, EnableGrp1, EnableGrp0}
  logic [7:0]   pmr_q;
  logic [2:0]   bpr_q, abpr_q;
  logic [127:0] apr_q;              // active group priorities, prio[7:1]
  logic         irq_q, fiq_q;

  wire [9:0] wid = wdata_i[9:0];

  // ------------------------------------------------- running priority
  logic [6:0] apr_lo;               // index of the highest active priority
  always @(*) begin  // always @(*): the loop reads back what it wrote (Icarus 11)
    apr_lo = 7'd0;
    for (int k = 127; k >= 0; k--)
      if (apr_q[k]) apr_lo = k[6:0];
  end
  wire [8:0] rpr    = (|apr_q) ? {1'b0, apr_lo, 1'b0} : 9'h100;   // 0x100 when idle
  wire [7:0] gprio  = hp_prio_i & group_mask(bpr_q);
  wire       hp_ok  = hp_found_i & cctlr_q[CTLR_EN0] & (hp_prio_i < pmr_q);   // HPPIR
  wire       hp_pre = hp_ok & ({1'b0, gprio} < rpr);                           // IAR, irq
  wire [31:0] iar   = {19'd0, (hp_id_i < 10'd16) ? hp_src_i : 3'd0, hp_id_i};

  // Access types with side effects.
  wire eoi = wr_i & addr_i == GICC_EOIR & wid < 10'(NIRQ) & (|apr_q);
  assign ack_o   = rd_i & addr_i == GICC_IAR & hp_pre;
  assign deact_o = (eoi & ~cctlr_q[CTLR_EOIMODE]) |
                   (wr_i & addr_i == GICC_DIR & cctlr_q[CTLR_EOIMODE] & wid < 10'(NIRQ));

  // ------------------------------------------------------------ registers
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cctlr_q <= '0; pmr_q <= '0; bpr_q <= '0;
      abpr_q <= 3'd1;
    end else if (wr_i) begin
      case (addr_i)
        GICC_CTLR: cctlr_q <= {wdata_i[9], wdata_i[4:0]};
        GICC_PMR:  pmr_q   <= wdata_i[7:0];
        GICC_BPR:  bpr_q   <= wdata_i[2:0];
        GICC_ABPR: abpr_q  <= (wdata_i[2:0] < 3'd1) ? 3'd1 : wdata_i[2:0];
        default: ;
      endcase
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      apr_q <= '0;
    end else begin
      if (wr_i && addr_i >= GICC_APR0 && addr_i < GICC_APR_END) apr_q[32'(addr_i[3:2])*32 +: 32] <= wdata_i;
      if (ack_o) apr_q[gprio[7:1]] <= 1'b1;
      if (eoi) apr_q[apr_lo] <= 1'b0;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      irq_q <= 1'b0; fiq_q <= 1'b0;
    end else begin
      irq_q <= hp_pre & ~cctlr_q[CTLR_FIQEN];
      fiq_q <= hp_pre & cctlr_q[CTLR_FIQEN];
    end
  end
  assign irq_o = irq_q;
  assign fiq_o = fiq_q;

  // ------------------------------------------------------------ read data
  always @(*) begin
    case (addr_i)
      GICC_CTLR:   rdata_o = {22'd0, cctlr_q[5], 4'd0, cctlr_q[4:0]};
      GICC_PMR:    rdata_o = {24'd0, pmr_q};
      GICC_BPR:    rdata_o = {29'd0, bpr_q};
      GICC_IAR:    rdata_o = hp_pre ? iar : {22'd0, SPURIOUS};
      GICC_RPR:    rdata_o = {24'd0, rpr[7:0] | {8{rpr[8]}}};
      GICC_HPPIR:  rdata_o = hp_ok ? iar : {22'd0, SPURIOUS};
      GICC_ABPR:   rdata_o = {29'd0, abpr_q};
      GICC_AIAR, GICC_AHPPIR: rdata_o = {22'd0, SPURIOUS};
      13'h0d0:     rdata_o = apr_q[31:0];
      13'h0d4:     rdata_o = apr_q[63:32];
      13'h0d8:     rdata_o = apr_q[95:64];
      13'h0dc:     rdata_o = apr_q[127:96];
      GICC_IIDR:   rdata_o = GICC_IIDR_VAL;
      default:     rdata_o = 32'd0;
    endcase
  end

  // Bits read only in part: byte lanes of word-aligned addresses; the group
  // priority's bit 0 (APR holds priority[7:1]).
  wire unused_ok = ^{addr_i[1:0], gprio[0]};

  // ------------------------------------------------------------ assertions
  // IHI0048B 3.3 / 4.4 invariants of this logic, checked in every run
  // (Verilator builds use --assert; Icarus runs them too).
  always @(posedge clk_i or negedge rst_ni) begin
    if (rst_ni && ack_o)
      assert (hp_found_i && hp_id_i < 10'(NIRQ) && hp_prio_i < pmr_q)
      else $fatal(1, "gic_cpu_if: GICC_IAR acknowledged ID %0d (found %0b, priority 0x%02x, PMR 0x%02x): only an implemented pending interrupt above the mask may be taken",
                  hp_id_i, hp_found_i, hp_prio_i, pmr_q);
    if (rst_ni && eoi)
      assert (apr_q[apr_lo])
      else $fatal(1, "gic_cpu_if: GICC_EOIR priority drop of an inactive group priority %0d", apr_lo);
    if (rst_ni && (wr_i || rd_i))
      assert (!(wr_i && rd_i))
      else $fatal(1, "gic_cpu_if: a read and a write in one cycle");
  end
endmodule
