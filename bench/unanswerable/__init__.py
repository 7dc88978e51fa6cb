"""Unanswerable questions: real practice questions with one entity changed to an absent one.

    .venv/bin/python -m bench.unanswerable [--n 400] [--seed 13] [--out PATH]

Each question of ``../shared/eval/crud_practice.jsonl`` that names a year, a Chinese place,
an organisation or a person gets that entity replaced by one that occurs in **no** text of
the index (the practice reports, the 2k corpus and ``seeds/``), so the question asks about
something the index knows nothing of and the right reply is a refusal:

- **year**: the question's one year (``2023年``, never a question with two years or none)
  becomes a year of 1950–1990 or 2031–2040 whose ``<year>年`` occurs in no text.
- **place**: a province, city, county, district, prefecture or town of China (a jieba
  ``ns`` word or a word ending in 省/市/县/区/州/镇; a bare name only when it is a province
  or its ``X市``/``X县`` occurs in the texts) becomes one of ``PLACES``, ~290 real county
  and district names, used only when neither the name nor its stem (``鄢陵`` of ``鄢陵县``)
  occurs in any text. Foreign-looking names (transliteration characters, a short list)
  and generic ones (``高新区``, ``全市``) are left alone.
- **org**: a name ending in 公司/集团/银行/大学/医院/… keeps its place prefix and suffix and
  gets an invented two-character brand (``联想集团`` → ``禾岳集团``), and so does a
  well-known company named bare (``KNOWN_BRANDS``: ``腾讯``, ``瑞幸咖啡``); a body ending in
  局/委员会/法院/协会/… gets its place or national prefix replaced by an absent county
  (``国家统计局`` → ``鄢陵县统计局``, ``浙江海事局`` → ``沁源县海事局``). A body with no such
  prefix (``国防部``), or one no county has (``中国外交部``), is skipped.
- **person**: a 2–3 character name (jieba ``nr``, a common surname, not a dictionary word,
  next to a verb, a title or punctuation in the question, and used as a person's name in
  some text: ``部长李国英强调``) becomes an invented surname + given name.

A replacement is used only when it (and the whole changed name) occurs in no text: the
texts are converted to simplified script (OpenCC ``t2s``), lowercased and joined into one
string, both as stored and as ``ingest.cleaning.clean_text`` leaves them (the seeds carry
pinyin glosses, ``召開(kāi)``, that would hide a name from a plain substring check). The
original entity must occur in the question and in the texts (a real, indexed mention).
Questions where nothing can be changed cleanly are skipped.

Kinds are drawn round-robin in a seeded order, so they stay balanced until one runs out
(few practice questions name a Chinese person); a question is reused for a second kind
only when no unused one is left. Output: the practice format with ``"answers": []``,
``"docs": []``, ``"type": "unanswerable"``, id ``unans-<original id>-<kind>`` and
``"changed": {"kind", "from", "to"}``, written as JSON lines to a temp file (or ``--out``,
outside the repository): the questions quote the corpus, so they are never committed.

Limits: "absent from every text" is a substring test, so the changed question is
unanswerable by construction, but it may read oddly (a county named where a province was,
``鄢陵县文化和旅游厅``), and jieba's tags miss some names and mislabel others.
"""

from __future__ import annotations

from bench.unanswerable.finding import Candidate, Haystack, candidates
from bench.unanswerable.generation import generate, load_questions, load_texts, main, mutate, save
from bench.unanswerable.words import (
    CORPORA,
    KINDS,
    KNOWN_BRANDS,
    PLACES,
    PRACTICE,
    PROVINCES,
    YEAR_POOL,
)

__all__ = [
    "CORPORA",
    "Candidate",
    "Haystack",
    "KINDS",
    "KNOWN_BRANDS",
    "PLACES",
    "PRACTICE",
    "PROVINCES",
    "YEAR_POOL",
    "candidates",
    "generate",
    "load_questions",
    "load_texts",
    "main",
    "mutate",
    "save",
]
