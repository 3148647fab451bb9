`timescale 1ns/1ps
// arm_generic_timer: the ARMv7 Generic Timer of one processor, as seen through
// its CP15 (c14) interface, for a core with the Virtualization Extensions and
// no Secure state.
//
// ARM ARM ARMv7-A/R:
//   B8.1   the physical count CNTPCT and the virtual count CNTVCT = CNTPCT - CNTVOFF
//   B8.1.2 access control: CNTKCTL (PL0 access), CNTHCTL (PL1/PL0 access, trapped to Hyp)
//   B8.1.5 timers: CTL.ENABLE/IMASK/ISTATUS, 64-bit CVAL, 32-bit signed TVAL view
//   B4.1.21-B4.1.35 the CNT* registers and their CP15 encodings
//
// Three timers: non-secure physical CNTP_* (PPI 30), virtual CNTV_* (PPI 27),
// Hyp CNTHP_* (PPI 26).
//
// Access port: the core presents one MRC/MCR (is64_i=0: crn, opc1, crm, opc2)
// or MRRC/MCRR (is64_i=1: opc1, crm) access with the current privilege level
// (pl_i: 0 PL0, 1 PL1, 2 Hyp; 3 is decoded as Hyp). undef_o, trap_o and
// rdata_o are combinational on the access fields (not gated by acc_valid_i);
// rdata_o is 0 unless the access is permitted. A permitted write takes effect
// at the clock edge that ends a cycle with acc_valid_i=1. A TVAL write uses the
// count of that cycle (the value a read in the same cycle returns).
//
// Interrupt outputs are decoded combinationally from flops only (no path from
// any input but cnt_i with EXT_COUNT = 1, itself the system counter's flop): level = ENABLE & ISTATUS & !IMASK of the current state, so an
// interrupt is high in the first cycle in which the count equals CVAL.
//
// Left out: the event stream (CNTKCTL.EVNT* and CNTHCTL.EVNT* are stored and
// read back but generate no events), the Secure physical timer and Secure-only
// CNTFRQ write rule (CNTFRQ is writable from Hyp mode here), the memory-mapped
// counter/timer frames, and 64-bit count wrap-around (the count starts at 0).
//
// The count: with EXT_COUNT = 0 the timer's own counter (cntpct_q, from reset,
// advancing when cnt_en_i); with EXT_COUNT = 1 the system counter's value on cnt_i
// (rtl/timer/sys_counter.sv, one for all cores as on QEMU and in B8.1.1: "the
// system counter", a flop in the SoC), and cnt_en_i is unused.
//
// Observation (read-only, for the testbench's retire tracer; no logic reads
// it): obs_o[0..9] = CNTKCTL CNTHCTL CNTVOFF_LO CNTVOFF_HI CNTV_CTL
// CNTV_CVAL_LO CNTV_CVAL_HI CNTP_CTL CNTP_CVAL_LO CNTP_CVAL_HI, each the value
// a permitted MRC/MRRC (_LO/_HI: Rt/Rt2) returns in this cycle: CTL with
// ISTATUS from this cycle's count.
module arm_generic_timer #(
    parameter bit          EXT_COUNT = 1'b0,   // count from cnt_i (the SoC's system counter)
    parameter logic [31:0] CNTFRQ_RESET = 32'd62_500_000,
    // CNTHCTL reset: PL1PCEN and PL1PCTEN set (ARMv7; QEMU resets it to 3)
    parameter logic [7:0]  CNTHCTL_RESET = 8'h03
) (
    input  logic        clk_i,
    input  logic        rst_ni,
    input  logic        cnt_en_i,
    input  logic [63:0] cnt_i,
    // access port
    input  logic        acc_valid_i,
    input  logic        write_i,
    input  logic        is64_i,
    input  logic [3:0]  crn_i,
    input  logic [3:0]  opc1_i,
    input  logic [3:0]  crm_i,
    input  logic [2:0]  opc2_i,
    input  logic [1:0]  pl_i,
    input  logic [63:0] wdata_i,
    output logic [63:0] rdata_o,
    output logic        undef_o,
    output logic        trap_o,
    // PPI levels
    output logic        irq_phys_o,
    output logic        irq_virt_o,
    output logic        irq_hyp_o,
    output logic [63:0] cntpct_o,
    output logic [9:0][31:0] obs_o
);
    // ---------------------------------------------------------------- state
    logic [63:0] cntpct;      // the physical count of this cycle
    logic [63:0] cntvoff_q;
    logic [31:0] cntfrq_q;
    logic [9:0]  cntkctl_q;
    logic [7:0]  cnthctl_q;
    logic [1:0]  p_ctl_q, v_ctl_q, hp_ctl_q;     // {IMASK, ENABLE}
    logic [63:0] p_cval_q, v_cval_q, hp_cval_q;

    logic [63:0] cntvct;
    assign cntvct = cntpct - cntvoff_q;

    // ISTATUS: unsigned 64-bit compare of the timer's count with CVAL
    logic p_istatus, v_istatus, hp_istatus;
    assign p_istatus  = p_ctl_q[0]  & (cntpct >= p_cval_q);
    assign v_istatus  = v_ctl_q[0]  & (cntvct   >= v_cval_q);
    assign hp_istatus = hp_ctl_q[0] & (cntpct >= hp_cval_q);

    assign irq_phys_o = p_istatus  & ~p_ctl_q[1];
    assign irq_virt_o = v_istatus  & ~v_ctl_q[1];
    assign irq_hyp_o  = hp_istatus & ~hp_ctl_q[1];
    assign cntpct_o   = cntpct;

    // ---------------------------------------------------------------- decode
    logic is32_c14;
    assign is32_c14 = ~is64_i & (crn_i == 4'd14);

    logic sel_frq, sel_kctl, sel_p_tval, sel_p_ctl, sel_v_tval, sel_v_ctl;
    logic sel_hctl, sel_hp_tval, sel_hp_ctl;
    logic sel_pct, sel_vct, sel_p_cval, sel_v_cval, sel_voff, sel_hp_cval;
    assign sel_frq     = is32_c14 & (opc1_i == 4'd0) & (crm_i == 4'd0) & (opc2_i == 3'd0);
    assign sel_kctl    = is32_c14 & (opc1_i == 4'd0) & (crm_i == 4'd1) & (opc2_i == 3'd0);
    assign sel_p_tval  = is32_c14 & (opc1_i == 4'd0) & (crm_i == 4'd2) & (opc2_i == 3'd0);
    assign sel_p_ctl   = is32_c14 & (opc1_i == 4'd0) & (crm_i == 4'd2) & (opc2_i == 3'd1);
    assign sel_v_tval  = is32_c14 & (opc1_i == 4'd0) & (crm_i == 4'd3) & (opc2_i == 3'd0);
    assign sel_v_ctl   = is32_c14 & (opc1_i == 4'd0) & (crm_i == 4'd3) & (opc2_i == 3'd1);
    assign sel_hctl    = is32_c14 & (opc1_i == 4'd4) & (crm_i == 4'd1) & (opc2_i == 3'd0);
    assign sel_hp_tval = is32_c14 & (opc1_i == 4'd4) & (crm_i == 4'd2) & (opc2_i == 3'd0);
    assign sel_hp_ctl  = is32_c14 & (opc1_i == 4'd4) & (crm_i == 4'd2) & (opc2_i == 3'd1);
    assign sel_pct     = is64_i & (crm_i == 4'd14) & (opc1_i == 4'd0);
    assign sel_vct     = is64_i & (crm_i == 4'd14) & (opc1_i == 4'd1);
    assign sel_p_cval  = is64_i & (crm_i == 4'd14) & (opc1_i == 4'd2);
    assign sel_v_cval  = is64_i & (crm_i == 4'd14) & (opc1_i == 4'd3);
    assign sel_voff    = is64_i & (crm_i == 4'd14) & (opc1_i == 4'd4);
    assign sel_hp_cval = is64_i & (crm_i == 4'd14) & (opc1_i == 4'd6);

    logic sel_p_any, sel_v_any, sel_hyp_only, sel_known;
    assign sel_p_any    = sel_p_tval | sel_p_ctl | sel_p_cval;
    assign sel_v_any    = sel_v_tval | sel_v_ctl | sel_v_cval;
    assign sel_hyp_only = sel_hctl | sel_hp_tval | sel_hp_ctl | sel_voff | sel_hp_cval;
    assign sel_known    = sel_frq | sel_kctl | sel_p_any | sel_v_any | sel_hyp_only
                        | sel_pct | sel_vct;

    // ---------------------------------------------------------------- access rules
    logic is_hyp, is_pl0, pl0_enabled;
    assign is_hyp = pl_i[1];
    assign is_pl0 = (pl_i == 2'd0);
    // CNTKCTL: PL0PCTEN bit0, PL0VCTEN bit1, PL0VTEN bit8, PL0PTEN bit9 (B4.1.26)
    assign pl0_enabled = (sel_frq & ~write_i & (cntkctl_q[0] | cntkctl_q[1]))
                       | (sel_pct & cntkctl_q[0])
                       | (sel_vct & cntkctl_q[1])
                       | (sel_p_any & cntkctl_q[9])
                       | (sel_v_any & cntkctl_q[8]);

    assign undef_o = ~sel_known
                   | (sel_hyp_only & ~is_hyp)
                   | (write_i & (sel_pct | sel_vct))
                   | (write_i & sel_frq & ~is_hyp)
                   | (is_pl0 & ~pl0_enabled);
    // CNTHCTL: PL1PCTEN bit0, PL1PCEN bit1 (B4.1.24); PL0 UNDEFINED comes first
    assign trap_o = ~undef_o & ~is_hyp
                  & ((sel_pct & ~cnthctl_q[0]) | (sel_p_any & ~cnthctl_q[1]));

    logic acc_ok, do_write;
    assign acc_ok   = ~undef_o & ~trap_o;
    assign do_write = acc_valid_i & write_i & acc_ok;

    // ---------------------------------------------------------------- read data
    // TVAL read: (CVAL - count)[31:0], a signed 32-bit view (B8.1.5)
    logic [31:0] p_tval, v_tval, hp_tval;
    assign p_tval  = p_cval_q[31:0]  - cntpct[31:0];
    assign v_tval  = v_cval_q[31:0]  - cntvct[31:0];
    assign hp_tval = hp_cval_q[31:0] - cntpct[31:0];

    // CTL as read: {ISTATUS, IMASK, ENABLE}
    logic [31:0] p_ctl_rd, v_ctl_rd;
    assign p_ctl_rd = {29'd0, p_istatus, p_ctl_q};
    assign v_ctl_rd = {29'd0, v_istatus, v_ctl_q};

    logic [63:0] rdata_sel;
    always_comb begin
        rdata_sel = 64'd0;
        if (sel_frq)     rdata_sel = {32'd0, cntfrq_q};
        if (sel_kctl)    rdata_sel = {54'd0, cntkctl_q};
        if (sel_hctl)    rdata_sel = {56'd0, cnthctl_q};
        if (sel_p_tval)  rdata_sel = {32'd0, p_tval};
        if (sel_v_tval)  rdata_sel = {32'd0, v_tval};
        if (sel_hp_tval) rdata_sel = {32'd0, hp_tval};
        if (sel_p_ctl)   rdata_sel = {32'd0, p_ctl_rd};
        if (sel_v_ctl)   rdata_sel = {32'd0, v_ctl_rd};
        if (sel_hp_ctl)  rdata_sel = {61'd0, hp_istatus, hp_ctl_q};
        if (sel_pct)     rdata_sel = cntpct;
        if (sel_vct)     rdata_sel = cntvct;
        if (sel_p_cval)  rdata_sel = p_cval_q;
        if (sel_v_cval)  rdata_sel = v_cval_q;
        if (sel_voff)    rdata_sel = cntvoff_q;
        if (sel_hp_cval) rdata_sel = hp_cval_q;
    end
    assign rdata_o = acc_ok ? rdata_sel : 64'd0;

    // ---------------------------------------------------------------- observation
    assign obs_o = {p_cval_q, p_ctl_rd, v_cval_q, v_ctl_rd, cntvoff_q,
                    {24'd0, cnthctl_q}, {22'd0, cntkctl_q}};

    // TVAL write: CVAL = count + SignExtend(TVAL)
    logic [63:0] tval_sext;
    assign tval_sext = {{32{wdata_i[31]}}, wdata_i[31:0]};

    // ---------------------------------------------------------------- flops
    if (EXT_COUNT) begin : g_ext_count
        assign cntpct = cnt_i;
        wire unused_cnt_en = cnt_en_i;
    end else begin : g_own_count
        logic [63:0] cntpct_q;
        always_ff @(posedge clk_i or negedge rst_ni) begin
            if (!rst_ni)       cntpct_q <= 64'd0;
            else if (cnt_en_i) cntpct_q <= cntpct_q + 64'd1;
        end
        assign cntpct = cntpct_q;
        wire unused_cnt_i = ^cnt_i;
    end

    always_ff @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) begin
            cntfrq_q  <= CNTFRQ_RESET;
            cntkctl_q <= 10'd0;
            cnthctl_q <= CNTHCTL_RESET;
            cntvoff_q <= 64'd0;
        end else if (do_write) begin
            if (sel_frq)  cntfrq_q  <= wdata_i[31:0];
            if (sel_kctl) cntkctl_q <= wdata_i[9:0];
            if (sel_hctl) cnthctl_q <= wdata_i[7:0];
            if (sel_voff) cntvoff_q <= wdata_i;
        end
    end

    always_ff @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) begin
            p_ctl_q  <= 2'd0;
            p_cval_q <= 64'd0;
        end else if (do_write) begin
            if (sel_p_ctl)  p_ctl_q  <= wdata_i[1:0];
            if (sel_p_cval) p_cval_q <= wdata_i;
            if (sel_p_tval) p_cval_q <= cntpct + tval_sext;
        end
    end

    always_ff @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) begin
            v_ctl_q  <= 2'd0;
            v_cval_q <= 64'd0;
        end else if (do_write) begin
            if (sel_v_ctl)  v_ctl_q  <= wdata_i[1:0];
            if (sel_v_cval) v_cval_q <= wdata_i;
            if (sel_v_tval) v_cval_q <= cntvct + tval_sext;
        end
    end

    always_ff @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) begin
            hp_ctl_q  <= 2'd0;
            hp_cval_q <= 64'd0;
        end else if (do_write) begin
            if (sel_hp_ctl)  hp_ctl_q  <= wdata_i[1:0];
            if (sel_hp_cval) hp_cval_q <= wdata_i;
            if (sel_hp_tval) hp_cval_q <= cntpct + tval_sext;
        end
    end
endmodule
