"""The commands behind ``python -m bot`` (see bot/__main__.py)."""
from __future__ import annotations

import csv
import datetime as dt
import json
import socket
import sys
import time
import urllib.error
import urllib.request

from bot import evaluation
from bot.catalogue import CatalogueError, KnowledgeStore, load, validate
from bot.config import Config
from bot.conversation import answer_text
from intents import load_lexicon


def _catalogue_path(path: str | None = None) -> str:
    return path or Config.from_env().catalogue_path


def _knowledge():
    try:
        return KnowledgeStore(_catalogue_path()).current
    except CatalogueError as e:
        print(f"catalogue.json has problems / catalogue.json มีปัญหา:\n{e}", file=sys.stderr)
        raise SystemExit(2) from None


def ask(text: str, as_json: bool = False) -> int:
    knowledge = _knowledge()
    t0 = time.perf_counter()
    ans = answer_text(knowledge, text)
    ms = (time.perf_counter() - t0) * 1000
    d = ans.decision
    cat = knowledge.catalogue
    print(f"decision: {d.kind}" + (f" ({d.intent})" if d.intent else "") + f" — {d.reason}  [{ms:.1f} ms]")
    for sid in d.services:
        s = cat.by_id[sid]
        print(f"  → {s['name']} · {s['agency']} · {', '.join(s['phones'])} · {s['url']}")
    if ans.escalate:
        topic = cat.topic_names.get(d.topic or "", "")
        print("  → goes to staff (a ticket #N, the office phone in the reply)" + (f"; topic: {topic}" if topic else ""))
    if d.reading and d.reading != "as typed":
        print(f"read: {d.reading}")
    if d.matched:
        print("matched terms: " + ", ".join(f"'{t}'→{lab} ({src})" for t, lab, src in d.matched))
    if d.scores:
        print("evidence (letters matched): " + ", ".join(f"{k}={v:.1f}" for k, v in list(d.scores.items())[:4]))
        ranked = list(d.scores)
        if len(ranked) > 1:
            print(f"runner-up: {ranked[1]}")
    print(f"coverage of the message: {d.coverage:.0%}")
    if as_json:
        print(json.dumps(ans.messages, ensure_ascii=False, indent=1))
    else:
        for m in ans.messages:
            print("reply: " + (m["text"] if m["type"] == "text" else f"[{m['type']}] {m.get('altText', '')[:200]}"))
    return 0


def catalogue_check(path: str | None) -> int:
    path = _catalogue_path(path)
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        print(f"ERROR: ไม่พบไฟล์ / file not found: {path}")
        return 2
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        print(f"ERROR {path}: ไฟล์ JSON เสีย / broken JSON: {e}")
        return 1
    today = dt.datetime.now(dt.timezone.utc).date()
    problems = validate(data, load_lexicon(), today=today)
    for p in problems:
        print(p)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        print(f"\n{len(errors)} error(s) / พบข้อผิดพลาด {len(errors)} รายการ: แก้ไขก่อนบันทึกใช้งาน")
        return 1
    cat = load(path, check_examples=False)
    warn = f", {len(problems)} warning(s)" if problems else ""
    print(f"OK {path}: {cat.summary()}{warn}")
    return 0


def catalogue_links(path: str | None) -> int:
    """Check each website with a short timeout; no network at all is said, not failed."""
    cat = load(_catalogue_path(path))
    dead = 0
    for i, s in enumerate(cat.services):
        url = s["url"]
        req = urllib.request.Request(url, method="GET", headers={"User-Agent": "BoThongOSS-linkcheck/1"})
        try:
            with urllib.request.urlopen(req, timeout=8) as r:
                final = r.geturl()
                note = "OK" if final.rstrip("/") == url.rstrip("/") else f"REDIRECTED → {final}"
        except urllib.error.HTTPError as e:
            note, dead = f"DEAD (HTTP {e.code})", dead + 1
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            if i == 0 and isinstance(reason, socket.gaierror):
                print("no network here: links not checked / เครื่องนี้ไม่มีอินเทอร์เน็ต ตรวจลิงก์ไม่ได้")
                return 0
            note, dead = f"UNREACHABLE ({reason})", dead + 1
        print(f"{s['id']:40s} {note}  {url}")
    print(f"{dead} dead or unreachable link(s)")
    return 1 if dead else 0


def evaluate(path: str, verbose: bool = False, noise: str | None = None) -> int:
    rows = evaluation.load_rows(path)
    if noise:
        from bot.noise import noisy
        rows = noisy(rows, noise)
    report = evaluation.evaluate(_knowledge(), rows)
    if verbose and report.misses:
        print("misses:\n" + "\n".join(report.misses))
    print(report.summary())
    return 0


def tune(path: str) -> int:
    """Only ever run on tests/data/tuning.tsv: the held-out sets must stay unseen."""
    knowledge = _knowledge()
    results = evaluation.sweep(knowledge, evaluation.load_rows(path))
    current = {k: getattr(knowledge.matcher.t, k) for k in results[0][3]}
    for overall, wrong, direct, values in results[:10]:
        mark = "  <- current" if values == current else ""
        print(f"{overall:.1%}  confident wrong {wrong:3d}  answered directly {direct:.1%}  {values}{mark}")
    here = next(r for r in results if r[3] == current)
    print(f"current: {here[0]:.1%}, confident wrong {here[1]}, answered directly {here[2]:.1%} "
          f"(rank {results.index(here) + 1} of {len(results)})")
    return 0


def _session_factory():
    from bot.db import make_engine, make_session_factory, migrate
    config = Config.from_env()  # the same database the server uses (DATABASE_URL or instance/bot.db)
    engine = make_engine(config.database_url)
    migrate(engine)
    return make_session_factory(engine)


def unanswered(days: int, as_csv: bool = False) -> int:
    from bot.learning import unanswered_report
    groups = unanswered_report(_session_factory(), _knowledge(), days)
    if as_csv:
        w = csv.writer(sys.stdout)
        w.writerow(["count", "question", "variants", "closest_service", "villagers_chose", "suggestion"])
        for g in groups:
            w.writerow([g.count, g.question, " | ".join(g.variants), g.closest or "", g.chosen or "", g.suggestion])
        return 0
    if not groups:
        print(f"no unanswered questions in the last {days} days")
    for g in groups:
        print(f"{g.count:3d}× {g.question}" + (f"  (+{len(g.variants)} similar)" if g.variants else ""))
        print(f"      closest: {g.closest or '-'} · villagers chose: {g.chosen or '-'}")
        print(f"      suggestion: {g.suggestion}")
    return 0


def purge(days: int) -> int:
    from bot.learning import purge_texts
    counts = purge_texts(_session_factory(), dt.timedelta(days=days))
    print(f"purged texts older than {days} days: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def users(action: str, name: str | None, role: str | None, password_stdin: bool) -> int:
    """Console accounts. Passwords come from stdin (--password-stdin) or are asked twice."""
    from bot import accounts
    sf = _session_factory()

    def password() -> str:
        if password_stdin:
            return sys.stdin.readline().rstrip("\r\n")
        import getpass
        first = getpass.getpass("password: ")
        if first != getpass.getpass("again: "):
            raise accounts.AccountError("the two passwords differ")
        return first

    try:
        if action == "list":
            with sf() as s:
                for u in accounts.list_users(s):
                    print(f"{u.username}\t{u.role}\tsince {u.created_at:%Y-%m-%d}")
            return 0
        if not name:
            raise accounts.AccountError(f"users {action} needs a NAME")
        with sf.begin() as s:
            if action == "add":
                accounts.add(s, name, role or "staff", password())
            elif action == "passwd":
                accounts.set_password(s, name, password())
            elif action == "remove":
                accounts.remove(s, name)
    except accounts.AccountError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(f"{action}: {name} OK")
    return 0


def report(month: str, out: str) -> int:
    """The month's service statistics to FILE.csv (UTF-8 with BOM) or FILE.xlsx."""
    from pathlib import Path

    from bot import report as report_mod
    ext = Path(out).suffix.lower()
    if ext not in report_mod.WRITERS:
        print("error: --out must end in .csv or .xlsx", file=sys.stderr)
        return 2
    try:
        year, mon = report_mod.parse_month(month)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    cat = _knowledge().catalogue
    with _session_factory()() as s:
        st = report_mod.month_stats(s, cat, year, mon)
    Path(out).write_bytes(report_mod.WRITERS[ext](cat.office, year, mon, st))
    total = st.rows[-1]
    print(f"{out}: {year}-{mon:02d}, {total.villagers} villagers, {total.by_bot} answered by the bot, "
          f"{total.by_staff} handled by staff")
    return 0
def richmenu(action: str, out: str) -> int:
    from bot import richmenu as rm
    from bot.line import RichMenuApi, SendError
    try:
        if action == "preview":
            menu = rm.build(_knowledge().catalogue)
            with open(out, "wb") as fh:
                fh.write(menu.image)
            print(f"wrote {out}: {rm.WIDTH}x{rm.HEIGHT} {menu.content_type}, {len(menu.image):,} bytes, "
                  f"tiles: {', '.join(t.label for t in menu.tiles)}")
            return 0
        config = Config.from_env()
        if not config.access_token:
            print("set LINE_CHANNEL_ACCESS_TOKEN (the channel's token) first / ยังไม่ได้ตั้งค่า LINE_CHANNEL_ACCESS_TOKEN",
                  file=sys.stderr)
            return 2
        api = RichMenuApi(config.access_token, config.api_endpoint, config.data_api_endpoint)
        try:
            if action == "deploy":
                menu_id, menu, replaced = rm.deploy(api, _knowledge().catalogue)
                print(f"deployed {menu_id} as the default menu ({len(menu.image):,} bytes {menu.content_type}; "
                      f"tiles: {', '.join(t.label for t in menu.tiles)}); replaced {len(replaced)} older menu(s)")
            else:
                gone = rm.remove(api)
                print(f"removed the default menu; deleted {len(gone)} menu(s)")
        finally:
            api.close()
        return 0
    except rm.RichMenuError as e:
        print(f"rich menu: {e}", file=sys.stderr)
        return 1
    except SendError as e:
        print(f"LINE refused: {e}", file=sys.stderr)
        return 1
