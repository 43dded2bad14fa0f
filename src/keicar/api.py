"""The Python API: one vehicle explained, or a table screened. Interfaces call only this.

A facade: the answers live in ``keicar.answers`` (``check``: ``answers/check.py``;
``screen_frame``: ``answers/screen.py``); this module names them in one place.

>>> from keicar.api import check
>>> from keicar.inputs.vehicle import make_vehicle
>>> v = make_vehicle(built="1996-05-20", body="truck", length_mm=3295, width_mm=1395,
...                  height_mm=1780, cc=658)
>>> check(v, on="2026-11-24")["us"]["path"]
'25-year'
"""

from __future__ import annotations

from keicar.answers.check import (BUILT_DATE, OPEN_SHOWN, check, earliest_on, path_open,
                                  resolve_on, resolve_reading, verdict_line)
from keicar.answers.screen import (MONEY, OPTIONAL, SMALL_FRAME, as_dates, resolve_entry,
                                   screen_frame, select_variables)

__all__ = ["BUILT_DATE", "MONEY", "OPEN_SHOWN", "OPTIONAL", "SMALL_FRAME", "as_dates", "check",
           "earliest_on", "path_open", "resolve_entry", "resolve_on", "resolve_reading",
           "screen_frame", "select_variables", "verdict_line"]
