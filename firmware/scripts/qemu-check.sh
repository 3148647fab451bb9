#!/bin/sh
# qemu-check.sh LOGDIR ELF...: run every ELF on QEMU; a program passes when
# QEMU exits 0 and the transcript contains "PASS".  Logs go to LOGDIR.
logdir=$1; shift
here=$(dirname "$0")
mkdir -p "$logdir"
pass=0; fail=0
for elf in "$@"; do
    name=$(echo "$elf" | sed 's|^build/||; s|/|_|g; s|\.elf$||')
    log="$logdir/$name.log"
    sh "$here/qemu-run.sh" "$elf" >"$log" 2>&1
    rc=$?
    if [ $rc -eq 0 ] && grep -q '^PASS' "$log"; then
        pass=$((pass + 1)); echo "ok    $elf"
    else
        fail=$((fail + 1)); echo "FAIL  $elf (exit $rc, log $log)"; tail -5 "$log" | sed 's/^/      /'
    fi
done
echo "qemu-check: $pass passed, $fail failed"
[ $fail -eq 0 ]
