`timescale 1ns/1ps
// soc_excl_monitor -- the global exclusive monitor of the multi-core SoC (ARM ARM
// ARMv7-A/R A3.4.2 and A3.4.5), beside each core's local monitor (arm_core).
// It watches the bus after soc_arbiter: an LDREX read by core c (m_excl, read)
// marks core c's granule (8 bytes, so LDREXD/STREXD fit: an ERG of 2 words); a
// write that is done by any other core to a marked granule clears that core's
// mark; a STREX write by core c to a granule core c has not marked (or whose
// mark was cleared) fails: exfail_o is set for the whole access, soc_top turns
// the write into a read (nothing is stored) and the core writes Rd := 1
// (arm_core bus_exfail_i). The check and the clear happen in bus order (one
// access at a time through the arbiter), so two cores' STREX to one granule
// cannot both succeed after both LDREX.
// A core's own stores do not clear its mark (allowed, A3.4.5), nor does a
// successful STREX (its local monitor is cleared by the core); the mark is
// replaced by the core's next exclusive read. While an LDREX walks translation
// tables, every read it makes marks in turn, the data read last.
// Left out: marks by physical address beyond the 8-byte granule (ERG), the
// "clear on exception return" (done by the local monitor's CLREX only).
// fault_i (tests only, tests/test_smp.py; a strap, 0 in use): a deliberately broken
// monitor that never fails a STREX (only the cores' local monitors remain), to show
// the two-core counter check stopping it.
module soc_excl_monitor #(
  parameter int NCORE = 2,
  localparam int CW = (NCORE > 1) ? $clog2(NCORE) : 1
) (
  input  logic          clk_i,
  input  logic          rst_ni,
  input  logic          req_i,     // the arbitrated bus (soc_arbiter)
  input  logic          we_i,
  input  logic          excl_i,
  input  logic [31:0]   addr_i,
  input  logic [CW-1:0] gnt_i,
  input  logic          ack_i,
  input  logic          err_i,
  input  logic          fault_i,   // tests only: never fail a STREX
  output logic          exfail_o   // this access is a STREX the global monitor fails
);
  logic [NCORE-1:0]    mark_q;
  logic [NCORE*29-1:0] gran_q;
  wire  [28:0]         gran = addr_i[31:3];
  wire                 unused_byte = ^addr_i[2:0];   // within the granule
  wire  [31:0]         gnt32 = {{(32-CW){1'b0}}, gnt_i};
  wire                 own_ok = mark_q[gnt_i] && gran_q[gnt_i*29 +: 29] == gran;
  assign exfail_o = req_i && we_i && excl_i && !own_ok && !fault_i;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      mark_q <= '0; gran_q <= '0;
    end else if (req_i && ack_i && !err_i) begin
      for (int c = 0; c < NCORE; c++) begin
        if (gnt32 == c) begin
          if (excl_i && !we_i) begin
            mark_q[c] <= 1'b1; gran_q[c*29 +: 29] <= gran;
          end
        end else if (we_i && !exfail_o && gran_q[c*29 +: 29] == gran) begin
          mark_q[c] <= 1'b0;
        end
      end
    end
  end
endmodule
