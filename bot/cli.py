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

from tqdm import tqdm

from bot import evaluation, texts
from bot.catalogue import CatalogueError, KnowledgeStore, load, validate
from bot.config import MIN_RETENTION_DAYS, Config
from bot.conversation import answer_text
from intents import load_lexicon


def progress(items, total: int | None = None, what: str = ""):
    """A progress bar on stderr for long commands (stdout stays clean for pipes and CSV); quiet
    when stderr is not a terminal, e.g. under cron."""
    return tqdm(items, total=total, desc=what, file=sys.stderr, leave=False, disable=None)


def _catalogue_path(path: str | None = None) -> str:
    return path or Config.from_env().catalogue_path


def _knowledge():
    try:
        return KnowledgeStore(_catalogue_path()).current
    except CatalogueError as e:
        print(texts.CLI_CATALOGUE_BROKEN.format(problems=e), file=sys.stderr)
        raise SystemExit(2) from None


def ask(text: str, as_json: bool = False) -> int:
    knowledge = _knowledge()
    t0 = time.perf_counter()
    ans = answer_text(knowledge, text)
    ms = (time.perf_counter() - t0) * 1000
    d = ans.decision
    cat = knowledge.catalogue
    print(texts.CLI_DECISION.format(kind=texts.CLI_KINDS.get(d.kind, d.kind) + (f" ({d.intent})" if d.intent else ""),
                                    reason=d.reason, ms=ms))
    for sid in d.services:
        s = cat.by_id[sid]
        print(f"  → {s['name']} · {s['agency']} · {', '.join(s['phones'])} · {s['url']}")
    if d.kind == "emergency":
        danger = cat.emergency_by_id[d.emergency]
        print(texts.CLI_EMERGENCY.format(name=danger["name"], numbers=", ".join(h["number"] for h in danger["hotlines"])))
    elif ans.escalate:
        topic = cat.topic_names.get(d.topic or "", "")
        print(texts.CLI_GOES_TO_STAFF + (texts.CLI_TOPIC.format(topic=topic) if topic else ""))
    if d.reading and d.reading != "as typed":
        print(texts.CLI_READING.format(reading=d.reading))
    in_thai = knowledge.matcher.english_words_read(text)
    if in_thai:
        print(texts.CLI_ENGLISH_READ.format(text=in_thai))
    if d.matched:
        print(texts.CLI_MATCHED.format(terms=", ".join(f"'{t}'→{lab} ({src})" for t, lab, src in d.matched)))
    if d.scores:
        print(texts.CLI_EVIDENCE.format(scores=", ".join(f"{k}={v:.1f}" for k, v in list(d.scores.items())[:4])))
        ranked = list(d.scores)
        if len(ranked) > 1:
            print(texts.CLI_RUNNER_UP.format(service=ranked[1]))
    print(texts.CLI_COVERAGE.format(coverage=d.coverage))
    if as_json:
        print(json.dumps(ans.messages, ensure_ascii=False, indent=1))
    else:
        for m in ans.messages:
            print(texts.CLI_REPLY.format(text=m["text"] if m["type"] == "text"
                                         else f"[{m['type']}] {m.get('altText', '')[:200]}"))
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
        print(texts.CLI_CHECK_FAILED.format(errors=len(errors)))
        return 1
    cat = load(path, check_examples=False)
    print(texts.CLI_CHECK_OK.format(
        path=path, services=len(cat.services), keywords=sum(len(s.get("keywords", [])) for s in cat.services),
        examples=sum(len(s.get("examples", [])) for s in cat.services), topics=len(cat.topics),
        warnings=texts.CLI_CHECK_WARNINGS.format(count=len(problems)) if problems else ""))
    return 0


def catalogue_links(path: str | None) -> int:
    """Check each website with a short timeout; no network at all is said, not failed."""
    cat = load(_catalogue_path(path))
    dead = 0
    for i, s in enumerate(progress(cat.services, what=texts.CLI_PROGRESS_LINKS)):
        url = s["url"]
        req = urllib.request.Request(url, method="GET", headers={"User-Agent": "BoThongOSS-linkcheck/1"})
        try:
            with urllib.request.urlopen(req, timeout=8) as r:
                final = r.geturl()
                note = texts.CLI_LINK_OK if final.rstrip("/") == url.rstrip("/") else texts.CLI_LINK_MOVED.format(url=final)
        except urllib.error.HTTPError as e:
            note, dead = texts.CLI_LINK_DEAD.format(code=e.code), dead + 1
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            if i == 0 and isinstance(reason, socket.gaierror):
                print("no network here: links not checked / เครื่องนี้ไม่มีอินเทอร์เน็ต ตรวจลิงก์ไม่ได้")
                return 0
            note, dead = texts.CLI_LINK_UNREACHABLE.format(reason=reason), dead + 1
        tqdm.write(f"{s['id']:40s} {note}  {url}", file=sys.stdout)
    print(texts.CLI_LINKS_SUMMARY.format(dead=dead, total=len(cat.services)))
    return 1 if dead else 0


def evaluate(path: str, verbose: bool = False, noise: str | None = None) -> int:
    rows = evaluation.load_rows(path)
    if noise:
        from bot.noise import noisy
        rows = noisy(rows, noise)
    report = evaluation.evaluate(_knowledge(), progress(rows, len(rows), texts.CLI_PROGRESS_EVAL))
    if verbose and report.misses:
        print("misses:\n" + "\n".join(report.misses))
    print(report.summary())
    return 0


def tune(path: str) -> int:
    """Only ever run on tests/data/tuning.tsv: the held-out sets must stay unseen."""
    knowledge = _knowledge()
    results = evaluation.sweep(knowledge, evaluation.load_rows(path),
                               lambda items, total: progress(items, total, texts.CLI_PROGRESS_TUNE))
    current = {k: getattr(knowledge.matcher.t, k) for k in results[0][3]}
    for overall, wrong, direct, values in results[:10]:
        mark = texts.CLI_TUNE_CURRENT_MARK if values == current else ""
        print(texts.CLI_TUNE_ROW.format(overall=overall, wrong=wrong, direct=direct, values=values, mark=mark))
    here = next(r for r in results if r[3] == current)
    print(texts.CLI_TUNE_SUMMARY.format(overall=here[0], wrong=here[1], direct=here[2],
                                        rank=results.index(here) + 1, total=len(results)))
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
        w.writerow(texts.CLI_UNANSWERED_CSV_HEADER)
        for g in groups:
            w.writerow([g.count, g.question, " | ".join(g.variants), g.closest or "", g.chosen or "", g.suggestion])
        return 0
    if not groups:
        print(texts.CLI_NO_UNANSWERED.format(days=days))
    for g in groups:
        similar = texts.CLI_UNANSWERED_SIMILAR.format(count=len(g.variants)) if g.variants else ""
        print(texts.CLI_UNANSWERED_ROW.format(count=g.count, question=g.question, similar=similar))
        rejected = texts.CLI_UNANSWERED_REJECTED.format(service=g.rejected) if g.rejected else ""
        print(texts.CLI_UNANSWERED_DETAIL.format(closest=g.closest or "-", chosen=(g.chosen or "-") + rejected,
                                                 suggestion=g.suggestion))
    return 0


def purge(days: int, force: bool = False, dry_run: bool = False) -> int:
    from bot.learning import open_ticket_count, purge_texts
    if days < 0:
        print(texts.CLI_PURGE_NEGATIVE, file=sys.stderr)
        return 2
    if days < MIN_RETENTION_DAYS and not force:
        print(texts.CLI_PURGE_TOO_SHORT.format(days=days, minimum=MIN_RETENTION_DAYS), file=sys.stderr)
        return 2
    sf = _session_factory()
    counts = purge_texts(sf, dt.timedelta(days=days), dry_run=dry_run)
    cutoff = (dt.date.today() - dt.timedelta(days=days)).isoformat()
    listed = ", ".join(f"{texts.CLI_PURGE_LABELS.get(k, k)} {v}" for k, v in counts.items())
    print((texts.CLI_PURGE_DRY_RUN if dry_run else texts.CLI_PURGE_DONE).format(cutoff=cutoff, counts=listed))
    print(texts.CLI_PURGE_OPEN_KEPT.format(count=open_ticket_count(sf)))
    return 0


def users(action: str, name: str | None, role: str | None, password_stdin: bool) -> int:
    """Console accounts. Passwords come from stdin (--password-stdin) or are asked twice."""
    from bot import accounts
    sf = _session_factory()

    def password() -> str:
        if password_stdin:
            return sys.stdin.readline().rstrip("\r\n")
        import getpass
        first = getpass.getpass(texts.CLI_PASSWORD)
        if first != getpass.getpass(texts.CLI_PASSWORD_AGAIN):
            raise accounts.AccountError(texts.CLI_PASSWORDS_DIFFER)
        return first

    try:
        if action == "list":
            with sf() as s:
                for u in accounts.list_users(s):
                    print(texts.CLI_USER_ROW.format(name=u.username, role=u.role, since=u.created_at))
            return 0
        if not name:
            raise accounts.AccountError(texts.CLI_USERS_NEED_NAME.format(action=action))
        change = {"add": lambda s: accounts.add(s, name, role or "staff", password()),
                  "passwd": lambda s: accounts.set_password(s, name, password()),
                  "remove": lambda s: accounts.remove(s, name)}[action]
        with sf.begin() as s:
            change(s)
    except accounts.AccountError as e:
        print(texts.CLI_ERROR.format(error=e), file=sys.stderr)
        return 1
    print(texts.CLI_USERS_DONE[action].format(name=name))
    return 0


def report(month: str, out: str) -> int:
    """The month's service statistics to FILE.csv (UTF-8 with BOM) or FILE.xlsx."""
    from pathlib import Path

    from bot import report as report_mod
    ext = Path(out).suffix.lower()
    if ext not in report_mod.WRITERS:
        print(texts.CLI_REPORT_BAD_OUT, file=sys.stderr)
        return 2
    try:
        year, mon = report_mod.parse_month(month)
    except ValueError:
        print(texts.CLI_REPORT_BAD_MONTH.format(value=month), file=sys.stderr)
        return 2
    cat = _knowledge().catalogue
    count, write = texts.CLI_REPORT_STEPS
    with progress(None, total=2, what=count) as bar:
        with _session_factory()() as s:
            st = report_mod.month_stats(s, cat, year, mon)
        bar.update()
        bar.set_description(write)
        Path(out).write_bytes(report_mod.WRITERS[ext](cat.office, year, mon, st))
        bar.update()
    total = st.rows[-1]
    print(texts.CLI_REPORT_DONE.format(out=out, year=year, month=mon, villagers=total.villagers,
                                       by_bot=total.by_bot, by_staff=total.by_staff))
    return 0
def richmenu(action: str, out: str) -> int:
    from bot import richmenu as rm
    from bot.line import RichMenuApi, SendError
    try:
        if action == "preview":
            menu = rm.build(_knowledge().catalogue)
            with open(out, "wb") as fh:
                fh.write(menu.image)
            print(texts.CLI_RICHMENU_PREVIEW.format(out=out, width=rm.WIDTH, height=rm.HEIGHT, type=menu.content_type,
                                                    size=len(menu.image), tiles=", ".join(t.label for t in menu.tiles)))
            return 0
        config = Config.from_env()
        if not config.access_token:
            print(texts.CLI_RICHMENU_NO_TOKEN, file=sys.stderr)
            return 2
        api = RichMenuApi(config.access_token, config.api_endpoint, config.data_api_endpoint)
        try:
            if action == "deploy":
                menu_id, menu, replaced = rm.deploy(api, _knowledge().catalogue)
                print(texts.CLI_RICHMENU_DEPLOYED.format(menu_id=menu_id, size=len(menu.image), type=menu.content_type,
                                                         tiles=", ".join(t.label for t in menu.tiles),
                                                         replaced=len(replaced)))
            else:
                gone = rm.remove(api)
                print(texts.CLI_RICHMENU_REMOVED.format(count=len(gone)))
        finally:
            api.close()
        return 0
    except rm.RichMenuError as e:
        print(texts.CLI_RICHMENU_PROBLEM.format(problem=e), file=sys.stderr)
        return 1
    except SendError as e:
        print(texts.CLI_RICHMENU_LINE_REFUSED.format(error=e), file=sys.stderr)
        return 1
