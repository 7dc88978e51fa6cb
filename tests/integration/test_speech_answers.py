"""What a speaker said, answered from the speech points stored with each report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from govqa.services import Services
from ingest.script import to_simplified
from retrieval.evaluation import load_items, run_eval
from tests.helpers import SEEDS, fresh_services, ingest, invoke_cli, last_json

WANCHENG = "001_240d0124548b3155.txt"
QIANJIANG = "003_320e35281dc089dc.txt"
JIADING = "004_c877433114cd8e59.txt"


def _numbered(answer_text: str) -> list[str]:
    return [line for line in answer_text.splitlines() if line[:1].isdigit()]


def test_what_a_speaker_stressed_lists_his_own_sentences(seeded: Services) -> None:
    answer = seeded.chain.invoke("樊牛强调了什么？")
    assert answer.answered and answer.sources[0].file == WANCHENG
    points = _numbered(answer.answer)
    # the seven sentences 樊牛 introduced with 强调, numbered, none of 郭炜's
    assert len(points) == 7 and all("强调" in p for p in points)
    assert "要强化责任意识，躬身入局干；" in points[1]
    assert "凝聚共识快行动" not in answer.answer
    # every one of his points, as the eval's speech type counts them
    assert answer.short_answer is not None and "重在实干" in answer.short_answer


def test_a_title_finds_its_holder_among_the_speakers(seeded: Services) -> None:
    # no name asked: the 区委书记 of 宛城区 is 樊牛, and what he stressed is his
    for question in (
        "宛城区委书记强调了什么？",
        "What did the Party Secretary of Wancheng stress?",
    ):
        answer = seeded.chain.invoke(question)
        assert answer.answered and answer.sources[0].file == WANCHENG, question
        assert "樊牛" in answer.answer.splitlines()[0] and len(_numbered(answer.answer)) == 7


def test_a_topic_narrows_the_points(seeded: Services) -> None:
    answer = seeded.chain.invoke("骆高燕对招商引资提出了什么要求？")
    points = _numbered(answer.answer)
    assert len(points) == 1 and "百项攻坚" in points[0]
    assert answer.sources[0].file == QIANJIANG


def test_someone_who_delegated_the_speech_is_not_quoted(seeded: Services) -> None:
    # 罗成 asked 骆高燕 to speak for him: his words are nowhere, and hers are not his
    for question in ("罗成强调了什么？", "What did Luo Cheng say about development?"):
        answer = seeded.chain.invoke(question)
        assert not answer.answered, question
        assert "罗成" in answer.answer and "委托" in answer.answer
        assert "百项攻坚" not in answer.answer and "四季度" not in answer.answer.split("「")[0]
        assert answer.sources[0].file == QIANJIANG


def test_english_and_the_meeting_itself(seeded: Services) -> None:
    answer = seeded.chain.invoke("What did Luo Gaoyan stress?")
    assert answer.answered and answer.answer.startswith("Answer: 骆高燕 (Luo Gaoyan) said")
    assert len(_numbered(answer.answer)) == 9
    plenary = seeded.chain.invoke("嘉定区全会强调了什么？")
    assert plenary.answered and plenary.sources[0].file == JIADING
    assert "要切实加强党的领导" in plenary.answer
    traditional = seeded.chain.invoke("郭煒要求了什麼？")
    assert traditional.answered and "凝聚共識快行動" in traditional.answer


def test_points_follow_reingest_and_prune(seeded: Services, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(SEEDS / WANCHENG, folder / WANCHENG)
    shutil.copy(SEEDS / QIANJIANG, folder / QIANJIANG)
    services = fresh_services(tmp_path / "data", seeded)
    ingest(services, folder)
    assert {p["speaker"] for p in services.store.points()} == {"樊牛", "郭炜", "骆高燕"}
    edited = folder / WANCHENG
    edited.write_text(
        edited.read_text(encoding="utf-8").replace(
            "郭煒要求,要凝聚共識(shí)快行動(dòng)", "郭煒要求,要守好防汛底線"
        ),
        encoding="utf-8",
    )
    (folder / QIANJIANG).unlink()
    summary = ingest(services, folder, prune=True)
    assert (summary.updated, summary.removed) == (1, 1)
    points = services.store.points()
    assert {p["speaker"] for p in points} == {"樊牛", "郭炜"}
    guo = [p["point"] for p in points if p["speaker"] == "郭炜"]
    assert guo[0] == "要守好防汛底线。" and all("凝聚共识" not in p for p in guo)
    stats = last_json(invoke_cli("stats", "--json", data_dir=tmp_path / "data").stdout)
    assert stats["speech_points"] == len(points)


def test_eval_scores_a_speech_question_by_its_points(seeded: Services, tmp_path: Path) -> None:
    questions = tmp_path / "speech.jsonl"
    gold = [
        json.loads(line)
        for line in (Path(__file__).parents[1] / "data" / "speech_gold.jsonl")
        .read_text("utf-8")
        .splitlines()
        if line.strip()
    ]
    points = [g["point"] for g in gold if g["speaker"] == "郭炜"]
    questions.write_text(
        json.dumps(
            {"id": "s1", "question": "郭炜要求了什么？", "answers": points, "type": "speech"},
            ensure_ascii=False,
        )
        + "\n"
        + json.dumps(
            {"id": "s2", "question": "樊牛要求了什么？", "answers": points, "type": "speech"},
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    report = run_eval(load_items(questions), seeded.chain.invoke, strict=True)
    # 郭炜's six points are his; asked of 樊牛, they are not what he required
    assert [r.correct for r in report.results] == [True, False]


def test_briefs_of_the_five_seeds(seeded: Services, seeded_dir: Path) -> None:
    briefs = {}
    for seed in sorted(p.name for p in SEEDS.glob("*.txt")):
        result = invoke_cli("brief", seed, "--json", data_dir=seeded_dir)
        assert result.returncode == 0, result.stderr
        briefs[seed[:3]] = last_json(result.stdout)
    wancheng = briefs["001"]
    assert wancheng["date"] == "2025-02-13" and wancheng["place"] == "区会议中心"
    assert [c["text"] for c in wancheng["chairs"]] == ["郭炜（区委副书记、区长）"]
    assert any("414.9亿元" in f["text"] for f in wancheng["figures"])
    spoken = {s["text"].split("（")[0] for s in wancheng["speakers"]}
    assert spoken == {"樊牛", "郭炜"}
    # every line carries the sentence it comes from, and it is the report's own
    report = seeded.store.get_reports([wancheng["doc_id"]])[wancheng["doc_id"]]
    text = to_simplified(report.cleaned_text)
    lines = wancheng["chairs"] + wancheng["attendees"] + wancheng["figures"]
    lines += wancheng["speakers"]
    assert lines and all(line["sentence"] in text for line in lines if not line["more"])
    assert [c["text"] for c in briefs["004"]["chairs"]] == ["区委常委会"]
    assert briefs["003"]["speakers"][0]["text"].startswith("骆高燕")
    assert briefs["000"]["chairs"][0]["text"].startswith("庄建球")
    # a meeting's name finds its report; the text form cites the file
    text = invoke_cli("brief", "宛城区三级干部会议", data_dir=seeded_dir)
    assert "001_240d0124548b3155.txt" in text.stdout and "主持：" in text.stdout
    missing = invoke_cli("brief", "不存在的会议", data_dir=seeded_dir)
    assert missing.returncode == 2 and "no stored report" in missing.stderr
