"""`python -m bot ...` as an admin runs it."""
import json
import subprocess
import sys

from bot.config import ROOT


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env=env)


def test_ask_shows_the_answer_and_why():
    r = run("ask", "ต่อใบขับขี่ที่หมดอายุ")
    assert r.returncode == 0
    assert "gecc.dlt.go.th" in r.stdout and "matched terms" in r.stdout and "ใบขับขี่" in r.stdout


def test_ask_says_when_it_would_go_to_staff():
    r = run("ask", "ขอยืมเต็นท์ไปงานบวช")
    assert r.returncode == 0 and "staff" in r.stdout


def test_catalogue_check_accepts_the_shipped_file_with_a_summary():
    r = run("catalogue", "check")
    assert r.returncode == 0 and "22 services" in r.stdout


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
    assert r.returncode == 0 and "overall 100.0% of 4" in r.stdout


def test_unanswered_and_purge_on_an_empty_database(tmp_path):
    import os
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}")
    r = run("unanswered", "--days", "7", env=env)
    assert r.returncode == 0 and "no unanswered" in r.stdout
    r = run("unanswered", "--csv", env=env)
    assert r.returncode == 0 and r.stdout.startswith("count,question")
    r = run("purge", "--days", "90", env=env)
    assert r.returncode == 0 and "purged" in r.stdout
