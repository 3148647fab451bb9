#!/bin/sh
# icount.sh OUTDIR ELF...: dynamic instruction count of every ELF on QEMU.
# QEMU runs one instruction per translation block (-singlestep) without
# chaining, so each executed instruction logs one "Trace" line with -d exec
# (an instruction that takes an exception is counted too).
outdir=$1; shift
here=$(dirname "$0")
mkdir -p "$outdir"
printf '%-32s %10s\n' program instructions
for elf in "$@"; do
    name=$(echo "$elf" | sed 's|^build/||; s|/|_|g; s|\.elf$||')
    log="$outdir/$name.trace"
    sh "$here/qemu-run.sh" "$elf" -singlestep -d exec,nochain -D "$log" >/dev/null 2>&1
    rc=$?
    n=$(grep -c '^Trace' "$log")
    rm -f "$log"
    printf '%-32s %10s%s\n' "$elf" "$n" "$([ $rc -ne 0 ] && echo "  (exit $rc)")"
done | tee "$outdir/icount.txt"
