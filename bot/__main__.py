"""Command line for admins and developers (run from the project root):

  python -m bot ask "TEXT"                 what the bot would answer, and why
  python -m bot catalogue check [PATH]     validate catalogue.json (exit 0 = valid)
  python -m bot catalogue links [PATH]     check every website link (needs internet)
  python -m bot eval FILE.tsv [-v]         accuracy on a labelled question set
  python -m bot tune FILE.tsv              the decision thresholds scored around the current ones
  python -m bot unanswered [--days N] [--csv]   questions the bot could not answer, grouped
  python -m bot purge --days N             delete message texts older than N days (PDPA)
  python -m bot users add|passwd|remove|list [NAME] [--role admin|staff] [--password-stdin]
  python -m bot report --month YYYY-MM --out FILE.csv|FILE.xlsx   the month's service statistics
  python -m bot richmenu preview --out menu.png   draw the rich menu from the catalogue, to look at first
  python -m bot richmenu deploy            upload it to LINE as the default menu (replaces the last deploy's)
  python -m bot richmenu remove            take the menu down
"""
from __future__ import annotations

import argparse
import sys

from bot import cli


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bot", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("ask", help="show what the bot would answer")
    a.add_argument("text", nargs="+")
    a.add_argument("--json", action="store_true", help="print the LINE messages as JSON")
    c = sub.add_parser("catalogue", help="check the catalogue or its links")
    c.add_argument("action", choices=["check", "links"])
    c.add_argument("path", nargs="?")
    e = sub.add_parser("eval", help="score a labelled question set")
    e.add_argument("file")
    e.add_argument("-v", "--verbose", action="store_true")
    e.add_argument("--noise", choices=["layout", "tones", "slip", "nospace", "spaces"],
                   help="score noisy copies: keyboard left on English, tone marks dropped, one key slip, spaces")
    t = sub.add_parser("tune", help="score the decision thresholds around the current ones")
    t.add_argument("file")
    u = sub.add_parser("unanswered", help="questions that went to staff or to a choice")
    u.add_argument("--days", type=int, default=30)
    u.add_argument("--csv", action="store_true")
    g = sub.add_parser("purge", help="delete message texts older than N days")
    g.add_argument("--days", type=int, required=True)
    us = sub.add_parser("users", help="web console accounts")
    us.add_argument("action", choices=["add", "passwd", "remove", "list"])
    us.add_argument("name", nargs="?")
    us.add_argument("--role", choices=["admin", "staff"], default="staff")
    us.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    r = sub.add_parser("report", help="the month's service statistics (CSV or Excel)")
    r.add_argument("--month", required=True, help="YYYY-MM")
    r.add_argument("--out", required=True, help="FILE.csv or FILE.xlsx")
    m = sub.add_parser("richmenu", help="the tap-first menu under the chat: preview, deploy, remove")
    m.add_argument("action", choices=["preview", "deploy", "remove"])
    m.add_argument("--out", default="richmenu.png", help="preview: where to write the image")
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
    return cli.purge(args.days)


if __name__ == "__main__":
    sys.exit(main())
