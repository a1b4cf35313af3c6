"""``make bench``: the bot against the bare echo bot under load, alternately, with the ratio.

Each round starts a fresh server (gunicorn, 2 workers x 4 threads by default, like
``linesim.py load``) against the local fake LINE platform, sends signed one-event deliveries
from CLIENTS threads for SECONDS, and reports deliveries/s, p50/p99 acknowledgement time,
whether every 200 got its reply, and the workers' RSS. Rounds alternate bot, echo, bot, echo...
so a busy shared machine slows both alike; the ratio is of the medians.

    python -m tests.bench.run [--rounds 2] [--seconds 10] [--clients 16]
    BENCH_DATABASE_URL=postgresql://... python -m tests.bench.run   # the bot on PostgreSQL (a new
                                                                     # database per round on that server)
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from bot.evaluation import load_rows
from tests.conftest import SECRET, STAFF, TOKEN, signature, throwaway_postgres
from tests.fakeline import FakeLine

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_TEXTS = ROOT / "tests/data/heldout.tsv"


def read_texts(path: Path) -> list[str]:
    texts = [text.strip() for _, text in load_rows(path)]
    if not texts:
        raise SystemExit(f"{path}: no labelled questions (LABEL<TAB>text) to send")
    return texts


APPS = {"bot": "webhook:app", "echo": "tests.bench.echo_bot:create_app()"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, kind: str, fake: FakeLine, workers: int, threads: int, tmp: Path, database_url: str | None = None):
        self.port = _free_port()
        env = dict(os.environ, LINE_CHANNEL_SECRET=SECRET, LINE_CHANNEL_ACCESS_TOKEN=TOKEN,
                   LINE_API_ENDPOINT=fake.url, STAFF_GROUP_ID=STAFF, PYTHONUNBUFFERED="1",
                   DATABASE_URL=database_url or f"sqlite:///{tmp / 'bot.db'}")
        # Same settings for both; only the bot has its gunicorn.conf.py (it builds the app before serving).
        config = str(ROOT / "gunicorn.conf.py") if kind == "bot" else os.devnull
        self.log = open(tmp / f"{kind}.log", "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", APPS[kind], "-c", config, "-b", f"127.0.0.1:{self.port}",
             "-w", str(workers), "-k", "gthread", "--threads", str(threads), "--timeout", "60"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        end = time.time() + 120
        while time.time() < end:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"{kind} did not start; see {self.log.name}")

    def _workers(self) -> list[str]:
        return subprocess.run(["ps", "--ppid", str(self.proc.pid), "-o", "pid="], capture_output=True,
                              text=True).stdout.split()

    def rss_mb(self) -> list[float]:
        return [int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20
                for pid in self._workers()]

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the workers have used so far."""
        total = 0
        for pid in self._workers():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.log.close()


def _stat(pid: int | str) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def postgres_cpu_seconds() -> float | None:
    """CPU time a local PostgreSQL server has used so far (its postmaster with the backends it
    has reaped, and the live ones), or None when there is none on this machine to look at. On a
    small machine the server shares the cores with the bot: its cost per delivery is the bot's."""
    stats = {}
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and (proc / "comm").read_text().strip() == "postgres":
                stats[proc.name] = _stat(proc.name)
        except OSError:
            continue  # ended meanwhile
    postmasters = {pid for pid, stat in stats.items() if stat[1] not in stats}
    if not postmasters:
        return None
    ticks = sum(sum(int(v) for v in stats[pid][11:15]) for pid in postmasters)  # utime stime cutime cstime
    ticks += sum(int(stat[11]) + int(stat[12]) for pid, stat in stats.items() if stat[1] in postmasters)
    return ticks / os.sysconf("SC_CLK_TCK")


def _event(text: str, user: str) -> dict:
    return {"type": "message", "mode": "active", "timestamp": int(time.time() * 1000),
            "source": {"type": "user", "userId": user}, "webhookEventId": "01" + uuid.uuid4().hex[:24].upper(),
            "deliveryContext": {"isRedelivery": False},
            "replyToken": "".join(random.choices(string.hexdigits.lower(), k=32)),
            "message": {"type": "text", "id": str(random.randrange(10 ** 17)), "text": text,
                        "quoteToken": "q" + uuid.uuid4().hex}}


def load(port: int, seconds: float, clients: int, texts: list[str]) -> tuple[list[float], list[int], list[str]]:
    latencies, codes, tokens, lock = [], [], [], threading.Lock()
    stop = time.time() + seconds

    def client(k: int) -> None:
        i = 0
        while time.time() < stop:
            ev = _event(texts[(k * 7 + i) % len(texts)], "U%032x" % (k * 1_000_000 + i))
            body = json.dumps({"destination": "Ubot", "events": [ev]}, ensure_ascii=False).encode()
            req = urllib.request.Request(f"http://127.0.0.1:{port}/callback", data=body, method="POST",
                                         headers={"X-Line-Signature": signature(body),
                                                  "Content-Type": "application/json"})
            t0 = time.perf_counter()
            try:
                with urllib.request.urlopen(req, timeout=30) as r:
                    code = r.status
            except urllib.error.HTTPError as e:
                code = e.code
            with lock:
                latencies.append(time.perf_counter() - t0)
                codes.append(code)
                tokens.append(ev["replyToken"])
            i += 1

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, codes, tokens


def one_round(kind: str, args, texts: list[str]) -> dict:
    """One round on a new, empty database (SQLite: a new file; PostgreSQL: a throwaway database on
    BENCH_DATABASE_URL's server), so every round starts alike: the same villagers write each
    round, and a database kept from the last one would find their tickets already open."""
    pg = os.environ.get("BENCH_DATABASE_URL")
    with contextlib.ExitStack() as stack:
        database_url = stack.enter_context(throwaway_postgres(pg)) if pg and kind == "bot" else None
        return _round(kind, args, texts, database_url)


def _round(kind: str, args, texts: list[str], database_url: str | None) -> dict:
    fake = FakeLine()
    with tempfile.TemporaryDirectory(prefix=f"bench-{kind}-") as tmp:
        server = Server(kind, fake, args.workers, args.threads, Path(tmp), database_url)
        try:
            # this process (the clients and the fake LINE platform) shares the machine's cores with
            # the server: what it spends per delivery is counted too (a bot that calls LINE three
            # times costs the fake platform three calls; LINE itself would be another machine)
            pg0 = postgres_cpu_seconds() if database_url else None
            t0, cpu0, own0 = time.time(), server.cpu_seconds(), time.process_time()
            latencies, codes, tokens = load(server.port, args.seconds, args.clients, texts)
            elapsed = time.time() - t0
            rss = server.rss_mb()
            end = time.time() + 10  # replies the bot sends after the 200
            while time.time() < end and len(fake.replies()) < len(codes):
                time.sleep(0.1)
            cpu, own = server.cpu_seconds() - cpu0, time.process_time() - own0
            pg1 = postgres_cpu_seconds() if database_url else None
            replied = {c["body"]["replyToken"] for c in fake.replies()}
        finally:
            server.stop()
            fake.close()
    latencies.sort()
    ok = sum(c == 200 for c in codes)
    return {"kind": kind, "rate": len(codes) / elapsed, "n": len(codes), "ok": ok,
            "unanswered": sum(t not in replied for t, c in zip(tokens, codes) if c == 200),
            "p50": 1000 * statistics.median(latencies), "p99": 1000 * latencies[int(0.99 * len(latencies)) - 1],
            "rss": rss, "cpu_ms": 1000 * cpu / max(1, len(codes)), "harness_ms": 1000 * own / max(1, len(codes)),
            "pg_ms": 1000 * (pg1 - pg0) / max(1, len(codes)) if pg1 is not None and pg0 is not None else None}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=2, help="rounds of each (alternating)")
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--texts", type=Path, default=DEFAULT_TEXTS,
                   help="labelled questions to send (default: tests/data/heldout.tsv; linesim.py load "
                        "sends shared/eval/dev.tsv, with fewer escalations)")
    args = p.parse_args()
    texts = read_texts(args.texts)
    results: dict[str, list[dict]] = {"bot": [], "echo": []}
    for i in range(args.rounds):
        for kind in ("bot", "echo"):
            r = one_round(kind, args, texts)
            results[kind].append(r)
            print(f"round {i + 1} {kind:4}: {r['rate']:6.0f}/s  p50 {r['p50']:6.1f} ms  p99 {r['p99']:6.1f} ms  "
                  f"200s {r['ok']}/{r['n']}  unanswered {r['unanswered']}  CPU {r['cpu_ms']:.1f} ms/delivery "
                  f"(clients and fake LINE {r['harness_ms']:.1f}"
                  + (f", PostgreSQL server {r['pg_ms']:.1f}" if r["pg_ms"] is not None else "") + ")  "
                  f"RSS {' '.join(f'{m:.0f}' for m in r['rss'])} MB", flush=True)
    bot = statistics.median(r["rate"] for r in results["bot"])
    echo = statistics.median(r["rate"] for r in results["echo"])
    p99 = statistics.median(r["p99"] for r in results["bot"])
    rss = max(max(r["rss"], default=0) for r in results["bot"])
    print(f"bot {bot:.0f}/s vs echo {echo:.0f}/s = {bot / echo:.2f}x; bot p99 {p99:.0f} ms; "
          f"bot RSS max {rss:.0f} MB/worker; db {'PostgreSQL' if os.environ.get('BENCH_DATABASE_URL') else 'SQLite'}")
    complete = all(r["ok"] == r["n"] and r["unanswered"] == 0 for rs in results.values() for r in rs)
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
