"""Republished reports: a copy ingested after its original joins its group, answers cite
one of them and name the other, and copies that disagree on a figure are flagged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govqa.services import Services
from tests.helpers import fresh_services, ingest, invoke_cli, last_json

SPEECH = (
    "贺明远强调，要坚持稳中求进，聚焦产业升级和城市更新两大任务，抓好重大项目建设，全力以赴稳增长、"
    "促改革、惠民生。要持续优化营商环境，推动民营经济发展壮大，切实把各项部署落到实处。\n"
    "唐书宁要求，各镇街、各部门要迅速传达会议精神，细化任务清单，压实工作责任，确保一季度实现"
    "“开门红”。\n"
)
ORIGINAL = (
    "柳溪区召开2026年三级干部会议\n"
    "2026年2月3日，柳溪区召开三级干部会议，区委书记贺明远出席会议并讲话，区长唐书宁主持会议。"
    "会议通报，2025年全区地区生产总值完成318.6亿元，同比增长5.8%；一般公共预算收入完成21.4亿元。\n"
    + SPEECH
    + "（柳溪区融媒体中心 记者 文思）\n"
)
# Another outlet: a new headline and dateline, the byline cut, a line of its own added.
COPY = (
    "聚焦产业升级 柳溪区部署全年工作\n"
    "本网讯 2月3日，柳溪区召开三级干部会议，区委书记贺明远出席会议并讲话，区长唐书宁主持会议。"
    "会议通报，2025年全区地区生产总值完成318.6亿元，同比增长5.8%；一般公共预算收入完成21.4亿元。\n"
    + SPEECH
    + "（来源：柳溪发布）\n"
)
CONFLICTING = COPY.replace("318.6亿元", "319.6亿元")


def notice(name: str, post: str) -> str:
    """A notice on one fixed wording, as a disciplinary body publishes them: another
    person, another case, the same words."""
    return (
        f"{name}被立案调查\n"
        f"柳溪区监察委员会今日通报：{post}{name}因涉嫌严重违反工作纪律和廉洁纪律，经区委同意，"
        "现已被立案调查。调查表明，其在任职期间长期违规接受宴请和礼品，借助职权在工程招标、资金拨付等"
        "方面为他人提供帮助并收受好处，性质恶劣，影响很坏，应当严肃处理。根据相关条例，经研究决定，"
        "给予其开除处分，收回其违规所得，并将其涉嫌违法的问题线索依法转交有关机关处理。\n"
    )


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _stats(data: Path) -> dict[str, object]:
    result = invoke_cli("stats", "--json", data_dir=data)
    assert result.returncode == 0, result.stderr
    return last_json(result.stdout)


def _ask(data: Path, question: str) -> dict[str, object]:
    result = invoke_cli("ask", question, "--json", data_dir=data)
    assert result.returncode == 0, result.stderr
    return last_json(result.stdout)


def test_a_copy_ingested_after_its_original_joins_its_group(
    seeded: Services, tmp_path: Path, data: Path
) -> None:
    services = fresh_services(data, seeded)
    ingest(services, _write(tmp_path / "first", {"original.txt": ORIGINAL}))
    later = _write(tmp_path / "later", {"copy.txt": COPY})

    # Before it is ingested, inspect says which stored report it copies.
    shown = invoke_cli("inspect", str(later / "copy.txt"), "--json", data_dir=data)
    assert shown.returncode == 0, shown.stderr
    copy_of = json.loads(shown.stdout.splitlines()[-1])["republished_copy_of"]
    assert copy_of["file"] == "original.txt" and copy_of["likeness"] >= 0.6
    assert _stats(data)["republished_groups"] == 0

    ingest(services, later)  # incremental: the copy is compared with what is stored
    counts = _stats(data)
    assert (counts["republished_groups"], counts["reports_in_groups"]) == (1, 2)

    answer = _ask(data, "柳溪区2025年地区生产总值是多少？")
    assert answer["short_answer"].startswith("318.6亿元")
    files = [s["file"] for s in answer["sources"]]
    assert len(files) == 1 and files[0] in ("original.txt", "copy.txt")  # one of the two
    (also,) = answer["sources"][0]["also_reported_by"]
    assert {also["file"], files[0]} == {"original.txt", "copy.txt"}
    assert "注意" not in answer["answer"]  # the copies agree

    shown_cli = invoke_cli("ask", "柳溪区2025年地区生产总值是多少？", data_dir=data)
    assert f"另见转载: {also['title']}（{also['file']}）" in shown_cli.stdout

    # Removing one member leaves no group behind.
    assert invoke_cli("remove", "copy.txt", data_dir=data).returncode == 0
    assert _stats(data)["republished_groups"] == 0


def test_copies_that_disagree_on_a_figure_are_flagged(
    seeded: Services, tmp_path: Path, data: Path
) -> None:
    services = fresh_services(data, seeded)
    ingest(services, _write(tmp_path / "a", {"original.txt": ORIGINAL}))
    ingest(services, _write(tmp_path / "b", {"conflicting.txt": CONFLICTING}))
    assert _stats(data)["republished_groups"] == 1

    answer = _ask(data, "柳溪区2025年地区生产总值是多少？")
    text = str(answer["answer"])
    assert "318.6亿元" in text and "319.6亿元" in text and "注意" in text
    assert {s["file"] for s in answer["sources"]} == {"original.txt", "conflicting.txt"}
    assert answer["confidence"] <= 0.5

    english = _ask(data, "What was Liuxi District's GDP in 2025?")
    said = str(english["answer"])  # either copy may be cited first: the other is flagged
    assert "a republished copy writes" in said and "318.6" in said and "319.6" in said


def test_notices_of_different_people_on_one_template_are_not_grouped(
    seeded: Services, tmp_path: Path, data: Path
) -> None:
    folder = _write(
        tmp_path / "notices",
        {
            "notice_a.txt": notice("范志成", "柳溪区城市建设投资有限公司原党委书记、董事长"),
            "notice_b.txt": notice("郑光远", "柳溪区自然资源局原党组成员、副局长"),
            # one district's report, and the same words filled in for another district
            "liuxi.txt": ORIGINAL.replace("318.6", "318.9"),
            "qinghe.txt": ORIGINAL.replace("柳溪", "青禾"),
        },
    )
    ingest(fresh_services(data, seeded), folder)
    assert _stats(data)["republished_groups"] == 0


def test_a_copy_naming_another_chair_is_flagged(
    seeded: Services, tmp_path: Path, data: Path
) -> None:
    services = fresh_services(data, seeded)
    ingest(services, _write(tmp_path / "a", {"original.txt": ORIGINAL}))
    misnamed = COPY.replace("区长唐书宁主持会议", "区长唐书明主持会议")
    ingest(services, _write(tmp_path / "b", {"misnamed.txt": misnamed}))
    assert _stats(data)["republished_groups"] == 1

    answer = _ask(data, "谁主持了柳溪区三级干部会议？")
    text = str(answer["answer"])
    assert "唐书宁" in str(answer["short_answer"])
    assert "注意：同一报道的另一版本写作区长唐书明（而非区长唐书宁）：「本网讯 2月3日" in text
    assert "区长唐书明主持会议。」（聚焦产业升级 柳溪区部署全年工作" in text
    assert {s["file"] for s in answer["sources"]} == {"original.txt", "misnamed.txt"}
