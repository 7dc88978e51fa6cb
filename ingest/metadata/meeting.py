"""The meeting a report is about.

* ``meeting`` - the first ``召开/举行 X会`` or ``X会（在……）召开/举行`` in the lead, then in the
  rest of the body, then ``在X会上强调`` in the headlines; as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_MEETING_WORD = r"(?:会议|大会|全会|会|论坛)"
_NAME_CHARS = r"[^，。；,;：:！？!?\s]"
_NAME_END = r"(?=[，。；,;：:！？!?\s]|并|$)"
# "主持召开示范区党工委专题会议，", "黔江区召开渝鄂湘黔……推进大会，".
_MEETING_AFTER_VERB = re.compile(
    rf"(?:召开|举行|举办)了?(?P<name>{_NAME_CHARS}{{3,80}}?{_MEETING_WORD}){_NAME_END}"
)
# "宛城区三级干部会议在区会议中心召开", "中共嘉定区第七届委员会第九次全体会议举行".
_MEETING_BEFORE_VERB = re.compile(
    rf"(?:^|(?<=[，。；,;：:\s]))(?P<name>{_NAME_CHARS}{{3,80}}?{_MEETING_WORD})"
    rf"(?:在[^，。；,;\n]{{1,20}}?)?(?:隆重|顺利|正式)?(?:召开|举行|开幕|闭幕)"
)
# "骆高燕在……推进大会上强调".
_MEETING_AT = re.compile(
    rf"在(?P<name>{_NAME_CHARS}{{3,60}}?{_MEETING_WORD})上(?:强调|指出|表示|讲话|发言|要求)"
)
# Names too generic to identify a meeting.
_GENERIC_MEETINGS = frozenset({"会议", "大会", "专题会议", "全体会议", "座谈会"})


def _first_meeting(text: str, patterns: Iterable[re.Pattern[str]]) -> str | None:
    best: tuple[int, str] | None = None
    for pattern in patterns:
        for match in pattern.finditer(text):
            name = match.group("name")
            if name in _GENERIC_MEETINGS or name.startswith(("了", "的", "在")):
                continue
            if best is None or match.start() < best[0]:
                best = (match.start(), name)
            break
    return best[1] if best else None


def _extract_meeting(headlines: list[str], body: list[str]) -> str | None:
    verbs = (_MEETING_AFTER_VERB, _MEETING_BEFORE_VERB)
    for block in (body[:1], body[1:]):
        found = _first_meeting("\n".join(block), verbs)
        if found:
            return found
    return _first_meeting("\n".join(headlines), (*verbs, _MEETING_AT))
