"""Reports that arrive as pictures: a phone photo, a scanned PDF page beside a page with a
text layer, read by the real OCR models through the real ingest (pages drawn by the test
with a CJK font; the report is invented)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govqa.services import Services
from tests.helpers import invoke_cli, last_json, make_mixed_pdf, render_page

PHOTO_REPORT = (
    "柳溪区召开2025年一季度经济运行分析会\n"
    "4月8日，柳溪区召开2025年一季度经济运行分析会。区委书记贺明远出席并讲话，区长唐书宁主持。"
    "会议通报，一季度柳溪区地区生产总值完成78.6亿元，同比增长5.2%。"
)
TEXT_PAGE = (
    "石桥区召开2025年重点项目推进会\n"
    "5月9日，石桥区召开2025年重点项目推进会。区委书记邵启明出席并讲话。"
)
SCANNED_PAGE = "区长钟文澜主持会议。会议通报，今年以来石桥区新开工重点项目27个，完成投资41.3亿元。"


@pytest.fixture
def pictures(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    page = render_page(PHOTO_REPORT)
    # a phone photo taken sideways: turned a quarter and a bit, JPEG-compressed
    page.rotate(91.5, expand=True, fillcolor="white").save(folder / "liuxi.jpg", quality=70)
    make_mixed_pdf(folder / "shiqiao.pdf", TEXT_PAGE, render_page(SCANNED_PAGE))
    return folder


def test_a_photo_and_a_scanned_page_are_read_and_answered(
    seeded: Services, pictures: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    ingested = invoke_cli("ingest", str(pictures), "--json", data_dir=data)
    summary = last_json(ingested.stdout)
    assert (summary["added"], summary["failed"], summary["warnings"]) == (2, [], [])

    answer = json.loads(
        invoke_cli("ask", "柳溪区一季度地区生产总值是多少？", "--json", data_dir=data).stdout
    )
    assert "78.6亿元" in answer["short_answer"]
    [source] = answer["sources"][:1]
    assert source["file"] == "liuxi.jpg" and 0.9 <= source["ocr_confidence"] <= 1.0
    assert "OCR，置信度" in answer["answer"]  # the citation says the text was read by OCR

    # the scanned second page of the PDF is in its report, beside the text layer's first
    chair = json.loads(
        invoke_cli("ask", "谁主持了石桥区2025年重点项目推进会？", "--json", data_dir=data).stdout
    )
    assert "钟文澜" in chair["short_answer"] and chair["sources"][0]["file"] == "shiqiao.pdf"
    inspect = invoke_cli("inspect", str(pictures / "shiqiao.pdf"), "--json", data_dir=data)
    assert json.loads(inspect.stdout)["ocr_confidence"] >= 0.9


def test_a_page_under_the_floor_is_a_warning_and_ocr_can_be_off(
    seeded: Services, pictures: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    strict = {"GOVQA_OCR_MIN_CONFIDENCE": "1.0"}  # no page is read that well
    summary = last_json(
        invoke_cli("ingest", str(pictures), "--json", data_dir=data, env=strict).stdout
    )
    # the photo has nothing else: refused; the PDF keeps its text page, with a warning
    [failed] = summary["failed"]
    assert failed["path"].endswith("liuxi.jpg") and "confidence" in failed["error"]
    [warning] = summary["warnings"]
    assert warning["path"].endswith("shiqiao.pdf") and warning["warning"].startswith("page 2")
    assert summary["added"] == 1
    refused = json.loads(
        invoke_cli("ask", "谁主持了石桥区2025年重点项目推进会？", "--json", data_dir=data).stdout
    )
    assert "钟文澜" not in refused["answer"]

    off = last_json(
        invoke_cli(
            "ingest", str(pictures), "--json", data_dir=tmp_path / "off", env={"GOVQA_OCR": "false"}
        ).stdout
    )
    # OCR off: the picture is refused with the reason; the PDF keeps its text page alone
    assert [f["error"] for f in off["failed"]] == [
        "a picture needs OCR, which is off (GOVQA_OCR=false)"
    ]
    assert off["added"] == 1 and off["warnings"] == []
