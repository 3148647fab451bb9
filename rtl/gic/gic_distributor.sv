`timescale 1ns/1ps
// gic_distributor -- the GICv2 distributor (ARM IHI0048B 4.3): GICD_CTLR,
// TYPER, IIDR, ISENABLER/ICENABLER, ISPENDR/ICPENDR, ISACTIVER/ICACTIVER,
// IPRIORITYR, ITARGETSR, ICFGR, SGIR, CPENDSGIR/SPENDSGIR; the pending and
// active state of every interrupt, and per CPU the highest-priority pending
// interrupt it forwards to that CPU's interface (hp_*_o).
//
// Interrupts: IDs 0..NIRQ-1 (NIRQ a multiple of 32, 64..256). SGIs 0-15
// (pending per source CPU), PPIs 16-31 per CPU from ppi_i (level-sensitive,
// ICFGR1 RO 0; PPI 25 is also driven by this CPU's maintenance interrupt,
// maint_i), SPIs from spi_i (level or edge per ICFGR). A level interrupt is
// pending while its line is high or its software latch (ISPENDR) is set; an
// edge sets the latch; acknowledge clears the latch (IHI0048B 3.2.4). An
// interrupt is a candidate for CPU c when the distributor is enabled (CTLR bit
// 0), it is enabled, pending, not active and (SPIs) targets c; the lowest
// priority value wins, the lowest ID on a tie, and for an SGI the lowest
// source CPU. Physical priorities have 8 bits (QEMU). GICD_IIDR = 0x43B (QEMU).
//
// The accessing CPU (cpu_i) banks SGI/PPI state and selects whose highest
// pending interrupt an acknowledge (ack_i from that CPU's interface) takes.
// Deactivation comes from a GICC_EOIR/DIR (deact_i, ID wdata_i[9:0]) or from a
// virtual deactivation of a hardware list register (hw_deact_i, hw_pid_i).
//
// Left out (documented choices, see gic_top): IGROUPR is RAZ/WI (every
// interrupt is group 0; CTLR.EnableGrp1 is stored only); SGI enables are
// RAO/WI; ISPENDR0/ICPENDR0 SGI bits are WI (use SPENDSGIR/CPENDSGIR);
// ITARGETSR0-7 read the reader's CPU bit; no ID registers at 0xFD0-0xFFC; IDs
// from NIRQ up to the reported TYPER_ITLINES read as zero and ignore writes.
module gic_distributor #(
  parameter int NCPU = 1,
  parameter int NIRQ = 64,
  parameter int TYPER_ITLINES = 0,
  localparam int CW   = (NCPU > 1) ? $clog2(NCPU) : 1,
  localparam int NSPI = NIRQ - 32
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  // bus, already decoded for the GICD frame
  input  logic               wr_i,
  input  logic [CW-1:0]      cpu_i,       // the accessing CPU
  input  logic [12:0]        addr_i,      // word-aligned byte offset in the frame
  input  logic [3:0]         be_i,
  input  logic [31:0]        wdata_i,
  output logic [31:0]        rdata_o,     // this cycle's read value at addr_i
  // interrupt lines
  input  logic [NSPI-1:0]    spi_i,
  input  logic [NCPU*16-1:0] ppi_i,       // CPU c's PPI 16+k is ppi_i[c*16+k]
  input  logic [NCPU-1:0]    maint_i,     // CPU c's maintenance interrupt: its PPI 25
  // from the accessing CPU's interfaces
  input  logic               ack_i,       // GICC_IAR took cpu_i's hp_id
  input  logic               deact_i,     // GICC_EOIR/DIR deactivates wdata_i[9:0]
  input  logic               hw_deact_i,  // GICV deactivated an HW=1 LR: ...
  input  logic [9:0]         hw_pid_i,    // ... its physical interrupt
  // per CPU: the highest-priority pending interrupt
  output logic [NCPU-1:0]    hp_found_o,
  output logic [NCPU*10-1:0] hp_id_o,     // 1023: none
  output logic [NCPU*3-1:0]  hp_src_o,    // source CPU when it is an SGI
  output logic [NCPU*8-1:0]  hp_prio_o
);
  import gic_pkg::*;

  // ---------------------------------------------------------------- state
  logic [1:0]              dctlr_q;                  // GICD_CTLR EnableGrp1, EnableGrp0
  logic [NCPU*32-1:0]      en_ppi_q, latch_ppi_q, act_ppi_q;
  logic [NCPU*256-1:0]     prio_ppi_q;               // 32 bytes per CPU
  logic [NCPU*16*NCPU-1:0] sgi_pend_q;               // [target][sgi][source]
  logic [NSPI-1:0]         en_spi_q, latch_spi_q, act_spi_q, edge_spi_q, spi_line_q;
  logic [NSPI*8-1:0]       prio_spi_q;
  logic [NSPI*NCPU-1:0]    targ_spi_q;

  wire [CW-1:0] cpu = cpu_i;
  wire [12:0]   a   = addr_i;
  wire [9:0]    wid = wdata_i[9:0];
  wire [5:0]    wn  = a[7:2];          // word index in a register array
  wire [7:0]    bw  = a[9:2];          // word index in a byte array

  // -------------------------------------- per-CPU views of every interrupt
  logic [NCPU*NIRQ-1:0]   en_v, pend_v, act_v, elig_v;
  logic [NCPU*NIRQ*8-1:0] prio_v;
  logic [NCPU*32-1:0]     ppi_line;

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
        assign ppi_line[c*32+i] = ppi_i[c*16+i-16] | ((i == 25) & maint_i[c]);
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

  // ------------------------------- per-CPU highest-priority pending interrupt
  for (genvar c = 0; c < NCPU; c++) begin : g_sel
    logic       found;
    logic [9:0] bid;
    logic [2:0] bsrc;
    logic [7:0] bprio;
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
    assign hp_found_o[c]       = found;
    assign hp_id_o[c*10 +: 10] = bid;
    assign hp_src_o[c*3 +: 3]  = bsrc;
    assign hp_prio_o[c*8 +: 8] = bprio;
  end

  // the accessing CPU's: what an acknowledge takes
  wire [9:0] c_id  = hp_id_o[cpu*10 +: 10];
  wire [2:0] c_src = hp_src_o[cpu*3 +: 3];

  // ------------------------------------------------------------ read data
  always @(*) begin  // always @(*): indexed part-selects (Icarus 11)
    rdata_o = 32'd0;
    if (a == GICD_CTLR) rdata_o = {30'd0, dctlr_q};
    else if (a == GICD_TYPER) rdata_o = {24'd0, (8'(NCPU - 1) << 5)
                                            | 8'((TYPER_ITLINES != 0) ? TYPER_ITLINES : NIRQ / 32 - 1)};
    else if (a == GICD_IIDR) rdata_o = GICD_IIDR_VAL;
    else if (a >= GICD_ISENABLER && a < GICD_IPRIORITYR && 32'(wn[4:0]) < NIRQ / 32) begin
      case (a[9:7])
        3'd2, 3'd3: rdata_o = en_v[cpu*NIRQ + 32'(wn[4:0])*32 +: 32];
        3'd4, 3'd5: rdata_o = pend_v[cpu*NIRQ + 32'(wn[4:0])*32 +: 32];
        3'd6, 3'd7: rdata_o = act_v[cpu*NIRQ + 32'(wn[4:0])*32 +: 32];
        default: rdata_o = 32'd0;
      endcase
    end else if (a >= GICD_IPRIORITYR && a < GICD_ITARGETSR && 32'(bw) < NIRQ / 4)
      rdata_o = prio_v[(cpu*NIRQ + 32'(bw)*4)*8 +: 32];
    else if (a >= GICD_ITARGETSR && a < GICD_ITARGETSR8)
      rdata_o = {4{8'(1) << cpu}};
    else if (a >= GICD_ITARGETSR8 && a < GICD_ICFGR && 32'(bw) < NIRQ / 4) begin
      for (int k = 0; k < 4; k++)
        rdata_o[k*8 +: 8] = 8'(targ_spi_q[(32'(bw)*4+k-32)*NCPU +: NCPU]);
    end else if (a == GICD_ICFGR) rdata_o = GICD_ICFGR0_VAL;
    else if (a >= GICD_ICFGR2 && a < GICD_END && 32'(a[7:2]) < NIRQ / 16) begin
      for (int f = 0; f < 16; f++)
        rdata_o[2*f+1] = edge_spi_q[32'(a[7:2])*16+f-32];
    end else if (a >= GICD_CPENDSGIR && a < GICD_SGI_END) begin
      for (int k = 0; k < 4; k++)
        rdata_o[k*8 +: 8] = 8'(sgi_pend_q[(cpu*16 + 32'(a[3:2])*4 + k)*NCPU +: NCPU]);
    end
  end

  // ------------------------------------------------------------ registers
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      dctlr_q <= 2'd0;
    end else if (wr_i && a == GICD_CTLR) begin
      dctlr_q <= wdata_i[1:0];
    end
  end

  // enables, priorities, targets, trigger configuration
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      en_ppi_q <= '0; en_spi_q <= '0; prio_ppi_q <= '0; prio_spi_q <= '0;
      targ_spi_q <= '0; edge_spi_q <= '0;
    end else if (wr_i) begin
      if (a >= GICD_ISENABLER && a < GICD_ISPENDR && 32'(wn[4:0]) < NIRQ / 32) begin
        for (int b = 0; b < 32; b++) begin
          if (wdata_i[b]) begin
            if (wn[4:0] == 5'd0) begin
              if (b >= 16) en_ppi_q[cpu*32+b] <= ~a[7];
            end else en_spi_q[32'(wn[4:0])*32+b-32] <= ~a[7];
          end
        end
      end
      if (a >= GICD_IPRIORITYR && a < GICD_ITARGETSR && 32'(bw) < NIRQ / 4) begin
        for (int k = 0; k < 4; k++) begin
          if (be_i[k]) begin
            if (bw < 8'd8) prio_ppi_q[(cpu*32+32'(bw)*4+k)*8 +: 8] <= wdata_i[k*8 +: 8];
            else prio_spi_q[(32'(bw)*4+k-32)*8 +: 8] <= wdata_i[k*8 +: 8];
          end
        end
      end
      if (a >= GICD_ITARGETSR8 && a < GICD_ICFGR && 32'(bw) < NIRQ / 4) begin
        for (int k = 0; k < 4; k++)
          if (be_i[k]) targ_spi_q[(32'(bw)*4+k-32)*NCPU +: NCPU] <= wdata_i[k*8 +: NCPU];
      end
      if (a >= GICD_ICFGR2 && a < GICD_END && 32'(a[7:2]) < NIRQ / 16) begin
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
      if (wr_i && a >= GICD_ISPENDR && a < GICD_ISACTIVER && 32'(wn[4:0]) < NIRQ / 32) begin
        for (int b = 0; b < 32; b++) begin
          if (wdata_i[b]) begin
            if (wn[4:0] == 5'd0) begin
              if (b >= 16) latch_ppi_q[cpu*32+b] <= ~a[7];
            end else latch_spi_q[32'(wn[4:0])*32+b-32] <= ~a[7];
          end
        end
      end
      if (ack_i && c_id >= 10'd16) begin
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
      if (wr_i && a == GICD_SGIR) begin
        for (int t = 0; t < NCPU; t++) begin
          if ((wdata_i[25:24] == 2'd0 && wdata_i[16+t]) ||
              (wdata_i[25:24] == 2'd1 && t != 32'(cpu)) ||
              (wdata_i[25:24] == 2'd2 && t == 32'(cpu)))
            sgi_pend_q[(t*16 + 32'(wdata_i[3:0]))*NCPU + 32'(cpu)] <= 1'b1;
        end
      end
      if (wr_i && a >= GICD_CPENDSGIR && a < GICD_SGI_END) begin
        for (int k = 0; k < 4; k++)
          for (int s = 0; s < NCPU; s++)
            if (be_i[k] && wdata_i[k*8+s])
              sgi_pend_q[(cpu*16 + 32'(a[3:2])*4 + k)*NCPU + s] <= a[5];  // F2x sets
      end
      if (ack_i && c_id < 10'd16)
        sgi_pend_q[(cpu*16 + 32'(c_id))*NCPU + 32'(c_src)] <= 1'b0;
    end
  end

  // active state
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      act_ppi_q <= '0; act_spi_q <= '0;
    end else begin
      if (wr_i && a >= GICD_ISACTIVER && a < GICD_IPRIORITYR && 32'(wn[4:0]) < NIRQ / 32) begin
        for (int b = 0; b < 32; b++) begin
          if (wdata_i[b]) begin
            if (wn[4:0] == 5'd0) act_ppi_q[cpu*32+b] <= ~a[7];
            else act_spi_q[32'(wn[4:0])*32+b-32] <= ~a[7];
          end
        end
      end
      if (ack_i) begin
        if (c_id < 10'd32) act_ppi_q[cpu*32 + 32'(c_id)] <= 1'b1;
        else act_spi_q[32'(c_id) - 32] <= 1'b1;
      end
      if (deact_i) begin
        if (wid < 10'd32) act_ppi_q[cpu*32 + 32'(wid)] <= 1'b0;
        else act_spi_q[32'(wid) - 32] <= 1'b0;
      end
      if (hw_deact_i && hw_pid_i < 10'(NIRQ)) begin
        if (hw_pid_i < 10'd32) act_ppi_q[cpu*32 + 32'(hw_pid_i)] <= 1'b0;
        else act_spi_q[32'(hw_pid_i) - 32] <= 1'b0;
      end
    end
  end

  // Bits read only in part: byte lanes of word-aligned addresses, SGI bits of
  // the PPI enable/latch vectors (SGIs are RAO/WI there).
  wire unused_ok = ^{a[1:0], en_ppi_q, latch_ppi_q, ppi_line, wn[5]};

  // ------------------------------------------------------------ assertions
  // IHI0048B 3.2 / 4.3 invariants of this logic, checked in every run
  // (Verilator builds use --assert; Icarus runs them too).
  always @(posedge clk_i or negedge rst_ni) begin
    if (rst_ni && ack_i)
      assert (c_id < 10'(NIRQ) && elig_v[32'(cpu)*NIRQ + 32'(c_id)])
      else $fatal(1, "gic_distributor: CPU %0d acknowledged ID %0d, which is not an eligible (enabled, pending, inactive, targeted) interrupt",
                  cpu, c_id);
    if (rst_ni && ack_i && c_id < 10'd16)
      assert (sgi_pend_q[(32'(cpu)*16 + 32'(c_id))*NCPU + 32'(c_src)])
      else $fatal(1, "gic_distributor: CPU %0d acknowledged SGI %0d from CPU %0d, which it has not pending",
                  cpu, c_id, c_src);
    if (rst_ni && ack_i)
      assert (!deact_i && !hw_deact_i)
      else $fatal(1, "gic_distributor: an acknowledge and a deactivation in one cycle (a read and a write)");
  end
endmodule
