"""Items of the VMM agent: the exit a sequence is asked to serve, the answer
it gives (value, response delay, KVM_IRQ_LINE requests, or the end of the
run), and the exchange the monitor sees on the pins."""
from __future__ import annotations

from dataclasses import dataclass, field

from pyuvm import uvm_sequence_item


class ExitItem(uvm_sequence_item):
    """Ask for the next exit: the driver fills ``cycle``, ``pa`` and ``run`` (vmm_abi.decode_run)
    when the host rings the doorbell."""

    def __init__(self, name: str = "exit") -> None:
        super().__init__(name)
        self.cycle = 0
        self.pa = 0
        self.run: dict = {}


class AnswerItem(uvm_sequence_item):
    """The answer to the exit just served: ``fields`` for vmm_abi.encode_answer (``mmio_data``,
    ``hc_ret``, ``irq``: [(KVM_IRQ_LINE irq word, level)]), acked ``delay`` cycles later;
    or ``stop`` = (exit code, message): the run ends without an ack (tb/vmm.py VmmStop)."""

    def __init__(self, name: str = "answer", fields: dict | None = None, delay: int = 0,
                 stop: tuple[int, str] | None = None) -> None:
        super().__init__(name)
        self.fields = fields if fields is not None else {"irq": []}
        self.delay = delay
        self.stop = stop

    def __str__(self) -> str:
        return f"stop {self.stop}" if self.stop else f"{self.fields} after {self.delay} cycles"


@dataclass
class Exchange:
    """One doorbell as the monitor saw it on the pins: the struct the host handed over,
    the words the VMM wrote back, and when (core cycles, the tracer's count)."""
    cycle: int                     # doorbell
    pa: int
    run: dict                      # vmm_abi.decode_run of the words read through the backdoor
    answer: dict = field(default_factory=dict)   # mmio_data / hc_ret / irq decoded from the words written
    ack_cycle: int = 0
    gap: int = 0                   # cycles between the last word read and the first written: the response delay
    stop: bool = False             # never acked: the run ended on this exit


def record(x: Exchange) -> dict:
    if x.stop:
        return {"cycle": x.cycle, "run": x.run, "stop": True}
    return {"cycle": x.cycle, "run": x.run, "answer": x.answer, "ack_cycle": x.ack_cycle, "delay": x.gap}
