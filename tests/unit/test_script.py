"""ingest.script: one script for searching, the asker's script for showing."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import script
from ingest.cleaning import clean_text
from ingest.script import detect_script, render_in, to_simplified, to_traditional
from tests.helpers import SEEDS

SEED = SEEDS / "000_362367a7f1d5f63f.txt"


def test_t2s_of_a_seed_line() -> None:
    line = clean_text(SEED.read_text(encoding="utf-8")).text.splitlines()[3]
    assert line.startswith("濟源網訊(記者 鄭海波 王會)")
    simplified = to_simplified(line)
    assert simplified.startswith("济源网讯(记者 郑海波 王会)12月23日至24日，示范区党工委书记")
    assert simplified.endswith("示范区管委会主任、市长张宏义出席会议。")
    assert len(simplified) == len(line)


def test_s2tw() -> None:
    assert to_traditional("宛城区2024年GDP是多少？") == "宛城區2024年GDP是多少？"
    assert to_traditional("张宏义担任什么职务？") == "張宏義擔任什麼職務？"
    assert to_traditional("头发和发展") == "頭髮和發展"  # phrase tables pick 髮/發
    assert to_traditional("项目信息") == "項目信息"  # no regional vocabulary (s2twp: 專案資訊)
    assert to_traditional("负责人参会，为群众") == "負責人參會，為群眾"  # not 蔘會, 爲羣衆


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("宛城区2024年GDP是多少？", "zh-hans"),
        ("張宏義擔任什麼職務？", "zh-hant"),
        ("Who chaired the meeting?", "en"),
        ("What was the GDP of 宛城区 in 2024?", "en"),
        ("Who is 张宏义?", "en"),
        ("2024年GDP和CPI是多少?", "zh-hans"),
        ("著名的显著成果", "zh-hans"),  # 著 is simplified too
        ("", "en"),
        ("2024", "en"),
    ],
)
def test_detect_script(question: str, expected: str) -> None:
    assert detect_script(question) == expected


def test_render_in() -> None:
    simplified = "张宏义出席会议。"
    traditional = "張宏義出席會議。"
    assert render_in(simplified, "zh-hant") == traditional
    assert render_in(traditional, "zh-hans") == simplified
    assert render_in(traditional, "en") == simplified  # Chinese evidence stays Chinese
    assert render_in(render_in(simplified, "zh-hant"), "zh-hans") == simplified


def test_round_trip_of_a_seed() -> None:
    simplified = to_simplified(clean_text(SEED.read_text(encoding="utf-8")).text)
    shown = render_in(simplified, "zh-hant")
    assert detect_script(shown) == "zh-hant"
    assert render_in(shown, "zh-hans") == simplified


def test_converters_created_once_under_threads() -> None:
    script._load.cache_clear()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(to_simplified, ["張宏義擔任什麼職務？"] * 64))
    assert set(results) == {"张宏义担任什么职务？"}
    assert script._load.cache_info().misses == 1


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_conversions_never_raise(text: str) -> None:
    assert isinstance(to_simplified(text), str)
    assert isinstance(to_traditional(text), str)
    assert detect_script(text) in ("zh-hans", "zh-hant", "en")
