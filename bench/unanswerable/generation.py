"""Making the unanswerable questions of ``bench.unanswerable``, and its command line."""

from __future__ import annotations

import argparse
import json
import logging
import random
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from bench.common import (
    SEEDS,
    TEMP_PREFIX,
    Timer,
    check_outside_repo,
    load_average,
    report,
    setup_logging,
)
from bench.unanswerable.finding import Candidate, Haystack, _tokenizer, candidates
from bench.unanswerable.words import (
    _BRAND_CHARS,
    _GIVEN_CHARS,
    _INVENT_SURNAMES,
    CORPORA,
    KINDS,
    PLACES,
    PRACTICE,
    YEAR_POOL,
)


def generate(
    questions: list[dict[str, Any]], texts: list[str], n: int = 400, seed: int = 13
) -> list[dict[str, Any]]:
    """At least ``n`` unanswerable questions (fewer only if the questions run out).

    Deterministic for a seed: the same questions, texts and seed give the same list.
    """
    hay = Haystack(texts)
    pools = _Pools(hay)
    by_kind: dict[str, list[tuple[dict[str, Any], Candidate]]] = {kind: [] for kind in KINDS}
    for question in questions:
        for candidate in candidates(question["question"], hay):
            by_kind[candidate.kind].append((question, candidate))

    rng = random.Random(seed)
    for kind in KINDS:
        rng.shuffle(by_kind[kind])
    made: list[dict[str, Any]] = []
    used: set[str] = set()
    while len(made) < n and any(by_kind.values()):
        for kind in KINDS:
            if len(made) >= n:
                break
            queue = by_kind[kind]
            while queue:
                # An unused question first; a used one only when no other is left.
                index = next((i for i, (q, _) in enumerate(queue) if q["id"] not in used), 0)
                question, candidate = queue.pop(index)
                mutated = mutate(question, candidate, pools, rng)
                if mutated is not None:
                    made.append(mutated)
                    used.add(question["id"])
                    break
    return made


def mutate(
    question: dict[str, Any], candidate: Candidate, pools: _Pools, rng: random.Random
) -> dict[str, Any] | None:
    """The question with ``candidate`` changed to an absent entity, or None."""
    text = question["question"]
    original = candidate.original
    if original not in text:
        return None
    replacement = pools.replacement(candidate, text, rng)
    if replacement is None:
        return None
    changed = text.replace(original, replacement)
    if original in changed or replacement in pools.hay:
        return None
    return {
        "id": f"unans-{question['id']}-{candidate.kind}",
        "question": changed,
        "answers": [],
        "docs": [],
        "type": "unanswerable",
        "lang": "zh-hans",
        "changed": {"kind": candidate.kind, "from": original, "to": replacement},
    }


class _Pools:
    """Replacements absent from the haystack: years, places, invented names and brands."""

    def __init__(self, hay: Haystack) -> None:
        self.hay = hay
        self.years = [f"{y}年" for y in YEAR_POOL if f"{y}年" not in hay]
        self.places = [p for p in PLACES if p not in hay and p[:-1] not in hay]
        self._absent: dict[str, bool] = {}

    def absent(self, text: str) -> bool:
        if text not in self._absent:
            self._absent[text] = text not in self.hay
        return self._absent[text]

    def replacement(self, candidate: Candidate, question: str, rng: random.Random) -> str | None:
        if candidate.kind == "year":
            return rng.choice(self.years) if self.years else None
        if candidate.kind == "place":
            return self._place(candidate.mode, question, rng)
        if candidate.kind == "person":
            return self._invent(
                lambda: (
                    rng.choice(_INVENT_SURNAMES)
                    + "".join(rng.choice(_GIVEN_CHARS) for _ in range(candidate.length))
                ),
                lambda name: len(set(name)) == len(name),
            )
        if candidate.mode == "body":
            place = self._place("县", question, rng)
            if place is None:
                return None
            new = (
                candidate.prefix
                + place
                + candidate.original[len(candidate.prefix + candidate.part) :]
            )
            return new if self.absent(new) else None

        def brand() -> str:
            first = rng.choice(_BRAND_CHARS)
            return first + rng.choice(_BRAND_CHARS.replace(first, ""))

        rest = candidate.original[len(candidate.prefix + candidate.part) :]
        made = self._invent(brand, lambda b: self.absent(candidate.prefix + b + rest))
        return None if made is None else candidate.prefix + made + rest

    def _place(self, suffix: str, question: str, rng: random.Random) -> str | None:
        same = [p for p in self.places if p.endswith(suffix) and p not in question]
        pool = same or [p for p in self.places if p not in question]
        return rng.choice(pool) if pool else None

    def _invent(self, make: Any, ok: Any, tries: int = 50) -> str | None:
        for _ in range(tries):
            made = make()
            if ok(made) and self.absent(made):
                return str(made)
        return None


# --- command line ------------------------------------------------------------------------------


def load_questions(path: Path = PRACTICE) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_texts(corpora: Sequence[Path] = CORPORA, seeds: Path = SEEDS) -> list[str]:
    """Every title and text of the index: the corpora's JSONL and the seed files."""
    texts: list[str] = []
    for corpus in corpora:
        with corpus.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    record = json.loads(line)
                    texts.append(f"{record.get('title') or ''}\n{record.get('text') or ''}")
    for path in sorted(seeds.iterdir()):
        if path.is_file():
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return texts


def save(questions: list[dict[str, Any]], out: Path | None) -> Path:
    """Write the questions as JSON lines to ``out`` or a new temp file; return its path."""
    fh: IO[str]
    if out is None:
        fh = tempfile.NamedTemporaryFile(
            "w",
            encoding="utf-8",
            prefix=f"{TEMP_PREFIX}unanswerable-",
            suffix=".jsonl",
            delete=False,
        )
    else:
        fh = check_outside_repo(out).open("w", encoding="utf-8")
    with fh:
        for question in questions:
            fh.write(json.dumps(question, ensure_ascii=False) + "\n")
    return Path(fh.name)


def main() -> None:
    from bench import unanswerable

    # The package's docstring, and the program name `python -m bench.unanswerable` had
    # as one file (argparse would say __main__.py).
    parser = argparse.ArgumentParser(
        prog="unanswerable.py", description=(unanswerable.__doc__ or "").split("\n")[0]
    )
    parser.add_argument("--n", type=int, default=400, help="how many questions to make")
    parser.add_argument("--seed", type=int, default=13, help="seed of the draw and replacements")
    parser.add_argument(
        "--out", type=Path, default=None, help="where to write them (outside the repo)"
    )
    parser.add_argument("--questions", type=Path, default=PRACTICE, help="practice questions")
    args = parser.parse_args()
    setup_logging()
    import jieba

    jieba.setLogLevel(logging.WARNING)  # not "Building prefix dict…" on every run
    if args.out is not None:
        check_outside_repo(args.out)

    load_before = load_average()
    with Timer() as load_timer:
        questions = load_questions(args.questions)
        texts = load_texts()
    _tokenizer()  # jieba's dictionary, not timed as generation
    with Timer() as timer:
        made = generate(questions, texts, n=args.n, seed=args.seed)
    path = save(made, args.out)

    kinds = Counter(q["changed"]["kind"] for q in made)
    by_id = {q["id"]: q["question"] for q in questions}
    examples = {}
    for number, example in enumerate(made[:5], 1):
        kind = example["changed"]["kind"]
        source = by_id[example["id"][len("unans-") : -len(kind) - 1]]
        examples[f"example_{number}_{kind}"] = f"{source} -> {example['question']}"
    report(
        "unanswerable",
        {
            "questions_file": str(path),
            "source_questions": len(questions),
            "texts": len(texts),
            "made": len(made),
            **{f"{kind}_count": kinds.get(kind, 0) for kind in KINDS},
            "distinct_source_questions": len({q["id"].rsplit("-", 1)[0] for q in made}),
            "load_s": round(load_timer.seconds, 2),
            "generate_s": round(timer.seconds, 2),
            "generate_cpu_s": round(timer.cpu_seconds, 2),
            "load_average_before_after": [load_before, load_average()],
            **examples,
        },
    )
