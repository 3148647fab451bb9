`timescale 1ns/1ps
// arm_lsu -- arm_core's memory-beat engine and its side of the bus to the MMU
// bridge (rtl/mmu/mmu_bridge.sv: virtual addresses, request held until ack).
//   ARM ARM A3.2 (alignment: unaligned LDR/STR word and halfword accesses are
//   split into two word beats here), A8.8.58/A8.8.189 LDM/STM (one word beat
//   per listed register, lowest first, B9.3.6/B9.3.7 for the User-register
//   and exception-return forms), B9.3.16/B9.3.13 SRS/RFE, A8.8.332/A8.8.333
//   VLDM/VSTM and VLDR/VSTR (one beat per 32-bit word of the VFP file).
// The controller (arm_core) starts an operation with start_i and the set-up
// of its execute cycle; while active_i (its S_MEM) each ack completes a beat
// or, for a split access, its first half. The engine keeps the operation's
// registers, walks the register list / VFP words, forms byte enables, store
// lanes and the extracted load value; what a completed beat does to the
// architectural state (register, PC, CPSR, VFP writes, write-back, aborts)
// is the controller's.
// Left out: big-endian data, alignment faults (unaligned accesses always
// split), LDM/STM beats wider than a word, bursts.
module arm_lsu
  import arm_pkg::*;
(
  input  logic        clk_i,
  input  logic        rst_ni,
  // start of an operation (the execute cycle that goes to S_MEM) and its set-up
  input  logic        start_i,
  input  mkind_e      kind_i,
  input  logic        load_i,
  input  logic [31:0] addr_i,
  input  logic [15:0] list_i,
  input  logic        user_i,       // transfer the User-mode bank
  input  logic [1:0]  size_i,       // 0 byte, 1 half, 2 word (M_SINGLE)
  input  logic        signed_i,
  input  logic        excl_i,
  input  logic [3:0]  strex_rd_i,
  input  logic        eret_i,       // LDM^ with PC: CPSR <= SPSR at the end
  input  logic [31:0] spsr_i,       // the SPSR for that return
  input  logic [5:0]  vidx_i,       // M_VFP: first VFP word
  input  logic [6:0]  vcnt_i,       // M_VFP: words to transfer
  input  logic        rev_i,        // M_MULTI: highest register first (T32 LDRD/STRD with Rt2 < Rt)
  input  logic        dup_i,        // M_MULTI: the one listed register twice (T32 STRD/STREXD, Rt2 = Rt)
  // the controller's state and what the beats need from the core
  input  logic        active_i,     // S_MEM
  input  logic        fetch_i,      // an instruction fetch request (S_FETCH, no interrupt taken)
  input  logic [31:2] pc_i,         // the fetch address (word)
  input  logic [31:0] pc8_i,        // R15 as a stored value
  input  logic [4:0]  mode_i,
  input  logic [3:0]  base_reg_i,   // Rn of the instruction
  input  logic        is_ldm_i,     // the instruction is LDM/STM (A5.5)
  input  logic [31:0] rx_rdata_i,   // the register of this beat (controller's rx port)
  input  logic [31:0] v_rdata_i,    // the VFP word of this beat
  // bus to the MMU bridge
  output logic        vb_req_o,
  output logic        vb_we_o,
  output logic        vb_instr_o,
  output logic [31:0] vb_addr_o,
  output logic [3:0]  vb_be_o,
  output logic [31:0] vb_wdata_o,
  input  logic        vb_ack_i,
  input  logic        vb_err_i,
  input  logic [31:0] vb_rdata_i,
  // the operation, for the controller
  output mkind_e      kind_o,
  output logic        load_o,
  output logic        signed_o,
  output logic [1:0]  size_o,
  output logic        excl_o,
  output logic        eret_o,
  output logic [31:0] spsr_o,
  output logic [3:0]  strex_rd_o,
  output logic [31:0] addr_o,         // byte address of the current beat
  output logic        list0_o,        // M_SRS/M_RFE: the first of the two beats
  output logic [5:0]  vidx_o,         // VFP word of the current beat
  output logic [3:0]  beat_reg_o,     // register of the current beat
  output logic [5:0]  beat_idx_o,     // ... its physical index
  output logic [31:0] load_val_o,     // load data, extracted and extended
  output logic        split_first_o,  // an ack now completes only the first half of a split access
  output logic        last_beat_o,
  output logic        base_loaded_o   // LDM has loaded its base register (incl. this beat)
);
  // ---------------------------------------------------------------- state
  mkind_e      mkind_q, mkind_d;
  logic        mload_q, mload_d;
  logic [31:0] maddr_q, maddr_d;       // address of the current beat (byte addr)
  logic [15:0] mlist_q, mlist_d;       // registers still to transfer
  logic        muser_q, muser_d;
  logic [1:0]  msize_q, msize_d;
  logic        msigned_q, msigned_d;
  logic        msplit_q, msplit_d;     // second beat of a split access pending
  logic [31:0] mlow_q, mlow_d;         // first beat data of a split load
  logic        mexcl_q, mexcl_d;       // LDREX*/STREX*
  logic [3:0]  mstrex_rd_q, mstrex_rd_d;
  logic        meret_q, meret_d;
  logic        mbase_loaded_q, mbase_loaded_d;
  logic [31:0] mspsr_q, mspsr_d;
  logic [5:0]  mvidx_q, mvidx_d;
  logic [6:0]  mvcnt_q, mvcnt_d;

  function automatic logic [3:0] lowest_reg(input logic [15:0] l);
    for (int i = 0; i < 16; i++) if (l[i]) return i[3:0];
    return 4'd0;
  endfunction

  function automatic logic [3:0] highest_reg(input logic [15:0] l);
    for (int i = 15; i >= 0; i--) if (l[i]) return i[3:0];
    return 4'd0;
  endfunction
  logic        mrev_q, mrev_d;
  logic        mdup_q, mdup_d;       // the listed register has a second beat to go

  // ---------------------------------------------------------------- the current beat
  logic [3:0]  beat_reg;
  logic [5:0]  beat_idx;
  logic [31:0] beat_store_val;
  logic [63:0] lane_data;
  logic [7:0]  lane_be;
  logic [3:0]  size_mask;
  logic [1:0]  boff;
  logic        need_split;
  logic [31:0] load_val, load_raw;
  logic [63:0] load_wide;
  logic        last_beat;

  wire [3:0] list_lo = lowest_reg(mlist_q);
  wire [3:0] list_hi = highest_reg(mlist_q);
  assign beat_reg = mrev_q ? list_hi : list_lo;
  assign beat_idx = phys_gpr(muser_q ? MODE_USR : mode_i, beat_reg);

  always @(*) begin
    boff = maddr_q[1:0];
    case (msize_q)
      2'd0: size_mask = 4'b0001;
      2'd1: size_mask = 4'b0011;
      default: size_mask = 4'b1111;
    endcase
    if (mkind_q != M_SINGLE) size_mask = 4'b1111;
    need_split = (mkind_q == M_SINGLE) && ({1'b0, boff} + {1'b0, (msize_q == 2'd0) ? 2'd0 : (msize_q == 2'd1) ? 2'd1 : 2'd3}) > 3'd3;
    lane_be = {4'd0, size_mask} << boff;
    if (mkind_q != M_SINGLE) lane_be = 8'h0f;
  end

  always @(*) begin
    beat_store_val = (mkind_q == M_VFP) ? v_rdata_i : (beat_reg == 4'd15) ? pc8_i : rx_rdata_i;
    lane_data = {32'd0, beat_store_val} << {boff, 3'b000};
    if (mkind_q != M_SINGLE) lane_data = {32'd0, beat_store_val};
    // load data extraction
    load_wide = {vb_rdata_i, mlow_q} >> {boff, 3'b000};
    load_raw = msplit_q ? load_wide[31:0] : (vb_rdata_i >> {boff, 3'b000});
    if (mkind_q != M_SINGLE) load_raw = vb_rdata_i;
    case (msize_q)
      2'd0: load_val = msigned_q ? {{24{load_raw[7]}}, load_raw[7:0]} : {24'd0, load_raw[7:0]};
      2'd1: load_val = msigned_q ? {{16{load_raw[15]}}, load_raw[15:0]} : {16'd0, load_raw[15:0]};
      default: load_val = load_raw;
    endcase
    if (mkind_q != M_SINGLE) load_val = vb_rdata_i;
    last_beat = (mkind_q == M_SINGLE) ? (!need_split || msplit_q)
              : (mkind_q == M_VFP)    ? (mvcnt_q == 7'd1)
                                      : (mlist_q == (16'h1 << beat_reg)) && !mdup_q;
  end

  // ---------------------------------------------------------------- bus
  // instruction fetch at the PC, else the beat of an active operation
  always @(*) begin
    vb_req_o = 1'b0; vb_we_o = 1'b0; vb_instr_o = 1'b0;
    vb_addr_o = {pc_i, 2'b00}; vb_be_o = 4'hf; vb_wdata_o = 32'd0;
    if (fetch_i) begin
      vb_req_o = 1'b1; vb_instr_o = 1'b1;
    end else if (active_i) begin
      vb_req_o = 1'b1;
      vb_we_o = ~mload_q;
      vb_addr_o = {maddr_q[31:2], 2'b00} + (msplit_q ? 32'd4 : 32'd0);
      vb_be_o = msplit_q ? lane_be[7:4] : lane_be[3:0];
      vb_wdata_o = msplit_q ? lane_data[63:32] : lane_data[31:0];
    end
  end

  // ---------------------------------------------------------------- next state
  // a completed beat of LDM that loads its own base register
  wire beat_done = active_i && vb_ack_i && !vb_err_i && !(need_split && !msplit_q);
  wire base_set  = beat_done && mkind_q == M_MULTI && mload_q && beat_reg != 4'd15
                   && beat_reg == base_reg_i && is_ldm_i;

  always @(*) begin
    mrev_d = mrev_q; mdup_d = mdup_q;
    mkind_d = mkind_q; mload_d = mload_q; maddr_d = maddr_q; mlist_d = mlist_q;
    muser_d = muser_q; msize_d = msize_q; msigned_d = msigned_q; msplit_d = msplit_q;
    mlow_d = mlow_q; mexcl_d = mexcl_q; mstrex_rd_d = mstrex_rd_q; meret_d = meret_q;
    mbase_loaded_d = mbase_loaded_q; mspsr_d = mspsr_q;
    mvidx_d = mvidx_q; mvcnt_d = mvcnt_q;
    if (start_i) begin
      // (a case, not an assignment: Icarus 11 drops the enum type of an enum
      // port and has no enum casts)
      case (kind_i)
        M_MULTI: mkind_d = M_MULTI;
        M_SRS:   mkind_d = M_SRS;
        M_RFE:   mkind_d = M_RFE;
        M_VFP:   mkind_d = M_VFP;
        default: mkind_d = M_SINGLE;
      endcase
      mload_d = load_i; maddr_d = addr_i; mlist_d = list_i; mrev_d = rev_i; mdup_d = dup_i;
      muser_d = user_i; msize_d = size_i; msigned_d = signed_i; msplit_d = 1'b0;
      mexcl_d = excl_i; mstrex_rd_d = strex_rd_i; meret_d = eret_i;
      mbase_loaded_d = 1'b0;
      mspsr_d = spsr_i;
      mvidx_d = vidx_i; mvcnt_d = vcnt_i;
    end else if (active_i && vb_ack_i && !vb_err_i) begin
      if (need_split && !msplit_q) begin
        msplit_d = 1'b1;
        mlow_d = vb_rdata_i;
      end else begin
        // beat complete
        if (mkind_q == M_VFP) begin
          mvidx_d = mvidx_q + 6'd1;
          mvcnt_d = mvcnt_q - 7'd1;
        end
        if (base_set) mbase_loaded_d = 1'b1;
        msplit_d = 1'b0;
        if (mdup_q) mdup_d = 1'b0;
        else mlist_d = mlist_q & ~(16'h1 << beat_reg);
        maddr_d = {maddr_q[31:2], 2'b00} + 32'd4;
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      mkind_q <= M_SINGLE; mload_q <= 1'b0; maddr_q <= 32'd0; mlist_q <= 16'd0;
      muser_q <= 1'b0; msize_q <= 2'd2; msigned_q <= 1'b0; msplit_q <= 1'b0; mlow_q <= 32'd0;
      mexcl_q <= 1'b0; mstrex_rd_q <= 4'd0; meret_q <= 1'b0; mbase_loaded_q <= 1'b0;
      mspsr_q <= 32'd0; mvidx_q <= 6'd0; mvcnt_q <= 7'd0; mrev_q <= 1'b0;
      mdup_q <= 1'b0;
    end else begin
      mrev_q <= mrev_d; mdup_q <= mdup_d;
      mkind_q <= mkind_d; mload_q <= mload_d; maddr_q <= maddr_d; mlist_q <= mlist_d;
      muser_q <= muser_d; msize_q <= msize_d; msigned_q <= msigned_d; msplit_q <= msplit_d;
      mlow_q <= mlow_d; mexcl_q <= mexcl_d; mstrex_rd_q <= mstrex_rd_d; meret_q <= meret_d;
      mbase_loaded_q <= mbase_loaded_d; mspsr_q <= mspsr_d;
      mvidx_q <= mvidx_d; mvcnt_q <= mvcnt_d;
    end
  end

  // ---------------------------------------------------------------- outputs
  assign kind_o        = mkind_q;
  assign load_o        = mload_q;
  assign signed_o      = msigned_q;
  assign size_o        = msize_q;
  assign excl_o        = mexcl_q;
  assign eret_o        = meret_q;
  assign spsr_o        = mspsr_q;
  assign strex_rd_o    = mstrex_rd_q;
  assign addr_o        = maddr_q;
  assign list0_o       = mlist_q[0];
  assign vidx_o        = mvidx_q;
  assign beat_reg_o    = beat_reg;
  assign beat_idx_o    = beat_idx;
  assign load_val_o    = load_val;
  assign split_first_o = need_split && !msplit_q;
  assign last_beat_o   = last_beat;
  assign base_loaded_o = mbase_loaded_q || base_set;

  // ---------------------------------------------------------------- assertions
  // A split access is a single load/store, and a beat of a register list names a listed register.
  always @(posedge clk_i) begin
    if (rst_ni && active_i)
      assert (!msplit_q || mkind_q == M_SINGLE)
      else $fatal(1, "arm_lsu: second half of a split access outside a single load/store");
    if (rst_ni && active_i && (mkind_q == M_MULTI || mkind_q == M_SRS || mkind_q == M_RFE))
      assert (mlist_q[beat_reg])
      else $fatal(1, "arm_lsu: a register-list beat with an empty list (0x%04x)", mlist_q);
  end
endmodule
