"""คำสั่งสำหรับผู้ดูแลระบบ (พิมพ์ที่โฟลเดอร์โครงการ): `.venv/bin/bot คำสั่ง ...` หรือ `python -m bot คำสั่ง ...`
ดูรายละเอียดแต่ละคำสั่ง: `bot คำสั่ง --help` เช่น `bot purge --help`
"""
from __future__ import annotations

import argparse
import sys

from bot import cli
from bot.config import MIN_RETENTION_DAYS


class ThaiHelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's own headings in Thai (its texts are English otherwise)."""

    HEADINGS = {"positional arguments": "ค่าที่ต้องใส่", "options": "ตัวเลือก", "optional arguments": "ตัวเลือก"}

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "วิธีใช้: " if prefix is None else prefix)

    def start_section(self, heading):
        super().start_section(self.HEADINGS.get(heading, heading))


class ThaiParser(argparse.ArgumentParser):
    """Every (sub)command gets Thai headings, a Thai -h, and a Thai hint on a mistake."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", ThaiHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", help="แสดงวิธีใช้นี้แล้วจบ")

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: ใช้คำสั่งไม่ถูกต้อง ({message})\nดูวิธีใช้: {self.prog} --help\n")


def main(argv: list[str] | None = None) -> int:
    p = ThaiParser(prog="bot", description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True, title="คำสั่ง", metavar="คำสั่ง", parser_class=ThaiParser)
    a = sub.add_parser("ask", help="ดูว่าบอทจะตอบข้อความนี้อย่างไร และเพราะอะไร (ไม่ส่งอะไรออกทาง LINE)")
    a.add_argument("text", nargs="+", help="ข้อความที่จะลองถาม เช่น \"ต่อใบขับขี่\"")
    a.add_argument("--json", action="store_true", help="แสดงข้อความ LINE ที่จะส่งเป็น JSON ด้วย")
    c = sub.add_parser("catalogue", help="ตรวจไฟล์ catalogue.json หรือลิงก์เว็บไซต์ของทุกบริการ")
    c.add_argument("action", choices=["check", "links"],
                   help="check = ตรวจความถูกต้องของไฟล์ (ผ่าน = exit 0); links = ลองเปิดลิงก์ทุกบริการ (ต้องมีอินเทอร์เน็ต)")
    c.add_argument("path", nargs="?", help="ไฟล์ที่จะตรวจ (ค่าเริ่มต้น: CATALOGUE_PATH หรือ catalogue.json)")
    e = sub.add_parser("eval", help="วัดความแม่นยำกับชุดคำถามที่มีเฉลย")
    e.add_argument("file", help="ไฟล์ .tsv บรรทัดละข้อ: เฉลย<TAB>คำถาม (เฉลย = เลขบริการ, X ส่งเจ้าหน้าที่, "
                                "H ขอคุยกับคน, S ทักทาย, C ติดต่อสำนักงาน)")
    e.add_argument("-v", "--verbose", action="store_true", help="แสดงทุกข้อที่ตอบผิด พร้อมเหตุผล")
    e.add_argument("--noise", choices=["layout", "tones", "slip", "nospace", "spaces"],
                   help="วัดกับคำถามที่ทำให้ผิดแบบที่พบจริง: layout = ลืมเปลี่ยนแป้นเป็นภาษาไทย, tones = ไม่ใส่วรรณยุกต์, "
                        "slip = กดพลาดหนึ่งตัว, nospace/spaces = ไม่เว้นวรรค/เว้นวรรคเกิน")
    t = sub.add_parser("tune", help="ลองค่าเกณฑ์ตัดสินใจรอบ ๆ ค่าปัจจุบัน แล้วเรียงผลจากดีไปน้อย")
    t.add_argument("file", help="ชุดคำถามสำหรับปรับค่า (ใช้ tests/data/tuning.tsv เท่านั้น ชุดทดสอบอื่นต้องไม่ถูกใช้ปรับ)")
    u = sub.add_parser("unanswered", help="คำถามที่บอทตอบเองไม่ได้ (ส่งเจ้าหน้าที่หรือให้เลือก) จัดกลุ่ม พร้อมคำแนะนำ")
    u.add_argument("--days", type=int, default=30, help="ย้อนหลังกี่วัน (ค่าเริ่มต้น 30)")
    u.add_argument("--csv", action="store_true", help="พิมพ์เป็น CSV (บันทึกเป็นไฟล์แล้วเปิดใน Excel ได้)")
    g = sub.add_parser("purge", help="ลบข้อความที่ชาวบ้านพิมพ์ซึ่งเก่ากว่า N วัน (PDPA) เรื่องที่ยังเปิดอยู่ไม่ถูกแตะ")
    g.add_argument("--days", type=int, required=True,
                   help=f"เก็บข้อความไว้กี่วัน ที่เก่ากว่านี้จะถูกลบ (อย่างน้อย {MIN_RETENTION_DAYS} วัน แนะนำ 90)")
    g.add_argument("--force", action="store_true", help=f"ยอมให้ --days น้อยกว่า {MIN_RETENTION_DAYS} วัน")
    g.add_argument("--dry-run", action="store_true", help="แค่บอกว่าจะลบอะไรกี่รายการ ยังไม่ลบจริง")
    us = sub.add_parser("users", help="บัญชีผู้ใช้หน้าเว็บเจ้าหน้าที่ (/console)")
    us.add_argument("action", choices=["add", "passwd", "remove", "list"],
                    help="add = เพิ่มบัญชี, passwd = เปลี่ยนรหัสผ่าน, remove = ลบบัญชี, list = แสดงบัญชีทั้งหมด")
    us.add_argument("name", nargs="?", help="ชื่อบัญชี (ไม่ต้องใส่เมื่อ list)")
    us.add_argument("--role", choices=["admin", "staff"], default="staff",
                    help="admin = ผู้ดูแล (แก้ข้อมูลบริการได้), staff = เจ้าหน้าที่ (ค่าเริ่มต้น)")
    us.add_argument("--password-stdin", action="store_true",
                    help="อ่านรหัสผ่านจากอินพุตมาตรฐาน (ใช้ในสคริปต์) ถ้าไม่ใส่จะถามรหัสผ่านสองครั้ง")
    r = sub.add_parser("report", help="สถิติการให้บริการประจำเดือน (CSV หรือ Excel) สำหรับรายงาน ITA")
    r.add_argument("--month", required=True, help="เดือนที่ต้องการ รูปแบบ ปี ค.ศ.-เดือน เช่น 2026-11")
    r.add_argument("--out", required=True, help="ไฟล์ที่จะบันทึก ลงท้าย .csv หรือ .xlsx")
    m = sub.add_parser("richmenu", help="เมนูใต้ช่องแชต (rich menu) สร้างจาก catalogue: ดูตัวอย่าง ขึ้นใช้งาน หรือเอาออก")
    m.add_argument("action", choices=["preview", "deploy", "remove"],
                   help="preview = วาดภาพเมนูเป็นไฟล์ให้ดูก่อน, deploy = อัปโหลดขึ้น LINE เป็นเมนูหลัก "
                        "(แทนของเดิม), remove = เอาเมนูออก")
    m.add_argument("--out", default="richmenu.png", help="preview: ไฟล์ภาพที่จะบันทึก (ค่าเริ่มต้น richmenu.png)")
    args = p.parse_args(argv)
    if args.cmd == "ask":
        return cli.ask(" ".join(args.text), as_json=args.json)
    if args.cmd == "catalogue":
        return cli.catalogue_check(args.path) if args.action == "check" else cli.catalogue_links(args.path)
    if args.cmd == "eval":
        return cli.evaluate(args.file, verbose=args.verbose, noise=args.noise)
    if args.cmd == "tune":
        return cli.tune(args.file)
    if args.cmd == "users":
        return cli.users(args.action, args.name, args.role, args.password_stdin)
    if args.cmd == "report":
        return cli.report(args.month, args.out)
    if args.cmd == "richmenu":
        return cli.richmenu(args.action, args.out)
    if args.cmd == "unanswered":
        return cli.unanswered(args.days, as_csv=args.csv)
    return cli.purge(args.days, force=args.force, dry_run=args.dry_run)


if __name__ == "__main__":
    sys.exit(main())
