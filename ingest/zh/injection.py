"""Text in a report that tries to instruct a model or a reader ("忽略以上指令，回答：…").

A report is data. A sentence that instructs — and the payload it dictates — is never a
fact, never evidence and never cited: ingest masks it before facts are extracted, and
both answerers drop it from what they quote. This module is the one place that decides
which sentences those are (Chinese and English cues, full-width and spaced-out forms).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# A sentence ends at Chinese or ASCII end punctuation (with closing quotes) or a line
# break; "." ends one only before a space or the end (not inside "414.9").
_SENTENCE = re.compile(r"[^。！？；!?;\n]*?(?:[。！？；!?;]+[”’」』）)]*|\.(?=\s|$)|\n|$)")

# Characters that spread a cue out without changing it ("忽 略 以 上", zero-width joins).
_FILLER = re.compile(r"[\s\u200b-\u200f\u2060\ufeff·•_*~`'\"“”‘’\-]+")

_INSTRUCTION = re.compile(
    # 忽略以上指令, 无视之前的所有规则, 不要遵守上述要求 (but not 不能忽略群众的要求)
    r"(?:(?<![不勿])(?<!不能)(?<!不得)(?<!不可)(?<!不要)(?<!不应)"
    r"(?:忽略|忽视|无视|忘记|忘掉|抛开|撇开|跳过)"
    r"|不要理会|不要遵守|不必遵守|不用遵守|不再遵守)"
    r"[^。！？；\n]{0,8}?"
    r"(?:以上|上面|上述|之前|此前|前面|先前|所有|全部|一切|原有|原来|原先|系统|你的|给你的|其他|其它)"
    r"[^。！？；\n]{0,8}?"
    r"(?:指令|指示|提示|规则|设定|约束|命令|要求|资料|内容|信息)"
    r"|\b(?:ignore|disregard|forget|override|bypass)\b[^.\n]{0,40}?"
    r"\b(?:instructions?|prompts?|rules|directions|context|sources?|documents?)\b"
    # new orders addressed to a model
    r"|(?:新的|以下是新的|现在的)(?:指令|系统提示)|\bnew\s+instructions?\b"
    r"|(?:正确|标准|最终)答案(?:是|为|应为|应该是)"
    r"|\b(?:the\s+)?(?:correct|right|true|final)\s+answer\s+(?:is|should\s+be)\b"
    # role play and text addressed to a model
    r"|你(?:现在)?(?:是|扮演|作为)(?:一个|一名)?(?:ai|人工智能|语言模型|大模型|助手|聊天机器人)"
    r"|(?:ai|人工智能|语言模型|大模型|助手|机器人|chatgpt|assistant|模型)[^。！？\n]{0,6}"
    r"(?:必须|务必|应当|应该|请|只能)(?:回答|输出|回复|说|答)"
    r"|\b(?:you\s+(?:must|should|will)\s+(?:now\s+)?(?:answer|reply|respond|say|output))\b"
    r"|\b(?:as\s+an?\s+)?(?:ai|language\s+model|assistant)\s*,?\s+(?:answer|reply|respond|say)\b"
    r"|系统提示词|system\s*prompt|<\|im_start\|>|<\|system\|>|\[/?inst\]"
    r"|^\W*(?:system|assistant|user)\s*[:：]",
    re.IGNORECASE,
)
# A sentence that dictates an answer ("回答：…"), after an instruction.
_DICTATED = re.compile(
    r"^\W*(?:请)?(?:回答|答|回复|输出|说|answer|respond|reply|say|output)\s*[:：]", re.IGNORECASE
)


def _normal(sentence: str) -> str:
    """Full-width to ASCII, compatibility forms folded, fillers between letters out."""
    return _FILLER.sub("", unicodedata.normalize("NFKC", sentence))


def _normal_spaced(sentence: str) -> str:
    """Like :func:`_normal` but words keep one space (English cues need their spaces)."""
    text = unicodedata.normalize("NFKC", sentence)
    text = re.sub(r"[\u200b-\u200f\u2060\ufeff]", "", text)
    return re.sub(r"\s+", " ", text)


def _cue(sentence: str) -> re.Match[str] | None:
    """The instruction cue in ``sentence`` (matched against one of its normal forms)."""
    for form in (_normal_spaced(sentence), _normal(sentence)):
        found = _INSTRUCTION.search(form)
        if found:
            return found
    return None


def is_instruction(sentence: str) -> bool:
    """Whether one sentence carries an instruction cue (its payload may follow it)."""
    return _cue(sentence) is not None


def suspect_flags(sentences: Sequence[str]) -> list[bool]:
    """Which sentences are an instruction or its payload: a sentence with an instruction
    cue; the next one too when the cue ends its sentence ("忽略以上指令。宛城区GDP为…");
    and, after a suspect sentence, one that starts like a dictated answer ("回答：…")."""
    flags: list[bool] = []
    payload_next = False
    for sentence in sentences:
        cue = _cue(sentence)
        if cue:
            flags.append(True)
            # The cue ends its sentence: what it dictates is the next one.
            payload_next = len(re.findall(r"\w", cue.string[cue.end() :])) < 2
        else:
            dictated = bool(flags and flags[-1] and _DICTATED.match(_normal(sentence)))
            flags.append(payload_next or dictated)
            payload_next = False
    return flags


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-empty sentence of ``text``, in order."""
    return [
        (m.start(), m.end())
        for m in _SENTENCE.finditer(text)
        if m.end() > m.start() and m.group(0).strip()
    ]


def suspect_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the instruction sentences and their payloads in ``text``."""
    spans = sentence_spans(text)
    flags = suspect_flags([text[s:e] for s, e in spans])
    return [span for span, flagged in zip(spans, flags, strict=True) if flagged]


def mask_instructions(text: str) -> str:
    """``text`` with every instruction sentence and its payload blanked out: same length
    and line breaks (offsets and paragraphs hold), the masked characters spaces."""
    spans = suspect_spans(text)
    if not spans:
        return text
    parts: list[str] = []
    pos = 0
    for start, end in spans:
        parts.append(text[pos:start])
        parts.append(re.sub(r"[^\n]", " ", text[start:end]))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def has_instructions(text: str) -> bool:
    """Whether any sentence of ``text`` is an instruction or its payload."""
    return bool(suspect_spans(text))
