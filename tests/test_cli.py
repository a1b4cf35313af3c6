"""`python -m bot ...` as an admin runs it."""
import json
import re
import subprocess
import sys

from bot.config import ROOT


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env=env)


def here(capsys, *args) -> tuple[int, str, str]:
    """`bot ...` run by its `main` in this process: what a separate process shows, without the
    second or so each new one costs to start (the tests above and the terminal ones start real ones)."""
    from bot.__main__ import main
    try:
        code = main(list(args))
    except SystemExit as ended:
        code = ended.code
    out, err = capsys.readouterr()
    return code or 0, out, err


def test_ask_shows_the_answer_and_why():
    r = run("ask", "ต่อใบขับขี่ที่หมดอายุ")
    assert r.returncode == 0
    assert "gecc.dlt.go.th" in r.stdout and "คำที่จับได้" in r.stdout and "ใบขับขี่" in r.stdout


def test_ask_says_when_it_would_go_to_staff():
    r = run("ask", "ขอยืมเต็นท์ไปงานบวช")
    assert r.returncode == 0 and "ส่งเจ้าหน้าที่" in r.stdout


def test_ask_shows_english_words_read_as_thai():
    r = run("ask", "my driving license lost")
    assert r.returncode == 0 and "ใบขับขี่ หาย" in r.stdout and "ส่งเจ้าหน้าที่" in r.stdout


def test_catalogue_check_accepts_the_shipped_file_with_a_summary():
    r = run("catalogue", "check")
    assert r.returncode == 0 and "ผ่าน" in r.stdout and "บริการ 22 รายการ" in r.stdout


def test_catalogue_check_lists_every_problem(tmp_path):
    data = json.loads((ROOT / "catalogue.json").read_text(encoding="utf-8"))
    data["services"][0]["url"] = "javascript:alert(1)"
    data["services"][1]["phones"] = ["12"]
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    r = run("catalogue", "check", str(path))
    assert r.returncode == 1
    assert "driving-licence-queue" in r.stdout and "url" in r.stdout
    assert "vehicle-plate-number" in r.stdout and "phones" in r.stdout


def test_catalogue_check_refuses_broken_json(tmp_path):
    path = tmp_path / "catalogue.json"
    path.write_text("{", encoding="utf-8")
    r = run("catalogue", "check", str(path))
    assert r.returncode != 0 and "JSON" in r.stdout


def test_links_check_says_when_there_is_no_network():
    r = run("catalogue", "links")
    assert r.returncode in (0, 1) and r.stdout.strip()


def test_eval_prints_the_rates(tmp_path):
    path = tmp_path / "q.tsv"
    path.write_text("1\tต่อใบขับขี่\nX\tขอซ่อมถนน\nS\tสวัสดี\nC\tเบอร์โทร อบต.\n", encoding="utf-8")
    r = run("eval", str(path), "-v")
    assert r.returncode == 0 and "รวมถูก 100.0% จาก 4 ข้อ" in r.stdout


def test_unanswered_and_purge_on_an_empty_database(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.db'}")
    code, out, _ = here(capsys, "unanswered", "--days", "7")
    assert code == 0 and "ไม่มีคำถามที่ตอบไม่ได้" in out
    code, out, _ = here(capsys, "unanswered", "--csv")
    assert code == 0 and out.startswith("จำนวน,คำถาม")
    code, out, _ = here(capsys, "purge", "--days", "90")
    assert code == 0 and "ลบข้อมูลก่อน" in out


def _parsers():
    """Every (sub)command's parser, as `bot` builds them."""
    import argparse

    from bot.__main__ import main
    captured = []

    def capture(self, args=None, namespace=None):
        captured.append(self)
        raise SystemExit(0)
    original = argparse.ArgumentParser.parse_args
    argparse.ArgumentParser.parse_args = capture
    try:
        try:
            main(["ask", "x"])
        except SystemExit:
            pass
    finally:
        argparse.ArgumentParser.parse_args = original
    top = captured[0]
    subs = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))
    return top, subs.choices


def test_help_describes_every_command_and_option_in_thai(capsys):
    thai = re.compile(r"[\u0e00-\u0e7f]")
    top, commands = _parsers()
    r = run("--help")
    assert r.returncode == 0 and "วิธีใช้" in r.stdout
    for name, parser in commands.items():
        code, shown, _ = here(capsys, name, "--help")  # the process start is proven above: ~1 s less each
        assert code == 0 and "วิธีใช้" in shown, name
        for action in parser._actions:
            assert action.help and thai.search(action.help), f"`bot {name}`: {action.dest} has no Thai help"
            for flag in action.option_strings:
                assert flag in shown, f"`bot {name} --help` does not show {flag}"


def test_a_mistake_gets_a_thai_hint():
    r = run("purge")
    assert r.returncode == 2 and "ใช้คำสั่งไม่ถูกต้อง" in r.stderr and "bot purge --help" in r.stderr


def _with_progress_terminal(*args, env=None):
    """Run a command with stderr on a terminal, as an admin sees it (progress bars show there only)."""
    import fcntl
    import os
    import pty
    import struct
    import termios
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a new pty is 0 columns wide
    try:
        proc = subprocess.run([sys.executable, "-m", "bot", *args], stdout=subprocess.PIPE, stderr=slave,
                              cwd=ROOT, timeout=300, env=env)
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(master)
    return proc, b"".join(chunks).decode("utf-8", "replace")


def test_long_commands_show_progress_on_a_terminal(tmp_path):
    path = tmp_path / "q.tsv"
    path.write_text("".join(f"1\tต่อใบขับขี่ {i}\n" for i in range(40)), encoding="utf-8")
    proc, terminal = _with_progress_terminal("eval", str(path))
    assert proc.returncode == 0
    assert "ลองถามทีละข้อ" in terminal and "/40" in terminal
    assert "ลองถาม" not in proc.stdout.decode()  # stdout stays clean for files and pipes
    proc, terminal = _with_progress_terminal("tune", str(path))
    assert proc.returncode == 0 and "ลองค่าเกณฑ์" in terminal and "/27" in terminal
    # Not a terminal (cron, a pipe): no bar at all.
    r = run("eval", str(path))
    assert "ลองถามทีละข้อ" not in r.stderr


def test_purge_refuses_a_short_retention_unless_forced(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.db'}")
    code, out, err = here(capsys, "purge", "--days", "0")
    assert code == 2 and "--force" in err and "ลบข้อมูล" not in out
    code, _, _ = here(capsys, "purge", "--days", "29")
    assert code == 2
    code, out, _ = here(capsys, "purge", "--days", "0", "--force", "--dry-run")
    assert code == 0 and "ทดลอง (ยังไม่ลบ)" in out


def test_report_shows_progress_and_says_what_it_wrote_in_thai(tmp_path):
    import os
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}")
    out = tmp_path / "report.csv"
    proc, terminal = _with_progress_terminal("report", "--month", "2026-11", "--out", str(out), env=env)
    assert proc.returncode == 0 and out.exists()
    assert "นับสถิติ" in terminal or "เขียนไฟล์" in terminal
    assert "บันทึก" in proc.stdout.decode() and "2026-11" in proc.stdout.decode()
    r = run("report", "--month", "2026-13", "--out", str(out), env=env)
    assert r.returncode == 2 and "ผิดพลาด" in r.stderr
