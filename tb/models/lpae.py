"""LPAE long-descriptor formats (ARM ARM ARMv7-A/R B3.6.1-B3.6.2).

Descriptor types, output addresses and attribute fields for stage 1 and
stage 2, plus constructors used by unit tests and random page-table sequences.
"""
from __future__ import annotations

MASK40 = (1 << 40) - 1
#: Input-address bit where each level's index starts (B3.6.1: 1GB, 2MB, 4KB).
LEVEL_SHIFT = {1: 30, 2: 21, 3: 12}


def desc_kind(desc: int, level: int) -> str:
    """'invalid', 'block', 'table' or 'page' (B3.6.1, figures B3-15/B3-16)."""
    low = desc & 3
    if low in (0, 2):
        return "invalid"
    if level == 3:
        return "page" if low == 3 else "invalid"   # 0b01 at level 3 is reserved
    return "table" if low == 3 else "block"


def next_table(desc: int) -> int:
    """Next-level table address, bits[39:12]."""
    return desc & 0xFF_FFFF_F000


def output_address(desc: int, level: int, in_addr: int) -> int:
    """Block/page output address merged with the input offset (B3.6.1)."""
    shift = LEVEL_SHIFT[level]
    base = desc & MASK40 & ~((1 << shift) - 1)
    return base | (in_addr & ((1 << shift) - 1))


def bit(desc: int, n: int) -> int:
    return (desc >> n) & 1


# Lower attributes shared by both stages (B3.6.2).
def af(desc: int) -> int:
    return bit(desc, 10)


def sh(desc: int) -> int:
    return (desc >> 8) & 3


def xn(desc: int) -> int:
    return bit(desc, 54)


# Stage 1 (figure B3-17).
def attr_indx(desc: int) -> int:
    return (desc >> 2) & 7


def ap21(desc: int) -> int:
    """AP[2:1], bits[7:6]."""
    return (desc >> 6) & 3


def ng(desc: int) -> int:
    return bit(desc, 11)


def pxn(desc: int) -> int:
    return bit(desc, 53)


def table_attrs(desc: int) -> tuple[int, int, int]:
    """(APTable[1:0], XNTable, PXNTable) of a stage-1 table descriptor, bits[62:59]."""
    return (desc >> 61) & 3, bit(desc, 60), bit(desc, 59)


# Stage 2 (figure B3-18).
def mem_attr(desc: int) -> int:
    """MemAttr[3:0], bits[5:2]."""
    return (desc >> 2) & 0xF


def s2ap(desc: int) -> int:
    """HAP[2:1], bits[7:6]: bit 0 of the value = read allowed, bit 1 = write allowed."""
    return (desc >> 6) & 3


# Constructors.
def make_table(addr: int, aptable: int = 0, xntable: int = 0, pxntable: int = 0) -> int:
    return (addr & 0xFF_FFFF_F000) | 3 | (aptable << 61) | (xntable << 60) | (pxntable << 59)


def _leaf_low(level: int) -> int:
    return 3 if level == 3 else 1


def make_s1_leaf(level: int, oa: int, *, attrindx: int = 0, ap: int = 0, shv: int = 3,
                 afv: int = 1, ngv: int = 0, xnv: int = 0, pxnv: int = 0) -> int:
    oa &= MASK40 & ~((1 << LEVEL_SHIFT[level]) - 1)
    return (oa | _leaf_low(level) | (attrindx << 2) | (ap << 6) | (shv << 8) | (afv << 10)
            | (ngv << 11) | (pxnv << 53) | (xnv << 54))


def make_s2_leaf(level: int, oa: int, *, memattr: int = 0xF, hap: int = 3, shv: int = 3,
                 afv: int = 1, xnv: int = 0) -> int:
    oa &= MASK40 & ~((1 << LEVEL_SHIFT[level]) - 1)
    return (oa | _leaf_low(level) | (memattr << 2) | (hap << 6) | (shv << 8) | (afv << 10)
            | (xnv << 54))
