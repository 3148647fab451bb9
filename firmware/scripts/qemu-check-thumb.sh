#!/bin/sh
# qemu-check-thumb.sh LOGDIR ELF...: run every Thumb build (build/c-thumb/X.elf)
# and its ARM build (build/c/X.elf) on QEMU; a Thumb program passes when QEMU
# exits 0, its transcript contains "PASS" and it is byte for byte the ARM
# build's transcript.  Logs go to LOGDIR (X.log and X.arm.log).
logdir=$1; shift
here=$(dirname "$0")
mkdir -p "$logdir"
pass=0; fail=0
for elf in "$@"; do
    base=$(basename "$elf" .elf)
    arm=$(dirname "$(dirname "$elf")")/c/$base.elf
    log="$logdir/$base.log"; armlog="$logdir/$base.arm.log"
    sh "$here/qemu-run.sh" "$elf" >"$log" 2>&1
    rc=$?
    sh "$here/qemu-run.sh" "$arm" >"$armlog" 2>&1
    arm_rc=$?
    if [ $rc -eq 0 ] && [ $arm_rc -eq 0 ] && grep -q '^PASS' "$log" && cmp -s "$log" "$armlog"; then
        pass=$((pass + 1)); echo "ok    $elf"
    else
        fail=$((fail + 1)); echo "FAIL  $elf (exit $rc, ARM build exit $arm_rc, logs $log $armlog)"
        diff "$armlog" "$log" | head -10 | sed 's/^/      /'
    fi
done
echo "qemu-check-thumb: $pass passed, $fail failed"
[ $fail -eq 0 ]
