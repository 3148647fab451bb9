"""pyuvm environment of the two-stage MMU block (issue 4)."""
