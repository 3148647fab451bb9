`timescale 1ns/1ps
// soc_pl011 -- the PL011 UART subset QEMU's virt board needs (PrimeCell UART
// TRM DDI0183): DR (transmit), FR (TX never full, RX empty: 0x90 as QEMU
// idles), RSR/ECR, ILPR, IBRD, FBRD, LCR_H, CR (reset 0x300), IFLS, IMSC, RIS,
// MIS, ICR, DMACR and the PrimeCell ID registers. Writing DR emits the byte
// on tx_valid_o/tx_data_o and raises the TX interrupt as QEMU does.
// Left out: receive path (no input), baud-rate timing, FIFOs, modem lines.
module soc_pl011 (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        sel_i,
  input  logic        we_i,
  input  logic [11:0] addr_i,
  input  logic [3:0]  be_i,
  input  logic [31:0] wdata_i,
  output logic        ack_o,
  output logic [31:0] rdata_o,
  output logic        tx_valid_o,
  output logic [7:0]  tx_data_o,
  output logic        irq_o
);
  logic        ack_q, tx_valid_q;
  logic [7:0]  tx_data_q;
  logic [31:0] rdata_q;
  logic [15:0] cr_q;
  logic [10:0] imsc_q, ris_q;
  logic [7:0]  lcr_q, ilpr_q;
  logic [15:0] ibrd_q;
  logic [5:0]  fbrd_q, ifls_q;
  logic [2:0]  dmacr_q;

  wire access = sel_i & ~ack_q;
  wire wr     = access & we_i;
  logic [31:0] rd;

  always_comb begin
    case (addr_i)
      12'h000: rd = 32'd0;                  // DR: nothing received
      12'h004: rd = 32'd0;                  // RSR
      12'h018: rd = 32'h0000_0090;          // FR: TXFE | RXFE
      12'h020: rd = {24'd0, ilpr_q};
      12'h024: rd = {16'd0, ibrd_q};
      12'h028: rd = {26'd0, fbrd_q};
      12'h02c: rd = {24'd0, lcr_q};
      12'h030: rd = {16'd0, cr_q};
      12'h034: rd = {26'd0, ifls_q};
      12'h038: rd = {21'd0, imsc_q};
      12'h03c: rd = {21'd0, ris_q};
      12'h040: rd = {21'd0, ris_q & imsc_q};
      12'h048: rd = {29'd0, dmacr_q};
      12'hfe0: rd = 32'h11;
      12'hfe4: rd = 32'h10;
      12'hfe8: rd = 32'h14;
      12'hfec: rd = 32'h00;
      12'hff0: rd = 32'h0d;
      12'hff4: rd = 32'hf0;
      12'hff8: rd = 32'h05;
      12'hffc: rd = 32'hb1;
      default: rd = 32'd0;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ack_q <= 1'b0; rdata_q <= 32'd0; tx_valid_q <= 1'b0; tx_data_q <= 8'd0;
    end else begin
      ack_q      <= access;
      rdata_q    <= rd;
      tx_valid_q <= wr && addr_i == 12'h000 && be_i[0];
      if (wr && addr_i == 12'h000 && be_i[0]) tx_data_q <= wdata_i[7:0];
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cr_q <= 16'h0300; imsc_q <= 11'd0; ris_q <= 11'd0; lcr_q <= 8'd0; ilpr_q <= 8'd0;
      ibrd_q <= 16'd0; fbrd_q <= 6'd0; ifls_q <= 6'h12; dmacr_q <= 3'd0;
    end else if (wr) begin
      case (addr_i)
        12'h000: ris_q <= ris_q | 11'h020;              // TX interrupt, as QEMU
        12'h020: ilpr_q <= wdata_i[7:0];
        12'h024: ibrd_q <= wdata_i[15:0];
        12'h028: fbrd_q <= wdata_i[5:0];
        12'h02c: lcr_q <= wdata_i[7:0];
        12'h030: cr_q <= wdata_i[15:0];
        12'h034: ifls_q <= wdata_i[5:0];
        12'h038: imsc_q <= wdata_i[10:0];
        12'h044: ris_q <= ris_q & ~wdata_i[10:0];      // ICR
        12'h048: dmacr_q <= wdata_i[2:0];
        default: ;
      endcase
    end
  end

  assign ack_o      = ack_q;
  assign rdata_o    = rdata_q;
  assign tx_valid_o = tx_valid_q;
  assign tx_data_o  = tx_data_q;
  assign irq_o      = |(ris_q & imsc_q);
endmodule
