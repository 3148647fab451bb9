`timescale 1ns/1ps
// sys_counter: the system counter of ARM ARM ARMv7-A/R B8.1.1 -- one 64-bit count
// shared by every processor's generic timer (arm_generic_timer EXT_COUNT = 1), as
// QEMU's virt machine has one counter for all its CPUs: a core powered on later
// (PSCI CPU_ON) reads the same CNTPCT as core 0 in the same cycle. The count starts
// at 0 at reset and advances by one every cycle while en_i (the frequency is what
// CNTFRQ reports; the testbench's cycle is one tick).
// Left out: the memory-mapped CNTControlBase frame (CNTCR.EN/HDBG, CNTFID), a
// frequency other than the clock, 64-bit wrap-around.
module sys_counter (
    input  logic        clk_i,
    input  logic        rst_ni,
    input  logic        en_i,
    output logic [63:0] cnt_o
);
    logic [63:0] cnt_q;
    always_ff @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni)   cnt_q <= 64'd0;
        else if (en_i) cnt_q <= cnt_q + 64'd1;
    end
    assign cnt_o = cnt_q;

endmodule
