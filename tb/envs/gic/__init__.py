"""pyuvm environment of the GICv2 block (issue 5)."""
