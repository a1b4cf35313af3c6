"""Catalogue validation (every rule, with a broken copy of the real file) and live reload."""
import copy
import datetime as dt
import subprocess
import sys
import json
import os
import time

import pytest

from bot.catalogue import CatalogueError, KnowledgeStore, load, phone_ok, validate
from bot.config import ROOT

SHIPPED = json.loads((ROOT / "catalogue.json").read_text(encoding="utf-8"))


def problems(data, field=None):
    found = [p for p in validate(data) if p.severity == "error"]
    return [p for p in found if field is None or p.field.startswith(field)]


def broken(mutate):
    data = copy.deepcopy(SHIPPED)
    mutate(data)
    return data


def test_shipped_catalogue_is_valid_and_complete():
    assert problems(SHIPPED) == []
    services = SHIPPED["services"]
    assert len(services) == 22 and [s["number"] for s in services] == list(range(1, 23))
    assert {s["category"] for s in services} == {"citizen", "business", "labour"}
    assert SHIPPED["office"]["phone"] == "036-795644"
    for s in services:
        assert s["steps"] and s["phones"] and s["keywords"] and s["examples"]


def test_manual_copy_errors_are_fixed_and_noted():
    surname = next(s for s in SHIPPED["services"] if s["number"] == 3)
    assert not any("ทะเบียนรถ" in step for step in surname["steps"])
    assert any("บริการ 3" in n for n in SHIPPED["notes"])


def test_missing_field_names_the_entry_and_field():
    found = problems(broken(lambda d: d["services"][4].pop("agency")))
    assert found and "legal-case-status" in found[0].entry and "agency" in found[0].th


def test_every_problem_is_reported_at_once():
    def mutate(d):
        d["services"][4].pop("agency")                        # shape
        d["services"][0]["url"] = "javascript:alert(1)"       # rule
        d["services"][2]["phones"] = ["12"]                   # rule
    found = problems(broken(mutate))
    assert any("legal-case-status" in p.entry and "agency" in p.th for p in found)
    assert any(p.field == "url" and "driving-licence-queue" in p.entry for p in found)
    assert any(p.field == "phones" and "surname-check" in p.entry for p in found)


def test_duplicate_id():
    found = problems(broken(lambda d: d["services"][1].update(id=d["services"][0]["id"])), "id")
    assert found and "services[0]" in found[0].en


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.go.th", "www.dlt.go.th", ""])
def test_link_must_be_http_or_https(url):
    assert problems(broken(lambda d: d["services"][0].update(url=url)))


def test_plain_http_link_is_a_warning_only():
    data = broken(lambda d: d["services"][0].update(url="http://gecc.dlt.go.th/"))
    assert not problems(data)
    assert any(p.field == "url" and p.severity == "warning" for p in validate(data))


@pytest.mark.parametrize("phone,ok", [("02-277-8888", True), ("1584", True), ("081-234-5678", True),
                                      ("036795644", True), ("02-653-4444 ต่อ 4144", True), ("12345", False),
                                      ("+1 555 0100", False), ("call us", False)])
def test_thai_phone_numbers(phone, ok):
    assert phone_ok(phone) is ok


def test_bad_phone_and_empty_step_are_reported_together():
    def mutate(d):
        d["services"][2]["phones"] = ["555-CALL"]
        d["services"][3]["steps"] = ["เปิดเว็บ", "   "]
    fields = {p.field for p in problems(broken(mutate))}
    assert {"phones", "steps"} <= fields


def test_keyword_claimed_by_two_services():
    found = problems(broken(lambda d: d["services"][5]["keywords"].append("ใบขับขี่")), "keywords")
    assert found and "driving-licence-queue" in found[0].en


def test_example_sent_to_another_service_is_an_error():
    found = problems(broken(lambda d: d["services"][7]["examples"].append("อยากต่อใบขับขี่ที่หมดอายุ")), "examples")
    assert found and "driving-licence-queue" in found[0].en


def test_flex_limit_of_a_phone_label():
    assert problems(broken(lambda d: d["services"][0]["phones"].append("02-277-8888 ต่อ 1234567890123456789012345")),
                    "phones")


def test_unknown_category_and_variant_group_without_provincial_service():
    def mutate(d):
        d["services"][0]["category"] = "nowhere"
        d["services"][13]["variant"]["region"] = "metro"
    fields = {p.field for p in problems(broken(mutate))}
    assert "category" in fields and any(f.startswith("variant") for f in fields)


def test_broken_json_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "catalogue.json"
    path.write_text('{"services": [', encoding="utf-8")
    with pytest.raises(CatalogueError) as e:
        load(path)
    assert "JSON" in str(e.value)


def test_live_reload_takes_valid_edits_and_refuses_broken_ones(tmp_path):
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(SHIPPED, ensure_ascii=False), encoding="utf-8")
    store = KnowledgeStore(path)
    assert store.current.matcher.decide("ขอเงินอุดหนุนปลาทูน่า").kind == "escalate"
    data = copy.deepcopy(SHIPPED)
    new = copy.deepcopy(data["services"][0])
    new.update(id="tuna-grant", name="ขอรับเงินอุดหนุนปลาทูน่า", keywords=["ปลาทูน่า"], examples=["ขอเงินเลี้ยงปลาทูน่า"])
    data["services"].append(new)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.utime(path, (time.time() + 5, time.time() + 5))
    assert store.refresh()
    assert store.current.matcher.decide("ขอเงินอุดหนุนปลาทูน่า").services == ["tuna-grant"]
    path.write_text('{"services": [', encoding="utf-8")
    os.utime(path, (time.time() + 10, time.time() + 10))
    assert not store.refresh()
    assert store.last_error is not None
    assert store.current.matcher.decide("ขอเงินอุดหนุนปลาทูน่า").services == ["tuna-grant"]


def _with_office_days(days, expect=True):
    data = json.loads((ROOT / "catalogue.json").read_text(encoding="utf-8"))
    data["office"]["holidays"] = days
    data["office"]["expect_own_days"] = expect
    return data


def test_catalogue_check_warns_when_next_years_office_days_are_missing(tmp_path):
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(_with_office_days([{"date": "2026-12-30", "name": "ปิดสำนักงาน"}]),
                               ensure_ascii=False), encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "bot", "catalogue", "check", str(path)], capture_output=True,
                       text=True, cwd=ROOT, timeout=120)
    year = dt.date.today().year + 1
    assert r.returncode == 0  # a reminder, not an error
    if dt.date.today().month >= 10:
        assert "WARNING office · holidays" in r.stdout and str(year) in r.stdout
    # Validating as of a fixed date shows the same without depending on today.
    problems = validate(_with_office_days([{"date": "2026-12-30", "name": "ปิดสำนักงาน"}]), check_examples=False,
                        today=dt.date(2026, 11, 1))
    assert any(p.field == "holidays" and "2027" in p.en and p.severity == "warning" for p in problems)
    problems = validate(_with_office_days([{"date": "2027-01-04", "name": "วันหยุดพิเศษ"}]), check_examples=False,
                        today=dt.date(2026, 11, 1))
    assert not any(p.field == "holidays" for p in problems)


def test_office_days_that_are_no_real_date_are_errors_and_public_ones_are_redundant():
    problems = validate(_with_office_days([{"date": "2027-02-30", "name": "x"}, {"every_year": "13-01", "name": "y"},
                                           {"date": "2027-02-22", "name": "ชดเชยมาฆบูชา"}]), check_examples=False)
    errors = [p for p in problems if p.severity == "error"]
    assert {p.field for p in errors} == {"holidays[0]", "holidays[1]"}
    assert any(p.field == "holidays[2]" and "already a public holiday" in p.en for p in problems)


_ODD_VALUES = [None, True, 0, 7, 1.0, 1.5, -1, "", " ", "x", "x\n", "abc-1", "12:30", "191", "provincial", [], [""],
               ["x"], [1], {}, {"": 1}, {"group": "g", "region": "metro"}]


def _every_break(node, visit):
    """Calls ``visit()`` with ``node`` changed in one place at a time (a value swapped for an odd
    one, a key removed, a key added, an item added), then puts it back."""
    if isinstance(node, dict):
        for key in list(node):
            value = node[key]
            for odd in _ODD_VALUES:
                node[key] = odd
                visit()
            del node[key]
            visit()
            node[key] = value
            _every_break(value, visit)
        for extra in ("zz", "date", "every_year"):
            if extra not in node:
                node[extra] = "2027-01-01"
                visit()
                del node[extra]
    elif isinstance(node, list):
        for i, value in enumerate(node):
            for odd in _ODD_VALUES:
                node[i] = odd
                visit()
            node[i] = value
            _every_break(value, visit)
        node.append("")
        visit()
        node.pop()


def test_compiled_schema_check_refuses_whatever_jsonschema_refuses():
    """The fast schema check decides alone when it passes a catalogue: it must never pass one in
    which jsonschema finds an error (the admin would lose that error's message)."""
    from bot.catalogue import SCHEMA_PATH, _schema_checkers
    st = SCHEMA_PATH.stat()
    fast, detailed = _schema_checkers((st.st_mtime_ns, st.st_size))
    def small(node):  # every kind of field, with two of each list's items
        if isinstance(node, dict):
            return {k: small(v) for k, v in node.items()}
        return [small(x) for x in node[:2]] if isinstance(node, list) else node
    data = small(SHIPPED)
    for mapping in ("agency_aliases", "spellings", "dialect_words"):
        data[mapping] = dict(list(data[mapping].items())[:2])
    data["services"] = [small(s) for s in SHIPPED["services"][:1] + [s for s in SHIPPED["services"] if s.get("variant")][:1]]
    data["office"]["holidays"] = [{"date": "2027-01-04", "name": "x"}, {"every_year": "05-01", "name": "y"}]
    assert not list(detailed.iter_errors(data))
    seen = {"passed": 0, "refused": 0}
    missed = []

    def visit():
        try:
            fast(data)
        except Exception:  # noqa: BLE001
            seen["refused"] += 1
            return
        seen["passed"] += 1
        if any(True for _ in detailed.iter_errors(data)):
            missed.append(json.dumps(data, ensure_ascii=False)[:300])
    _every_break(data, visit)
    assert not missed
    assert seen["refused"] > 1000 and seen["passed"] > 100  # the breaks reached both ways


def test_a_bad_catalogue_gets_every_schema_error_with_its_path_in_thai():
    def mutate(d):
        d["services"][4].pop("agency")
        d["services"][6]["id"] = "Bad Id"
        d["services"][8]["steps"] = []
        d["office"]["hours"]["open"] = "8 โมง"
    found = problems(broken(mutate))
    by_field = {p.field: p for p in found}
    assert "ขาดช่อง agency" in by_field["services/4"].th and "legal-case-status" in by_field["services/4"].entry
    assert by_field["services/6/id"].th.startswith("id ใช้ได้เฉพาะ a-z")
    assert by_field["services/8/steps"].th == "ต้องมีอย่างน้อย 1 รายการ"
    assert by_field["office/hours/open"].th.startswith("รูปแบบไม่ถูกต้อง")
