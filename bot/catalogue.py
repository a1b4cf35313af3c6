"""The catalogue: load, validate (every problem at once, in Thai and English), and live reload.

Admins edit ``catalogue.json`` by hand. A valid edit goes live in every worker within seconds;
an invalid one is refused with a list of problems naming the entry and the field, and the last
good catalogue keeps serving.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

from jsonschema import Draft202012Validator

try:
    import fastjsonschema
except ImportError:  # a checkout updated without `make setup`: slower, the same answers
    fastjsonschema = None

from bot import office as office_days, replies, texts
from bot.matcher import Matcher
from bot.thai import compact
from intents import load_lexicon

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = ROOT / "catalogue.schema.json"

# Thai numbers: landline 0X-XXX-XXXX (9 digits), mobile 0[689]X-XXX-XXXX (10), hotline 1XXX;
# an extension may follow ("ต่อ 4144").
_PHONE = re.compile(r"^(0[2-7]\d{7}|0[689]\d{8}|1\d{3})$")
EMERGENCY_TOPIC = "emergency"  # the topic of the ticket a danger opens (staff see it as urgent)


@dataclass(frozen=True)
class Problem:
    entry: str     # "services[3] id=surname-check (ตรวจสอบชื่อสกุล)" or "office"
    field: str
    th: str
    en: str
    severity: str = "error"  # error | warning

    def __str__(self) -> str:
        return f"{self.severity.upper()} {self.entry} · {self.field}: {self.th} / {self.en}"


class CatalogueError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def phone_ok(phone: str) -> bool:
    main, _, ext = phone.partition("ต่อ")
    return bool(_PHONE.match(re.sub(r"[\s\-]", "", main))) and (not ext or ext.strip().replace("-", "").isdigit())


def _entry(data: dict, path: list) -> str:
    if len(path) >= 2 and path[0] in ("services", "escalation_topics", "emergencies") and isinstance(path[1], int):
        try:
            item = data[path[0]][path[1]]
            return f"{path[0]}[{path[1]}] id={item.get('id', '?')} ({item.get('name', '?')})"
        except (IndexError, AttributeError, KeyError):
            pass
    return str(path[0]) if path else "(file)"


class Catalogue:
    """Read-only view of a validated catalogue."""

    def __init__(self, data: dict):
        self.data = data
        self.services: list[dict] = data["services"]
        self.by_id = {s["id"]: s for s in self.services}
        self.office: dict = data["office"]
        self.categories: list[dict] = data.get("categories", [])
        self.topics: list[dict] = data.get("escalation_topics", [])
        self.topic_names = {t["id"]: t["name"] for t in self.topics}
        self.emergencies: list[dict] = data.get("emergencies", [])
        self.emergency_by_id = {e["id"]: e for e in self.emergencies}
        self.topic_names.setdefault(EMERGENCY_TOPIC, texts.EMERGENCY_TOPIC_NAME)
        self._category_by_name = {compact(name): c["id"] for c in self.categories
                                  for name in (c["name"], c.get("short_name", c["name"]))}
        self.metro_places: list[str] = data.get("metro_places", [])
        self.agency_aliases: dict[str, list[str]] = data.get("agency_aliases", {})
        self.spellings: dict[str, list[str]] = data.get("spellings", {})

    def category_named(self, text: str) -> str | None:
        """The category whose name or short name is the whole message (a quick reply came back)."""
        return self._category_by_name.get(compact(text)) if len(text) < 60 else None

    def build_matcher(self, lexicon: dict) -> Matcher:
        return Matcher.build(self.services, self.topics, lexicon["intents"], filler=lexicon.get("filler", []),
                       metro_places=self.metro_places, local_places=self.data.get("local_places", []),
                       question_words=lexicon.get("question_words", []), doubt_words=lexicon.get("doubt_words", []),
                       not_doubt=lexicon.get("not_doubt", []), negations=lexicon.get("negations", []),
                       asked_first=lexicon.get("asked_first", []), either_or=lexicon.get("either_or", []),
                       trouble_hints=lexicon.get("trouble_hints", []), this_time=lexicon.get("this_time", []),
                       romanized_everyday=lexicon.get("romanized_everyday", []),
                       romanized_request_verbs=lexicon.get("romanized_request_verbs", []),
                       agency_aliases=self.agency_aliases, spellings=self.spellings,
                       word_forms=_merged(lexicon.get("dialect", {}), self.data.get("dialect_words", {})),
                       emergencies=self.emergencies, english=lexicon.get("english", {}),
                       romanized_amid_thai=lexicon.get("romanized_amid_thai", {}))

    def summary(self) -> str:
        kw = sum(len(s.get("keywords", [])) for s in self.services)
        ex = sum(len(s.get("examples", [])) for s in self.services)
        return f"{len(self.services)} services, {kw} keywords, {ex} examples, {len(self.topics)} escalation topics"


_SCHEMA_TH = {  # what an admin reads beside the field (the English message stays for developers)
    "minLength": "ต้องไม่เว้นว่าง",
    "minItems": "ต้องมีอย่างน้อย {limit} รายการ",
    "pattern": "รูปแบบไม่ถูกต้อง",
    "type": "ชนิดข้อมูลไม่ถูกต้อง",
    "enum": "ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: {limit}",
    "minimum": "ต้องไม่น้อยกว่า {limit}",
    "maximum": "ต้องไม่มากกว่า {limit}",
}


def _schema_th(e) -> str:
    if e.validator == "required":
        missing = [m for m in e.validator_value if m not in (e.instance or {})]
        return "ขาดช่อง " + ", ".join(missing)
    if e.validator == "pattern" and list(e.absolute_path)[-1:] == ["id"]:
        return f"id ใช้ได้เฉพาะ a-z ตัวเล็ก ตัวเลข และ - (ได้รับ {e.instance!r})"
    template = _SCHEMA_TH.get(e.validator)
    if template is None:
        return f"ข้อมูลไม่ถูกต้อง: {e.message}"
    return template.format(limit=e.validator_value) + (f" ({e.instance!r})" if e.validator == "pattern" else "")


def _merged(*forms: dict[str, list[str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for mapping in forms:
        for word, variants in mapping.items():
            out.setdefault(word, []).extend(variants)
    return out


@lru_cache(maxsize=2)
def _schema_checkers(stamp: tuple) -> tuple[Callable[[object], object], Draft202012Validator]:
    """The schema compiled to Python code (fastjsonschema: a 5,000-service catalogue in ~0.05 s
    where jsonschema takes ~1.5 s) and jsonschema's validator, which lists every error with its
    path. Compiled once per schema file (``stamp``: its size and time)."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    detailed = Draft202012Validator(schema)
    if fastjsonschema is None:
        log.warning("fastjsonschema is not installed (make setup): the catalogue is checked the slow way")
        return detailed.validate, detailed
    return fastjsonschema.compile(schema), detailed


def _schema_errors(data: dict) -> list:
    """Every schema error, with its path. A catalogue the compiled check passes has none; only a
    refused one (the check stops at its first error) is read again by jsonschema for the list.
    The compiled check is never looser than jsonschema (``$`` does not match before a final
    newline there): a catalogue it refuses wrongly only costs the slow read, which finds nothing."""
    st = SCHEMA_PATH.stat()
    fast, detailed = _schema_checkers((st.st_mtime_ns, st.st_size))
    try:
        fast(data)
        return []
    except Exception:  # noqa: BLE001 - JsonSchemaValueException, or anything odd: ask jsonschema
        return list(detailed.iter_errors(data))


def validate(data: object, lexicon: dict | None = None, check_examples: bool = True,
             today: dt.date | None = None) -> list[Problem]:
    """Every problem in the catalogue at once (errors and warnings). With ``today``, also what is
    due by date (the coming year's office days)."""
    if not isinstance(data, dict):
        return [Problem("(file)", "-", "ไฟล์ต้องเป็นออบเจกต์ JSON", "the file must be a JSON object")]
    errors = _schema_errors(data)
    problems = [Problem(_entry(data, list(e.absolute_path)), "/".join(str(p) for p in e.absolute_path) or "-",
                        _schema_th(e), f"invalid: {e.message}") for e in errors]
    # entries whose shape is wrong were reported above; the checks below read the others
    malformed = {e.absolute_path[1] for e in errors if len(e.absolute_path) > 1 and e.absolute_path[0] == "services"}
    if any(len(e.absolute_path) < 2 or e.absolute_path[0] != "services" for e in errors):
        return problems  # the file's top level is wrong: nothing more can be read reliably
    categories = {c["id"] for c in data.get("categories", [])}
    seen_ids: dict[str, int] = {}
    keyword_owner: dict[str, str] = {}
    for i, s in enumerate(data["services"]):
        if i in malformed:
            continue
        entry = _entry(data, ["services", i])
        if s["id"] in seen_ids:
            problems.append(Problem(entry, "id", f"id ซ้ำกับ services[{seen_ids[s['id']]}]",
                                    f"duplicate id (also services[{seen_ids[s['id']]}])"))
        seen_ids.setdefault(s["id"], i)
        url = s["url"]
        if not re.match(r"^https?://[^\s/]+\.[^\s]+$", url):
            problems.append(Problem(entry, "url", f"ลิงก์ต้องขึ้นต้นด้วย http:// หรือ https:// ({url})",
                                    f"link must be an http(s) URL ({url})"))
        elif url.startswith("http://"):
            problems.append(Problem(entry, "url", "ลิงก์เป็น http (ไม่เข้ารหัส) ใช้ https ถ้าเว็บรองรับ",
                                    "plain http link: use https if the site serves it", "warning"))
        for p in s["phones"]:
            if not phone_ok(p):
                problems.append(Problem(entry, "phones", f"เบอร์ไม่ใช่เบอร์ไทย: {p}",
                                        f"not a Thai phone number (landline, mobile or 4-digit hotline): {p}"))
            if len(texts.BUTTON_CALL.format(phone=p)) > replies.LABEL_MAX:
                problems.append(Problem(entry, "phones", f"ปุ่มโทรยาวเกิน {replies.LABEL_MAX} ตัวอักษร: {p}",
                                        f"call button label over {replies.LABEL_MAX} characters: {p}"))
        if any(not st.strip() for st in s["steps"]):
            problems.append(Problem(entry, "steps", "มีขั้นตอนที่ว่างเปล่า", "a step is empty"))
        if categories and s.get("category") not in categories:
            problems.append(Problem(entry, "category", f"ไม่มีหมวด '{s.get('category')}' ใน categories",
                                    f"unknown category '{s.get('category')}'"))
        if not s["keywords"]:
            problems.append(Problem(entry, "keywords", "ยังไม่มีคำค้น", "no keywords", "warning"))
        for k in s["keywords"]:
            key = compact(k)
            owner = keyword_owner.get(key)
            if owner and owner != s["id"]:
                problems.append(Problem(entry, "keywords", f"คำค้น '{k}' ซ้ำกับบริการ {owner}",
                                        f"keyword '{k}' is also claimed by service {owner}"))
            keyword_owner.setdefault(key, s["id"])
        if len(s["name"]) > 120:
            problems.append(Problem(entry, "name", "ชื่อบริการยาวเกิน 120 ตัวอักษร", "name longer than 120 characters"))
        answer = replies.service_answer(s)[0]
        if not replies.size_ok(answer):
            problems.append(Problem(entry, "steps", "การ์ดคำตอบใหญ่เกินขีดจำกัดของ LINE (30 KB)",
                                    "the answer card is over LINE's 30 KB bubble limit"))
        if len(replies.service_alt_text(s)) >= replies.ALT_TEXT_MAX:  # it was cut to fit
            problems.append(Problem(entry, "steps", "ข้อความสำรอง (altText) ยาวเกิน 1,500 ตัวอักษร จะถูกตัด",
                                    "altText reaches 1,500 characters and will be cut", "warning"))
    groups: dict[str, list[str]] = {}
    for i, s in enumerate(data["services"]):
        if i not in malformed and s.get("variant"):
            groups.setdefault(s["variant"]["group"], []).append(s["variant"]["region"])
    for group, regions in groups.items():
        if regions.count("provincial") != 1:
            problems.append(Problem("services", f"variant.group={group}",
                                    "กลุ่มบริการต้องมีแบบส่วนภูมิภาค (provincial) หนึ่งรายการ",
                                    "a variant group needs exactly one provincial service"))
    if not phone_ok(data["office"]["phone"]):
        problems.append(Problem("office", "phone", "เบอร์สำนักงานไม่ใช่เบอร์ไทย", "office phone is not a Thai number"))
    problems += _office_day_problems(data["office"], today)
    problems += _emergency_problems(data)
    if check_examples and not any(p.severity == "error" for p in problems):
        problems += _example_problems(data, lexicon or load_lexicon())
    return problems


def _office_day_problems(office: dict, today: dt.date | None) -> list[Problem]:
    problems = []
    for i, h in enumerate(office.get("holidays", [])):
        field = f"holidays[{i}]"
        try:
            day = (dt.date.fromisoformat(h["date"]) if "date" in h
                   else dt.date(2024, *(int(x) for x in h["every_year"].split("-"))))  # a leap year: 02-29 is fine
        except ValueError:
            problems.append(Problem("office", field, f"วันที่ไม่มีจริง ({h.get('date') or h.get('every_year')})",
                                    f"no such date ({h.get('date') or h.get('every_year')})"))
            continue
        public = office_days.public_holidays(day.year, office.get("public_holidays", office_days.DEFAULT_COUNTRY))
        if "date" in h and day in public:
            problems.append(Problem("office", field, f"{h['date']} เป็นวันหยุดราชการอยู่แล้ว ({public[day]}) ไม่ต้องใส่",
                                    f"{h['date']} is already a public holiday ({public[day]}): not needed", "warning"))
    year = office_days.coming_year_missing_own_days(office, today) if today else None
    if year:
        problems.append(Problem("office", "holidays",
                                f"ยังไม่มีวันหยุดเฉพาะของสำนักงานสำหรับปี {year} (พ.ศ. {year + 543}) "
                                "เพิ่มวันหยุดพิเศษตามมติ ครม. และวันปิดสำนักงาน เมื่อประกาศแล้ว",
                                f"no office-specific days off for {year} yet: add the cabinet's extra days and "
                                "the office's closures once announced", "warning"))
    return problems


def _emergency_problems(data: dict) -> list[Problem]:
    """What the schema cannot say about emergencies: ids unique, call buttons within LINE's label
    limit, and no phrase that is both a danger and its own look-alike (it would never fire)."""
    problems, seen = [], set()
    owners: dict[str, str] = {}
    for i, e in enumerate(data.get("emergencies", [])):
        entry = _entry(data, ["emergencies", i])
        if e["id"] in seen:
            problems.append(Problem(entry, "id", "id ซ้ำ", "duplicate id"))
        seen.add(e["id"])
        for h in e["hotlines"]:
            if len(texts.EMERGENCY_CALL.format(number=h["number"], label=h["label"])) > replies.LABEL_MAX:
                problems.append(Problem(entry, "hotlines", f"ปุ่มโทรยาวเกิน {replies.LABEL_MAX} ตัวอักษร: {h['label']}",
                                        f"call button label over {replies.LABEL_MAX} characters: {h['label']}"))
        lookalikes = {compact(k) for k in e.get("not_this", [])}
        for k in e["keywords"]:
            if compact(k) in lookalikes:
                problems.append(Problem(entry, "keywords", f"คำ '{k}' อยู่ทั้งใน keywords และ not_this",
                                        f"'{k}' is both a keyword and a look-alike (not_this)"))
            owner = owners.setdefault(compact(k), e["id"])
            if owner != e["id"]:
                problems.append(Problem(entry, "keywords", f"คำ '{k}' ซ้ำกับเหตุ {owner}",
                                        f"keyword '{k}' is also claimed by emergency {owner}", "warning"))
    return problems


def _example_problems(data: dict, lexicon: dict) -> list[Problem]:
    """An example question must lead to its own service even without itself as a phrase (leave
    one out); otherwise it teaches the matcher something that contradicts the rest."""
    matcher = Catalogue(data).build_matcher(lexicon)
    problems = []
    for i, s in enumerate(data["services"]):
        for ex in s["examples"]:
            d = matcher.decide(ex, ignore=frozenset({compact(ex)}))
            got = d.services[0] if d.services else None
            if d.kind in ("answer", "choose") and got != s["id"] and s["id"] not in d.services:
                problems.append(Problem(_entry(data, ["services", i]), "examples",
                                        f"ตัวอย่าง \"{ex}\" ระบบจะตอบเป็นบริการ {got}",
                                        f"example \"{ex}\" would be answered with service {got}"))
            elif d.kind not in ("answer", "choose"):
                problems.append(Problem(_entry(data, ["services", i]), "examples",
                                        f"ตัวอย่าง \"{ex}\" ระบบไม่รู้จัก (จะส่งเจ้าหน้าที่) เพิ่มคำค้นที่เกี่ยวข้อง",
                                        f"example \"{ex}\" is not recognised (would go to staff): add a keyword",
                                        "warning"))
    return problems


def load(path: str | os.PathLike, lexicon: dict | None = None, check_examples: bool = False) -> Catalogue:
    """Read and validate; raise CatalogueError listing every error."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogueError([Problem("(file)", "-", f"ไม่พบไฟล์ {path}", f"file not found: {path}")]) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise CatalogueError([Problem("(file)", f"line {getattr(e, 'lineno', '?')}",
                                      f"ไฟล์ JSON เสีย: {e}", f"broken JSON: {e}")]) from e
    errors = [p for p in validate(data, lexicon, check_examples) if p.severity == "error"]
    if errors:
        raise CatalogueError(errors)
    return Catalogue(data)


@dataclass(frozen=True)
class Knowledge:
    """One consistent generation of what the bot knows: catalogue, intents lexicon, matcher."""

    catalogue: Catalogue
    lexicon: dict
    matcher: Matcher


class KnowledgeStore:
    """Serves the newest valid Knowledge; ``refresh`` reloads when the files changed."""

    def __init__(self, catalogue_path: str | os.PathLike, lexicon_path: str | os.PathLike | None = None):
        self.catalogue_path = Path(catalogue_path)
        self.lexicon_path = Path(lexicon_path) if lexicon_path else None
        self._lock = threading.Lock()
        self._stamp = self._file_stamp()
        self.current = self._build()  # at start a broken catalogue is fatal: refuse to serve
        self.last_error: CatalogueError | None = None

    @property
    def error_key(self) -> str:
        """Names the refused edit, so staff hear about each bad edit once."""
        return "catalogue-" + hashlib.sha1(repr(self._stamp).encode()).hexdigest()[:12]

    def _file_stamp(self) -> tuple:
        paths = [self.catalogue_path] + ([self.lexicon_path] if self.lexicon_path else [])
        out = []
        for p in paths:
            try:
                st = p.stat()
                out.append((st.st_mtime_ns, st.st_size))
            except FileNotFoundError:
                out.append(None)
        return tuple(out)

    def _build(self) -> Knowledge:
        lexicon = load_lexicon(self.lexicon_path)
        catalogue = load(self.catalogue_path, lexicon)
        return Knowledge(catalogue, lexicon, catalogue.build_matcher(lexicon))

    def refresh(self) -> bool:
        """Reload if the files changed. True when a new catalogue went live."""
        stamp = self._file_stamp()
        if stamp == self._stamp:
            return False
        with self._lock:
            if stamp == self._stamp:
                return False
            self._stamp = stamp
            try:
                self.current = self._build()
            except CatalogueError as e:
                self.last_error = e
                log.error("catalogue edit refused, still serving the previous one: %s", e)
                return False
            except Exception as e:  # noqa: BLE001 - a bad edit must never take the bot down
                self.last_error = CatalogueError([Problem("(file)", "-", str(e), str(e))])
                log.exception("catalogue reload failed")
                return False
            self.last_error = None
            log.info("catalogue reloaded: %s", self.current.catalogue.summary())
            return True
