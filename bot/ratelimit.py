"""How many questions one chat may ask: a sliding minute, and one polite word per burst."""

from __future__ import annotations

import time
from collections import deque
from typing import Literal

# The limit counts the questions of the last WINDOW seconds.
WINDOW = 60.0

Verdict = Literal["answer", "tell", "ignore"]


class QuestionLimit:
    """At most ``per_minute`` questions in any WINDOW seconds (0: no limit). Past it, the
    first question is told ("tell") and the rest of the burst is dropped ("ignore")."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._asked: deque[float] = deque()
        self._told = False

    def check(self, now: float | None = None) -> Verdict:
        """Count a question asked ``now`` (monotonic seconds) and say what to do with it."""
        if self.per_minute <= 0:
            return "answer"
        now = time.monotonic() if now is None else now
        while self._asked and self._asked[0] <= now - WINDOW:
            self._asked.popleft()
        if len(self._asked) < self.per_minute:
            self._asked.append(now)
            self._told = False
            return "answer"
        if self._told:
            return "ignore"
        self._told = True
        return "tell"
