"""cocotb environment of the generic timer block (rtl/timer)."""
