"""Noisy copies of tidy questions, the way phones mangle them: the keyboard left on English,
tone marks dropped, one key slip in the longest word, spaces dropped or scattered.

``python -m bot eval FILE --noise KIND`` scores a labelled set after this treatment; the tests
run every held-out set through each kind. Deterministic for a given seed.
"""
from __future__ import annotations

import random
import re

from pythainlp.util import thai_keyboard_dist, thai_to_eng

from bot.thai import Tokenizer

TONE_MARKS = "\u0e48\u0e49\u0e4a\u0e4b"
THAI_LETTER = re.compile("[\u0e01-\u0e2e]")
# Every unshifted Thai key: a slip lands on a neighbour (distance 1 on the Kedmanee layout).
_KEYS = "ภถุึคตจขชไำพะัีรนยบลฟหกดเ้่าสวงผปแอิืทมใฝ"


def keyboard_left_on_english(text: str, rng: random.Random) -> str:
    return thai_to_eng(text)


def tone_marks_dropped(text: str, rng: random.Random) -> str:
    return text.translate({ord(c): None for c in TONE_MARKS})


def _longest_word(text: str) -> tuple[int, int] | None:
    best, at = None, 0
    for tok in Tokenizer().tokens(text):
        start = text.find(tok, at)
        at = start + len(tok)
        if THAI_LETTER.search(tok) and (best is None or len(tok) > best[1] - best[0]):
            best = (start, start + len(tok))
    return best


def one_key_slip(text: str, rng: random.Random) -> str:
    """One consonant of the longest Thai word typed with the key next to it."""
    word = _longest_word(text)
    if word is None:
        return text
    spots = [i for i in range(*word) if text[i] in _KEYS and THAI_LETTER.match(text[i])]
    if not spots:
        return text
    i = rng.choice(spots)
    neighbours = [k for k in _KEYS if k != text[i] and thai_keyboard_dist(text[i], k) == 1.0]
    return text[:i] + rng.choice(neighbours) + text[i + 1:] if neighbours else text


def spaces_dropped(text: str, rng: random.Random) -> str:
    return text.replace(" ", "")


def spaces_scattered(text: str, rng: random.Random) -> str:
    """A space after about one letter in four, as when a villager spaces out syllables."""
    squeezed = text.replace(" ", "")
    out = []
    for i, ch in enumerate(squeezed):
        out.append(ch)
        if i + 1 < len(squeezed) and rng.random() < 0.25 and not (0x0E30 <= ord(squeezed[i + 1]) <= 0x0E4E
                                                                     and squeezed[i + 1] not in "เแโใไ"):
            out.append(" ")
    return "".join(out)


KINDS = {
    "layout": keyboard_left_on_english,
    "tones": tone_marks_dropped,
    "slip": one_key_slip,
    "nospace": spaces_dropped,
    "spaces": spaces_scattered,
}


def noisy(rows: list[tuple[list[str], str]], kind: str, seed: int = 7) -> list[tuple[list[str], str]]:
    """The same questions, each changed by ``kind`` (rows it cannot change are kept as they are)."""
    rng = random.Random(seed)
    return [(expect, KINDS[kind](text, rng)) for expect, text in rows]
