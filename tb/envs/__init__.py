"""pyuvm environments, one per level: gic, mmu (block DUTs)."""
