"""Every user-facing sentence of the answering layer, in zh-Hans, zh-Hant and English."""

from __future__ import annotations

from ingest.script import Script

_MESSAGES: dict[str, dict[Script, str]] = {
    "not_found": {
        "zh-hans": "在已收录的报告中没有找到这个问题的答案。",
        "zh-hant": "在已收錄的報告中沒有找到這個問題的答案。",
        "en": "I did not find the answer to this question in the ingested reports.",
    },
    "empty_store": {
        "zh-hans": "还没有收录任何报告：请先运行 govqa ingest。",
        "zh-hant": "還沒有收錄任何報告：請先運行 govqa ingest。",
        "en": "No reports have been ingested yet: run `govqa ingest` first.",
    },
    "closest": {
        "zh-hans": "最接近的段落（不一定回答这个问题）",
        "zh-hant": "最接近的段落（不一定回答這個問題）",
        "en": "Closest passages (they may not answer the question)",
    },
    "also_reported": {
        "zh-hans": "另见转载",
        "zh-hant": "另見轉載",
        "en": "also reported by",
    },
    "evidence": {
        "zh-hans": "依据",
        "zh-hant": "依據",
        "en": "Evidence",
    },
    "answer": {
        "zh-hans": "答",
        "zh-hant": "答",
        "en": "Answer",
    },
    "ocr": {
        "zh-hans": "OCR，置信度{confidence}",
        "zh-hant": "OCR，置信度{confidence}",
        "en": "OCR, confidence {confidence}",
    },
    "ocr_caution": {
        "zh-hans": "注意：依据是OCR识别的文字（置信度{confidence}），数字和人名请以原件为准。",
        "zh-hant": "注意：依據是OCR識別的文字（置信度{confidence}），數字和人名請以原件為準。",
        "en": "Note: the evidence was read by OCR (confidence {confidence}); check figures and "
        "names against the original.",
    },
}


def message(key: str, script: Script) -> str:
    return _MESSAGES[key][script]


def cite(
    title: str,
    region: str | None,
    date: str | None,
    file: str,
    script: Script,
    ocr: float | None = None,
) -> str:
    """The citation shown after a quoted sentence: (title · region · date · file), and
    the OCR confidence of a report read by OCR."""
    read = message("ocr", script).format(confidence=f"{ocr:.2f}") if ocr is not None else None
    parts = [p for p in (title, region, date, file, read) if p]
    return ("(" if script == "en" else "（") + " · ".join(parts) + (")" if script == "en" else "）")
