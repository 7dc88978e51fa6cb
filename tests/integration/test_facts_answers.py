"""Questions answered from the officials, meetings and figures tables."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from govqa.services import Services
from tests.helpers import SEEDS, fresh_services, ingest, invoke_cli, last_json

JIYUAN = "000_362367a7f1d5f63f.txt"
WANCHENG = "001_240d0124548b3155.txt"
QIANJIANG = "003_320e35281dc089dc.txt"
JIADING = "004_c877433114cd8e59.txt"


def test_who_chaired_a_meeting(seeded: Services) -> None:
    answer = seeded.chain.invoke("宛城区三级干部会议由谁主持？")
    assert answer.answered
    assert answer.answer.splitlines()[0].startswith("答：郭炜")
    assert answer.sources[0].file == WANCHENG


def test_title_of_a_person_in_traditional_script(seeded: Services) -> None:
    answer = seeded.chain.invoke("莊建球是什麼職務？")
    assert answer.answered
    first = answer.answer.splitlines()[0]
    assert "黨工委書記" in first and "市委書記" in first
    assert answer.sources[0].file == JIYUAN


def test_party_secretary_in_english(seeded: Services) -> None:
    answer = seeded.chain.invoke("Who is the Party Secretary of Qianjiang District?")
    assert answer.answered
    first = answer.answer.splitlines()[0]
    assert "罗成" in first and "Luo Cheng" in first
    assert "骆高燕" not in first  # 区委副书记 is not the secretary
    assert "袁家军" not in first  # the 市委书记 the report mentions is not the district's
    assert answer.sources[0].file == QIANJIANG


def test_english_names_through_pinyin(seeded: Services) -> None:
    for question, name in [
        ("What is Zhuang Jianqiu's position?", "庄建球"),
        ("What is Guo Wei's title?", "郭炜"),
        ("What position does Luo Cheng hold?", "罗成"),
    ]:
        answer = seeded.chain.invoke(question)
        assert answer.answered, question
        assert name in answer.answer.splitlines()[0], (question, answer.answer)


def test_list_all_district_heads_not_mayors(seeded: Services) -> None:
    answer = seeded.chain.invoke("列出所有区长")
    first = answer.answer.splitlines()[0]
    for name in ("郭炜", "骆高燕", "高香"):
        assert name in first
    assert "张宏义" not in first
    mayors = seeded.chain.invoke("列出所有市长").answer.splitlines()[0]
    assert "张宏义" in mayors and "郭炜" not in mayors


def test_members_of_a_leader_list(seeded: Services) -> None:
    answer = seeded.chain.invoke("嘉定区的区委常委有哪些？")
    first = answer.answer.splitlines()[0]
    for name in ("冯捷", "顾惠文", "姚卫华", "陆祖芳", "朱效洁", "唐晓林", "卞唯敏", "魏化勇"):
        assert name in first, answer.answer


def test_planned_figure_with_its_year(seeded: Services) -> None:
    answer = seeded.chain.invoke("嘉定区2025年要系统性抓好多少项改革任务？")
    assert answer.answered
    assert "290项" in answer.answer
    assert answer.sources[0].file == JIADING


def test_facts_follow_reingest_and_prune(seeded: Services, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(SEEDS / WANCHENG, folder / WANCHENG)
    shutil.copy(SEEDS / QIANJIANG, folder / QIANJIANG)
    services = fresh_services(tmp_path / "data", seeded)
    ingest(services, folder)
    assert {o["name"] for o in services.store.officials()} >= {"郭炜", "罗成"}

    edited = folder / WANCHENG
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("郭煒主持", "王明主持"),
        encoding="utf-8",
    )
    (folder / QIANJIANG).unlink()
    summary = ingest(services, folder, prune=True)
    assert (summary.updated, summary.removed) == (1, 1)
    names = {o["name"] for o in services.store.officials()}
    assert "王明" in names and "郭炜" not in names and "罗成" not in names
    assert services.store.meetings()[0]["chairs"] == ["王明"]
    answer = services.chain.invoke("宛城区三级干部会议由谁主持？")
    assert "王明" in answer.answer.splitlines()[0]


def test_fact_commands(seeded: Services, seeded_dir: Path) -> None:
    result = invoke_cli("officials", "--region", "黔江区", "--json", data_dir=seeded_dir)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {"罗成", "骆高燕", "刘毅", "姚登惠"} <= {r["name"] for r in rows}
    assert all(r["region"] == "黔江区" for r in rows)

    figures = invoke_cli(
        "figures", "--region", "宛城区", "--year", "2024", "--json", data_dir=seeded_dir
    )
    values = {(r["value"], r["unit"]) for r in map(json.loads, figures.stdout.splitlines())}
    assert ("414.9", "亿元") in values and ("75", "家") in values

    stats = last_json(invoke_cli("stats", "--json", data_dir=seeded_dir).stdout)
    assert stats["officials"] >= 13 and stats["meetings"] >= 5 and stats["figures"] >= 7


def test_a_meeting_day_is_not_the_day_the_news_was_filed(seeded: Services, tmp_path: Path) -> None:
    """ "新华网8月1日电" is when the report was filed; the meeting it tells of was held on
    the day its own sentence says (an invented report in the agencies' layout)."""
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "filed.txt").write_text(
        "青岚市召开防汛工作专题会议\n"
        "新华网8月1日电 7月31日，青岚市召开防汛工作专题会议，市长王明主持会议并讲话。"
        "会议强调，要压实防汛责任，做好转移安置准备。\n",
        encoding="utf-8",
    )
    services = fresh_services(tmp_path / "data", seeded)
    ingest(services, folder)
    answer = services.chain.invoke("青岚市防汛工作专题会议是在哪一天召开的？")
    assert answer.answered
    assert answer.short_answer is not None and "7月31日" in answer.short_answer
    assert "8月1日" not in answer.short_answer
    assert answer.sources[0].file == "filed.txt"


def test_a_post_that_changed_hands_names_the_latest_holder(
    seeded: Services, tmp_path: Path
) -> None:
    """Two invented reports two years apart, each naming a different 区长 of 青禾区."""
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "earlier.txt").write_text(
        "青禾区召开经济工作会议\n"
        "2023年3月10日，青禾区召开经济工作会议。区委书记石敬川出席并讲话，"
        "区委副书记、区长梅远航主持。\n",
        encoding="utf-8",
    )
    (folder / "later.txt").write_text(
        "青禾区召开城市建设推进会\n"
        "2025年4月2日，青禾区召开城市建设推进会。区委副书记、区长林叶青主持会议。\n",
        encoding="utf-8",
    )
    services = fresh_services(tmp_path / "data", seeded)
    ingest(services, folder)
    answer = services.chain.invoke("青禾区区长是谁？")
    assert answer.answered
    first, basis = answer.answer.splitlines()[:2]
    assert first.startswith("答：林叶青") and "梅远航" not in first
    assert "2025-04-02" in basis and "梅远航" in basis and "2023-03-10" in basis
    assert answer.sources[0].file == "later.txt"
    english = services.chain.invoke("Who is the district mayor of Qinghe District?")
    assert "林叶青" in english.answer.splitlines()[0] and "as of" in english.answer

    result = invoke_cli(
        "officials", "--history", "青禾区区长", "--json", data_dir=tmp_path / "data"
    )
    timeline = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(t["name"], t["first_seen"]) for t in timeline] == [
        ("梅远航", "2023-03-10"),
        ("林叶青", "2025-04-02"),
    ]
    person = invoke_cli("officials", "--history", "梅远航", "--json", data_dir=tmp_path / "data")
    titles = {json.loads(line)["title"] for line in person.stdout.splitlines()}
    assert titles == {"区委副书记", "区长"}
    unknown = invoke_cli("officials", "--history", "不存在", data_dir=tmp_path / "data")
    assert unknown.returncode == 2 and "no official" in unknown.stderr
