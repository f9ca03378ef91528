"""Started with this folder on ``PYTHONPATH`` and ``TEST_CLOCK_OFFSET_SECS`` set, a Python
process's wall clock (``time.time``, ``datetime.now``, ...) runs that many seconds ahead
(or behind, if negative) of the host's, its monotonic clock and timed waits untouched: a
host whose clock drifted or was set wrong. libfaketime cannot stand in for it here: it
moves the monotonic clock too, and Python's timed waits then never end (or, with its
monotonic clock left alone, ``time.sleep`` fails)."""

import os
import time

offset = float(os.environ.get("TEST_CLOCK_OFFSET_SECS") or 0)
if offset:
    import time_machine

    traveller = time_machine.travel(time.time() + offset, tick=True).start()
    # Starting takes a moment (longer on a loaded machine): the clock is set right after.
    traveller.shift(time_machine.escape_hatch.time.time() + offset - time.time())
