`timescale 1ns/1ps
// soc_vmm_port -- the VMM doorbell (firmware/include/vmm_abi.h
// HYPSIM_DOORBELL_PA, 0x0b00_0000: a hole of QEMU virt's map, so the page
// exists on the RTL SoC only, and only when the harness enables it).
// A 32-bit store to offset 0 hands the PA of a struct hypsim_run to the
// testbench's VMM: vmm_req_o rises with the stored value on vmm_arg_o and
// the store is not acknowledged until the testbench pulses vmm_ack_i (the
// VMM has read the struct and written its answer through the RAM backdoor),
// so the core stalls on the bus meanwhile, as a vCPU thread waits in
// KVM_RUN. This is the semihosting port's handshake (sh_req/sh_ack) on the
// bus. A 32-bit load from offset 0 returns 0.
// Every other access to the 4 KiB page (another offset, a byte or halfword
// access) completes with a bus error. The decoder in soc_top selects this
// slave only while vmm_en_i is set; otherwise the page is unclaimed and a
// bus error, exactly as without a VMM (QEMU has nothing there).
// Left out: several outstanding requests (one core, one request at a time).
module soc_vmm_port (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        sel_i,        // request addressed to the doorbell page
  input  logic        we_i,
  input  logic [11:0] addr_i,       // offset in the page
  input  logic [3:0]  be_i,
  input  logic [31:0] wdata_i,
  output logic        ack_o,
  output logic        err_o,
  output logic [31:0] rdata_o,
  // to the testbench's VMM
  output logic        vmm_req_o,
  output logic [31:0] vmm_arg_o,
  input  logic        vmm_ack_i
);
  logic        ack_q, err_q, pend_q;
  logic [31:0] arg_q;

  wire word0    = (addr_i == 12'h000) && (be_i == 4'hf);
  wire start    = sel_i & ~ack_q & ~pend_q;
  wire doorbell = start & we_i & word0;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ack_q  <= 1'b0;
      err_q  <= 1'b0;
      pend_q <= 1'b0;
      arg_q  <= 32'd0;
    end else begin
      ack_q <= 1'b0;
      err_q <= 1'b0;
      if (doorbell) begin
        pend_q <= 1'b1;
        arg_q  <= wdata_i;
      end else if (pend_q) begin
        if (vmm_ack_i) begin
          pend_q <= 1'b0;
          ack_q  <= 1'b1;
        end
      end else if (start) begin
        ack_q <= 1'b1;                 // load of word 0 reads 0; anything else errs
        err_q <= ~(word0 & ~we_i);
      end
    end
  end

  assign ack_o     = ack_q;
  assign err_o     = err_q;
  assign rdata_o   = 32'd0;
  assign vmm_req_o = pend_q;
  assign vmm_arg_o = arg_q;
endmodule
