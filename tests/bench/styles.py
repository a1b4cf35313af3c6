"""Scores by the style a question is written in, over labelled sets (counts only: no question is
printed, so held-out sets stay unread):

    python -m tests.bench.styles tests/data/messy_heldout_e.tsv tests/data/messy_heldout_h.tsv ...

A question's style is told apart roughly: mostly Latin letters, with keyboard punctuation inside a
word (the keyboard left on English) or without (romanized); letter names or number words (dictated);
a dialect word of intents.json or the catalogue (dialect); else other Thai. Look-alikes (label X)
are counted again on a line of their own.
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter

from bot.config import ROOT
from bot.cli import _knowledge
from bot.evaluation import evaluate, load_rows

_KEYBOARD_PUNCTUATION_IN_A_WORD = re.compile(r"[;\[\]',./\\]\w|\w[;\[\]'/\\]\w|\d[a-z]", re.I)
_LETTER_NAMES = re.compile(r"(?:^|\s)[ก-ฮ]อ(?:\s+[ก-ฮ]อ)+(?:\s|$)")
_NUMBER_WORDS = re.compile("สิบ|ร้อย")


def dialect_words() -> set[str]:
    lexicon = json.loads((ROOT / "intents" / "intents.json").read_text("utf-8"))
    catalogue = json.loads((ROOT / "catalogue.json").read_text("utf-8"))
    forms = [*lexicon["dialect"].values(), *catalogue.get("dialect_words", {}).values()]
    return {v.rstrip("$") for variants in forms for v in variants if len(v.rstrip("$")) >= 2}


def style(text: str, dialect: set[str]) -> str:
    latin = sum(c.isascii() and c.isalpha() for c in text)
    thai = sum("\u0e00" <= c <= "\u0e7f" for c in text)
    if latin > thai:
        return "keyboard on English" if _KEYBOARD_PUNCTUATION_IN_A_WORD.search(text) else "romanized"
    if _LETTER_NAMES.search(text) or _NUMBER_WORDS.search(text):
        return "dictated"
    return "dialect" if any(word in text for word in dialect) else "other Thai"


def main(paths: list[str]) -> None:
    knowledge, dialect = _knowledge(), dialect_words()
    asked, right, wrong = Counter(), Counter(), Counter()
    for path in paths:
        for expect, text in load_rows(path):
            report = evaluate(knowledge, [(expect, text)])
            for kind in ("all", style(text, dialect), "look-alike / other need (X)" if "X" in expect else None):
                if kind:
                    asked[kind] += 1
                    right[kind] += report.correct
                    wrong[kind] += report.confident_wrong
    for kind, n in asked.most_common():
        print(f"{kind:30s} n={n:5d} {right[kind] / n * 100:5.1f}%  confident wrong {wrong[kind]}")


if __name__ == "__main__":
    main(sys.argv[1:])
