`timescale 1ns/1ps
// soc_ram -- single-port RAM on the SoC bus with one wait state (registered
// read data), byte enables, zero-initialised like QEMU's RAM, optionally
// preloaded from a $readmemh file named by the +ram_image=<file> plusarg
// (word addresses relative to the RAM base). A second port, registered (one
// cycle latency), serves the testbench's backdoor: reads (semihosting
// strings, the VMM's run structs) and whole-word writes (the VMM's answers;
// the testbench writes only while the core is stalled on the VMM doorbell,
// so the two write ports never collide; the bus write wins if they do).
// Left out: ECC, latency modelling beyond one wait state.
module soc_ram #(
  parameter int RAM_BYTES = 16 * 1024 * 1024
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        sel_i,        // request addressed to the RAM
  input  logic        we_i,
  input  logic [31:0] addr_i,       // byte offset into the RAM, word aligned
  input  logic [3:0]  be_i,
  input  logic [31:0] wdata_i,
  output logic        ack_o,
  output logic [31:0] rdata_o,
  input  logic [31:0] dbg_addr_i,   // backdoor, byte offset
  output logic [31:0] dbg_rdata_o,
  input  logic        dbg_we_i,     // backdoor word write of dbg_wdata_i
  input  logic [31:0] dbg_wdata_i
);
  localparam int WORDS = RAM_BYTES / 4;
  localparam int AW = $clog2(WORDS);

  bit   [31:0] mem [0:WORDS-1];
  logic        ack_q;
  logic [31:0] rdata_q;
  wire  [AW-1:0] widx = addr_i[AW+1:2];

  initial begin : preload
    string image;
    if ($value$plusargs("ram_image=%s", image)) $readmemh(image, mem);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ack_q   <= 1'b0;
      rdata_q <= 32'd0;
    end else begin
      ack_q   <= sel_i & ~ack_q;
      rdata_q <= mem[widx];
    end
  end

  // Whole-word read-modify-write: Icarus 11 asserts on part-select writes
  // into a two-state array word.
  wire [31:0] be_mask = {{8{be_i[3]}}, {8{be_i[2]}}, {8{be_i[1]}}, {8{be_i[0]}}};
  wire [AW-1:0] dbg_widx = dbg_addr_i[AW+1:2];
  always_ff @(posedge clk_i) begin
    if (sel_i && !ack_q && we_i) mem[widx] <= (mem[widx] & ~be_mask) | (wdata_i & be_mask);
    else if (dbg_we_i)           mem[dbg_widx] <= dbg_wdata_i;
  end

  assign ack_o       = ack_q;
  assign rdata_o     = rdata_q;
  // Backdoor read, registered: a continuous assign from a 4M-word array makes
  // Icarus re-evaluate on every RAM event and slows it a hundredfold.
  logic [31:0] dbg_rdata_q;
  always_ff @(posedge clk_i) dbg_rdata_q <= mem[dbg_widx];
  assign dbg_rdata_o = dbg_rdata_q;
endmodule
