"""pyuvm environment for whole guest runs: the hypervisor and a guest on the SoC, the VMM as an agent (issue 10)."""
