`timescale 1ns/1ps
// soc_arbiter -- NCORE bus masters (the cores' arm_core bus ports) onto the one
// SoC bus of soc_top, round robin. The bus contract is arm_core's: a request is
// held, unchanged, until its ack (one cycle or more later; err with ack is a
// bus error). A grant is made in the cycle of the request (combinationally, no
// added cycle) to the first requesting master from the one after the last
// served, and is locked until the slave's ack; the ack, err and read data go
// back to the granted master only. gnt_o names the granted master (the GIC's
// cpu_i, the global monitor's requester).
// NCORE = 1: a wire-through (gnt_o = 0), so a one-core SoC runs cycle for cycle
// as before the arbiter existed.
// Left out: priorities, QoS, locked sequences (SWP is UNDEFINED in the core), a
// per-slave split of the bus (one transaction at a time on the whole bus).
module soc_arbiter #(
  parameter int NCORE = 1,
  localparam int CW = (NCORE > 1) ? $clog2(NCORE) : 1
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  // masters
  input  logic [NCORE-1:0]    m_req_i,
  input  logic [NCORE-1:0]    m_we_i,
  input  logic [NCORE-1:0]    m_excl_i,
  input  logic [NCORE*32-1:0] m_addr_i,
  input  logic [NCORE*4-1:0]  m_be_i,
  input  logic [NCORE*32-1:0] m_wdata_i,
  output logic [NCORE-1:0]    m_ack_o,
  output logic [NCORE-1:0]    m_err_o,
  // the SoC bus
  output logic                req_o,
  output logic                we_o,
  output logic                excl_o,
  output logic [31:0]         addr_o,
  output logic [3:0]          be_o,
  output logic [31:0]         wdata_o,
  output logic [CW-1:0]       gnt_o,
  input  logic                ack_i,
  input  logic                err_i
);
  if (NCORE == 1) begin : g_one
    assign req_o = m_req_i[0]; assign we_o = m_we_i[0]; assign excl_o = m_excl_i[0];
    assign addr_o = m_addr_i; assign be_o = m_be_i; assign wdata_o = m_wdata_i;
    assign gnt_o = 1'b0;
    assign m_ack_o = ack_i; assign m_err_o = err_i;
    wire unused = clk_i ^ rst_ni;
  end else begin : g_rr
    logic          lock_q;
    logic [CW-1:0] own_q, next_q, pick;
    logic          found;
    logic [31:0]   k;
    // the first requesting master at or after next_q
    always @(*) begin
      pick = next_q; found = 1'b0; k = 32'd0;
      for (int i = 0; i < NCORE; i++) begin
        k = {{(32-CW){1'b0}}, next_q} + i;
        if (k >= NCORE) k = k - NCORE;
        if (!found && m_req_i[k]) begin
          pick = k[CW-1:0]; found = 1'b1;
        end
      end
    end
    wire [CW-1:0] gnt = lock_q ? own_q : pick;
    wire [31:0]   gnt32 = {{(32-CW){1'b0}}, gnt};
    assign gnt_o   = gnt;
    assign req_o   = m_req_i[gnt];
    assign we_o    = m_we_i[gnt];
    assign excl_o  = m_excl_i[gnt];
    assign addr_o  = m_addr_i[gnt*32 +: 32];
    assign be_o    = m_be_i[gnt*4 +: 4];
    assign wdata_o = m_wdata_i[gnt*32 +: 32];
    for (genvar c = 0; c < NCORE; c++) begin : g_rsp
      assign m_ack_o[c] = ack_i && (gnt32 == c);
      assign m_err_o[c] = err_i && (gnt32 == c);
    end
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        lock_q <= 1'b0; own_q <= '0; next_q <= '0;
      end else if (req_o && ack_i) begin
        lock_q <= 1'b0;
        next_q <= (gnt32 == NCORE - 1) ? '0 : gnt + 1'b1;
      end else if (req_o) begin
        lock_q <= 1'b1; own_q <= gnt;
      end
    end
    // the granted master keeps its request until the ack (arm_core's contract)
    always @(posedge clk_i) begin
      if (rst_ni && lock_q)
        assert (m_req_i[own_q]) else $fatal(1, "soc_arbiter: master %0d dropped its granted request", own_q);
    end
  end
endmodule
