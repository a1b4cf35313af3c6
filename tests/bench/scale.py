"""How matching cost grows with the catalogue: generated catalogues of N services.

    python -m tests.bench.scale [--sizes 22 500 1000 2000 5000] [--messages 300]

Each generated service copies a real one's shape (steps, phones, agency) under its own made-up
Thai words (names, keywords, examples), so the index grows the way a bigger office's would. For
each size: the time to load, as ``KnowledgeStore`` does it (wall clock, and the CPU time of this
thread, which other work on a shared machine does not inflate), split into validating and building
the matcher; the time until the romanized-sound index a big catalogue builds in the background is
there; the time to understand real questions (``tests/data/heldout.tsv``: mean, p50, p95, p99, once
that index is there, so the background build does not compete for the GIL); and the RSS. The
first size also pays for loading PyThaiNLP's dictionary once (about 1 s), as a server's first
load does.
"""
from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from bot.catalogue import Knowledge, load
from bot.config import ROOT
from bot.conversation import answer_text
from intents import load_lexicon
from tests.bench.run import TEXTS

CONSONANTS = "กขคงจฉชซญดตถทธนบปผพฟมยรลวศสหอฮ"
VOWELS = ["า", "ิ", "ี", "ุ", "ู", "ะ", "ำ", "เ", "แ", "โ"]


def _word(rng: random.Random, syllables: int) -> str:
    out = []
    for _ in range(syllables):
        c, v = rng.choice(CONSONANTS), rng.choice(VOWELS)
        out.append(v + c if v in "เแโ" else c + v)
        if rng.random() < 0.5:
            out.append(rng.choice("กงนมยวด"))
    return "".join(out)


def generate(size: int, seed: int = 12) -> dict:
    data = json.loads((ROOT / "catalogue.json").read_text(encoding="utf-8"))
    real = data["services"]
    rng = random.Random(seed)
    used: set[str] = set()

    def fresh(syllables: int) -> str:
        while True:
            w = _word(rng, syllables)
            if w not in used:
                used.add(w)
                return w
    for i in range(size - len(real)):
        base = real[i % len(real)]
        subject = [fresh(3) for _ in range(4)]
        service = dict(base, id=f"generated-{i}", number=1000 + i, name=f"ขอ{subject[0]}{subject[1]}",
                       keywords=subject + [f"{a}{b}" for a, b in zip(subject, subject[1:])]
                       + [fresh(2) + subject[0] for _ in range(10)],
                       examples=[f"อยากขอ{subject[0]}ต้องทำยังไง", f"{subject[1]}{subject[2]}ที่ไหน",
                                 f"จะ{subject[3]}ต้องใช้อะไรบ้าง"],
                       not_this=[], doubt_words=[])
        service.pop("variant", None)  # a metropolitan/provincial pair belongs to the real ones only
        data["services"].append(service)
    return data


def rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * 4096 / 2 ** 20


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.thread_time()


def _since(start: tuple[float, float]) -> tuple[float, float]:
    wall, cpu = _clock()
    return wall - start[0], cpu - start[1]


def measure(size: int, messages: int) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "catalogue.json"
        path.write_text(json.dumps(generate(size), ensure_ascii=False), encoding="utf-8")
        gc.collect()
        before = rss_mb()
        start = _clock()  # the same steps as KnowledgeStore._build
        lexicon = load_lexicon()
        catalogue = load(path, lexicon)
        validated = _since(start)
        knowledge = Knowledge(catalogue, lexicon, catalogue.build_matcher(lexicon))
        loaded = _since(start)
        index = knowledge.matcher.index
        while index.sounds is None and time.perf_counter() - start[0] < 600:
            time.sleep(0.05)
        sounds = time.perf_counter() - start[0]
        grown = rss_mb() - before
        texts = (TEXTS * (messages // len(TEXTS) + 1))[:messages]
        for text in texts[:20]:
            answer_text(knowledge, text)
        times, cpu = [], []
        for text in texts:
            t, c = time.perf_counter(), time.thread_time()
            answer_text(knowledge, text)
            times.append(time.perf_counter() - t)
            cpu.append(time.thread_time() - c)
        times.sort()
        cpu.sort()
        del knowledge, index
        return (f"{size:5} services: load {loaded[0]:5.1f} s (cpu {loaded[1]:5.1f} s: validate {validated[1]:4.1f}, "
                f"matcher {loaded[1] - validated[1]:5.1f}); sound index at {sounds:5.1f} s; "
                f"understand mean {1000 * statistics.mean(times):5.1f} ms p50 {1000 * times[len(times) // 2]:5.1f} ms "
                f"p95 {1000 * times[int(0.95 * len(times))]:5.1f} ms p99 {1000 * times[int(0.99 * len(times))]:5.1f} ms "
                f"(cpu mean {1000 * statistics.mean(cpu):4.1f} p50 {1000 * cpu[len(cpu) // 2]:4.1f} "
                f"p95 {1000 * cpu[int(0.95 * len(cpu))]:5.1f} ms); "
                f"+{grown:.0f} MB RSS (process {rss_mb():.0f} MB)")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", type=int, nargs="+", default=[22, 500, 1000, 2000, 5000])
    p.add_argument("--messages", type=int, default=300)
    args = p.parse_args()
    for size in args.sizes:
        print(measure(size, args.messages), flush=True)


if __name__ == "__main__":
    main()
