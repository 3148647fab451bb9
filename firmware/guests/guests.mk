# guests.mk - the project's guest programs (firmware/guests/), included by
# firmware/Makefile. Each guest is a flat image for QEMU's virt machine booted
# the Linux way (text at 0x40010000, SVC mode, r2 = DTB; see guests/entry.S),
# built from guests/<name>.c or guests/<name>.S plus entry.S, guest.c, fdt.c
# and lib/{printf,uart,mem}, linked with Debian's libgcc.
#
#   make -C firmware guests        build/guests/<name>.elf and <name>.bin
#   make -s -C firmware guests-list absolute paths of the .bin files
#
# (until firmware/Makefile includes this file:
#   make -C firmware -f Makefile -f guests/guests.mk guests)

GUEST_NAMES := hello psci irq vfp mmu cp15 uart ptimer tiny vmid bench mmiorand imask smp mmuirq
GUEST_DIR   := $(B)/guests
GUEST_ELFS  := $(GUEST_NAMES:%=$(GUEST_DIR)/%.elf)
GUEST_BINS  := $(GUEST_NAMES:%=$(GUEST_DIR)/%.bin)
GUEST_COMMON := $(GUEST_DIR)/entry.S.o $(GUEST_DIR)/guest.o $(GUEST_DIR)/fdt.o \
                $(B)/lib/printf.o $(GUEST_DIR)/console.o $(B)/lib/mem.o
GUEST_CFLAGS := $(LIB_CFLAGS) -Iguests
GUEST_LDFLAGS := $(ARCHFLAGS) -nostdlib -nostartfiles -ffreestanding -static \
                 -T guests/guest.ld -Wl,--gc-sections -Wl,--fatal-warnings -Wl,--build-id=none

.PHONY: guests guests-list
guests: $(GUEST_BINS)

guests-list:
	@for f in $(GUEST_BINS); do echo $(CURDIR)/$$f; done

$(GUEST_DIR)/%.o: guests/%.c
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_DIR)/%.S.o: guests/%.S
	@mkdir -p $(@D)
	$(CC) $(ASFLAGS) -Iguests -c $< -o $@

# a guest is guests/<name>.c or guests/<name>.S
$(GUEST_DIR)/%.elf: LDFLAGS = $(GUEST_LDFLAGS)
$(GUEST_DIR)/%.elf: $(GUEST_DIR)/%.o $(GUEST_COMMON) guests/guest.ld
	$(link_and_check)

$(GUEST_DIR)/%.bin: $(GUEST_DIR)/%.elf
	$(CROSS)objcopy -O binary $< $@

-include $(wildcard $(GUEST_DIR)/*.d)

$(GUEST_DIR)/%.o: guests/%.S
	@mkdir -p $(@D)
	$(CC) $(ASFLAGS) -Iguests -c $< -o $@
