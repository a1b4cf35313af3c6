"""What a new operator meets on a fresh machine: the Python version check, production without test
tools, and the `bot` command."""
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

from bot.config import ROOT


def _requirement_names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.add(line.split("==")[0].split("[")[0].lower())
    return names


def test_make_setup_refuses_an_old_python_plainly(tmp_path):
    # A stand-in for python3.10: answers --version, fails anything else (as the version check would).
    fake = tmp_path / "python3.10"
    fake.write_text('#!/bin/sh\n[ "$1" = "--version" ] && echo "Python 3.10.12" && exit 0\nexit 1\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    work = tmp_path / "clone"
    work.mkdir()
    for name in ("Makefile", "requirements.txt", "requirements-test.txt", "pyproject.toml"):
        shutil.copy(ROOT / name, work / name)
    r = subprocess.run(["make", "setup", f"PYTHON={fake}"], cwd=work, capture_output=True, text=True, timeout=60)
    out = r.stdout + r.stderr
    assert r.returncode != 0
    assert "needs Python 3.11 or newer" in out and "3.10.12" in out
    assert not (work / ".venv").exists(), "nothing is installed with the wrong Python"


def test_production_requirements_hold_no_test_tools():
    runtime = _requirement_names(ROOT / "requirements.txt")
    tests = _requirement_names(ROOT / "requirements-test.txt")
    assert {"pytest", "playwright"} <= tests
    assert not runtime & tests
    assert not runtime & {"pytest", "pytest-socket", "pytest-xdist", "playwright"}
    assert {"gunicorn", "line-bot-sdk", "flask"} <= runtime


def test_the_app_and_cli_import_without_test_tools():
    # As in production: pytest and playwright are not installed, so importing them must not be needed.
    code = ("import sys\n"
            "class Block:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name.split('.')[0] in ('pytest', 'playwright', '_pytest', 'pytest_socket', 'xdist', 'execnet'):\n"
            "            raise ImportError('test tool ' + name + ' imported in production')\n"
            "sys.meta_path.insert(0, Block())\n"
            "import webhook, bot.__main__, bot.cli\n"
            "webhook.create_app\n")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr


def test_bot_console_script_answers_like_python_m_bot(tmp_path):
    script = Path(sys.executable).parent / "bot"
    assert script.exists(), "make setup installs the `bot` command into .venv/bin"
    # From another directory: admins need not stand in the project root.
    r = subprocess.run([str(script), "ask", "ต่อใบขับขี่"], cwd=tmp_path, capture_output=True, text=True,
                       timeout=120, env={**os.environ, "PYTHAINLP_READ_ONLY": "1"})
    assert r.returncode == 0, r.stderr
    assert "gecc.dlt.go.th" in r.stdout
