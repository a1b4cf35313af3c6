"""The console's doors: signing in, throttling, CSRF, roles, sessions, accounts (SQLite; the
storage-dependent parts run on both backends in test_console_storage.py)."""
import io
import subprocess
import sys

import pytest

from sqlalchemy import select

from bot import accounts
from bot.config import ROOT
from bot.db import AuditEntry
from tests import consolekit as kit
from tests.conftest import blob


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("console")
    env = kit.build(f"sqlite:///{tmp / 'bot.db'}", tmp)
    env.add_user("admin1", "admin")
    env.add_user("staff1", "staff")
    yield env
    kit.close(env)


QUESTION = "ขอให้มาตัดกิ่งไม้ที่บังไฟทางหน้าบ้านหมู่สาม"


def test_nothing_under_console_shows_a_villagers_words_without_signing_in(env):
    env.ask(QUESTION)
    c = env.app.test_client()
    for path in ["/console", "/console/", "/console/tickets/1", "/console/stats", "/console/learning",
                 "/console/catalogue", "/console/audit", "/console/report?month=2026-11"]:
        r = c.get(path)
        assert r.status_code == 302 and "/console/login" in r.headers["Location"], path
        assert "ตัดกิ่งไม้" not in r.get_data(as_text=True)
    page = c.get("/console/login").get_data(as_text=True)
    assert 'name="password"' in page and "ตัดกิ่งไม้" not in page


def test_sign_in_opens_the_inbox_and_sign_out_closes_it(env):
    env.ask(QUESTION)
    c = kit.sign_in(env.app, "staff1")
    assert "ตัดกิ่งไม้" in c.get("/console/").get_data(as_text=True)
    r = kit.post_form(c, "/console/", "/console/logout", {})
    assert r.status_code == 302
    assert c.get("/console/").status_code == 302


def test_session_cookie_is_signed_httponly_and_samesite(env):
    c = env.app.test_client()
    token = kit.csrf_of(c.get("/console/login").get_data(as_text=True))
    r = c.post("/console/login", data={"username": "staff1", "password": kit.PASSWORD, "csrf_token": token})
    cookie = [h for h in r.headers.getlist("Set-Cookie") if h.startswith("oss_console=")][0]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # a forged cookie (not signed with SECRET_KEY) is nobody
    forged = env.app.test_client()
    forged.set_cookie("oss_console", cookie.split(";")[0].split("=", 1)[1][:-4] + "AAAA")
    assert forged.get("/console/").status_code == 302


def test_secure_cookie_flag_when_served_over_https(tmp_path):
    env = kit.build(f"sqlite:///{tmp_path / 'bot.db'}", tmp_path)
    try:
        assert env.app.config["SESSION_COOKIE_SECURE"] is False  # plain http on this machine
    finally:
        kit.close(env)
    from dataclasses import replace
    from webhook import create_app
    app = create_app(replace(env.app.extensions["bot"]["config"], public_url="https://oss.example.org"))
    try:
        assert app.config["SESSION_COOKIE_SECURE"] is True and app.config["REMEMBER_COOKIE_SECURE"] is True
    finally:
        app.extensions["bot"]["processor"].stop()
        app.extensions["bot"]["engine"].dispose()


def test_wrong_passwords_are_throttled_then_even_the_right_one_waits(env):
    env.add_user("victim", "staff")
    c = env.app.test_client()
    token = kit.csrf_of(c.get("/console/login").get_data(as_text=True))
    codes = [c.post("/console/login", data={"username": "victim", "password": f"guess {i}", "csrf_token": token}).status_code
             for i in range(5)]
    assert codes == [401] * 5
    r = c.post("/console/login", data={"username": "victim", "password": kit.PASSWORD, "csrf_token": token})
    assert r.status_code == 429 and "รอสักครู่" in r.get_data(as_text=True)
    # another account from the same machine is not locked out by someone else's failures
    assert kit.sign_in(env.app, "admin1")


def test_a_good_sign_in_does_not_count_as_a_failure(env):
    env.add_user("often", "staff")
    for _ in range(7):
        kit.sign_in(env.app, "often")


def test_forms_without_their_csrf_token_are_refused(env):
    _, reply = env.ask("ขอให้มาลอกท่อระบายน้ำที่ตันหน้าตลาด")
    c = env.app.test_client()
    r = c.post("/console/login", data={"username": "staff1", "password": kit.PASSWORD})
    assert r.status_code == 400
    c = kit.sign_in(env.app, "staff1")
    before = len(env.line.calls)
    assert c.post("/console/tickets/1/answer", data={"answer": "ไม่ควรส่ง"}).status_code == 400
    assert c.post("/console/tickets/1/close", data={}).status_code == 400
    assert c.post("/console/tickets/1/answer", data={"answer": "ไม่ควรส่ง", "csrf_token": "forged"}).status_code == 400
    assert len(env.line.calls) == before


def test_staff_see_tickets_and_stats_but_only_admins_edit(env):
    staff = kit.sign_in(env.app, "staff1")
    assert staff.get("/console/").status_code == 200
    assert staff.get("/console/stats").status_code == 200
    assert staff.get("/console/learning").status_code == 200
    for path in ["/console/catalogue", "/console/catalogue/services/driving-licence-queue", "/console/catalogue/new",
                 "/console/catalogue/office", "/console/catalogue/history", "/console/audit"]:
        assert staff.get(path).status_code == 403, path
    before = env.catalogue.read_text(encoding="utf-8")
    r = kit.post_form(staff, "/console/", "/console/catalogue/services/driving-licence-queue",
                      {"name": "x", "agency": "x", "steps": "x", "phones": "1584", "url": "https://x.example",
                       "keywords": "x", "examples": ""})
    assert r.status_code == 403
    r = kit.post_form(staff, "/console/", "/console/learning/add",
                      {"service": "driving-licence-queue", "kind": "keywords", "text": "คำใหม่"})
    assert r.status_code == 403
    assert env.catalogue.read_text(encoding="utf-8") == before
    admin = kit.sign_in(env.app, "admin1")
    assert admin.get("/console/catalogue").status_code == 200
    assert 'href="/console/catalogue"' not in staff.get("/console/").get_data(as_text=True)


def test_changing_a_password_signs_out_the_old_sessions(env):
    env.add_user("mover", "staff")
    c = kit.sign_in(env.app, "mover")
    assert c.get("/console/").status_code == 200
    with env.sf.begin() as s:
        accounts.set_password(s, "mover", "a brand new password 2")
    assert c.get("/console/").status_code == 302
    kit.sign_in(env.app, "mover", "a brand new password 2")


def test_only_console_paths_redirect_after_sign_in(env):
    c = env.app.test_client()
    token = kit.csrf_of(c.get("/console/login").get_data(as_text=True))
    r = c.post("/console/login?next=https://evil.example/", data={"username": "staff1", "password": kit.PASSWORD,
                                                                  "csrf_token": token})
    assert r.headers["Location"].endswith("/console/")


def test_users_command_adds_lists_changes_and_removes(tmp_path, monkeypatch, capsys):
    from bot.__main__ import main
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.db'}")

    def run(*args, stdin=""):
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(["users", *args])
        out = capsys.readouterr()
        return code, out.out, out.err
    assert run("add", "somsri", "--role", "admin", "--password-stdin", stdin="short\n")[0] == 1
    assert run("add", "somsri", "--role", "admin", "--password-stdin", stdin="correct horse 12\n")[0] == 0
    code, _, err = run("add", "somsri", "--role", "staff", "--password-stdin", stdin="correct horse 12\n")
    assert code == 1 and "already exists" in err
    assert "somsri\tadmin" in run("list")[1]
    assert run("passwd", "somsri", "--password-stdin", stdin="another horse 34\n")[0] == 0
    from bot.db import make_engine, make_session_factory
    engine = make_engine(f"sqlite:///{tmp_path / 'bot.db'}")
    with make_session_factory(engine).begin() as s:
        user = accounts.get(s, "somsri")
        assert user.password_hash.startswith("$argon2id$") and "another" not in user.password_hash
        assert accounts.authenticate(s, "somsri", "another horse 34") is not None
        assert accounts.authenticate(s, "somsri", "correct horse 12") is None
    engine.dispose()
    assert run("remove", "somsri")[0] == 0
    assert "somsri" not in run("list")[1]


def test_users_add_reads_the_password_from_a_pipe(tmp_path):
    """The documented first-admin command, as a shell runs it."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
           "PYTHAINLP_READ_ONLY": "1"}
    r = subprocess.run([sys.executable, "-m", "bot", "users", "add", "first", "--role", "admin", "--password-stdin"],
                       input="the first admin password\n", capture_output=True, text=True, cwd=ROOT, env=env,
                       timeout=120)
    assert r.returncode == 0, r.stderr


def test_admins_manage_accounts_in_the_browser_and_staff_cannot(env):
    admin = kit.sign_in(env.app, "admin1")
    r = kit.post_form(admin, "/console/users", "/console/users",
                      {"action": "add", "username": "newbie", "role": "staff", "password": "newbie password 9"})
    assert r.status_code == 302
    assert "newbie" in admin.get("/console/users").get_data(as_text=True)
    newbie = kit.sign_in(env.app, "newbie", "newbie password 9")
    assert newbie.get("/console/users").status_code == 403
    r = kit.post_form(newbie, "/console/", "/console/users",
                      {"action": "add", "username": "sneaky", "role": "admin", "password": "sneaky password 9"})
    assert r.status_code == 403
    short = kit.post_form(admin, "/console/users", "/console/users",
                          {"action": "add", "username": "weak", "role": "staff", "password": "short"})
    assert "รหัสผ่านสั้นเกินไป" in admin.get(short.headers["Location"]).get_data(as_text=True)
    kit.post_form(admin, "/console/users", "/console/users",
                  {"action": "passwd", "username": "newbie", "password": "second password 9"})
    assert newbie.get("/console/").status_code == 302  # signed out by the new password
    kit.post_form(admin, "/console/users", "/console/users", {"action": "remove", "username": "newbie"})
    with env.sf() as s:
        assert accounts.get(s, "newbie") is None and accounts.get(s, "sneaky") is None and accounts.get(s, "weak") is None
        actions = [a for (a,) in s.execute(select(AuditEntry.action).where(AuditEntry.target == "newbie"))]
    assert actions == ["user_add", "user_passwd", "user_remove"]


def test_without_a_staff_group_the_console_still_answers_the_villager(tmp_path):
    env = kit.build(f"sqlite:///{tmp_path / 'bot.db'}", tmp_path, staff_group=None)
    try:
        env.add_user("solo", "staff")
        villager, reply = env.ask("ขอให้มาตัดหญ้าข้างทางหมู่สอง")
        c = kit.sign_in(env.app, "solo")
        r = kit.post_form(c, "/console/tickets/1", "/console/tickets/1/answer", {"answer": "พรุ่งนี้ไปตัดให้ค่ะ"})
        assert r.status_code == 302
        assert env.line.wait(lambda: [p for p in env.line.pushes(villager) if "พรุ่งนี้ไปตัดให้ค่ะ" in blob(p)])
        assert not [p for p in env.line.pushes() if p["body"]["to"] != villager]
    finally:
        kit.close(env)
