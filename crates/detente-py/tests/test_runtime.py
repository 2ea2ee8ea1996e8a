"""Engine work releases the GIL, and Ctrl-C stops it cleanly."""

import _thread
import threading
import time

import pytest

import detente
from conftest import KURIL, synthetic


def test_the_gil_is_released_during_engine_work():
    kuril = detente.load(KURIL)
    done = threading.Event()
    worker = threading.Thread(target=lambda: (kuril.analyze(), done.set()))
    count = 0
    worker.start()
    started = time.monotonic()
    while not done.is_set():
        count += 1
    elapsed = time.monotonic() - started
    worker.join()
    # About a second of analysis: the loop above ran all along (with the GIL
    # held by the engine it would have been stopped for the whole time).
    assert elapsed > 0.2
    assert count > 100_000, f"{count} iterations in {elapsed:.2f} s"


def test_keyboard_interrupt_cancels_the_engine():
    big = detente.load(synthetic(9, 10))  # 10^9 outcomes: minutes to enumerate
    timer = threading.Timer(0.5, _thread.interrupt_main)
    started = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        big.analyze(plans=False)
    elapsed = time.monotonic() - started
    timer.join()
    assert elapsed < 10, f"took {elapsed:.1f} s to stop"
    # The scenario is still usable afterwards.
    small = detente.load(synthetic(3, 4))
    assert small.analyze().document["outcomes"] == 64
