"""`govqa remove`: by doc id or by source path; removed reports are no longer answered from."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from govqa.services import Services
from tests.helpers import SEEDS, fresh_services, ingest, invoke_cli, last_json

WANCHENG = "001_240d0124548b3155.txt"  # 宛城区: GDP 414.9亿元
JIYUAN = "000_362367a7f1d5f63f.txt"  # 济源: 庄建球 chaired
JIADING = "004_c877433114cd8e59.txt"  # 嘉定区: 陆方舟 is 区委书记
QUESTIONS = (
    "宛城区2024年地区生产总值是多少？\n谁主持召开了济源示范区党工委专题会议？\n嘉定区委书记是谁？\n"
)


def _answers(data: Path) -> list[dict[str, object]]:
    result = invoke_cli("ask", "--json", "-", data_dir=data, stdin=QUESTIONS)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.strip().splitlines()]


def _documents(data: Path) -> int:
    result = invoke_cli("stats", "--json", data_dir=data)
    assert result.returncode == 0, result.stderr
    return int(last_json(result.stdout)["documents"])  # type: ignore[call-overload]


def test_remove_by_path_and_by_doc_id(seeded: Services, tmp_path: Path) -> None:
    folder, data = tmp_path / "reports", tmp_path / "data"
    shutil.copytree(SEEDS, folder)
    assert ingest(fresh_services(data, seeded), folder).added == 5

    before = _answers(data)
    assert [a["answered"] for a in before] == [True, True, True]
    assert "414.9亿元" in str(before[0]["answer"])
    assert "庄建球" in str(before[1]["answer"]) or "莊建球" in str(before[1]["answer"])

    result = invoke_cli("remove", str(folder / WANCHENG), JIYUAN, "--json", data_dir=data)
    assert result.returncode == 0, result.stderr
    assert last_json(result.stdout) == {"removed": sorted([WANCHENG, JIYUAN]), "not_found": []}
    assert _documents(data) == 3

    after = _answers(data)
    assert [a["answered"] for a in after] == [False, False, True]
    assert "414.9" not in str(after[0]["answer"])
    assert "陆方舟" in str(after[2]["answer"])
    cited = {s["file"] for a in after for s in a["sources"]}  # type: ignore[attr-defined]
    assert not cited & {WANCHENG, JIYUAN}


def test_unknown_id_or_path_changes_nothing(seeded: Services, tmp_path: Path) -> None:
    folder, data = tmp_path / "reports", tmp_path / "data"
    folder.mkdir()
    for name in (WANCHENG, JIADING):
        shutil.copy(SEEDS / name, folder / name)
    assert ingest(fresh_services(data, seeded), folder).added == 2

    for unknown in ("no-such-report.txt", str(tmp_path / "elsewhere")):
        result = invoke_cli("remove", unknown, data_dir=data)
        assert result.returncode == 1
        assert f"not found: {unknown}" in result.stderr
        assert "Traceback" not in result.stderr
        assert result.stdout == ""
    assert _documents(data) == 2

    # One known and one unknown: the known one goes, the unknown one is listed.
    result = invoke_cli("remove", JIADING, "nope", "--json", data_dir=data)
    assert result.returncode == 1
    assert last_json(result.stdout) == {"removed": [JIADING], "not_found": ["nope"]}
    assert _documents(data) == 1


def test_a_folder_removes_what_was_ingested_from_under_it(seeded: Services, tmp_path: Path) -> None:
    data = tmp_path / "data"
    kept, dropped = tmp_path / "kept", tmp_path / "old" / "2024"
    kept.mkdir()
    dropped.mkdir(parents=True)
    shutil.copy(SEEDS / JIADING, kept / JIADING)
    for name in (WANCHENG, JIYUAN):
        shutil.copy(SEEDS / name, dropped / name)
    services = fresh_services(data, seeded)
    assert ingest(services, kept, tmp_path / "old").added == 3
    shutil.rmtree(tmp_path / "old")  # the path need not exist any more

    result = invoke_cli("remove", str(tmp_path / "old"), data_dir=data)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"removed 2024/{JIYUAN}", f"removed 2024/{WANCHENG}"]
    assert services.store.doc_ids() == {JIADING}
    assert services.store.audit() == []
