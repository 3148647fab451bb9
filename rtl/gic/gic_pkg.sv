`timescale 1ns/1ps
// gic_pkg -- types and constants of the GICv2 with virtualization extensions
// (ARM IHI0048B): bus frame numbers, register offsets of GICD (4.3), GICC
// (4.4), GICH (5.3) and GICV (5.5) as this implementation decodes them, the
// identification values it reports (QEMU's), the list register layout
// (5.3.11) as a packed struct, and the priority helpers shared by the
// physical and the virtual CPU interface (3.3).
//
// Left out: offsets of registers this implementation does not decode (the ID
// registers at 0xFD0-0xFFC, GICD_NSACR, GICD_IGROUPR, which reads as zero by
// the default of the read mux) are not listed.
package gic_pkg;

  // ------------------------------------------------------------ bus frames
  // gic_top's frame_i: which of the four register frames an access targets.
  localparam logic [1:0] FR_GICD = 2'd0;
  localparam logic [1:0] FR_GICC = 2'd1;
  localparam logic [1:0] FR_GICH = 2'd2;
  localparam logic [1:0] FR_GICV = 2'd3;

  localparam logic [9:0] SPURIOUS = 10'd1023;   // interrupt ID read when none is pending

  // -------------------------------------------- GICD offsets (IHI0048B 4.3)
  localparam logic [12:0] GICD_CTLR       = 13'h000;
  localparam logic [12:0] GICD_TYPER      = 13'h004;
  localparam logic [12:0] GICD_IIDR       = 13'h008;
  localparam logic [12:0] GICD_ISENABLER  = 13'h100;   // .. ICENABLER 0x180
  localparam logic [12:0] GICD_ISPENDR    = 13'h200;   // .. ICPENDR 0x280
  localparam logic [12:0] GICD_ISACTIVER  = 13'h300;   // .. ICACTIVER 0x380
  localparam logic [12:0] GICD_IPRIORITYR = 13'h400;
  localparam logic [12:0] GICD_ITARGETSR  = 13'h800;
  localparam logic [12:0] GICD_ITARGETSR8 = 13'h820;   // first SPI targets word
  localparam logic [12:0] GICD_ICFGR      = 13'hc00;
  localparam logic [12:0] GICD_ICFGR2     = 13'hc08;   // first SPI configuration word
  localparam logic [12:0] GICD_END        = 13'hd00;   // end of the ICFGR array (256 IDs)
  localparam logic [12:0] GICD_SGIR       = 13'hf00;
  localparam logic [12:0] GICD_CPENDSGIR  = 13'hf10;   // .. SPENDSGIR 0xF20..0xF2C
  localparam logic [12:0] GICD_SGI_END    = 13'hf30;
  localparam logic [31:0] GICD_IIDR_VAL   = 32'h0000_043b;
  localparam logic [31:0] GICD_ICFGR0_VAL = 32'haaaa_aaaa; // SGIs: edge, read-only

  // -------------------------------- GICC / GICV offsets (IHI0048B 4.4, 5.5)
  // The virtual CPU interface has the same layout as the physical one.
  localparam logic [12:0] GICC_CTLR   = 13'h000;
  localparam logic [12:0] GICC_PMR    = 13'h004;
  localparam logic [12:0] GICC_BPR    = 13'h008;
  localparam logic [12:0] GICC_IAR    = 13'h00c;
  localparam logic [12:0] GICC_EOIR   = 13'h010;
  localparam logic [12:0] GICC_RPR    = 13'h014;
  localparam logic [12:0] GICC_HPPIR  = 13'h018;
  localparam logic [12:0] GICC_ABPR   = 13'h01c;
  localparam logic [12:0] GICC_AIAR   = 13'h020;
  localparam logic [12:0] GICC_AHPPIR = 13'h028;
  localparam logic [12:0] GICC_APR0   = 13'h0d0;   // .. APR3 0x0DC
  localparam logic [12:0] GICC_APR_END = 13'h0e0;
  localparam logic [12:0] GICC_IIDR   = 13'h0fc;
  localparam logic [12:0] GICC_DIR    = 13'h1000;
  localparam logic [31:0] GICC_IIDR_VAL = 32'h0002_043b;

  // ------------------------------------------ GICH offsets (IHI0048B 5.3)
  localparam logic [12:0] GICH_HCR   = 13'h000;
  localparam logic [12:0] GICH_VTR   = 13'h004;
  localparam logic [12:0] GICH_VMCR  = 13'h008;
  localparam logic [12:0] GICH_MISR  = 13'h010;
  localparam logic [12:0] GICH_EISR0 = 13'h020;
  localparam logic [12:0] GICH_ELRSR0 = 13'h030;
  localparam logic [12:0] GICH_APR   = 13'h0f0;
  localparam logic [12:0] GICH_LR0   = 13'h100;   // .. LR3 0x10C
  localparam logic [12:0] GICH_LR_END = 13'h110;
  // VTR: PRIbits-1 = 4 (5 bits), PREbits-1 = 4, ListRegs-1 = 3
  localparam logic [31:0] GICH_VTR_VAL = 32'h9000_0003;

  // --------------------------------------------- list registers (5.3.11)
  localparam int NLR = 4;

  typedef enum logic [1:0] {
    LR_INVALID        = 2'b00,
    LR_PENDING        = 2'b01,
    LR_ACTIVE         = 2'b10,
    LR_PENDING_ACTIVE = 2'b11
  } gic_lr_state_e;

  // GICH_LRn, most significant field first. physical_id is the PhysicalID
  // when hw = 1; when hw = 0 its bit 9 is EOI (maintenance on deactivation)
  // and its bits 2:0 are the CPUID of an SGI (lr_eoi, lr_cpuid). Bits 22:20
  // are reserved: writes clear them (LR_WRITE_MASK).
  typedef struct packed {
    logic       hw;
    logic       grp1;
    logic [1:0] state;          // gic_lr_state_e
    logic [4:0] prio;           // Priority: the upper 5 bits of an 8-bit priority
    logic [2:0] reserved;
    logic [9:0] physical_id;
    logic [9:0] virtual_id;
  } gic_lr_t;

  localparam logic [31:0] LR_WRITE_MASK = 32'hff8f_ffff;

  function automatic logic lr_eoi(gic_lr_t lr);
    return lr.physical_id[9];
  endfunction

  function automatic logic [2:0] lr_cpuid(gic_lr_t lr);
    return lr.physical_id[2:0];
  endfunction

  // ------------------------------------------------------ priorities (3.3)
  // Group-priority mask for a binary point: the bits above BPR+1 (3.3.3).
  function automatic logic [7:0] group_mask(logic [2:0] bpr);
    return 8'hff << ({1'b0, bpr} + 4'd1);
  endfunction

  // GICC_CTLR / GICV_CTLR / GICH_VMCR control bits as stored, 6 bits:
  // {EOImode, CBPR, FIQEn, AckCtl, EnableGrp1, EnableGrp0}
  localparam int CTLR_EN0     = 0;
  localparam int CTLR_FIQEN   = 3;
  localparam int CTLR_CBPR    = 4;
  localparam int CTLR_EOIMODE = 5;

endpackage
