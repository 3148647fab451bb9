"""User-facing errors of hypsim.

A :class:`HypsimError` carries a one-line message that says what is wrong and
how to fix it, and the process exit status the command-line front end should
use for it.  Nothing here imports cocotb.
"""

from __future__ import annotations

#: Exit status for bad input (a file that is missing or malformed, bad
#: arguments) or a required tool that is not installed.
EXIT_BAD_INPUT = 2
#: Exit status for a tool that started but then failed (e.g. QEMU crashed).
EXIT_TOOL_FAILED = 1


class HypsimError(Exception):
    """An error to show to the user as one line, then exit with ``exit_code``."""

    exit_code: int

    def __init__(self, message: str, exit_code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""
