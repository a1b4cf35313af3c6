"""Statistics for a chosen period and the monthly report download."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import login_required

from bot import report, stats as stats_mod, texts
from bot.console import charts
from bot.console.common import Console
from bot.learning import unanswered_report

DEFAULT_PERIOD_DAYS = 30


def register(bp: Blueprint, c: Console) -> None:
    sf, store = c.sf, c.store

    @bp.get("/stats")
    @login_required
    def stats():
        cat = store.current.catalogue
        tz = stats_mod.office_tz(cat)
        today = dt.datetime.now(tz).date()
        try:
            first = dt.date.fromisoformat(request.args["from"]) if request.args.get("from") else \
                today - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1)
            last = dt.date.fromisoformat(request.args["to"]) if request.args.get("to") else today
            if last < first or (last - first).days > 366:
                raise ValueError
        except ValueError:
            flash(texts.CONSOLE_BAD_PERIOD, "error")
            first, last = today - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1), today
        period = stats_mod.Period(first, last, tz)
        with sf() as s:
            st = stats_mod.compute(s, cat, period)
        days = (last - first).days + 1
        groups = unanswered_report(sf, store.current, max(1, (today - first).days + 1))[:10]
        unanswered = [(g.question + (f" (+{len(g.variants)} แบบ)" if g.variants else ""), g.count) for g in groups]
        return render_template("console/stats.html", st=st, charts=charts, first=first, last=last, days=days,
                               unanswered=unanswered, labels=stats_mod.OUTCOME_LABELS,
                               month=today.strftime("%Y-%m"))

    @bp.get("/report")
    @login_required
    def report_download():
        cat = store.current.catalogue
        try:
            year, month = report.parse_month(request.args.get("month", ""))
        except ValueError:
            flash(texts.CONSOLE_BAD_MONTH, "error")
            return redirect(url_for(".stats"))
        ext = ".xlsx" if request.args.get("format") == "xlsx" else ".csv"
        with sf() as s:
            st = report.month_stats(s, cat, year, month)
        data = report.WRITERS[ext](cat.office, year, month, st)
        mime = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if ext == ".xlsx"
                else "text/csv; charset=utf-8")
        return Response(data, mimetype=mime, headers={
            "Content-Disposition": f"attachment; filename=oss-report-{year}-{month:02d}{ext}"})
