"""The catalogue editor (services, office hours and holidays, history) and the learning inbox."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from bot import texts
from bot.catalogue_edit import (Conflict, Rejected, fingerprint, problems_by_field, service_form,
                                service_from_form)
from bot.console.common import Console, admin_required
from bot.learning import unanswered_report

LEARNING_DAYS = 30


def register(bp: Blueprint, c: Console) -> None:
    sf, store, editor, _local = c.sf, c.store, c.editor, c.local

    @bp.get("/catalogue")
    @admin_required
    def catalogue():
        data, _ = editor.read()
        names = {cat["id"]: cat["name"] for cat in data.get("categories", [])}
        groups: dict[str, list] = {}
        for svc in data["services"]:
            groups.setdefault(names.get(svc.get("category", ""), "อื่น ๆ"), []).append(svc)
        return render_template("console/catalogue.html", groups=groups, office_data=data["office"])

    def _service_page(service_id: str | None, form: dict, base: str, errors: dict, others: list,
                      preview: dict | None, categories: list, status: int = 200, conflict: str | None = None):
        return render_template("console/service.html", service_id=service_id, form=form, base=base, errors=errors,
                               others=others, preview=preview, categories=categories, conflict=conflict), status

    def _index_of(data: dict, service_id: str) -> int | None:
        return next((i for i, svc in enumerate(data["services"]) if svc["id"] == service_id), None)

    def _service_of(data: dict, service_id: str) -> dict | None:
        i = _index_of(data, service_id)
        return data["services"][i] if i is not None else None

    @bp.route("/catalogue/services/<service_id>", methods=["GET", "POST"])
    @bp.route("/catalogue/new", methods=["GET", "POST"], defaults={"service_id": None})
    @admin_required
    def service(service_id: str | None):
        data, _ = editor.read()
        categories = data.get("categories", [])
        index = _index_of(data, service_id) if service_id else None
        if service_id and index is None:
            abort(404)
        existing = data["services"][index] if index is not None else None
        if request.method == "GET":
            return _service_page(service_id, service_form(existing or {}), fingerprint(existing), {}, [],
                                 existing, categories)
        new = service_from_form(request.form, existing)
        target = new["id"]

        def change(current: dict) -> dict:
            i = _index_of(current, target)
            if existing is None:
                current["services"].append(new)
            else:
                current["services"][i] = new
            return current

        try:
            saved = editor.save(current_user.username, change,
                                f"{'เพิ่ม' if existing is None else 'แก้'}บริการ {target} ({new.get('name', '')})",
                                # a new service has no base: a clash of ids is a validation error
                                base=None if existing is None else (lambda d: _service_of(d, target),
                                                                    request.form.get("base", "")))
        except Conflict as e:
            return _service_page(service_id, service_form(new), request.form.get("base", ""), {}, [], new, categories,
                                 409, conflict=texts.CONSOLE_CONFLICT.format(who=e.who or texts.CONSOLE_SOMEONE,
                                                                             when=_local(e.when)))
        except Rejected as e:
            i = _index_of(e.data, target)
            if existing is None:  # a new service is the last entry (an id clash reports there too)
                i = len(e.data["services"]) - 1
            mine = problems_by_field(e.problems, i)
            shown = {id(p) for ps in mine.values() for p in ps}
            others = [p for p in e.problems if id(p) not in shown]
            flash(texts.CONSOLE_SAVE_REFUSED.format(count=len(e.problems)), "error")
            return _service_page(service_id, service_form(new), request.form.get("base", ""), mine, others, new,
                                 categories, 422)
        _after_save(saved, target)
        return redirect(url_for(".service", service_id=target))

    def _after_save(saved, service_id: str | None = None) -> None:
        store.refresh()  # this worker serves the new catalogue at once; the others within a second or two
        flash(texts.CONSOLE_SAVED)
        # the warnings of what this admin edited (not the whole file's, which they did not touch)
        mine = [p for p in saved.warnings if service_id and f"id={service_id} " in p.entry]
        if mine:
            flash(texts.CONSOLE_WARNINGS.format(problems="; ".join(f"{p.field}: {p.th}" for p in mine[:5])), "warning")

    @bp.route("/catalogue/office", methods=["GET", "POST"])
    @admin_required
    def office_hours():
        data, _ = editor.read()
        current = data["office"]
        if request.method == "GET":
            return render_template("console/office.html", form=_office_form(current), base=fingerprint(current),
                                   errors={}, others=[])
        form = request.form
        errors: dict[str, list[str]] = {}
        holidays = []
        for line in [x.strip() for x in form.get("holidays", "").splitlines() if x.strip()]:
            date, _, name = line.partition(" ")
            try:
                dt.date.fromisoformat(date)
                holidays.append({"date": date, "name": name.strip() or date})
            except ValueError:
                errors.setdefault("holidays", []).append(texts.CONSOLE_BAD_HOLIDAY.format(line=line))
        weekdays = sorted(int(d) for d in form.getlist("weekdays") if d.isdigit() and 0 <= int(d) <= 6)
        if not weekdays:
            errors.setdefault("hours", []).append(texts.CONSOLE_NO_WEEKDAY)
        for key in ("open", "close"):
            try:
                dt.time.fromisoformat(form.get(key, ""))
            except ValueError:
                errors.setdefault("hours", []).append(texts.CONSOLE_BAD_TIME)
        new = dict(current, phone=form.get("phone", "").strip(), hours_text=form.get("hours_text", "").strip(),
                   hours=dict(current["hours"], weekdays=weekdays, open=form.get("open", ""), close=form.get("close", "")),
                   holidays=sorted(holidays, key=lambda h: h["date"]))
        if errors:
            return render_template("console/office.html", form=form, base=form.get("base", ""), errors=errors,
                                   others=[]), 422
        try:
            saved = editor.save(current_user.username, lambda d: dict(d, office=new), "แก้เวลาทำการ/วันหยุด",
                                base=(lambda d: d["office"], form.get("base", "")))
        except Conflict as e:
            return render_template("console/office.html", form=form, base=form.get("base", ""), errors={}, others=[],
                                   conflict=texts.CONSOLE_CONFLICT.format(who=e.who or texts.CONSOLE_SOMEONE,
                                                                          when=_local(e.when))), 409
        except Rejected as e:
            mine = problems_by_field(e.problems, None, "office")
            shown = {id(p) for ps in mine.values() for p in ps}
            return render_template("console/office.html", form=form, base=form.get("base", ""),
                                   errors={k: [p.th for p in v] for k, v in mine.items()},
                                   others=[p for p in e.problems if id(p) not in shown]), 422
        _after_save(saved)
        return redirect(url_for(".office_hours"))

    @bp.get("/catalogue/history")
    @admin_required
    def history():
        return render_template("console/history.html", versions=editor.history())

    @bp.post("/catalogue/history/<int:version_id>/restore")
    @admin_required
    def restore(version_id: int):
        try:
            saved = editor.restore(current_user.username, version_id)
        except KeyError:
            abort(404)
        except Rejected as e:
            flash(texts.CONSOLE_SAVE_REFUSED.format(count=len(e.problems)) + ": "
                  + "; ".join(f"{p.entry} · {p.field}: {p.th}" for p in e.problems[:5]), "error")
            return redirect(url_for(".history"))
        _after_save(saved)
        flash(texts.CONSOLE_RESTORED.format(version=version_id))
        return redirect(url_for(".history"))

    # -- learning inbox --------------------------------------------------------------------------------
    @bp.get("/learning")
    @login_required
    def learning():
        days = request.args.get("days", type=int) or LEARNING_DAYS
        groups = unanswered_report(sf, store.current, max(1, min(days, 366)))
        services = store.current.catalogue.services
        return render_template("console/learning.html", groups=groups, services=services, days=days,
                               kinds=texts.CONSOLE_KIND, names={s["id"]: s["name"] for s in services})

    @bp.post("/learning/add")
    @admin_required
    def learning_add():
        service_id = request.form.get("service", "")
        kind = request.form.get("kind", "")
        text = " ".join(request.form.get("text", "").split())
        cat = store.current.catalogue
        if service_id not in cat.by_id or kind not in texts.CONSOLE_KIND or not text:
            abort(400)

        def change(current: dict) -> dict:
            i = _index_of(current, service_id)
            phrases = current["services"][i].setdefault(kind, [])  # not_this is optional in an entry
            if text not in phrases:
                phrases.append(text)
            return current

        name, label = cat.by_id[service_id]["name"], texts.CONSOLE_KIND[kind]
        try:
            saved = editor.save(current_user.username, change, f"เพิ่ม{label} \"{text}\" ให้ {service_id}")
        except Rejected as e:
            flash(texts.CONSOLE_LEARN_REFUSED.format(problems="; ".join(f"{p.field}: {p.th}" for p in e.problems[:5])),
                  "error")
            return redirect(url_for(".learning"))
        _after_save(saved, service_id)
        flash(texts.CONSOLE_LEARNED.format(text=text, kind=label, service=name))
        return redirect(url_for(".learning"))


def _office_form(o: dict) -> dict:
    return {"phone": o.get("phone", ""), "hours_text": o.get("hours_text", ""), "open": o["hours"]["open"],
            "close": o["hours"]["close"], "weekdays": [str(d) for d in o["hours"]["weekdays"]],
            "holidays": "\n".join(f"{h['date']} {h['name']}" for h in o.get("holidays", []))}

