@ One or more T32 instructions of each encoding class arm_t32_expand handles
@ (tests/test_t32_expand.py reads them back through objdump).
	.syntax unified
	.thumb
	.text
	.global t32x_directed
t32x_directed:
	@ 16-bit shift/add/sub/mov/cmp immediate, inside and outside IT
	lsls r0, r1, #3
	lsrs r2, r3, #32
	asrs r4, r5, #1
	movs r6, r7
	adds r0, r1, r2
	subs r3, r4, r5
	adds r0, r1, #7
	subs r2, r3, #1
	movs r4, #200
	cmp r5, #17
	adds r6, #255
	subs r7, #1
	ittee eq
	addeq r0, r1, r2
	lsleq r1, r2, #4
	movne r3, #9
	subne r4, #1
	@ 16-bit data processing register
	ands r0, r1
	eors r2, r3
	lsls r4, r5
	lsrs r6, r7
	asrs r0, r1
	adcs r2, r3
	sbcs r4, r5
	rors r6, r7
	tst r0, r1
	negs r2, r3
	cmp r4, r5
	cmn r6, r7
	orrs r0, r1
	muls r2, r3, r2
	bics r4, r5
	mvns r6, r7
	itt gt
	andgt r0, r1
	mulgt r2, r3, r2
	@ special data processing, BX/BLX
	add r8, r1
	add r0, sp
	add sp, r2
	add r1, pc
	cmp r8, r9
	mov r10, r3
	mov sp, r7
	bx lr
	blx r3
	@ loads/stores
	ldr r0, [pc, #12]
	str r0, [r1, r2]
	strh r3, [r4, r5]
	strb r6, [r7, r0]
	ldrsb r1, [r2, r3]
	ldr r4, [r5, r6]
	ldrh r7, [r0, r1]
	ldrb r2, [r3, r4]
	ldrsh r5, [r6, r7]
	str r0, [r1, #124]
	ldr r2, [r3, #4]
	strb r4, [r5, #31]
	ldrb r6, [r7, #1]
	strh r0, [r1, #62]
	ldrh r2, [r3, #2]
	str r4, [sp, #1020]
	ldr r5, [sp, #8]
	adr r0, t32x_lit
	add r1, sp, #1020
	add r2, sp, #256
	add sp, #508
	sub sp, #16
	@ misc
	sxth r0, r1
	sxtb r2, r3
	uxth r4, r5
	uxtb r6, r7
	push {r4, lr}
	push {r0}
	push {lr}
	pop {r4, pc}
	pop {r1}
	pop {pc}
	rev r0, r1
	rev16 r2, r3
	revsh r4, r5
	cpsid i
	cpsie aif
	bkpt 0x12
	nop
	yield
	wfe
	wfi
	sev
	stmia r0!, {r1, r2}
	ldmia r3!, {r4, r5}
	ldmia r3, {r3, r5}
	svc 0x42
	udf 0x17
	@ branches
	beq.n 1f
	b.n 1f
	cbz r0, 1f
	cbnz r7, 1f
1:	bne.w t32x_directed
	b.w t32x_far
	bl t32x_directed
	blx t32x_arm
	it eq
	beq.w t32x_directed
	@ 32-bit data processing, modified immediate
	and r0, r1, #0xff
	ands r2, r3, #0x00ab00ab
	bic r4, r5, #0xff000000
	orr r6, r7, #0x100
	orrs r8, r9, #0xabababab
	orn r10, r11, #0x3fc
	orns r0, r1, #0x80000000
	@ ORN (register), every shift (op2_inv_o side band)
	orn r1, r2, r3
	orns r1, r4, r1, asr #29
	orn r5, r6, r7, lsl #1
	orns r8, r9, r10, lsr #32
	orn r11, r12, lr, ror #7
	orns r0, r1, r2, rrx
	it ge
	ornsge r1, r4, r1, lsr #3
	mvn r2, #0x7f800000
	mov.w r3, #0xff00ff00
	movs.w r4, #0x80000000
	eor r5, r6, #0x3c0
	teq r7, #0x10000
	tst r8, #0x00010001
	add.w r9, r10, #4
	adds.w r0, sp, #8
	adc r1, r2, #0xff00
	sbc r3, r4, #0x1fe
	sub.w r5, r6, #1
	subs.w r7, r8, #0xf0000000
	rsb r9, r10, #0
	cmp.w r11, #0x55555555
	cmn.w r12, #1
	@ plain binary immediate
	addw r0, r1, #0xfff
	addw r2, r3, #0x100
	subw r4, r5, #4095
	addw r6, pc, #0x123
	subw r7, pc, #8
	movw r8, #0xbeef
	movt r9, #0xdead
	sbfx r0, r1, #3, #5
	ubfx r2, r3, #0, #32
	bfi r4, r5, #8, #4
	bfc r6, #1, #30
	@ shifted register
	and.w r0, r1, r2, lsl #3
	bics.w r3, r4, r5, lsr #1
	orr.w r6, r7, r8, asr #32
	mov.w r9, r10, ror #7
	movs.w r11, r12, rrx
	mvn.w r0, r1, lsl #2
	eors.w r2, r3, r4
	teq.w r5, r6, lsl #1
	tst.w r7, r8
	add.w r9, r10, r11, lsl #2
	adds.w r0, r1, r2
	cmn.w r3, r4
	adc.w r5, r6, r7
	sbcs.w r8, r9, r10
	sub.w r11, r12, r0, lsr #5
	cmp.w r1, r2, lsl #1
	rsb r3, r4, r5, lsl #4
	lsl.w r0, r1, r2
	lsrs.w r3, r4, r5
	asr.w r6, r7, r8
	ror.w r9, r10, r11
	@ extends, misc
	sxtah r0, r1, r2, ror #8
	uxtab r3, r4, r5
	sxtb.w r6, r7, ror #16
	uxth.w r8, r9
	uxtb16 r0, r1
	sxtab16 r2, r3, r4
	rev.w r0, r1
	rev16.w r2, r3
	rbit r4, r5
	revsh.w r6, r7
	clz r8, r9
	@ multiply, divide
	mul r0, r1, r2
	mla r3, r4, r5, r6
	mls r7, r8, r9, r10
	smull r0, r1, r2, r3
	umull r4, r5, r6, r7
	smlal r8, r9, r10, r11
	umlal r0, r1, r2, r3
	sdiv r4, r5, r6
	udiv r7, r8, r9
	@ 32-bit loads/stores
	ldr.w r0, [r1, #4095]
	ldr r2, [r3, #-255]
	ldr r4, [r5], #4
	ldr r6, [r7, #-8]!
	str.w r8, [r9, r10, lsl #2]
	strb.w r11, [r12, #1]
	ldrb r0, [r1], #-1
	ldrh.w r2, [r3, #2]
	ldrh.w r4, [r5, #300]
	strh.w r6, [r7, #4094]
	ldrsb.w r8, [r9, #-4]
	ldrsh r10, [r11, #6]!
	ldrsh.w r12, [r0, #2048]
	ldrh r1, [r2, r3]
	ldrsb.w r4, [r5, r6]
	@ halfword / signed register offsets with LSL #1-3 (rm_lsl_o side band)
	ldrh.w r1, [r2, r3, lsl #1]
	strh.w r2, [r10, r0, lsl #2]
	ldrsb.w r10, [lr, r0, lsl #1]
	ldrsh.w r4, [r5, r6, lsl #3]
	ldrsb.w r7, [r8, r9, lsl #3]
	strh.w r11, [r12, r1, lsl #1]
	ldr.w r7, [pc, #-20]
	ldr.w r8, t32x_lit
	ldrb.w r9, t32x_lit
	ldrh.w r10, [pc, #300]
	ldrd r0, r1, [r2, #8]
	strd r4, r5, [sp, #-16]!
	ldrd r6, r7, [r8], #1020
	ldrd r0, r1, t32x_lit
	ldrex r0, [r1]
	strex r2, r3, [r4]
	pld [r0, #64]
	push.w {r4-r11, lr}
	pop.w {r4-r11, pc}
	push.w {r8}
	pop.w {r9}
	stmdb r0!, {r1-r3}
	ldmia.w r4, {r5-r7}
	stmia.w r8!, {r0, r1}
	ldmdb r9!, {r0, r1, r2}
	@ system
	mrs r0, apsr
	mrs r1, spsr
	msr cpsr_fc, r2
	msr apsr_nzcvq, r3
	msr spsr_fsxc, r4
	dmb ish
	dsb sy
	isb sy
	clrex
	nop.w
	wfi.w
	mcr p15, 0, r0, c1, c0, 0
	mrc p15, 4, r1, c1, c1, 0
	mcrr p15, 0, r2, r3, c2
	svc 0xff
	hvc #0x1234
	smc #3
	eret
	subs pc, lr, #4
	udf.w #0x1234
	@ SRS/RFE (cond 1111 in A32; inside an IT block the condition is in the it_cond side band)
	srsdb sp!, #19
	srsdb sp, #31
	srsia sp!, #17
	srsia sp, #26
	rfedb r0!
	rfedb r3
	rfeia sp!
	rfeia r12
	it eq
	rfedbeq r0
	it ne
	srsdbne sp!, #19
	ite gt
	srsiagt sp, #17
	rfeiale sp!
	@ CPS (16-bit) and CPS.W
	cpsid i
	cpsie af
	cpsid.w if
	cpsie.w a
	cpsid aif, #19
	cpsie i, #31
	cps #26
	@ exclusives of each size (LDREXD/STREXD: any pair, Rt2 in the rt2 side band)
	ldrex r0, [r1]
	strex r2, r3, [r4]
	@ LDREX/STREX [Rn, #imm8*4] (the offset in the imm side band: A32 has [Rn] only)
	ldrex r0, [r1, #4]
	ldrex r5, [sp, #1020]
	ldrex r12, [r3, #0]
	strex r2, r3, [r4, #4]
	strex r9, r10, [r11, #1020]
	strex lr, r0, [r1, #0]
	ldrexb r5, [r6]
	ldrexh r7, [r8]
	strexb r9, r10, [r11]
	strexh r0, r1, [sp]
	ldrexd r2, r3, [r4]
	ldrexd r10, r11, [r0]
	strexd r1, r4, r5, [r6]
	strexd r12, r8, r9, [r2]
	ldrexd r3, r7, [r4]
	strexd r1, r5, r4, [r6]
	ldrexd r1, r2, [r0]
	ldrexd r9, r0, [r8]
	ldrexd lr, r12, [r5]
	ldrexd r4, lr, [r1]
	strexd r0, r3, r4, [r5]
	strexd r7, r11, r11, [r2]
	strexd r3, lr, r0, [r12]
	strexd r9, r6, r2, [sp]
	@ LDRT/STRT family: [Rn, #imm8] offset as PL0, no writeback (unpriv side band)
	ldrt r0, [r1]
	ldrt r2, [r3, #4]
	ldrt r4, [sp, #255]
	strt r5, [r6]
	strt r7, [r8, #128]
	ldrbt r9, [r10, #1]
	ldrbt r11, [r12]
	strbt r0, [r1, #255]
	ldrht r2, [r3]
	ldrht r4, [r5, #254]
	strht r6, [r7, #2]
	ldrsbt r8, [r9, #17]
	ldrsbt lr, [r0]
	ldrsht r1, [r2, #200]
	ldrsht r3, [r4]
	it eq
	ldrteq r5, [r6, #8]
	it ne
	strbtne r7, [r8, #3]
	@ halfword / word-by-halfword / most-significant-word multiplies, UMAAL, PKH
	smulbb r0, r1, r2
	smulbt r3, r4, r5
	smultb r6, r7, r8
	smultt r9, r10, r11
	smlabb r0, r1, r2, r3
	smlabt r4, r5, r6, r7
	smlatb r8, r9, r10, r11
	smlatt r12, r0, r1, r2
	smulwb r0, r1, r2
	smulwt r3, r4, r5
	smlawb r6, r7, r8, r9
	smlawt r10, r11, r12, r0
	smlalbb r0, r1, r2, r3
	smlalbt r4, r5, r6, r7
	smlaltb r8, r9, r10, r11
	smlaltt r12, r0, r1, r2
	smmul r0, r1, r2
	smmulr r3, r4, r5
	smmla r6, r7, r8, r9
	smmlar r10, r11, r12, r0
	smmls r1, r2, r3, r4
	smmlsr r5, r6, r7, r8
	umaal r0, r1, r2, r3
	pkhbt r0, r1, r2
	pkhbt r3, r4, r5, lsl #7
	pkhtb r6, r7, r8, asr #16
	pkhtb r9, r10, r11, asr #32
	ittt ne
	smulbbne r0, r1, r2
	smlalttne r2, r3, r4, r5
	pkhbtne r6, r7, r8, lsl #1
	@ the documented gaps (arm_t32_expand "Left out"): left UNDEF, DIRECTED_LEFT_OUT
	ssat16 r0, #4, r1
	usat16 r2, #7, r3
	sel r4, r5, r6
	sadd16 r7, r8, r9
	uqsub8 r10, r11, r12
	smlad r0, r1, r2, r3
	smuadx r4, r5, r6
	smlsld r7, r8, r9, r10
	usad8 r11, r12, r0
	pli [r0, #4]
	pld [r1, r2]
	pldw [r3, #8]
	mcr2 p14, 0, r0, c1, c2, 3
	ldc2 p14, c5, [r1, #8]
	tbb [r0, r1]
	tbh [pc, r2, lsl #1]
	itete mi
	movmi r0, #1
	movpl.w r1, #0x100
	ldrmi r2, [r3]
	strpl.w r4, [r5, #8]
	.balign 4
t32x_lit:
	.word 0x12345678, 0
t32x_far:
	bx lr
	.arm
t32x_arm:
	bx lr
