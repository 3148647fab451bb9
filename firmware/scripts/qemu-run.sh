#!/bin/sh
# qemu-run.sh ELF [extra qemu args...]: run one hypsim program on QEMU the
# way the comparison flow does.  Exit status is QEMU's (0 = program passed).
elf=$1; shift
exec timeout 20 ${QEMU:-qemu-system-arm} -M virt,virtualization=on -cpu cortex-a15 -nic none \
    -m 16M -nographic -semihosting -kernel "$elf" "$@" </dev/null
