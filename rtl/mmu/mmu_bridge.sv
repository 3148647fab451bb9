`timescale 1ns/1ps
// mmu_bridge: the core's memory port through the two-stage MMU (mmu.sv).
// Sits between the core's virtual-address bus and the physical SoC bus
// (same handshake on both sides: request held until ack; err with ack is an
// abort). Implements the VMSA enables of ARM ARM ARMv7-A/R B3.1/B3.2: an
// access is translated when its regime has translation on -- HSCTLR.M for
// Hyp mode, SCTLR.M or HCR.VM for PL1&0 -- and otherwise passes straight
// through in the same cycle (no added latency with the MMU off). HCR.DC
// makes PL1&0 stage 1 behave as off and stage 2 as on (its memory-type
// effect has nothing to act on: no caches).
//   * translated access: MMU request, table walks served on the physical bus
//     (each 64-bit descriptor as two 32-bit reads, low word first), then the
//     access at the PA; an MMU fault answers ack+err with fault_o set and the
//     fault syndrome on flt_*_o (valid in that cycle); a PA >= 4 GB answers
//     ack+err without fault_o (an external abort: nothing is there).
//   * maintenance (B4.2.2/B4.2.3): TLBI operations and ATS requests from
//     CP15 while the core waits in execute; m_done_o ends them, with the
//     64-bit PAR for an ATS.
//   * broadcast (issue 14, B4.2.2 Inner Shareable forms; HCR.FB, B4.1.65, makes
//     every TLBI at Non-secure PL1 one): bc_*_o pulses for one cycle with the
//     operation, its operand and this core's VMID (VTTBR.VMID) in the cycle the
//     local TLB invalidates; the SoC feeds it to the other cores' ext_* inputs,
//     which invalidate in that same cycle. So the broadcast is complete when the
//     issuing instruction completes, and a DSB after it has nothing to wait for.
// Left out: a micro-TLB in front of the MMU (every translated access takes
// the MMU's lookup cycles), memory attributes on the bus (the SoC has no
// caches), short descriptors (as mmu.sv), BPIALL/ICIALLU broadcast (no
// branch predictor or caches to maintain).
module mmu_bridge #(
  parameter int TLB_ENTRIES = 16,
  parameter int NEXT = 1               // broadcast invalidate ports (mmu NEXT)
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  // system registers
  input  logic        sctlr_m_i,
  input  logic [31:0] ttbcr_i,
  input  logic [63:0] ttbr0_i,
  input  logic [63:0] ttbr1_i,
  input  logic [31:0] mair0_i,
  input  logic [31:0] mair1_i,
  input  logic        hsctlr_m_i,
  input  logic [31:0] htcr_i,
  input  logic [63:0] httbr_i,
  input  logic [31:0] hmair0_i,
  input  logic [31:0] hmair1_i,
  input  logic        hcr_vm_i,
  input  logic        hcr_ptw_i,
  input  logic        hcr_dc_i,
  input  logic        hcr_fb_i,
  input  logic [31:0] vtcr_i,
  input  logic [63:0] vttbr_i,
  // core side: virtual addresses
  input  logic        v_req_i,
  input  logic        v_we_i,
  input  logic        v_instr_i,
  input  logic [31:0] v_addr_i,
  input  logic [3:0]  v_be_i,
  input  logic [31:0] v_wdata_i,
  input  logic [1:0]  v_pl_i,          // 0 unprivileged, 1 PL1, 2 Hyp mode
  output logic        v_ack_o,
  output logic        v_err_o,
  output logic [31:0] v_rdata_o,
  output logic        fault_o,         // with v_err_o: the MMU faulted (flt_* below)
  output logic        flt_to_hyp_o,
  output logic        flt_stage2_o,
  output logic        flt_s1ptw_o,
  output logic [5:0]  flt_ec_o,
  output logic [24:0] flt_iss_o,       // EA, S1PTW, WnR, FSC
  output logic [31:0] flt_fsr_o,       // DFSR/IFSR, long-descriptor format
  output logic [31:0] flt_hpfar_o,
  // a PL1&0 request with stage 1 on and TTBCR.EAE=0: short-descriptor tables, which
  // this MMU does not implement (the testbench stops the run on it)
  output logic        short_desc_o,
  // maintenance from CP15
  input  logic        m_valid_i,
  input  logic        m_tlbi_i,
  input  logic [3:0]  m_tlbi_op_i,
  input  logic [1:0]  m_ats_kind_i,
  input  logic [1:0]  m_ats_pl_i,
  input  logic [1:0]  m_ats_op_i,
  input  logic [31:0] m_data_i,
  output logic        m_done_o,
  output logic [63:0] m_par_o,
  // TLB maintenance broadcast: this core's (one-cycle pulse), the other cores' (mmu ext_*)
  output logic        bc_o,
  output logic [2:0]  bc_op_o,
  output logic [31:0] bc_data_o,
  output logic [7:0]  bc_vmid_o,
  input  logic [NEXT-1:0]    ext_inv_i,
  input  logic [NEXT*3-1:0]  ext_op_i,
  input  logic [NEXT*32-1:0] ext_data_i,
  input  logic [NEXT*8-1:0]  ext_vmid_i,
  // physical SoC bus
  output logic        p_req_o,
  output logic        p_we_o,
  output logic        p_instr_o,
  output logic [31:0] p_addr_o,
  output logic [3:0]  p_be_o,
  output logic [31:0] p_wdata_o,
  input  logic        p_ack_i,
  input  logic        p_err_i,
  input  logic [31:0] p_rdata_i
);
  localparam logic [1:0] B_IDLE = 2'd0, B_XLAT = 2'd1, B_WALK_HI = 2'd2, B_ACCESS = 2'd3;
  localparam logic [1:0] K_LOAD = 2'd0, K_STORE = 2'd1, K_FETCH = 2'd2;

  logic [1:0]  state_q, state_d;
  logic [31:0] pa_q, pa_d;             // physical word address of the access
  logic [31:0] lo_q, lo_d;             // first word of a descriptor read
  logic        lo_err_q, lo_err_d;
  logic        ats_q, ats_d;           // the MMU request is an ATS

  // HCR.DC (B4.1.65): PL1&0 stage 1 behaves as off and stage 2 as on
  wire s1_m = sctlr_m_i && !hcr_dc_i;
  assign short_desc_o = v_req_i && v_pl_i != 2'd2 && s1_m && !ttbcr_i[31];
  wire s2_vm = hcr_vm_i || hcr_dc_i;
  // translation regime on (B3.1): Hyp mode by HSCTLR.M, PL1&0 by SCTLR.M or HCR.VM
  wire xlat_on = (v_pl_i == 2'd2) ? hsctlr_m_i : (s1_m || s2_vm);

  // ---------------------------------------------------------------- MMU
  logic        mmu_req, mmu_ready, rsp_valid, rsp_fault, hpfar_valid, tlbi_valid, tlbi_ready;
  logic [31:0] mmu_va;
  logic [1:0]  mmu_kind, mmu_pl, mmu_op;
  logic [39:0] rsp_pa;
  logic [31:0] rsp_far;
  logic [63:0] rsp_par;
  logic        mem_req, mem_ack, mem_err;
  logic [39:3] mem_addr;
  logic [7:0]  rsp_attr;
  logic [1:0]  rsp_sh, rsp_s2sh;
  logic [3:0]  rsp_s2attr;
  logic        rsp_tlb_hit;
  logic [5:0]  rsp_fs;

  mmu #(.TLB_ENTRIES(TLB_ENTRIES), .NEXT(NEXT)) u_mmu (
    .clk_i, .rst_ni,
    .sctlr_m_i(s1_m), .ttbcr_i, .ttbr0_i, .ttbr1_i, .mair0_i, .mair1_i,
    .hsctlr_m_i, .htcr_i, .httbr_i, .hmair0_i, .hmair1_i,
    .hcr_vm_i(s2_vm), .hcr_ptw_i, .vtcr_i, .vttbr_i,
    .req_valid_i(mmu_req), .req_ready_o(mmu_ready), .req_va_i(mmu_va), .req_kind_i(mmu_kind),
    .req_pl_i(mmu_pl), .req_op_i(mmu_op),
    .rsp_valid_o(rsp_valid), .rsp_fault_o(rsp_fault), .rsp_pa_o(rsp_pa), .rsp_attr_o(rsp_attr),
    .rsp_sh_o(rsp_sh), .rsp_s2attr_o(rsp_s2attr), .rsp_s2sh_o(rsp_s2sh),
    .rsp_tlb_hit_o(rsp_tlb_hit), .rsp_fs_o(rsp_fs), .rsp_stage2_o(flt_stage2_o),
    .rsp_s1ptw_o(flt_s1ptw_o), .rsp_to_hyp_o(flt_to_hyp_o), .rsp_hsr_ec_o(flt_ec_o),
    .rsp_hsr_iss_o(flt_iss_o), .rsp_fsr_o(flt_fsr_o), .rsp_far_o(rsp_far),
    .rsp_hpfar_o(flt_hpfar_o), .rsp_hpfar_valid_o(hpfar_valid), .rsp_par_o(rsp_par),
    .mem_req_o(mem_req), .mem_addr_o(mem_addr), .mem_ack_i(mem_ack),
    .mem_rdata_i(walk_rdata), .mem_err_i(mem_err),
    .tlbi_valid_i(tlbi_valid), .tlbi_ready_o(tlbi_ready), .tlbi_op_i(m_tlbi_op_i),
    .tlbi_data_i(tlbi_data),
    .ext_inv_i, .ext_op_i, .ext_data_i, .ext_vmid_i
  );
  // broadcast: an IS form, or any TLBI at PL1 with HCR.FB, in the cycle it invalidates here
  assign bc_o      = tlbi_valid && tlbi_ready && (m_tlbi_op_i[3] || (hcr_fb_i && v_pl_i == 2'd1));
  assign bc_op_o   = m_tlbi_op_i[2:0];
  assign bc_data_o = tlbi_data;
  assign bc_vmid_o = vttbr_i[55:48];
  assign m_par_o = rsp_par;
  // The MMU's inputs stay constant unless it is used, so that an event-driven
  // simulator does not re-evaluate it on every bus cycle of untranslated code.
  logic [63:0] walk_rdata;
  logic [31:0] tlbi_data;
  assign walk_rdata = (state_q == B_WALK_HI) ? {p_rdata_i, lo_q} : 64'd0;
  assign tlbi_data  = (m_valid_i && m_tlbi_i) ? m_data_i : 32'd0;

  // ---------------------------------------------------------------- control
  always @(*) begin
    state_d = state_q; pa_d = pa_q; lo_d = lo_q; lo_err_d = lo_err_q; ats_d = ats_q;
    mmu_req = 1'b0; mmu_va = 32'd0; mmu_pl = 2'd0; mmu_op = 2'd0; mmu_kind = K_LOAD;
    tlbi_valid = 1'b0; mem_ack = 1'b0; mem_err = 1'b0;
    m_done_o = 1'b0; fault_o = 1'b0;
    // default: the core's request passes through untranslated
    p_req_o = 1'b0; p_we_o = v_we_i; p_instr_o = v_instr_i; p_addr_o = v_addr_i;
    p_be_o = v_be_i; p_wdata_o = v_wdata_i;
    v_ack_o = 1'b0; v_err_o = 1'b0;
    case (state_q)
      B_IDLE: begin
        if (v_req_i && !xlat_on) begin
          p_req_o = 1'b1; v_ack_o = p_ack_i; v_err_o = p_err_i;
        end else if (v_req_i) begin
          mmu_req = 1'b1; ats_d = 1'b0;
          mmu_va = v_addr_i; mmu_pl = v_pl_i;
          mmu_kind = v_instr_i ? K_FETCH : v_we_i ? K_STORE : K_LOAD;
          if (mmu_ready) state_d = B_XLAT;
        end else if (m_valid_i && m_tlbi_i) begin
          tlbi_valid = 1'b1;
          m_done_o = tlbi_ready;
        end else if (m_valid_i) begin
          mmu_req = 1'b1; ats_d = 1'b1;
          mmu_va = m_data_i; mmu_kind = m_ats_kind_i; mmu_pl = m_ats_pl_i; mmu_op = m_ats_op_i;
          if (mmu_ready) state_d = B_XLAT;
        end
      end
      B_XLAT: begin
        if (mem_req) begin
          // first word of a descriptor
          p_req_o = 1'b1; p_we_o = 1'b0; p_instr_o = 1'b0; p_be_o = 4'hf;
          p_addr_o = {mem_addr[31:3], 3'b000};
          if (p_ack_i) begin
            lo_d = p_rdata_i; lo_err_d = p_err_i || (mem_addr[39:32] != 8'd0);
            state_d = B_WALK_HI;
          end
        end else if (rsp_valid) begin
          state_d = B_IDLE;
          if (ats_q) begin
            m_done_o = 1'b1;
          end else if (rsp_fault || rsp_pa[39:32] != 8'd0) begin
            v_ack_o = 1'b1; v_err_o = 1'b1; fault_o = rsp_fault;
          end else begin
            pa_d = rsp_pa[31:0];
            state_d = B_ACCESS;
          end
        end
      end
      B_WALK_HI: begin
        p_req_o = 1'b1; p_we_o = 1'b0; p_instr_o = 1'b0; p_be_o = 4'hf;
        p_addr_o = {mem_addr[31:3], 3'b100};
        if (p_ack_i) begin
          mem_ack = 1'b1; mem_err = p_err_i || lo_err_q;
          state_d = B_XLAT;
        end
      end
      default: begin   // B_ACCESS
        p_req_o = 1'b1; p_addr_o = pa_q;
        v_ack_o = p_ack_i; v_err_o = p_err_i;
        if (p_ack_i) state_d = B_IDLE;
      end
    endcase
  end
  assign v_rdata_o = p_rdata_i;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= B_IDLE; pa_q <= 32'd0; lo_q <= 32'd0; lo_err_q <= 1'b0; ats_q <= 1'b0;
    end else begin
      state_q <= state_d; pa_q <= pa_d; lo_q <= lo_d; lo_err_q <= lo_err_d; ats_q <= ats_d;
    end
  end

  logic unused;
  assign unused = ^{rsp_far, hpfar_valid, rsp_attr, rsp_sh, rsp_s2attr, rsp_s2sh, rsp_tlb_hit,
                    rsp_fs};
endmodule
