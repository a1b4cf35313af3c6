"""The monthly service report the office publishes (ITA: service statistics and satisfaction):
CSV in UTF-8 with a BOM (Excel shows Thai) or Excel (openpyxl); the same rows as the console."""
from __future__ import annotations

import csv
import io
import re

from bot import stats as stats_mod
from bot.texts import MONTHS_TH

COLUMNS = ["หมวด", "บริการ / เรื่อง", "ผู้รับบริการ (คน)", "บอทตอบ (ครั้ง)", "เจ้าหน้าที่ดูแล (เรื่อง)",
           "เวลาตอบของเจ้าหน้าที่ มัธยฐาน (นาที)", "ผลประเมินความพึงพอใจ (ครั้ง)", "คะแนนเฉลี่ย (1–5)",
           "ตอบตรงคำถาม (ครั้ง)", "ไม่ตรงคำถาม (ครั้ง)"]
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(value: str) -> tuple[int, int]:
    m = MONTH_RE.match(value or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"month must be YYYY-MM, got {value!r}")
    return int(m.group(1)), int(m.group(2))


def title(office: dict, year: int, month: int) -> list[str]:
    return [f"รายงานสถิติการให้บริการ {office['name']}",
            f"ประจำเดือน{MONTHS_TH[month - 1]} พ.ศ. {year + 543} ({year}-{month:02d})"]


def table(s: stats_mod.Stats) -> list[list]:
    out = []
    for r in s.rows:
        minutes = round(r.response_minutes, 1) if r.response_minutes is not None else ""
        out.append([r.category, r.label, r.villagers, r.by_bot, r.by_staff, minutes, r.satisfaction_count,
                    r.rating_avg if r.rating_avg is not None else "", r.helpful_yes, r.helpful_no])
    return out


def month_stats(session, catalogue, year: int, month: int) -> stats_mod.Stats:
    return stats_mod.compute(session, catalogue, stats_mod.Period.month(year, month, stats_mod.office_tz(catalogue)))


def to_csv(office: dict, year: int, month: int, s: stats_mod.Stats) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    for line in title(office, year, month):
        w.writerow([line])
    w.writerow(COLUMNS)
    w.writerows(table(s))
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(office: dict, year: int, month: int, s: stats_mod.Stats) -> bytes:
    # imported here: openpyxl is ~9 MB in every worker that would otherwise never write a report
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}-{month:02d}"
    for line in title(office, year, month):
        ws.append([line])
        ws.cell(ws.max_row, 1).font = Font(bold=True, size=13)
    ws.append(COLUMNS)
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEEDD")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, values in zip(s.rows, table(s)):
        ws.append(values)
        if r.kind in ("subtotal", "total"):
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
    for col, width in zip("ABCDEFGHIJ", [26, 44, 12, 12, 14, 16, 14, 12, 12, 12]):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


WRITERS = {".csv": to_csv, ".xlsx": to_xlsx}
