"""Scoring a labelled question set (same format as shared/eval/dev.tsv).

expect<TAB>text, where expect is one or more comma-separated labels: a service *number*,
X (escalate), H (asks for a person: escalate), S (small talk/menu), C (office contact).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from bot import texts
from bot.conversation import answer_text


def load_rows(path: str | Path) -> list[tuple[list[str], str]]:
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        expect, text = line.split("\t", 1)
        rows.append((expect.split(","), text))
    return rows


@dataclass
class Report:
    total: int = 0
    correct: int = 0
    in_scope: list[bool] = field(default_factory=list)
    in_scope_top3: list[bool] = field(default_factory=list)
    escalation: list[bool] = field(default_factory=list)
    talk: list[bool] = field(default_factory=list)
    confident_wrong: int = 0
    direct: list[bool] = field(default_factory=list)  # in-scope answered with one card, no choice
    misses: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)  # CPU time to understand each question

    @staticmethod
    def rate(xs: list[bool]) -> float:
        return sum(xs) / len(xs) if xs else float("nan")

    @property
    def overall(self) -> float:
        return self.correct / self.total if self.total else float("nan")

    def summary(self) -> str:
        return texts.CLI_EVAL_SUMMARY.format(
            in_scope=self.rate(self.in_scope), n_in_scope=len(self.in_scope), top3=self.rate(self.in_scope_top3),
            escalation=self.rate(self.escalation), n_escalation=len(self.escalation), talk=self.rate(self.talk),
            n_talk=len(self.talk), wrong=self.confident_wrong, direct=self.rate(self.direct),
            overall=self.overall, total=self.total) + self.latency()

    def latency(self) -> str:
        if not self.seconds:
            return ""
        ms = sorted(s * 1000 for s in self.seconds)
        return texts.CLI_EVAL_LATENCY.format(p50=ms[len(ms) // 2], p95=ms[int(len(ms) * 0.95)])


def evaluate(knowledge, rows: list[tuple[list[str], str]], answer=None) -> Report:
    """Score ``rows``; ``answer`` (text -> Answer) stands in for understanding when the answers
    were worked out elsewhere (the tests answer a question found in several sets once)."""
    number_of = {s["id"]: str(s.get("number", s["id"])) for s in knowledge.catalogue.services}
    timed = answer is None  # answers worked out elsewhere have no cost to report here
    answer = answer or (lambda text: answer_text(knowledge, text))
    r = Report()
    for expect, text in rows:
        started = time.thread_time()  # CPU time: the cost of understanding, not of a busy machine
        ans = answer(text)
        if timed:
            r.seconds.append(time.thread_time() - started)
        d = ans.decision
        got = [number_of.get(s, s) for s in d.services]
        top1 = got[0] if got and not ans.escalate else None
        ok = False
        for e in expect:
            if e.isdigit():
                ok |= top1 == e
            elif e in ("X", "H"):
                ok |= ans.escalate
            elif e == "S":
                ok |= not ans.escalate  # any reply that does not bother staff
            elif e == "C":
                ok |= d.kind == "intent" and d.intent == "contact"
        numbers = [e for e in expect if e.isdigit()]
        if numbers:
            r.in_scope.append(ok)
            r.in_scope_top3.append(ok or any(n in got[:3] for n in numbers))
            r.direct.append(ok and d.kind == "answer")
        elif set(expect) & {"X", "H"}:
            r.escalation.append(ok)
        else:
            r.talk.append(ok)
        if d.kind == "answer" and not ok:
            r.confident_wrong += 1
        r.total += 1
        r.correct += ok
        if not ok:
            shown = "escalate" if ans.escalate else (f"{d.kind}:{d.intent}" if d.kind == "intent" else
                                                     f"{d.kind}:{','.join(got)}")
            r.misses.append(f"  {','.join(expect):6s} got {shown:22s} {text}   [{d.reason}; "
                            f"{' '.join(m[0] + '→' + m[1].split(':', 1)[1] for m in d.matched[:5])}]")
    return r


def sweep(knowledge, rows: list[tuple[list[str], str]], progress=lambda items, total: items
          ) -> list[tuple[float, int, float, dict]]:
    """Score the decision thresholds around the current ones on a labelled set: (overall,
    confident wrong answers, in-scope answered directly, values), best first. ``progress`` wraps
    the trials (the CLI shows a bar)."""
    import dataclasses
    import itertools
    base = knowledge.matcher.t
    grid = {"answer_coverage": [0.2, 0.3, 0.4], "strong_evidence": [6.0, 7.0, 9.0],
            "min_margin": [0.34, 0.6, 0.8]}
    results = []
    trials = list(itertools.product(*grid.values()))
    for values in progress(trials, len(trials)):
        changed = dict(zip(grid, values, strict=True))
        trial = dataclasses.replace(knowledge, matcher=knowledge.matcher.with_thresholds(
            dataclasses.replace(base, **changed)))  # the live matcher is never changed
        report = evaluate(trial, rows)
        results.append((report.overall, report.confident_wrong, report.rate(report.direct), changed))
    # right first, then never confidently wrong, then as few carousels as possible
    return sorted(results, key=lambda r: (-r[0], r[1], -r[2]))
