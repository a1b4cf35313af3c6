"""Understanding: from a villager's message to a decision (answer, choose, escalate, intent).

The one module that matches. How it works, in the order it happens:

1. Readings. The message is normalised and compacted (``bot.thai``: Thai is written without
   spaces and villagers put spaces anywhere; dictated letters and numbers are put back), known
   misspellings (``spellings``) put right, dialect words said the catalogue's way (``dialect``,
   ``dialect_words``). When it has Latin letters it is also read as if typed with the Thai keyboard
   on (``l;ylfu`` = สวัสดี); the reading that explains more of the message wins.
2. Every *term* (a service's name, keywords, examples and agency names, an escalation topic's
   keywords, a service's "not this" phrases, an intent's phrasings, an emergency's words) that
   occurs in the reading is a candidate span, with a quality: as typed (1.0); without its tone
   marks or with a vowel's length wrong (``skeleton_quality``); by its consonant sounds in romanized
   words (``tam bai kub kee``: ``romanized_quality`` times how alike the vowels are; never where a
   typed syllable cannot be the term's, ``syllable_shapes``: ban is no พัน, mai no หมู่); as a typo (an
   edit that does not cut through words nor spell another real word: ``fuzzy_quality``); or as a
   combination (``ไก่|เป็ด+ตาย|ป่วย``: each part somewhere). A term never matches inside another
   word: not before a tone mark or vowel sign (หมู in หมู่บ้าน), not after a leading vowel, and a
   short term not inside a longer dictionary word (ไฟ in ไฟแนนซ์).
3. Longest match wins: spans are taken strongest first and a span that overlaps a stronger span
   of another label is dropped. So ``ภาษีบำรุงท้องที่`` (a local tax: escalate) beats ``ภาษี``
   (income tax). Negatives are modelled as competing labels, not as a higher global threshold.
4. Each label's evidence is the letters its spans cover, times their quality. Services of one
   variant group (water, electricity) pool their evidence and the region picks one: provincial
   unless a metropolitan place or agency is named (both, as a choice, when a local place is too).
5. Someone in danger comes first: emergency kinds (the catalogue's ``emergencies``) are labels
   whose terms compete only with their look-alikes (a fire extinguisher to refill is no fire) and
   count only as typed; with real evidence left, the emergency decides.
6. The decision is a list of named rules (Rasa's FallbackClassifier style), numbers in
   ``Thresholds``: asking for a person escalates; an office matter as strong as the best service
   escalates; a strong service clearly ahead of the runner-up, found as typed (not made up by a
   typo), is answered; a service beside a doubt word (หาย, โดนขโมย, ยังไม่ได้รับ...) is another
   need: staff, with the card shown; close services are offered as a choice with "ask staff";
   greetings and thanks answer only when nothing else was asked; nothing close goes to staff.
"""
from __future__ import annotations

import bisect
import dataclasses
import functools
import re
import threading
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Iterable, Mapping

from pythainlp.util import thai_keyboard_dist
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Levenshtein

import marisa_trie

from bot.thai import (DIGIT_WORD_VALUES, Tokenizer, typed_vowel_keys, as_thai_keyboard, keys_before_numbers, only_thai_keyboard, compact, is_dictionary_word, is_dictionary_word_without_marks,
                      is_dictionary_words, is_inside_a_dictionary_word,
                      after_sticker_tag, is_sticker_name, latin_letter_names, latin_sound_key,
                      normalize,
                      skeleton, skeleton_with_positions, sound_alike_start, sound_skeleton, sound_skeleton_with_positions, squeezed, bare, is_abbreviation, said_sounds, shapes_clash, syllable_shapes, thai_read_aloud, thai_said)

SERVICE, TOPIC, INTENT = "service", "topic", "intent"
EMERGENCY, NOT_EMERGENCY = "emergency", "not_emergency"  # a danger, and what only looks like one
STICKER_NAME_LETTERS = 30  # a sticker's name after its tag is short (Brown ชูนิ้วโป้ง); longer is a question
NOT_THIS = "not:"  # a service's not_this phrases are a topic "not:<service id>"
_SERVICE_THEN_HAI = ((), ("hai",))  # the "+hai" doubt: the service's words, then hai (lost, or ให้)
NOT_WORD = "ไม่"  # "not", as a doubt word starts with it (ไม่ผ่าน; dialect บ่ is read as ไม่ before matching)


@dataclass(frozen=True)
class Thresholds:
    """Every number the decision uses, chosen on tests/data/tuning.tsv (see README)."""

    min_evidence: float = 3.0        # letters of matched term below which nothing is "close"
    answer_evidence: float = 4.0     # the best service needs at least this much to be answered
    answer_coverage: float = 0.30    # ... and to explain this share of the message's content
    strong_evidence: float = 7.0     # a long, specific term answers whatever else was said
    # runner-up must be this much weaker (relative) to answer. 0.6 since 2026-11-26: over the 27,978
    # questions tests/data held then, confident wrong answers 66 -> 48 (never-read sets 37 -> 28) for direct
    # answers 80.4 -> 76.9% (the rest a choice with the right service first); 0.34 before
    min_margin: float = 0.6
    choice_ratio: float = 0.6        # services within this ratio of the best are offered
    max_choices: int = 3
    fuzzy_min_len: int = 5           # shorter terms only match exactly
    fuzzy_cutoff: float = 82.0       # rapidfuzz partial_ratio for a typo'd term
    fuzzy_quality: float = 0.8       # a fuzzy letter counts this much of an exact one
    skeleton_quality: float = 0.85   # ... and a letter found without its tone marks / vowel length
    bare_quality: float = 0.8        # ... and without its vowels above and below as well (บตรสวสดการ)
    sound_alike_quality: float = 0.8  # ... and spelled with letters that sound the same (ศาน, พาสี, หย้าแฝก)
    romanized_quality: float = 0.8  # a letter of a romanized term (its consonant sounds matched)...
    romanized_min_likeness: float = 0.6  # ... times how alike its vowels are; less alike is no match
    romanized_near_likeness: float = 0.75  # ... and when a consonant sound is off, they must be more alike
    heard_clearer_inside: float = 0.15  # a word heard this much more clearly as another service's term breaks a span across it (kadee look)
    romanized_doubt_likeness: float = 0.9  # a doubt word's vowels in romanized text, against its own
    romanized_combo_likeness: float = 0.9  # ... and a combination's word's (phaen tee: แผนที่ of แผนที่+อบต)
    sounded_likeness: float = 0.93  # Thai spelled by sound: its vowels too must sound nearly the same...
    sounded_letters: float = 55.0    # ... and its letters look like the term's (rapidfuzz ratio)
    other_reading_weight: float = 0.9  # another reading (Thai keyboard) wins only when it explains more
    wrapper_max_rest: int = 6        # letters besides a greeting/thanks before it is a question
    heard_intent_share: float = 0.4  # an intent heard only in romanized sounds must explain this share of the rest
    thanks_max_rest: int = 20        # ... besides thanks, if none of them asks anything ("ได้ความรู้เยอะ")
    intent_coverage: float = 0.55    # a 'not_after_a_story' intent explains this share of what was said (filler aside), or it was a plea
    fallback_max_rest: int = 10      # ... besides a help/contact phrasing found once pronouns are dropped
    agency_coverage: float = 0.6     # only an agency's name matched: it must be most of the message
    emergency_evidence: float = 4.0  # letters of an emergency's terms, look-alikes taken out, to call it one
    story_letters: int = 80          # a message this long tells a story: a doubt before its ask is a hint


@dataclass(frozen=True)
class Label:
    kind: str   # SERVICE, TOPIC, INTENT, EMERGENCY or NOT_EMERGENCY
    key: str    # service id, topic id, intent name, or emergency id


@dataclass(frozen=True)
class Term:
    text: str   # compact, normalised
    label: Label
    source: str  # "name", "keyword", "not_this", "phrase": shown by `bot ask`


@dataclass
class Span:
    start: int
    end: int
    term: Term
    quality: float
    combined: int = 0  # for a part of a combination: the letters of all its parts
    typo: bool = False  # found as a typo of the term (a letter or a sound off), not as typed
    sounded: bool = False  # found by its sounds in romanized text
    whole: list["Span"] | None = field(default=None, repr=False, compare=False)  # a combination's parts

    @property
    def strength(self) -> float:
        letters = self.combined or (self.end - self.start)
        return letters * self.quality * (ASCII_WEIGHT if self.term.text.isascii() else 1.0)


# A service's own phrase this long is never a doubt about it (shorter words, อบต or จ่าย, may be).
OWN_PHRASE_LETTERS = 6

# Latin acronyms (PEA, e-GP, SSO) are as specific as a Thai word three times their length.
ASCII_WEIGHT = 1.7


def _ascii_bounded(qc: str, start: int, end: int, gaps: frozenset[int]) -> bool:
    """A Latin term must not sit inside a longer Latin word ("pea" in "peace"); ``gaps`` are
    the positions in the compact text where the villager had typed a space."""
    def latin(i: int) -> bool:
        return 0 <= i < len(qc) and qc[i].isascii() and qc[i].isalpha()
    return (start in gaps or not latin(start - 1)) and (end in gaps or not latin(end))


def _term_text(phrase: str) -> str:
    """Compact form of a term; a combination keyword keeps its + and | structure."""
    if "+" not in phrase:
        return compact(phrase)
    return "+".join("|".join(compact(alt) for alt in part.split("|")) for part in phrase.split("+"))


def _uncovered_segments(covered: bytearray, context: int, min_len: int) -> list[tuple[int, int]]:
    """Runs of letters no exact term covered, widened by ``context`` letters, merged."""
    runs: list[list[int]] = []
    n, i = len(covered), 0
    while i < n:
        if covered[i]:
            i += 1
            continue
        j = i
        while j < n and not covered[j]:
            j += 1
        start, end = max(0, i - context), min(n, j + context)
        if runs and start <= runs[-1][1]:
            runs[-1][1] = end
        else:
            runs.append([start, end])
        i = j
    return [(a, b) for a, b in runs if b - a >= min_len]


SHORT_TERM = 7  # letters; below this a typo may only touch vowel signs and tone marks
_MARKS = {chr(c) for c in range(0x0E30, 0x0E4F)} | {"\u0E31"}
_TONE_MARKS_DROPPED = str.maketrans("", "", "\u0e48\u0e49\u0e4a\u0e4b\u0e47\u0e4c")  # tone marks, mai taikhu, thanthakhat


def _marks_only(term: str, typed: str) -> bool:
    """True when ``typed`` differs from ``term`` only in vowel signs / tone marks."""
    for op, i, j in Levenshtein.editops(term, typed):
        changed = {term[i]} if op == "delete" else {typed[j]} if op == "insert" else {term[i], typed[j]}
        if not changed <= _MARKS:
            return False
    return True


_SIGNS = frozenset("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c")


def _one_slip(word: str, typed: str) -> bool:
    """``typed`` is ``word`` with one key slip: a neighbouring key, a letter doubled, two letters
    swapped, or a sign above or below a letter (tone mark, short vowel) wrong. Not a letter dropped: แทน in แนว."""
    if OSA.distance(word, typed) == 1 and Levenshtein.distance(word, typed) == 2:
        return True  # two neighbouring letters typed in the wrong order (ทะเบยีน)
    ops = Levenshtein.editops(word, typed)
    if len(ops) != 1:
        return len(ops) == 0
    op, i, j = ops[0]
    if op == "insert":
        return j > 0 and typed[j] == typed[j - 1]
    if op == "delete":
        return word[i] in _SIGNS
    return {word[i], typed[j]} <= _SIGNS or _neighbouring_keys(word[i], typed[j])


def _neighbouring_keys(a: str, b: str) -> bool:
    """Keys side by side on the Thai keyboard; a digit or a Latin letter (an admin's doubt word
    จ่าย 2 รอบ) is on no Thai key, so never a slip of one."""
    try:
        return thai_keyboard_dist(a, b) <= 1.0
    except ValueError:
        return False


_TONE_MARKS = frozenset("\u0e48\u0e49\u0e4a\u0e4b")


def _other_tone_word(word: str, typed: str) -> bool:
    """Is ``typed`` other words with tone marks of their own, not ``word`` with its marks dropped
    or slipped? A real word with other marks (ห้วยยาง is a stream's name, not ห่วย), or marks
    that are not some of the word's (ป่าไม้ได้ไหม holds ไม้ได้, not ไม่ได้: a villager who drops
    marks does not type others)."""
    marks = [c for c in typed if c in _TONE_MARKS]
    if not marks:
        return False
    own = [c for c in word if c in _TONE_MARKS]
    return (marks != own and is_dictionary_word(typed)) or not _in_order_within(marks, own)


def _in_order_within(some: list[str], every: list[str]) -> bool:
    """Is ``some`` ``every`` with items left out (a subsequence)?"""
    rest = iter(every)
    return all(item in rest for item in some)


_SHORT_VOWEL_SIGNS = "\u0e31\u0e47"  # ั and ็: marks a villager drops, not ones a slip adds


def _adds_a_vowel(word: str, typed: str) -> bool:
    """Does ``typed`` have a short-vowel mark ``word`` lacks? Then it is another word with the
    same skeleton (ไม้ครับ is not ไม่ครบ), not the word with its marks dropped."""
    return any(typed.count(m) > word.count(m) for m in _SHORT_VOWEL_SIGNS)


def _windows(start: int, end: int, length: int) -> list[tuple[int, int]]:
    """An alignment's window and the same moved a letter at either end (rapidfuzz's window has
    the term's length: with a letter dropped or added it is a letter off), as given first."""
    return [(a, b) for a in (start, start + 1, start - 1) for b in (end, end - 1, end + 1) if 0 <= a < b <= length]


def _closest_window(term: str, qc: str, start: int, end: int) -> tuple[int, int]:
    """The window where the typed text is closest to the term (กเลขทะเบยนรถ -> เลขทะเบยนรถ)."""
    return min(_windows(start, end, len(qc)), key=lambda w: OSA.distance(term, qc[w[0]:w[1]]))


def _typos_allowed(term: str) -> int:
    """Edits a typo'd term may be off by: a letter, two in a long term."""
    return 1 if len(term) < 14 else 2


def _keeps_a_piece(term: str, segment: str) -> bool:
    """Cut into one piece more than its typos allowed (halves, or thirds), a letter left out between
    pieces, a typo'd term still shows a piece as typed: an edit (two letters swapped too) breaks one
    piece at most. A cheap test that skips most of a big catalogue's terms (spelled out: it runs
    for thousands of terms a message)."""
    n = len(term)
    if _typos_allowed(term) == 1:
        return term[:n // 2] in segment or term[n // 2 + 1:] in segment
    third = n // 3
    return term[:third] in segment or term[third + 1:n - third] in segment or term[n - third + 1:] in segment


@dataclass(frozen=True)
class _Doubts:
    """Doubt words (หาย, เสีย...; "a|b" is either) and sequences: "ไว้แล้ว|ได้แล้ว+ไม่ได้|ผิด" is
    one of the first part's words, then later one of the second's (done, then it did not work);
    "+hai" is the service's own words, then hai."""

    words: tuple[str, ...] = ()
    sequences: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = ()

    @classmethod
    def of(cls, entries: Iterable[str]) -> "_Doubts":
        entries = list(entries)
        return cls(tuple(sorted({compact(a) for w in entries if "+" not in w for a in w.split("|") if compact(a)},
                                key=_longest_first)),  # "สิทธิสิ้นสุด|สิ้นสุดสิทธิ": either word
                   tuple((w, tuple(tuple(compact(a) for a in part.split("|") if compact(a)) for part in w.split("+")))
                         for w in entries if "+" in w))


@dataclass(frozen=True)
class Doubt:
    """A doubt word (or sequence) found, and where its last word ends in the message."""
    said: str
    end: int


def _where_said(qc: str, phrases) -> list[tuple[int, int]]:
    """Where each of ``phrases`` stands in the message, as typed."""
    return [(i, i + len(w)) for w in phrases if w in qc for i in _find_all(qc, w)]


def _typed_span(where: list[int], i: int, length: int, typed_length: int) -> tuple[int, int]:
    """Where ``length`` skeleton letters from the ``i``-th were typed: to the next letter the
    skeleton kept, so the marks typed after the word (ใบขบขี่, ยายมิเตอร์) are its own."""
    end = where[i + length] if i + length < len(where) else typed_length
    return where[i], end


def _one_after_another(parts, free, subject: int = 0) -> int | None:
    """Each part's words after the last part's (an empty first part is the service's own words):
    where the last part ends, or None."""
    after = subject if parts and not parts[0] else 0
    for alternatives in (p for p in parts if p):
        ends = [end for word in alternatives for _, end in free(word, after)]
        if not ends:
            return None
        after = min(ends)
    return after


def _short_agency_name(term: "Term") -> bool:
    """An agency's name says little even as typed (ขนส่ง in ต่อใบขับขี่ที่ขนส่ง); a short one made up
    by a slip or by sound is noise (กนสง in ประกนสงคม, ประกันสังคม without its marks), a long one
    is still the agency (ประกันสัวคม)."""
    return term.source == "agency" and len(term.text) < SHORT_TERM


def _without_marks(text: str) -> str:
    return "".join(ch for ch in text if ch not in _MARKS)


def _other_words_without_marks(text: str, typed_for: str) -> bool:
    """Is ``text``, ``typed_for`` without its marks, another word or two typed without theirs (จะได:
    จะได้; พอใหญ: พอ ใหญ่)? A dictionary word's own (เบิ่ง: เบิง) is taken to be itself."""
    if is_dictionary_word(text) or (is_dictionary_word_without_marks(text) and not is_dictionary_word(typed_for)):
        return True
    return any(
        is_dictionary_word_without_marks(text[:i]) and is_dictionary_word_without_marks(text[i:])
        for i in range(2, len(text) - 1))


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _longest_first(word: str) -> tuple[int, str]:
    """Longest first, then in a fixed order: a set's own order changes from run to run."""
    return -len(word), word


def _near(position: int, bounds: set[int]) -> bool:
    """On a word boundary, give or take one letter (a typo can move where newmm cuts)."""
    return position in bounds or position - 1 in bounds or position + 1 in bounds


def _shown(chosen: list[Span], qc: str) -> list[tuple[str, str, str]]:
    """The matched terms worth showing: per label, spans not inside a longer one of the same label."""
    by_label: dict[Label, list[Span]] = {}
    for sp in chosen:
        by_label.setdefault(sp.term.label, []).append(sp)
    out = []
    for sp in sorted(chosen, key=lambda s: (s.start, -(s.end - s.start))):
        inside = any(o is not sp and o.start <= sp.start and sp.end <= o.end
                     and (o.end - o.start) > (sp.end - sp.start) for o in by_label[sp.term.label])
        item = (qc[sp.start:sp.end], f"{sp.term.label.kind}:{sp.term.label.key}", sp.term.source)
        if not inside and item not in out:
            out.append(item)
    return out


COMBO_QUALITY = 0.9  # words found apart are a little weaker evidence than a phrase
SHORT_WORD = 3       # letters; a term this short must stand on the tokenizer's word boundaries
MIN_SKELETON = 3     # letters a term keeps without its marks, at least, to be found that way
MIN_LATIN_NAME = 3   # letters of a Latin name kept as typed amid Thai typed on the English keyboard
MIN_BARE = 8         # ... and without its vowels above and below
MIN_SOUND_ALIKE = 4  # ... and spelled by its sounds (a shorter key is too many words)
_CONTINUES_SYLLABLE = frozenset("\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a"
                                "\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")
_LEADING_VOWELS = frozenset("เแโใไ")


SOUND_INDEX_INLINE_TERMS = 20000  # more terms than this are romanized in the background
MIN_SOUND_KEY = 2          # consonant sounds a term needs to be found in romanized text at all
MIN_LOOSE_SOUND_KEY = 4    # ... to be found inside a longer word, or with one sound off
MAX_NAMED_LETTERS = 4      # an abbreviation this long at most is also read from its letters' Latin names
MIN_DOUBT_SOUND_KEY = 4    # consonant sounds a doubt word needs to be found in romanized text (kha prab)
MIN_COMBO_SOUND_KEY = 3    # ... a combination's word (phaen tee: แผนที่; shorter ones are too many words: ban nam)
_WORD_LETTER = re.compile("[\u0e01-\u0e4ea-z]")  # a letter, vowel or mark that goes on a word
_NUMBERED_TERM = re.compile(r"([\u0e01-\u0e2e]{2,})(\d{1,3})")  # a name and its number (พด1, มาตรา40)
MAX_SOUNDLESS_LETTERS = 2  # a typed word of vowels only this short (ha, a) may begin the term after it
MAX_NEAR_WORDS = 3         # a romanized term one sound off spans at most this many typed words
REMEMBERED_DECISIONS = 1024  # per matcher: the messages villagers send word for word again
MAX_SOUNDED_WORDS = 5      # Thai spelled by sound: a term read aloud spans at most this many typed words
_LATIN_LETTERS = re.compile("[a-z0-9]*[a-z][a-z0-9]*")  # with its numbers: "matra 40"


def _latin_runs(qc: str):
    for m in _LATIN_LETTERS.finditer(qc):
        yield m.start(), m.group(0)


def _latin_run_sounds(qc: str, gaps: frozenset[int]):
    """Each Latin run of the message: where it starts, its typed words, its consonant sounds, where
    each sound was typed and the word it was typed in."""
    for run_start, run in _latin_runs(qc):
        words = _words_of(run_start, run, gaps)
        key, where = latin_sound_key(run)
        yield run_start, words, key, where, [next(w for w, (a, b) in enumerate(words) if a <= run_start + p < b)
                                              for p in where]


def _latin_forms(by_thai: dict[str, list[str]] | None) -> dict[str, str]:
    """A lexicon's Latin forms of Thai words (Thai word: its forms) -> the Thai word."""
    return {normalize(v): compact(c) for c, vs in (by_thai or {}).items() for v in vs if normalize(v)}


def _whole_latin_words(forms: dict[str, str]) -> "re.Pattern | None":
    """Any of the forms as whole Latin words, longest first (never "tax" inside "taxi")."""
    return re.compile("(?<![a-z])(?:" + "|".join(re.escape(v) for v in sorted(forms, key=lambda v: (-len(v), v)))
                      + ")(?![a-z])") if forms else None


def _in_thai(norm: str, words: "re.Pattern | None", forms: dict[str, str]) -> str:
    """The forms ``words`` finds said as their Thai words, as words of their own."""
    return norm if words is None else " ".join(words.sub(lambda m: f" {forms[m.group(0)]} ", norm).split())


def _across_words_cut(start: int, end: int, gaps: frozenset[int], length: int) -> bool:
    """Found across a space the villager typed, and cutting a typed word there: the end of one
    word and the start of the next (อยู่ ยโสธร is no ยุ่ย). Whole words spaced out (ไม ให) are said."""
    return any(start < g < end for g in gaps) and not (
        (start == 0 or start in gaps) and (end == length or end in gaps))


def _vowel_likeness(typed: tuple[str, ...], spoken: list[str]) -> float:
    """How alike typed sounds (with vowel classes, each way they may be read) are to the closest
    way a Thai term is said, 0-1."""
    return max(fuzz.ratio(t, s) for t in typed for s in spoken) / 100


def _sound_windows(trie: marisa_trie.Trie, key: str, word_of: list[int]):
    """The known sound sequences in a run's sounds: (sounds, first index, last index, whether
    they start a typed word, whether they end one)."""
    for i in range(len(key)):
        for sound in trie.prefixes(key[i:]):
            j = i + len(sound) - 1
            yield sound, i, j, i == 0 or word_of[i - 1] != word_of[i], j == len(key) - 1 or word_of[j + 1] != word_of[j]


def _words_of(run_start: int, run: str, gaps: frozenset[int]) -> list[tuple[int, int]]:
    """The typed words of a Latin run (the villager's spaces), in compact-text positions."""
    cuts = [run_start] + [g for g in sorted(gaps) if run_start < g < run_start + len(run)] + [run_start + len(run)]
    return [(a, b) for a, b in zip(cuts, cuts[1:])]


def _heard_clearer_inside(spans: list[Span], words: set[tuple[int, int]], margin: float) -> list[Span]:
    """Romanized services and topics heard across typed words, less one whose words include one
    heard on its own more clearly (by ``margin``) as another service's term: kadee look is คดี and
    look, not ขุดลอก, whose vowels are only somewhat alike. A word heard as a topic's breaks
    nothing (topics catch look-alikes; a service said across one is the more specific), and a
    danger or an intent heard across words is never dropped."""
    clear_words = [o for o in spans if o.term.label.kind == SERVICE and (o.start, o.end) in words]

    def clearer_inside(sp: Span) -> bool:
        return sp.term.label.kind in (SERVICE, TOPIC) and any(
            o.term.label != sp.term.label and sp.start <= o.start and o.end <= sp.end
            and (o.start, o.end) != (sp.start, sp.end) and o.quality >= sp.quality + margin for o in clear_words)
    return [sp for sp in spans if not clearer_inside(sp)]


def _find_all(text: str, sub: str):
    i = text.find(sub)
    while i >= 0:
        yield i
        i = text.find(sub, i + 1)


class _Words:
    """The message's words (tokenised only when a term asks; spaces are boundaries too), in
    compact-text positions."""

    def __init__(self, index: "TermIndex", norm: str):
        self.index, self.norm, self._tokens = index, norm, None

    def tokens(self) -> list[tuple[int, int]]:
        if self._tokens is None:
            self._tokens, at = [], 0
            for chunk in self.norm.split(" "):
                for tok in self.index.tokenizer.tokens(chunk):
                    self._tokens.append((at, at + len(tok)))
                    at += len(tok)
        return self._tokens

    def all(self) -> set[int]:
        return {0, len(self.norm.replace(" ", ""))} | {end for _, end in self.tokens()}

    def stands_alone(self, qc: str, start: int, end: int) -> bool:
        """A short term inside a longer word counts only when the rest of that word is made of
        words too (คดี in มีคดี, ไก่ in ไก่บ้าน), not when it is a piece of another word
        (ไฟ in ไฟแนนซ์)."""
        for a, b in self.tokens():
            if a < end and start < b and (a < start or end < b):
                rest = [qc[a:start] if a < start else "", qc[end:b] if end < b else ""]
                if not all(r == "" or self._a_word(r) for r in rest):
                    return False
        return True

    def starts_a_word(self, qc: str, start: int) -> bool:
        """No word of the message starts before ``start`` and goes on past it, unless what it
        has before is a word too."""
        return all(not (a < start < b) or self._a_word(qc[a:start]) for a, b in self.tokens())

    def _a_word(self, piece: str) -> bool:
        return is_dictionary_word_without_marks(piece) or self.index.is_term(piece)


_LATIN_LETTER = re.compile("[a-z]")
_THAI_LETTER = re.compile("[\u0e01-\u0e2e]")


def _joined_sounds(keys: list[str]) -> str:
    """Words' consonant sounds one after another, a sound shared across a boundary once (as
    ``latin_sound_key`` of the whole would, nearly always)."""
    out = ""
    for key in keys:
        out += key[1:] if out and key and out[-1] == key[0] else key
    return out


def _gaps(norm: str) -> frozenset[int]:
    """Compact-text positions that followed a space in the normalised text."""
    gaps, removed = set(), 0
    for i, ch in enumerate(norm):
        if ch == " ":
            gaps.add(i - removed)
            removed += 1
    return frozenset(gaps)


@dataclass
class Decision:
    kind: str                      # "answer", "choose", "escalate", "intent", "emergency"
    services: list[str] = field(default_factory=list)   # answer: one; choose (or escalate): candidates
    intent: str | None = None      # intent name for kind "intent" (or "human" on escalate)
    topic: str | None = None       # escalation topic id, when one matched
    emergency: str | None = None   # emergency id, for kind "emergency"
    reason: str = ""
    scores: dict[str, float] = field(default_factory=dict)   # service id -> evidence
    matched: list[tuple[str, str, str]] = field(default_factory=list)  # (text, label, source)
    coverage: float = 0.0
    reading: str = ""              # how the message was read: shown by `bot ask`
    also: list[str] = field(default_factory=list)  # intents asked beside the answered service (our phone too)


@dataclass(frozen=True)
class VariantInfo:
    group: str
    region: str  # "metro" or "provincial"


class SoundIndex:
    """Thai terms by their consonant sounds (romanized input is compared with these)."""

    def __init__(self, texts: Iterable[str], min_key: int = MIN_SOUND_KEY):
        plain_words = Tokenizer()  # romanized word by word, as the dictionary cuts them
        texts = list(texts)
        # sounds -> term -> its sounds with vowel classes (a term read two ways may have two)
        self.by_key: dict[str, dict[str, list[str]]] = {}
        # sounds -> term -> how its syllables start and sound (``syllable_shapes``), one per way it is read
        self.shapes: dict[str, dict[str, set[str]]] = {}
        for text in texts:
            for key, spoken, shape in sorted({said_sounds(said) for said in thai_said(text, plain_words)}):
                if len(key) >= min_key:
                    if spoken not in self.by_key.setdefault(key, {}).setdefault(text, []):
                        self.by_key[key][text].append(spoken)
                    self.shapes.setdefault(key, {}).setdefault(text, set()).add(shape)
        self.trie = marisa_trie.Trie(self.by_key)
        # the sounds of each word of the terms (ลงทะเบียน of ลงทะเบียนผู้ค้า): typed words that sound
        # exactly like one are that word, not a term one sound off (long tabian is no จองทะเบียน)
        self.word_keys = frozenset(latin_sound_key(thai_read_aloud(word, plain_words))[0]
                                   for text in texts for word in plain_words.tokens(text))
        self.keys = sorted(self.by_key, key=len)
        self.key_lens = [len(k) for k in self.keys]


@dataclass(frozen=True)
class _Prepared:
    norm: str
    qc: str
    gaps: frozenset[int]
    skeleton: str
    where: list[int]
    words: "_Words"
    might: frozenset[str]  # the doubt words and places it may hold (``TermIndex.prepare``)
    # doubt words typed in Latin letters (kha prab: ค่าปรับ): word -> [(start, end)]
    sounded: dict[str, list[tuple[int, int]]]
    # the skeleton with no double squeezed (ไม่มี typed without its mark: ไมมี), and where
    plain: str = ""
    plain_where: list[int] = field(default_factory=list)
    # its Latin runs' sounds (``_latin_run_sounds``), worked out once for every look-up by sound
    latin_runs: tuple = ()
    # loose look-ups already made in this message (a doubt word is looked for once, whichever
    # service or rule asks): word -> where it stands; None -> where not_doubt phrases stand
    found: dict = field(default_factory=dict, compare=False, repr=False)


class TermIndex:
    """Every phrase the bot knows, built once per catalogue (the slow part); finding the
    candidate spans of one message is ``spans``. Deciding is ``Matcher``'s job."""

    def __init__(self, services: Iterable[dict], topics: Iterable[dict], intents: dict,
                 filler: Iterable[str], metro_places: Iterable[str], question_words: Iterable[str] = (),
                 agency_aliases: dict[str, list[str]] | None = None, spellings: dict[str, list[str]] | None = None,
                 local_places: Iterable[str] = (), doubt_words: Iterable[str] = (),
                 not_doubt: Iterable[str] = (), word_forms: dict[str, list[str]] | None = None, emergencies: Iterable[dict] = (),
                 negations: Iterable[str] = (), asked_first: Iterable[str] = (), either_or: Iterable[str] = (),
                 trouble_hints: Iterable[str] = (), this_time: Iterable[str] = (),
                 romanized_everyday: Iterable[str] = (), romanized_request_verbs: Iterable[str] = (),
                 english: dict[str, list[str]] | None = None,
                 romanized_amid_thai: dict[str, list[str]] | None = None):
        self.services = {s["id"]: s for s in services}
        self.intents = IntentRoles.of(intents)
        self.variants = {sid: VariantInfo(s["variant"]["group"], s["variant"]["region"])
                         for sid, s in self.services.items() if s.get("variant")}
        terms: list[Term] = []
        self.combos: list[tuple[list[list[str]], Term]] = []
        # compacted once per agency: thousands of services share a few agencies
        names = {agency: {compact(a) for a in [agency, *(agency_aliases or {}).get(agency, [])]}
                 for agency in {s["agency"] for s in self.services.values()}}
        self.agency_names = {sid: names[s["agency"]] for sid, s in self.services.items()}
        for sid, s in self.services.items():
            lab = Label(SERVICE, sid)
            terms += [Term(compact(s["name"]), lab, "name")]
            # an agency's names point to all its services (shared on purpose: "ขนส่ง" -> 1 or 2)
            terms += [Term(a, lab, "agency") for a in self.agency_names[sid]]
            terms += [Term(_term_text(k), lab, "keyword") for k in s.get("keywords", [])]
            terms += [Term(compact(k), lab, "example") for k in s.get("examples", [])]
            terms += [Term(_term_text(k), Label(TOPIC, NOT_THIS + sid), "not_this") for k in s.get("not_this", [])]
        for topic in topics:
            terms += [Term(_term_text(k), Label(TOPIC, topic["id"]), "keyword") for k in topic.get("keywords", [])]
        for name, spec in intents.items():
            terms += [Term(_term_text(p), Label(INTENT, name), "phrase") for p in spec.get("phrases", [])]
            terms += [Term(_term_text(p), Label(INTENT, name), CALL) for p in spec.get("calls", [])]
        for e in emergencies:
            terms += [Term(_term_text(k), Label(EMERGENCY, e["id"]), "keyword") for k in e.get("keywords", [])]
            terms += [Term(_term_text(k), Label(NOT_EMERGENCY, e["id"]), "not_this") for k in e.get("not_this", [])]
        self.terms_by_text: dict[str, list[Term]] = {}
        seen: set[Term] = set()  # an agency's name is a term of each of its services: a set, not a list scan
        for term in terms:
            if "+" in term.text:  # "ไก่|เป็ด+ตาย|ป่วย": each part somewhere in the message
                self.combos.append(([sorted({compact(a) for a in part.split("|")} - {""}, key=_longest_first)
                                     for part in term.text.split("+")], term))
                continue
            if term.text and term not in seen:
                seen.add(term)
                self.terms_by_text.setdefault(term.text, []).append(term)
        # the catalogue's Latin names (egp, e-filing), kept as typed in Thai typed on the English keyboard
        self.latin_names = frozenset(x for x in self.terms_by_text if x.isascii() and len(x) >= MIN_LATIN_NAME
                                     and _LATIN_LETTER.search(x) and not any(t.source == "example" for t in self.terms_by_text[x]))
        # ... of which the catalogue's own (pea, egp, doe: not the intents' romanized phrasings) are
        # names, never a syllable of a Thai term heard across words (PEA kho mitter is no เบิกค่า...)
        self.catalogue_latin_names = frozenset(x for x in self.latin_names if any(
            t.label.kind in (SERVICE, TOPIC) for t in self.terms_by_text[x]))
        # typo candidates, shortest first: a segment is only compared with terms that fit in it
        self.fuzzy_texts = sorted((x for x in self.terms_by_text if not x.isascii()), key=len)
        self._fuzzy_lens = [len(x) for x in self.fuzzy_texts]
        # one typo breaks at most one end of a term: a typo'd term still shows its first two
        # letters or its last two, so only terms with such an end in the text are compared
        self._fuzzy_by_end: dict[str, list[int]] = {}
        for i, text in enumerate(self.fuzzy_texts):
            for end in {text[:2], text[-2:]}:
                self._fuzzy_by_end.setdefault(end, []).append(i)
        self.metro_places = [compact(p) for p in metro_places if compact(p)]
        self.local_places = [compact(p) for p in local_places if compact(p)]
        # villagers' spellings -> the catalogue's, longest first ("ปกส" -> "ประกันสังคม")
        self.spellings = sorted(((compact(v), compact(c)) for c, vs in (spellings or {}).items() for v in vs
                                 if compact(v) and compact(v) != compact(c)), key=lambda vc: -len(vc[0]))
        # the catalogue's abbreviations as dictated (พอ งอ ดอ run together, พ for ภ): whole words only
        self.dictated = dict(sorted(_dictated_abbreviations(self.terms_by_text, self.spellings),
                                    key=lambda vc: _longest_first(vc[0])))
        # names the catalogue numbers (พด1, ภงด90, มาตรา40): a lone digit word said after one is its
        # number (พด สาม is พด3; elsewhere สาม stays a word)
        numbered = sorted({m.group(1) for text in self.terms_by_text if (m := _NUMBERED_TERM.fullmatch(text))},
                          key=_longest_first)
        self._numbered_names = re.compile(
            f"({'|'.join(numbered)}) ?({'|'.join(sorted(DIGIT_WORD_VALUES, key=_longest_first))})") \
            if numbered else None
        # dialect words -> the words the catalogue uses (บ่ -> ไหม, เฮ็ด -> ทำ, งัว -> วัว), word by word
        # (a variant ending in "$" only at the end of what was typed: บ่$ is ไหม there, else ไม่)
        forms = [(v, compact(c)) for c, vs in (word_forms or {}).items() for v in vs]
        self.word_forms = {compact(v): c for v, c in forms if not v.endswith("$") and compact(v) not in ("", c)}
        self.final_word_forms = {compact(v): c for v, c in forms if v.endswith("$") and compact(v) not in ("", c)}
        # and typed without their tone marks (เบิง, ขอย), where that reads as no other words (จะได๋
        # without marks is จะได้; คนแก่ is คนแก้)
        for variant, canonical in list(self.word_forms.items()):
            unmarked = variant.translate(_TONE_MARKS_DROPPED)
            if len(unmarked) >= MIN_SKELETON and unmarked not in self.word_forms and unmarked != canonical \
                    and unmarked not in self.terms_by_text and not _other_words_without_marks(unmarked, variant):
                self.word_forms[unmarked] = canonical
        # English words villagers mix in -> the catalogue's Thai (tax refund -> เงินคืนภาษี, lost -> หาย):
        # whole Latin words only, longest first (never "tax" inside "taxi")
        english_forms = _latin_forms(english)
        # and the catalogue's abbreviations by their letters' names (por dor: พด), where the lexicon
        # does not say otherwise
        for abbreviation in sorted(set(self.dictated.values())):  # sorted: the same reading in every worker
            if 2 <= len(abbreviation) <= MAX_NAMED_LETTERS:
                for named in latin_letter_names(abbreviation):
                    english_forms.setdefault(named, abbreviation)
        self.english = english_forms
        self._english_words = _whole_latin_words(english_forms)
        # romanized Thai words amid Thai (เปิด gee mong): read in Thai, like the English ones
        self.amid_thai = _latin_forms(romanized_amid_thai)
        self._amid_thai_words = _whole_latin_words(self.amid_thai)
        self.filler = frozenset(compact(f) for f in filler)
        self.question_words = frozenset(compact(w) for w in question_words if compact(w))
        self.everyday_words = self.question_words | self.filler  # what a doubt word without its marks must not be
        self.doubts = _Doubts.of(doubt_words)
        self.hints = _Doubts.of(trouble_hints)  # weaker than a doubt: a choice, not staff
        self.not_doubt = sorted({compact(w) for w in not_doubt if compact(w)}, key=_longest_first)
        self.not_doubt_unmarked = sorted({key for w in self.not_doubt if not w.isascii()
                                          and (key := skeleton(w)) != w and len(key) >= MIN_SKELETON}, key=_longest_first)
        self.negations = tuple(sorted({compact(w) for w in negations if compact(w)}, key=_longest_first))
        self.asked_first = tuple(sorted({compact(w) for w in asked_first if compact(w)}, key=_longest_first))
        self.this_time = tuple(sorted({compact(w) for w in this_time if compact(w)}, key=_longest_first))
        self.romanized_everyday = frozenset(compact(w) for w in romanized_everyday if compact(w))
        self.request_verbs = tuple(sorted({compact(w) for w in romanized_request_verbs if compact(w)}, key=_longest_first))
        self.either_or = tuple(sorted({compact(w) for w in either_or if compact(w)}, key=_longest_first))
        self.service_doubts = {sid: _Doubts.of(s.get("doubt_words", [])) for sid, s in self.services.items()}
        # doubt words and places, and the skeleton each is also looked for by (worked out once)
        every_doubt = (self.doubts, self.hints, *self.service_doubts.values())
        loose = {w for d in every_doubt for w in d.words}
        loose |= {w for d in every_doubt for _, parts in d.sequences for part in parts for w in part}
        self._loose_keys = {w: self._skeleton_key(w) for w in loose | set(self.metro_places) | set(self.local_places)}
        # which of them a message might hold, found in one pass over it (most are in none: a
        # message is checked against ~200 doubt words): as typed, by skeleton, or sharing the
        # two letters at one end (a key slip leaves one end as it was)
        # and by their sounds, for romanized messages (kha prab yuen pasee: a fine, not a filing);
        # only words of four consonant sounds or more: shorter ones collide with everyday words
        # (mai ban is ใหม่ บ้าน as well as ไม่ผ่าน)
        self._loose_sounds = SoundIndex((w for w in loose if not _LATIN_LETTER.search(w)), MIN_DOUBT_SOUND_KEY)
        self._loose_words = marisa_trie.Trie(self._loose_keys)
        self._loose_skeletons = marisa_trie.Trie({key for key in self._loose_keys.values() if key})
        self._loose_of_skeleton: dict[str, set[str]] = {}
        self._loose_of_end: dict[str, set[str]] = {}
        for word, key in self._loose_keys.items():
            self._loose_of_skeleton.setdefault(key, set()).add(word)
            if not word.isascii():
                for end in (word[:2], word[-2:]):
                    self._loose_of_end.setdefault(end, set()).add(word)
        # a service's own phrases (its keywords and their parts) are never a doubt about it: ยังไม่ได้
        # is how a refund is asked after (ขอคืนภาษีไปนานแล้วยังไม่ได้), even typed without its marks.
        # Short words (อบต, จ่าย) say too little on their own to be kept from doubting.
        self.own_phrases = {sid: frozenset(w for k in s.get("keywords", []) for part in k.split("+")
                                           for w in map(compact, part.split("|")) if len(w) >= OWN_PHRASE_LETTERS)
                            for sid, s in self.services.items()}
        # and what a service is asked with that elsewhere would be a doubt (its "not_doubt": สิทธิ์อะไร
        # for a rights check, ยังไม่เข้าบัญชี for refund tracking): never a doubt about it, nor doubt
        # words inside it
        self.service_not_doubt = {sid: tuple(sorted({compact(w) for w in s.get("not_doubt", []) if compact(w)},
                                                    key=_longest_first)) for sid, s in self.services.items()}
        for sid, words in self.service_not_doubt.items():
            self.own_phrases[sid] |= frozenset(words)
        phrasings = [compact(p) for spec in intents.values() for p in spec.get("phrases", [])]
        # filler no phrasing contains (ฉัน, ผม, ค่ะ): safe to drop when looking for a phrasing
        self.removable = frozenset(f for f in self.filler if not any(f in p for p in phrasings))
        combo_words = {alt for parts, _ in self.combos for part in parts for alt in part}  # อบต in "...+อบต|ศูนย์"
        self.tokenizer = Tokenizer(set(self.terms_by_text) | set(self.filler) | set(self.word_forms)
                                   | set(self.final_word_forms) | combo_words, compacted=True)
        self._exact = marisa_trie.Trie(self.terms_by_text)
        # a combination is looked at only when a word of each of its parts is in the message: the
        # words found in one pass over it (~170 combinations, each searched, cost a third of a
        # romanized message's time)
        self._combo_words = marisa_trie.Trie(combo_words)
        # the same words without tone marks, long/short vowels folded (เปิด typed เปด, ที่อยู่ ที่อยู)
        self._combo_by_skeleton: dict[str, set[str]] = {}
        for word in combo_words:
            key = skeleton(word)
            if not word.isascii() and len(key) >= MIN_SKELETON and key != word:
                self._combo_by_skeleton.setdefault(key, set()).add(word)
        self._combo_skeletons = marisa_trie.Trie(self._combo_by_skeleton)
        # ... and by their sounds, typed in Latin letters (phaen tee or bor tor: แผนที่ + อบต)
        self._combo_sounds = SoundIndex((w for w in combo_words if not _LATIN_LETTER.search(w)), MIN_COMBO_SOUND_KEY)
        self._combo_needs = [[frozenset(part) for part in parts] for parts, _ in self.combos]
        self._combos_of_word: dict[str, list[int]] = {}  # a word -> the combinations whose first part has it
        for k, needs in enumerate(self._combo_needs):
            for word in needs[0]:
                self._combos_of_word.setdefault(word, []).append(k)
        is_dictionary_word_without_marks("")  # built now (~0.2 s), not in the first villager's reply
        # the same terms without tone marks and with long/short vowels folded (3+ letters left)
        self._by_skeleton: dict[str, list[str]] = {}
        for text in self.terms_by_text:
            key = skeleton(text)
            if not text.isascii() and len(key) >= MIN_SKELETON and key != text:
                self._by_skeleton.setdefault(key, []).append(text)
        self._skeletons = marisa_trie.Trie(self._by_skeleton)
        # ... and with letters that sound alike made one (ภาษี typed พาสี): terms of a few syllables
        self._by_sound_alike: dict[str, list[str]] = {}
        for text in self.terms_by_text:
            key = sound_skeleton(text)
            if not text.isascii() and len(key) >= MIN_SOUND_ALIKE:
                self._by_sound_alike.setdefault(key, []).append(text)
        self._sounds_alike = marisa_trie.Trie(self._by_sound_alike)
        # ... and without the vowels above and below too: long terms only, as short ones would
        # be other words (ทน is no ทุน)
        self._by_bare: dict[str, list[str]] = {}
        for text in self.terms_by_text:
            key = skeleton(text)
            bare_key = bare(key)[0]
            if not text.isascii() and len(bare_key) >= MIN_BARE and bare_key != key:
                self._by_bare.setdefault(bare_key, []).append(text)
        self._bares = marisa_trie.Trie(self._by_bare)
        # the consonant sounds of Thai terms (not whole example sentences), for romanized input;
        # romanizing is slow (~0.3 ms a term): a big catalogue gets it in the background, and
        # romanized messages are understood once it is there
        spoken = [text for text, terms in self.terms_by_text.items()
                  if not _LATIN_LETTER.search(text) and any(term.source != "example" for term in terms)]
        self.sounds: SoundIndex | None = None
        if len(spoken) <= SOUND_INDEX_INLINE_TERMS:
            self.sounds = SoundIndex(spoken)
        else:
            threading.Thread(target=self._build_sounds, args=(spoken,), name="sound-index", daemon=True).start()

    # -- step 2: candidate spans -------------------------------------------------------------
    def spans(self, norm: str, t: Thresholds, ignore: frozenset[str] = frozenset(),
              prepared: "_Prepared | None" = None) -> list[Span]:
        """``prepared``: the message as ``prepare`` worked it out, when the caller has it (its words
        tokenised and its skeleton found once per message)."""
        prepared = prepared or self.prepare(norm, t)
        qc, gaps, bounds = prepared.qc, prepared.gaps, prepared.words
        spans: list[Span] = []
        exact_texts = set(ignore)
        for start in range(len(qc)):
            for text in self._exact.prefixes(qc[start:]):
                end = start + len(text)
                if text in ignore or not self._fits(qc, start, end, gaps, bounds):
                    continue
                exact_texts.add(text)
                spans += [Span(start, end, term, 1.0) for term in self.terms_by_text[text]]
        # the message without its marks, a letter typed twice once (ใบขับบขี่); and as typed, for a
        # term's own double letters (ว่างงาน typed วางงาน, ออนไลน์ typed ออนไลน)
        unmarked_texts = list({prepared.skeleton: (prepared.skeleton, prepared.where),
                               prepared.plain: (prepared.plain, prepared.plain_where)}.values())
        unmarked_spans: dict[tuple, Span] = {}  # the two skeletons find the same term in the same place
        for unmarked in unmarked_texts:
            for sp in self._skeleton_spans(qc, unmarked, gaps, bounds, ignore, t) + \
                    self._skeleton_spans(qc, bare(*unmarked), gaps, bounds, ignore, t, bare=True):
                unmarked_spans.setdefault((sp.start, sp.end, sp.term), sp)
        spans += unmarked_spans.values()
        spans += self._sound_alike_spans(qc, gaps, bounds, ignore, t)
        spans += self._romanized_spans(qc, prepared.latin_runs, ignore, t)
        if len(qc) >= t.fuzzy_min_len:
            spans += self._fuzzy_spans(qc, spans, exact_texts, bounds, t)
        spans += self._spelled_by_sound_spans(qc, bounds, spans, ignore, t)
        said = {w for start in range(len(qc)) for w in self._combo_words.prefixes(qc[start:])}
        unmarked: dict[str, list[tuple[int, int]]] = {}
        for unmarked_text in unmarked_texts:
            for word, places in self._combo_words_without_marks(qc, unmarked_text, gaps, bounds).items():
                unmarked.setdefault(word, []).extend(p for p in places if p not in unmarked.get(word, ()))
        sounded = self._sounded_words(self._combo_sounds, qc, prepared.latin_runs, t.romanized_combo_likeness)
        heard = said | unmarked.keys() | sounded.keys()
        for k in sorted({k for w in heard for k in self._combos_of_word.get(w, ())}):
            (parts, term), needs = self.combos[k], self._combo_needs[k]
            if any(heard.isdisjoint(need) for need in needs[1:]):
                continue
            found, quality = [], COMBO_QUALITY
            for alternatives in parts:
                hit = next(((i, i + len(a)) for a in alternatives if a in said
                            for i in _find_all(qc, a) if self._fits(qc, i, i + len(a), gaps, bounds)), None)
                if hit is None:  # a word typed without its marks: weaker evidence, never nothing
                    hit = next((where for a in alternatives for where in unmarked.get(a, ())), None)
                    quality = min(quality, t.skeleton_quality)
                if hit is None:  # ... or typed in Latin letters, as it sounds
                    hit = next((where for a in alternatives for where in sounded.get(a, ())), None)
                    quality = min(quality, t.romanized_quality)
                if hit is None:
                    break
                found.append(Span(hit[0], hit[1], term, quality))
            else:
                total = sum(sp.end - sp.start for sp in found)
                for sp in found:  # the combination competes as a whole
                    sp.quality = quality
                    sp.combined = total
                    sp.whole = found
                spans += found
        return spans

    def _combo_words_without_marks(self, qc: str, unmarked_text: tuple[str, list[int]], gaps: frozenset[int],
                                   bounds: "_Words") -> dict[str, list[tuple[int, int]]]:
        """Where the combinations' words are typed without their tone marks or with a vowel's
        length changed (เสาร อาทิตย เปด): word -> (start, end) of each place, as typed."""
        sk, where = unmarked_text
        found: dict[str, list[tuple[int, int]]] = {}
        for i in range(len(sk)):
            for key in self._combo_skeletons.prefixes(sk[i:]):
                start, end = _typed_span(where, i, len(key), len(qc))
                typed = qc[start:end]
                if typed in self._combo_words or is_dictionary_word(typed) or typed in self.everyday_words \
                        or not self._fits(qc, start, end, gaps, bounds) or not bounds.stands_alone(qc, start, end):
                    continue  # typed exactly, a word of its own (ไหม is no ไหม้, หมู่ no หมู), or inside another
                for word in self._combo_by_skeleton[key]:
                    if not _adds_a_vowel(word, typed):
                        found.setdefault(word, []).append((start, end))
        return found

    def is_term(self, text: str) -> bool:
        return text in self.terms_by_text or text in self.filler

    def _fits(self, qc: str, start: int, end: int, gaps: frozenset[int], bounds: _Words) -> bool:
        """A term never matches inside another word: a Latin term not inside a Latin word; a
        Thai term not cutting a syllable (a vowel sign or tone mark right after it, a leading
        vowel right before it: หมู in หมู่บ้าน); a short Thai term on the tokenizer's word
        boundaries (ไฟ in ไฟแนนซ์)."""
        if qc[start].isascii():
            return _ascii_bounded(qc, start, end, gaps)
        if (end < len(qc) and qc[end] in _CONTINUES_SYLLABLE) or (start > 0 and qc[start - 1] in _LEADING_VOWELS):
            return False
        return end - start > SHORT_WORD or bounds.stands_alone(qc, start, end)

    def _skeleton_spans(self, qc: str, unmarked_text: tuple[str, list[int]], gaps: frozenset[int], bounds: _Words,
                        ignore: frozenset[str], t: Thresholds, bare: bool = False) -> list[Span]:
        """Terms typed without tone marks or with a long vowel for a short one (ใบขบขี, ประกนสงคม):
        found in the message's skeleton, mapped back to where they were typed. ``bare``: the
        skeletons without their vowels above and below (บตรสวสดการ), where what was typed must
        not be words of its own (ทุกวัน is no ทกวน)."""
        sk, where = unmarked_text
        trie, by_key = (self._bares, self._by_bare) if bare else (self._skeletons, self._by_skeleton)
        quality = t.bare_quality if bare else t.skeleton_quality
        spans: list[Span] = []
        for i in range(len(sk)):
            for key in trie.prefixes(sk[i:]):
                start, end = _typed_span(where, i, len(key), len(qc))
                typed = qc[start:end]
                if typed in self.terms_by_text or (bare and (skeleton(typed) in self._by_skeleton or is_dictionary_words(typed))):
                    continue  # typed exactly (or only without marks): found as such; or real words
                texts = [x for x in by_key[key] if x not in ignore and not _adds_a_vowel(x, typed)]
                if not texts or not self._fits(qc, start, end, gaps, bounds) \
                        or not bounds.stands_alone(qc, start, end):  # a part of another word (เบี้ย in ทะเบียน)
                    continue
                spans += [Span(start, end, term, quality) for x in texts for term in self.terms_by_text[x]]
        return spans

    def _sound_alike_spans(self, qc: str, gaps: frozenset[int], bounds: _Words, ignore: frozenset[str],
                           t: Thresholds) -> list[Span]:
        """Terms spelled with letters that sound like theirs (ศาน for ศาล, ภูมิพาก, หย้าแฝก): the
        message as it sounds (``sound_skeleton``) against the terms', as ``_skeleton_spans`` does.
        What was typed must not be a word or a term of its own (สาร is no ศาล), and a danger (or
        what only looks like one) is never found so: it is never guessed."""
        alike, where = sound_skeleton_with_positions(qc)
        spans: list[Span] = []
        for i in range(len(alike)):
            for key in self._sounds_alike.prefixes(sound_alike_start(qc[where[i]]) + alike[i + 1:]):
                start, end = _typed_span(where, i, len(key), len(qc))
                if qc[end - 1] == "ร" and end - 1 not in where and not any(
                        x.endswith("ร") and sound_skeleton(x[:-1]) == key for x in self._by_sound_alike[key]):
                    end -= 1  # a ร read as silent, but the term has none there: it starts the next word (คนพิการ|รอบ)
                typed = qc[start:end]
                if typed in self.terms_by_text or skeleton(typed) in self._by_skeleton or is_dictionary_word(typed):
                    continue  # typed as such or only without marks (found so), or a word of its own
                texts = [x for x in self._by_sound_alike[key] if x not in ignore and skeleton(x) != skeleton(typed)]
                if not texts or not self._fits(qc, start, end, gaps, bounds) or not bounds.stands_alone(qc, start, end):
                    continue
                spans += [Span(start, end, term, t.sound_alike_quality) for x in texts for term in self.terms_by_text[x]
                          if term.label.kind not in (EMERGENCY, NOT_EMERGENCY)]
        return spans

    def _build_sounds(self, spoken: list[str]) -> None:
        self.sounds = SoundIndex(spoken)

    def _romanized_spans(self, qc: str, runs: tuple, ignore: frozenset[str], t: Thresholds) -> list[Span]:
        """Thai terms typed in Latin letters (bai kub kee, check sit bat sawatdikan): the consonant
        sounds of the villager's words against those of the terms; exactly (anywhere, if the
        term has four sounds or more, else whole words), or one sound off over whole words."""
        spans: list[Span] = []
        sounds = self.sounds
        if sounds is None:
            return spans  # still being built (a big catalogue)
        for run_start, words, key, where, word_of in runs:
            filler = {w for w, (a, b) in enumerate(words) if qc[a:b] in self.filler
                      or qc[a:b] in self.catalogue_latin_names}  # no edge of a term heard across words
            exact: set[tuple[int, int]] = set()  # word windows a term's exact sounds explain
            # short words of vowels only (ha of ha ngan: หางาน; h is silent) have no sound to find
            soundless = {w for w, (a, b) in enumerate(words) if b - a <= MAX_SOUNDLESS_LETTERS and w not in filler} \
                - set(word_of)
            for sound, i, j, starts_word, ends_word in _sound_windows(sounds.trie, key, word_of):
                first, last = word_of[i], word_of[j]
                if not (starts_word and ends_word) and (first != last or len(sound) < MIN_LOOSE_SOUND_KEY):
                    continue  # part of a word only inside one long word (tambaikubkee)
                if first in filler or last in filler:
                    continue  # "sa wad dee ka", "krub": a polite word is not a sound of a term
                if first == last and qc[words[first][0]:words[first][1]] in self.romanized_everyday:
                    continue  # kong is ของ (of), not เก่ง; it counts only with other words (kai kong: ขายของ)
                exact.add((first, last))
                start = words[first][0] if starts_word else run_start + where[i]
                silent = words[first - 1][0] if starts_word and first - 1 in soundless else None
                spans += self._sound_spans(sounds, qc, start, words[last][1], sound, ignore,
                                           t.romanized_quality, t.romanized_min_likeness, silent)
            spans += self._near_sound_spans(sounds, qc, words, key, word_of, exact, filler, ignore, t)
        return _heard_clearer_inside(spans, {w for run in runs for w in run[1]}, t.heard_clearer_inside)

    def _sound_spans(self, sounds: "SoundIndex", qc: str, start: int, end: int, sound: str, ignore: frozenset[str],
                     quality: float, min_likeness: float, silent_start: int | None = None) -> list[Span]:
        """Terms with these consonant sounds, each as strong as its vowels are like the typed ones.
        ``silent_start``: where a soundless word typed right before begins; it belongs to a term
        whose vowels it makes more alike (ha ngan: หางาน), not to one it makes less (a ngan: งาน)."""
        typed = typed_vowel_keys(qc[start:end])
        typed_from_silent = typed_vowel_keys(qc[silent_start:end]) if silent_start is not None else None
        shapes = syllable_shapes(qc[start:end]) if latin_sound_key(qc[start:end])[0] == sound else ""
        spans = []
        for text, spoken in sounds.by_key[sound].items():
            if text in ignore or shapes and all(shapes_clash(shapes, said) for said in sounds.shapes[sound][text]):
                continue  # ban mai is no พันธุ์ไม้ (b is never typed for ph), mai baan no หมู่บ้าน
            begins, likeness = start, _vowel_likeness(typed, spoken)
            if typed_from_silent is not None and (with_silent := _vowel_likeness(typed_from_silent, spoken)) > likeness:
                begins, likeness = silent_start, with_silent
            if likeness >= min_likeness:
                spans += [Span(begins, end, term, quality * likeness, sounded=True) for term in self.terms_by_text[text]]
        return spans

    def _near_sound_spans(self, sounds: "SoundIndex", qc: str, words: list[tuple[int, int]], key: str,
                          word_of: list[int],
                          exact: set[tuple[int, int]], filler: set[int], ignore: frozenset[str],
                          t: Thresholds) -> list[Span]:
        """A few whole words whose sounds are one off a term's (tabian rod for ทะเบียนรถ), their
        vowels alike too; not starting or ending with a polite word."""
        spans: list[Span] = []
        first_sound = {w: word_of.index(w) for w in set(word_of)}
        last_sound = {w: len(word_of) - 1 - word_of[::-1].index(w) for w in set(word_of)}
        for first in first_sound:
            for last in range(first, min(first + MAX_NEAR_WORDS, len(words))):
                if last not in last_sound or (first, last) in exact or first in filler or last in filler:
                    continue
                window = key[first_sound[first]:last_sound[last] + 1]
                if len(window) <= MIN_LOOSE_SOUND_KEY or window in sounds.word_keys:
                    continue
                lo, hi = bisect.bisect_left(sounds.key_lens, len(window) - 1), \
                    bisect.bisect_right(sounds.key_lens, len(window) + 1)
                for sound, _dist, _ in process.extract(window, sounds.keys[lo:hi], scorer=Levenshtein.distance,
                                                       score_cutoff=1, limit=None):
                    if len(sound) >= MIN_LOOSE_SOUND_KEY and _digits(sound) == _digits(window):  # 3 is not 33
                        spans += [dataclasses.replace(sp, typo=True) for sp in self._sound_spans(
                            sounds, qc, words[first][0], words[last][1], sound, ignore, t.romanized_quality * t.fuzzy_quality,
                            t.romanized_near_likeness)]
        return spans

    def _spelled_by_sound_spans(self, qc: str, bounds: _Words, found: list[Span], ignore: frozenset[str],
                                t: Thresholds) -> list[Span]:
        """Thai spelled as it sounds (สิด for สิทธิ์, ตรวด for ตรวจ, สมุดปราการ, สะหวัดดิกาน): a few
        words around one no term explains, read aloud and compared with the terms' sounds as
        romanized input is. A guess (like a typo): it may offer, never answer alone. (Such
        spellings cut into real short words, บัด|สะ|หวัด|ดิ|กาน, so "unexplained" is the test,
        not "not in the dictionary".)"""
        sounds = self.sounds
        if sounds is None or qc.isascii():
            return []
        explained = bytearray(len(qc))
        for sp in found:
            explained[sp.start:sp.end] = b"\x01" * (sp.end - sp.start)
        words = [(a, b) for a, b in bounds.tokens() if not qc[a].isascii()]
        unknown = [k for k, (a, b) in enumerate(words)
                   if not any(explained[a:b]) and qc[a:b] not in self.filler and qc[a:b] not in self.word_forms]
        if not unknown:
            return []
        aloud = [thai_read_aloud(qc[a:b], self.tokenizer) for a, b in words]
        word_keys = [latin_sound_key(latin)[0] for latin in aloud]
        spans: list[Span] = []
        windows = {(first, last) for k in unknown for first in range(max(0, k - MAX_SOUNDED_WORDS + 1), k + 1)
                   for last in range(k, min(len(words), first + MAX_SOUNDED_WORDS))
                   if all(words[i][1] == words[i + 1][0] for i in range(first, last))  # no word between
                   # one dictionary word spelled right is that word (โรงเรียน, a school, sounds like ร้องเรียน)
                   and not (first == last and is_dictionary_word(qc[words[first][0]:words[first][1]]))}
        for first, last in windows:
            if _joined_sounds(word_keys[first:last + 1]) not in sounds.by_key:
                continue  # cheap test first: the words' sounds one after another
            latin = "".join(aloud[first:last + 1])
            key = latin_sound_key(latin)[0]
            if len(key) < MIN_LOOSE_SOUND_KEY or key not in sounds.by_key:
                continue
            start, end = words[first][0], words[last][1]
            typed = (latin_sound_key(latin, vowels=True, heard=True)[0],)  # Thai read aloud: as said
            for text, spoken in sounds.by_key[key].items():
                likeness = _vowel_likeness(typed, spoken)
                if text not in ignore and text != qc[start:end] and likeness >= t.sounded_likeness \
                        and fuzz.ratio(qc[start:end], text) >= t.sounded_letters:
                    spans += [Span(start, end, term, t.romanized_quality * likeness, typo=True, sounded=True)
                              for term in self.terms_by_text[text] if not _short_agency_name(term)]  # as for typos
        return spans

    def _fuzzy_spans(self, qc: str, exact: list[Span], exact_texts: set[str], lazy_bounds: _Words,
                     t: Thresholds) -> list[Span]:
        """Typo'd terms, looked for only where no exact term matched (plus a little context):
        most messages are mostly covered, so this stays cheap."""
        covered = bytearray(len(qc))
        for sp in exact:
            covered[sp.start:sp.end] = b"\x01" * (sp.end - sp.start)
        spans: list[Span] = []
        bounds = None
        shortest = bisect.bisect_left(self._fuzzy_lens, t.fuzzy_min_len)
        for seg_start, seg_end in _uncovered_segments(covered, context=3, min_len=t.fuzzy_min_len):
            segment = qc[seg_start:seg_end]
            bounds = lazy_bounds.all()
            longest = bisect.bisect_right(self._fuzzy_lens, len(segment) + 1)  # a letter dropped at the end
            candidates = {i for a in range(len(segment) - 1) for i in self._fuzzy_by_end.get(segment[a:a + 2], ())
                          if shortest <= i < longest}
            fitting = [text for text in (self.fuzzy_texts[i] for i in sorted(candidates))
                       if _keeps_a_piece(text, segment)]  # the others cannot pass the distance test below
            for text, _score, _ in process.extract(segment, fitting, scorer=fuzz.partial_ratio,
                                                   score_cutoff=t.fuzzy_cutoff, limit=None):
                if text in exact_texts:
                    continue
                al = fuzz.partial_ratio_alignment(text, segment)
                if al is None or al.score < t.fuzzy_cutoff:
                    continue
                aligned = (seg_start + al.dest_start, seg_start + al.dest_end)
                start, end = _closest_window(text, qc, *aligned)
                typed = qc[start:end]
                if is_dictionary_word(typed):
                    continue  # what was typed is a real word (ลงทะเบียน), not a typo of the term
                if end - start < len(text) - max(1, len(text) // 6):
                    continue  # only part of the term was found (ภาษีที่ for ภาษีที่ดิน): not a typo
                if OSA.distance(text, typed) > _typos_allowed(text):  # two letters swapped count once
                    continue  # a typo is a letter or two; more is another phrase (ที่ดินติดถนน ≠ ที่ดินติดกัน)
                if len(text) < SHORT_TERM and not _marks_only(text, typed):
                    continue  # in a short term another consonant is another word (วัวหาย ≠ วัวตาย)
                if not (_near(start, bounds) and _near(end, bounds)):
                    continue  # it cuts through words (ขตไฟฟ้า in ขยายเขตไฟฟ้า): a coincidence, not a typo
                if (start, end) != aligned and not (start in bounds and end in bounds):
                    continue  # a window moved to fit must fit the words exactly (not ดแปลง in หมด|แปลง)
                q = t.fuzzy_quality * al.score / 100
                spans += [Span(start, end, term, q, typo=True) for term in self.terms_by_text[text]
                          if not _short_agency_name(term)]
        return spans

    def agency_only(self, qc: str, chosen: list[Span], service: str) -> bool:
        names = self.agency_names.get(service, set())
        own = [qc[sp.start:sp.end] for sp in chosen if sp.term.label == Label(SERVICE, service)]
        return bool(own) and all(any(text in name for name in names) for text in own)

    def occurs(self, text: "_Prepared", word: str, t: Thresholds) -> list[tuple[int, int]]:
        """Where ``word`` (not a term: a doubt word, a place) stands in the message as a word of
        its own: as typed, without its tone marks, or (five letters or more) with one key slip."""
        found = text.found.get(word)
        if found is None:
            found = text.found[word] = [] if word in self._loose_keys and word not in text.might \
                else self._occurs(text, word, t) + text.sounded.get(word, [])
        return found

    def _occurs(self, text: "_Prepared", word: str, t: Thresholds) -> list[tuple[int, int]]:
        qc = text.qc
        found = [(i, i + len(word)) for i in _find_all(qc, word)] if word in qc else []
        if not found and not word.isascii():
            key = self._loose_key(word)
            skel, where = (text.skeleton, text.where) if key in text.skeleton else (text.plain, text.plain_where)
            if key and key in skel:
                found = [_typed_span(where, i, len(key), len(qc)) for i in _find_all(skel, key)]
                found = [(a, b) for a, b in found if not _adds_a_vowel(word, qc[a:b])
                         and not _other_tone_word(word, qc[a:b])
                         and not _across_words_cut(a, b, text.gaps, len(qc))
                         and text.words.starts_a_word(qc, a)]  # not ยุ่ย in อยู่|ยโสธร
        if not found and len(word) >= t.fuzzy_min_len and not word.isascii() \
                and (word[:2] in qc or word[-2:] in qc):  # one slip leaves one end of the word as it is
            al = fuzz.partial_ratio_alignment(word, qc, score_cutoff=t.fuzzy_cutoff)
            if al is not None:  # the alignment may be a letter off at either end
                found = [(a, b) for a, b in _windows(al.dest_start, al.dest_end, len(qc))
                         if _one_slip(word, qc[a:b]) and text.words.stands_alone(qc, a, b)  # not ดแทน in ทด|แทน
                         and not is_dictionary_words(qc[a:b])  # real words typed (หลังเกี่ยว, ไม่เป็น) are no slip of เหี่ยว, ไม่เห็น
                         and not _other_tone_word(word, qc[a:b])][:1]
        return [(a, b) for a, b in found if self._fits(qc, a, b, text.gaps, text.words)]

    def _loose_key(self, word: str) -> str:
        key = self._loose_keys.get(word)
        return self._skeleton_key(word) if key is None else key

    def _skeleton_key(self, word: str) -> str:
        """The skeleton ``word`` is also looked for by, or "" when that would be another word."""
        key = skeleton(word)
        return "" if len(key) < MIN_SKELETON or key == word or key in self.everyday_words else key  # ไหม้ ≠ ไหม

    def negated(self, qc: str, start: int, gaps: frozenset[int] = frozenset()) -> bool:
        """Said right after "it is not" (ไม่ใช่ไฟดับ, ไม่ได้จะซื้อ): the villager rules it out. Typed
        with a space inside, it is two clauses (ไปไม่ได้ จะยกเลิก: "can't go; will cancel")."""
        return any(qc.endswith(n, 0, start) and not any(start - len(n) < g < start for g in gaps)
                   for n in self.negations)

    def asked_either_way(self, qc: str, start: int, word: str, gaps: frozenset[int] = frozenset()) -> bool:
        """"Y or not Y?" typed as one phrase (ผ่านหรือไม่ผ่าน, ได้ก่บ่ได้): the negative half of a
        yes-or-no question is no doubt. With a space before the negative half it is an answer
        ("ได้รับไหม ไม่ได้รับเลย": did it come? it did not), which stays a doubt. ``word`` is a doubt
        word said at ``start``."""
        if not word.startswith(NOT_WORD) or len(word) == len(NOT_WORD):
            return False
        said = word[len(NOT_WORD):]
        return any(qc.endswith(said + c, 0, start) and not any(start - len(said + c) < g <= start for g in gaps)
                   for c in ("", *self.either_or))

    def turns_to_now(self, qc: str, after: int) -> bool:
        """"This time" said after ``after`` (ปีก่อนโดนปรับ ... ปีนี้จะยื่นเอง): what came before it
        is last time's story."""
        return any(w in qc[after:] for w in self.this_time)

    def asked_as_a_step(self, qc: str, end: int) -> bool:
        """Said right before "first?" (ต้องไปหาหมอก่อนไหม, ต้องมีทะเบียนพาณิชย์ก่อนบ่): a step of
        the service the villager asks about, not another need."""
        return any(qc.startswith(w, end) for w in self.asked_first)

    def prepare(self, norm: str, t: Thresholds) -> "_Prepared":
        """What every loose look-up in one message needs, worked out once per message."""
        qc = norm.replace(" ", "")
        plain, plain_where = skeleton_with_positions(qc)
        sk, where = squeezed(plain, plain_where)
        might = {w for i in range(len(qc)) for w in self._loose_words.prefixes(qc[i:])}
        for skel in ((sk, plain) if plain != sk else (sk,)):
            might.update(w for i in range(len(skel)) for key in self._loose_skeletons.prefixes(skel[i:])
                         for w in self._loose_of_skeleton[key])
        might.update(w for i in range(len(qc) - 1) for w in self._loose_of_end.get(qc[i:i + 2], ()))
        gaps = _gaps(norm)
        runs = tuple(_latin_run_sounds(qc, gaps)) if _LATIN_LETTER.search(qc) else ()
        sounded = self._sounded_words(self._loose_sounds, qc, runs, t.romanized_doubt_likeness)  # doubt words
        return _Prepared(norm, qc, gaps, sk, where, _Words(self, norm), frozenset(might | sounded.keys()), sounded,
                         plain, plain_where, runs)

    def _sounded_words(self, sounds: "SoundIndex", qc: str, runs: tuple,
                       min_likeness: float) -> dict[str, list[tuple[int, int]]]:
        """Words of ``sounds`` whose consonant sounds whole typed Latin words make (as
        ``_romanized_spans`` finds terms exactly), their vowels at least ``min_likeness`` alike.
        ``runs``: the message's Latin runs' sounds (``_Prepared.latin_runs``)."""
        found: dict[str, list[tuple[int, int]]] = {}
        for _, words, key, _, word_of in runs:
            # a polite word ends what was said: the message's first word is none (kha prab: ค่าปรับ)
            filler = {w for w, (a, b) in enumerate(words) if qc[a:b] in self.filler and a > 0}
            for sound, i, j, starts_word, ends_word in _sound_windows(sounds.trie, key, word_of):
                first, last = word_of[i], word_of[j]
                if not (starts_word and ends_word):
                    continue  # whole words only
                if first in filler or last in filler:
                    continue  # "mai krub" is no ไม่ครบ
                start, end = words[first][0], words[last][1]
                typed, shapes = typed_vowel_keys(qc[start:end]), syllable_shapes(qc[start:end])
                for word, spoken in sounds.by_key[sound].items():
                    if _vowel_likeness(typed, spoken) >= min_likeness \
                            and not all(shapes_clash(shapes, said) for said in sounds.shapes[sound][word]):
                        found.setdefault(word, []).append((start, end))
        return found

    def doubt(self, text: "_Prepared", chosen: list[Span], service: str, t: Thresholds) -> "Doubt | None":
        """A word that often turns a service's subject into another need (หาย, เสีย, ยกเลิก,
        โดนปรับ...), as a word of its own (not อบต in ชอบต้อง) and not part of what matched the
        service itself."""
        return self._said_beside(text, chosen, service, t, (self.doubts, self.service_doubts.get(service, _Doubts())))

    def hint(self, text: "_Prepared", chosen: list[Span], service: str, t: Thresholds) -> "Doubt | None":
        """A word that often, not mostly, comes with another need (ไม่ได้, ลืม, หยุด): looked for as
        doubt words are."""
        return self._said_beside(text, chosen, service, t, (self.hints,))

    def _said_beside(self, text: "_Prepared", chosen: list[Span], service: str, t: Thresholds,
                     doubt_sets: tuple["_Doubts", ...]) -> "Doubt | None":
        # inside the service's words, a doubt word is part of them, unless a typo'd term lacks it:
        # then it is what the villager said (ควายหาย read as ควายตาย)
        mine = [sp for sp in chosen if sp.term.label == Label(SERVICE, service)]
        if None not in text.found:  # เสียเงิน is not เสีย, typed with its marks or without (ดูอยูที่ไหน)
            text.found[None] = _where_said(text.qc, self.not_doubt) + [
                (text.plain_where[a], text.plain_where[b - 1] + 1) for a, b in _where_said(text.plain, self.not_doubt_unmarked)]
        typed = text.found[None] + [(sp.start, sp.end) for sp in mine if not sp.typo] + _where_said(
            text.qc, self.service_not_doubt.get(service, ()))
        # ... and inside the longer words of what was asked beside it (เบอร์ อบต: the office's
        # number, not its doing; but อยู่ไหน alone is still where, not the office's whereabouts)
        beside = [(sp.start, sp.end) for sp in chosen if sp.term.label.kind == INTENT
                  and sp.term.label.key in self.intents.beside and not (sp.typo or sp.sounded)]
        typos = [sp for sp in mine if sp.typo]
        # "+hai": the service's words, then hai (bat kon jon hai: lost); before them the same
        # sounds are another word (hai doo tee din: ให้, let me see)
        subject = min((sp.start for sp in mine), default=0)

        def for_someone() -> bool:
            """Asked for with a verb (tam bat pikan hai: ทำบัตรให้, make the card for him): hai is ให้ there too."""
            return any(text.qc.startswith(v, sp.start) or text.qc.endswith(v, 0, sp.start)
                       for sp in mine for v in self.request_verbs)

        own_phrases = self.own_phrases.get(service, frozenset())

        def free(word: str, after: int = 0) -> list[tuple[int, int]]:
            if word in own_phrases:
                return []
            own = typed + [(sp.start, sp.end) for sp in typos if word in sp.term.text] if typos else typed
            return [(start, end) for start, end in self.occurs(text, word, t) if start >= after
                    and not any(a <= start and end <= b for a, b in own)
                    and not any(a <= start and end <= b and b - a > end - start for a, b in beside)
                    and not self.negated(text.qc, start, text.gaps)
                    and not self.asked_as_a_step(text.qc, end)
                    and not self.asked_either_way(text.qc, start, word, text.gaps)]

        # the doubt said last: one said after the ask is not part of a story told before it
        # (โทรมาบอกให้โอนเงิน ... ขนส่งจริงไหม)
        might, said = text.might, None
        for doubts in doubt_sets:
            for word in doubts.words:
                where = free(word) if word in might else None
                if where and (said is None or where[-1][1] > said.end):
                    said = Doubt(word, where[-1][1])
            for label, parts in doubts.sequences:
                if parts == _SERVICE_THEN_HAI and for_someone():
                    continue
                end = _one_after_another(parts, free, subject) if all(might.intersection(p) for p in parts if p) else None
                if end is not None and (said is None or end > said.end):
                    said = Doubt(label, end)
        return said

    def asks(self, qc: str) -> bool:
        """Does the message contain a question or request word (ไหม, ยังไง, ขอ, อยาก...)?"""
        return any(w in qc for w in self.question_words)

    def standardise(self, norm: str) -> str:
        """English words, known misspellings and dialect words said the catalogue's way."""
        return self._numbers_named(self._in_standard_words(self.respell(self.undictate(self.in_thai_words(norm)))))

    def _numbers_named(self, norm: str) -> str:
        """พด สาม, พดเจ็ดไล่แมลง: the digit word must end a word (the text, or the tokenizer, says
        so): สามี after มาตรา is no มาตรา3."""
        if self._numbered_names is None or not self._numbered_names.search(norm):
            return norm
        cuts: set[int] = set()

        def word_ends(at: int) -> bool:
            if at == len(norm) or not _WORD_LETTER.match(norm[at]):
                return True
            if not cuts:  # tokenised only when a digit word is followed by more letters
                cuts.update(self._word_cuts(norm))
            return at in cuts

        return self._numbered_names.sub(lambda m: m.group(1) + str(DIGIT_WORD_VALUES[m.group(2)])
                                        if word_ends(m.end()) else m.group(0), norm)

    def _word_cuts(self, norm: str) -> set[int]:
        """Where the tokenizer's words begin and end in ``norm``."""
        cuts, at = {0}, 0
        for token in self.tokenizer.tokens(norm):
            at = norm.index(token, at) + len(token)
            cuts |= {at - len(token), at}
        return cuts

    def in_thai_words(self, norm: str) -> str:
        """English words said the catalogue's way (``english`` in the lexicon): "driving license
        lost" reads as ใบขับขี่ หาย, so Thai keywords and doubt words apply to it."""
        if not _LATIN_LETTERS.search(norm):
            return norm
        amid_thai = _THAI_LETTER.search(norm)  # as typed, before English words made some Thai
        norm = _in_thai(norm, self._english_words, self.english)
        return _in_thai(norm, self._amid_thai_words, self.amid_thai) if amid_thai else norm

    def _in_standard_words(self, norm: str) -> str:
        """Whole words only: บ่ is ไหม, but บ่อ (a pond) stays."""
        if not any(v in norm for v in self.word_forms) and not any(v in norm for v in self.final_word_forms):
            return norm
        chunks = []
        for chunk in norm.split(" "):
            tokens = self.tokenizer.tokens(chunk)
            if tokens and tokens[-1] in self.final_word_forms:
                tokens[-1] = self.final_word_forms[tokens[-1]]
            chunks.append("".join(self.word_forms.get(tok, tok) for tok in tokens))
        return " ".join(chunks)

    def undictate(self, norm: str) -> str:
        """The catalogue's abbreviations dictated (พองอดอ, พงด -> ภงด), where they are words of their
        own: not พอมอ in พอ|มอเตอร์ไซค์, nor พอดอ in พอ|ดอกเบี้ย."""
        if not any(v in norm for v in self.dictated):
            return norm
        cuts = self._word_cuts(norm)
        out, i = [], 0
        while i < len(norm):
            variant = next((v for v in self.dictated if i in cuts and norm.startswith(v, i) and i + len(v) in cuts), None)
            out.append(self.dictated[variant] if variant else norm[i])
            i += len(variant) if variant else 1
        return "".join(out)

    def respell(self, norm: str) -> str:
        """Replace known misspellings, unless the right spelling is already there (มิเตอ in มิเตอร์)."""
        for variant, canonical in self.spellings:
            start = norm.find(variant)
            while start >= 0:
                if norm.startswith(canonical, start):
                    start = norm.find(variant, start + len(canonical))
                    continue
                end = start + len(variant)
                rest = _without_marks(canonical[len(variant):]) if canonical.startswith(variant) else ""
                if rest and norm.startswith(rest, end):
                    end += len(rest)  # the rest typed without its marks: อาทิตย is อาทิตย์, not อาทิตย์ย
                norm = norm[:start] + canonical + norm[end:]
                start = norm.find(variant, start + len(canonical))
        return norm



# -- step 3: longest match wins -------------------------------------------------------------
def select_longest(spans: list[Span]) -> list[Span]:
    """Strongest first; a span is dropped when a strictly stronger span of another label overlaps
    it. A combination stands or falls as a whole: one that fell is taken out and the rest chosen
    again, so its parts hide nothing (ว่างงาน is still 19's when ว่างงาน+ประกันสังคม lost)."""
    inside = _inside_a_typed_word(spans)
    spans = [sp for sp in spans if not (sp.whole and any(id(p) in inside for p in sp.whole))]
    while True:
        chosen = _strongest(spans)
        kept = {id(sp) for sp in chosen}
        fallen = {id(part) for sp in chosen if sp.whole is not None and not all(id(p) in kept for p in sp.whole)
                  for part in sp.whole}
        if not fallen:
            return chosen
        spans = [sp for sp in spans if id(sp) not in fallen]


def _inside_a_typed_word(spans: list[Span]) -> set[int]:
    """A combination's parts that lie inside a longer phrase typed exactly which the catalogue says
    is *not* that service (โค in โควิด, a not_this of the animal-disease report): the villager
    typed that word whole, so the part is no word of the message, however strong the combination
    is together (โค+ระบาด)."""
    not_this = [sp for sp in spans if sp.term.source == "not_this" and sp.quality == 1.0
                and not (sp.typo or sp.sounded)]
    return {id(p) for sp in spans if sp.whole for p in sp.whole
            if any(w.start <= p.start and p.end <= w.end and w.end - w.start > p.end - p.start
                   and w.term.label == Label(TOPIC, NOT_THIS + p.term.label.key) for w in not_this)}


EDGE_FREE_LETTERS = 3  # letters of its own a span sharing an edge must keep to be said too


def _shares_an_edge(sp: Span, beaten: list[int], stronger) -> bool:
    """Two terms run together, sharing a syllable (คืน[ภาษี]บุคคลธรรมดา): a Thai span whose edge
    only is under a stronger span that goes on past it, with a syllable of its own left, was said
    too. (A stronger span inside it, a not_this, still cancels it.)"""
    if sp.typo or sp.sounded or sp.term.text.isascii() or sp.end - sp.start - len(beaten) < EDGE_FREE_LETTERS:
        return False
    if beaten == list(range(sp.start, sp.start + len(beaten))):
        return stronger(sp.start - 1)
    return beaten == list(range(sp.end - len(beaten), sp.end)) and stronger(sp.end)


def _beaten_at(over: dict, i: int, strength: float, label: Label) -> bool:
    """Is letter ``i`` taken by a strictly stronger span of another label?"""
    best = over.get(i)
    return best is not None and best[0] > strength and (len(best[1]) > 1 or label not in best[1])


def _strongest(spans: list[Span]) -> list[Span]:
    """Each letter remembers the labels of the strongest spans taken over it, so a message
    with many spans (a big catalogue) costs its letters, not spans squared."""
    chosen: list[Span] = []
    over: dict[int, tuple[float, set[Label]]] = {}  # letter -> (strength taken over it, their labels)
    for sp in sorted(spans, key=lambda s: (-s.strength, s.start)):
        strength, label = sp.strength, sp.term.label
        beaten = [i for i in range(sp.start, sp.end) if _beaten_at(over, i, strength, label)]
        if beaten and not _shares_an_edge(sp, beaten, lambda i: _beaten_at(over, i, strength, label)):
            continue
        chosen.append(sp)
        for i in range(sp.start, sp.end):
            best = over.get(i)
            if best is None or best[0] < strength:
                over[i] = (strength, {label})
            elif best[0] == strength:
                best[1].add(label)
    return chosen


# A speech-to-text app writes a spelled-out letter as the common letter of its sound: "พอ งอ ดอ"
# for ภ.ง.ด., "ทอ กอ สอ" for ธ.ก.ส.
_DICTATED_LETTER = str.maketrans("ภธฒฑศษฎฏฐณฬฆฌญฅฃ", "พทททสสดตถนลคชยคข")
_ABBREVIATION = re.compile(r"([\u0e01-\u0e2e]{2,5})\d*")  # ภงด91: the letters, then a form number


def _dictated_abbreviations(terms: Iterable[str], known: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Abbreviations as dictated: by the letters' sound (พงด -> ภงด) and letter names run together
    (พองอดอ -> ภงด, พอดอ -> พด), where that spelling is no word, nor part of one (spaced names
    are read back by ``bot.thai.undictate``)."""
    taken = {v for v, _ in known}
    letters = {m.group(1) for m in map(_ABBREVIATION.fullmatch, [*terms, *taken])
               if m and not (len(m.group(1)) > 2 and is_dictionary_word(m.group(1)))}  # ปกส, พด; not คลอง
    pairs = {(t.translate(_DICTATED_LETTER), t) for t in letters} | {(t, t) for t in letters}
    pairs |= {("".join(ch + "อ" for ch in v), t) for v, t in list(pairs)}  # กอปอพอ and กอปอภอ
    return [(v, t) for v, t in pairs if v != t and v not in taken and not is_inside_a_dictionary_word(v)]


def letters_per_label(spans: list[Span]) -> dict[Label, float]:
    """Letters covered per label (overlaps within a label count once, at their best quality)."""
    best: dict[Label, dict[int, float]] = {}
    for sp in spans:
        letters = best.setdefault(sp.term.label, {})
        weight = sp.quality * (ASCII_WEIGHT if sp.term.text.isascii() else 1.0)
        for i in range(sp.start, sp.end):
            letters[i] = max(letters.get(i, 0.0), weight)
    return {lab: sum(v.values()) for lab, v in best.items()}


@dataclass(frozen=True)
class IntentRoles:
    """What intents.json says about each intent, so the decision names none of them:
    ``escalate`` (asking for a person), ``wrapper`` (greeting/thanks around a question),
    ``closing`` (a wrapper that tolerates a longer remark: "ขอบคุณ ได้ความรู้เยอะ"),
    ``pronoun_tolerant`` (still found with a pronoun inside: "ช่วยอะไรฉันได้บ้าง"),
    ``when_empty`` (the reply to a message with nothing to read), ``not_after_a_story`` (asked on
    its own: "what can you do"; after a story of trouble, "ใครช่วยได้บ้าง" pleads for a person).
    Order in the file is priority.
    An intent's ``calls`` (แอดมิน) are its phrasings only when the message says nothing else."""

    order: tuple[str, ...]
    escalate: frozenset[str]
    wrapper: frozenset[str]
    closing: frozenset[str]
    pronoun_tolerant: frozenset[str]
    empty: str
    beside: frozenset[str] = frozenset()  # answered too when asked beside a service (contact: "...and your number?")
    not_after_a_story: frozenset[str] = frozenset()
    # an intent about this office (its phone, hours, address) asked of another office instead
    # (ขนส่งเบอร์อะไร, ศาลเปิดกี่โมง): staff know that office's branch; intent -> those offices' names
    other_offices: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, intents: dict) -> "IntentRoles":
        def having(flag: str) -> frozenset[str]:
            return frozenset(name for name, spec in intents.items() if spec.get(flag))
        others = {name: tuple(sorted({compact(w) for w in spec["other_offices"] if compact(w)}, key=_longest_first))
                  for name, spec in intents.items() if spec.get("other_offices")}
        return cls(tuple(intents), having("escalate"), having("wrapper"), having("closing"),
                   having("pronoun_tolerant"), next(iter(having("when_empty")), "empty"), having("beside_a_service"),
                   having("not_after_a_story"), other_offices=others)


# An intent said in a word or two (แอดมิน: a person; อยู่ไส: the office's address): it counts only
# when the message says nothing else ("สบายดีบ่ แอดมิน" greets; "คลินิกสัตว์อยู่ไหน" is not our address).
CALL = "call"

AS_TYPED, THAI_KEYBOARD, THAI_KEYBOARD_IN_PART = "as typed", "read as Thai keyboard", "read as Thai keyboard in part"


@dataclass(frozen=True)
class Reading:
    """One way to read a message: as typed, or as if typed with the Thai keyboard on."""

    name: str
    norm: str
    weight: float = 1.0


@dataclass
class Findings:
    """What one message says, worked out once; the decision rules only read it."""

    norm: str
    qc: str
    chosen: list[Span]
    services: list[tuple[str, float]]     # ranked, variants pooled
    topic: tuple[str | None, float]       # the strongest escalation topic
    intents: dict[str, float]
    person_asked: str | None              # an escalating intent typed as such
    content: int                          # meaningful letters of the message
    text: "_Prepared"                     # the message prepared for loose look-ups (doubt words, places)
    reading: str = ""                     # how the message was read (AS_TYPED, THAI_KEYBOARD...)
    weight: float = 1.0                   # a reading other than as typed must explain more to win
    emergency: tuple[str | None, float] = (None, 0.0)  # the strongest danger, look-alikes taken out
    urgent: list[Span] = field(default_factory=list)   # the danger and look-alike terms that won
    # what several rules ask of the same findings (the doubt, the hint), worked out once
    asked: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def top(self) -> tuple[str | None, float]:
        return self.services[0] if self.services else (None, 0.0)

    @property
    def coverage(self) -> float:
        return self.top[1] / self.content

    @property
    def margin(self) -> float:
        top_ev = self.top[1]
        runner = max(self.services[1][1] if len(self.services) > 1 else 0.0, self.topic[1])
        return 1 - runner / top_ev if top_ev else 0.0

    def base(self) -> dict:
        return dict(scores=dict(self.services), matched=_shown(self.chosen + self.urgent, self.qc),
                    coverage=round(self.coverage, 2) if self.services else 0.0)


class Matcher:
    """Decides from a ``TermIndex``; ``decide`` is the per-message work (a few milliseconds).
    The decision is a list of named rules, tried in order (Rasa's FallbackClassifier style):
    the first that applies decides."""

    def __init__(self, index: TermIndex, thresholds: Thresholds | None = None):
        self.index = index
        self.t = thresholds or Thresholds()
        self.rules = (self._danger, self._asks_for_a_person, self._asked_of_another_office, self._office_matter,
                      self._clear_answer,
                      self._service_with_doubt, self._close_services, self._conversation,
                      self._conversation_among_pronouns, self._only_polite_words, self._nothing_close)
        # the same words get the same decision: a rich-menu tap, สวัสดีค่ะ, ขอบคุณครับ are
        # decided once per catalogue (a reload builds a new Matcher, and so a new memory; the old
        # one, a cycle through its bound methods, goes at the next full collection). It holds the
        # last 1,024 texts in this process's memory, as the request did: never written anywhere.
        self._remembered = functools.lru_cache(maxsize=REMEMBERED_DECISIONS)(self._decide)

    @classmethod
    def build(cls, *args, thresholds: Thresholds | None = None, **kwargs) -> "Matcher":
        return cls(TermIndex(*args, **kwargs), thresholds)

    def with_thresholds(self, thresholds: Thresholds) -> "Matcher":
        """Another decision over the same index (``bot tune``); the live matcher is untouched."""
        return Matcher(self.index, thresholds)

    @property
    def filler(self) -> frozenset[str]:
        return self.index.filler

    # -- steps 2-4: what the message says ---------------------------------------------------
    def findings(self, reading: Reading | str, ignore: frozenset[str] = frozenset()) -> Findings:
        ix = self.index
        if isinstance(reading, str):
            reading = Reading(AS_TYPED, reading)
        norm = reading.norm
        qc = norm.replace(" ", "")
        text = ix.prepare(norm, self.t)
        spans = ix.spans(norm, self.t, ignore, prepared=text)
        # dangers compete only with their look-alikes: neither hides a service's words
        # a danger is never guessed: its words as typed (or without tone marks), not a typo, not by sound
        urgent = [sp for sp in spans if sp.term.label.kind in (EMERGENCY, NOT_EMERGENCY)
                  and not (sp.term.label.kind == EMERGENCY and (sp.typo or sp.sounded))]
        chosen = select_longest([sp for sp in spans if sp.term.label.kind not in (EMERGENCY, NOT_EMERGENCY)])
        chosen = [sp for sp in chosen if not (sp.term.label.kind == TOPIC and ix.negated(qc, sp.start, text.gaps))]
        urgent = select_longest([sp for sp in urgent if not self._danger_explained(sp, chosen, text.gaps)])
        dangers = {lab.key: ev for lab, ev in letters_per_label(urgent).items() if lab.kind == EMERGENCY}
        # an intent's calls (แอดมิน, อยู่ไหน) say it only when nothing else is said
        content = self._content_length(norm, chosen)
        said_else = content > self.t.wrapper_max_rest or any(
            c.term.source != CALL and not (c.term.label.kind == INTENT and c.term.label.key in ix.intents.wrapper)
            for c in chosen)
        evidence = letters_per_label([sp for sp in chosen if not (said_else and sp.term.source == CALL)])
        services = {lab.key: ev for lab, ev in evidence.items() if lab.kind == SERVICE}
        services_said = set(services)  # before water and electricity are pooled into one agency
        self._pool_variants(services, text, chosen)
        # what the catalogue says is *not* a service speaks against that service only: beside
        # another one it says nothing (ขายของตลาดนัด, no supplier, asked with a section 40 question)
        topics = {lab.key: ev for lab, ev in evidence.items() if lab.kind == TOPIC
                  and (not lab.key.startswith(NOT_THIS) or not services_said or lab.key[len(NOT_THIS):] in services_said)}
        person = next((sp.term.label.key for sp in chosen if sp.term.label.kind == INTENT
                       and sp.term.label.key in ix.intents.escalate and sp.quality == 1.0
                       and (sp.term.source != CALL or all(c.term.source == CALL for c in chosen))), None)
        return Findings(norm, qc, chosen, sorted(services.items(), key=lambda kv: -kv[1]),
                        max(topics.items(), key=lambda kv: kv[1], default=(None, 0.0)),
                        {lab.key: ev for lab, ev in evidence.items() if lab.kind == INTENT},
                        person, content, text, reading.name, reading.weight,
                        max(dangers.items(), key=lambda kv: kv[1], default=(None, 0.0)), urgent)

    @staticmethod
    def _danger_explained(sp: Span, chosen: list[Span], gaps: frozenset[int]) -> bool:
        """A danger's words that are part of a longer service term typed as such (ดินสไลด์ in
        หญ้าแฝกกันดินสไลด์), or that are only there without tone marks across a space the
        villager typed (ได้บ่ บ้าน read ได้ไหม บ้าน is not ไหม้บ้าน), are not a danger."""
        if sp.term.label.kind != EMERGENCY:
            return False
        if sp.quality < 1.0 and any(sp.start < g < sp.end for g in gaps):
            return True
        # a combination's part inside a service term is explained only with the rest of it
        # (หม้อแปลง of หม้อแปลงไฟ, then ระเบิด: a transformer blew up, not a request for one)
        start, end = (min(p.start for p in sp.whole), max(p.end for p in sp.whole)) if sp.whole else (sp.start, sp.end)
        return any(c.term.label.kind == SERVICE and not (c.typo or c.sounded) and c.start <= start
                   and end <= c.end and c.end - c.start > end - start for c in chosen)

    def _content_length(self, text: str, chosen: list[Span]) -> int:
        """Letters that carry meaning: the message minus filler words and greetings/thanks."""
        ix = self.index
        covered = {i for sp in chosen if sp.term.label.kind == INTENT
                   and (sp.term.label.key in ix.intents.wrapper or sp.term.source == CALL)
                   for i in range(sp.start, sp.end)}
        filler = sum(len(tok) for tok in ix.tokenizer.tokens(text) if tok in ix.filler)
        return max(1, len(text.replace(" ", "")) - filler - len(covered))

    def _pool_variants(self, scores: dict[str, float], text: _Prepared, chosen: list[Span]) -> None:
        """Water and electricity: one need, two agencies. Provincial unless a metropolitan place
        or agency is named; both (a choice) when a metropolitan and a local place are named."""
        ix = self.index
        groups = {ix.variants[sid].group for sid in scores if sid in ix.variants}
        if not groups:
            return
        # an abbreviation heard in romanized words ("kao ban" sounds like กปน) names no agency
        named = letters_per_label([sp for sp in chosen if sp.term.label.kind == SERVICE
                                   and not (sp.sounded and is_abbreviation(sp.term.text))])
        metro_named = any(ix.occurs(text, p, self.t) for p in ix.metro_places)
        local_named = any(ix.occurs(text, p, self.t) for p in ix.local_places)
        for group in groups:
            members = sorted((sid for sid, v in ix.variants.items() if v.group == group),
                             key=lambda sid: ix.variants[sid].region != "provincial")
            total = sum(scores.get(sid, 0.0) for sid in members)
            metro_evidence = sum(named.get(Label(SERVICE, sid), 0.0) for sid in members
                                 if ix.variants[sid].region == "metro")
            if metro_evidence >= self.t.min_evidence:  # the metropolitan agency itself was named
                regions = {"metro"}
            elif metro_named:
                regions = {"metro", "provincial"} if local_named else {"metro"}
            else:
                regions = {"provincial"}
            for sid in members:
                scores.pop(sid, None)
                if ix.variants[sid].region in regions:
                    scores[sid] = total

    # -- step 5: the decision ---------------------------------------------------------------
    def decide(self, text: str, ignore: frozenset[str] = frozenset()) -> Decision:
        """``ignore``: term texts to leave out (validation asks whether an example would be
        understood without itself). The decision may be shared: read it, do not change it."""
        return self._decide(text, ignore) if ignore else self._remembered(text)

    def _decide(self, text: str, ignore: frozenset[str] = frozenset()) -> Decision:
        norm = self.index.standardise(normalize(text))
        if not any(ch.isalpha() for ch in norm) or is_sticker_name(text):  # "555", "???", "(สติกเกอร์)"
            return Decision("intent", intent=self.index.intents.empty, reason="nothing to read")
        named = after_sticker_tag(text)
        if named is not None:  # a sticker's name is small talk, unless a question follows the tag
            after = self._decide(named, ignore) if named.strip() else None
            if after is None or not after.matched and len(compact(named)) <= STICKER_NAME_LETTERS \
                    and not self.index.asks(compact(named)):
                return Decision("intent", intent=self.index.intents.empty, reason="a sticker's name")
            return after
        f = max((self.findings(reading, ignore) for reading in self.readings(text, norm)), key=self._explained)
        for rule in self.rules:
            decision = rule(f)
            if decision is not None:
                decision.reading = f.reading
                return decision
        raise AssertionError("the last rule always decides")

    def english_words_read(self, text: str) -> str | None:
        """The message with its English words said in Thai, when it has any (``bot ask`` shows it)."""
        norm = normalize(text)
        read = self.index.in_thai_words(norm)
        return read if read != norm else None

    def readings(self, text: str, norm: str) -> list[Reading]:
        """The message as typed, and as it would read had the keyboard been on Thai (only that,
        when the Latin cannot be anything else: its romanized guesses would be noise; a word that
        can only be Thai keys is read so, beside Latin words read as typed)."""
        thai = as_thai_keyboard(text)
        if thai is None:
            return [Reading(AS_TYPED, norm)]
        if only_thai_keyboard(text):  # the catalogue's Latin names in it were typed as such
            return [Reading(THAI_KEYBOARD, self.index.standardise(normalize(
                as_thai_keyboard(text, names=self.index.latin_names))))]
        as_thai = self.index.standardise(normalize(thai))
        in_part = as_thai_keyboard(text, only_thai_typed=True)
        if keys_before_numbers(in_part) == thai:  # every Latin word can only be Thai keys
            return [Reading(THAI_KEYBOARD, as_thai)]
        if in_part != text:  # ]n,isyl e-gp: a word that can only be Thai keys is read so, a Latin name as typed
            return [Reading(THAI_KEYBOARD_IN_PART, self.index.standardise(normalize(in_part))),
                    Reading(THAI_KEYBOARD, as_thai, self.t.other_reading_weight)]
        return [Reading(AS_TYPED, norm), Reading(THAI_KEYBOARD, as_thai, self.t.other_reading_weight)]

    @staticmethod
    def _explained(f: Findings) -> float:
        """How much of the message a reading explains: the better reading wins (ties: as typed)."""
        return (sum(letters_per_label(f.chosen).values()) + f.emergency[1]) * f.weight

    def _danger(self, f: Findings) -> Decision | None:
        """Someone in danger gets the hotline before anything else, day or night."""
        kind, strength = f.emergency
        if strength >= self.t.emergency_evidence:
            return Decision("emergency", emergency=kind, reason="someone may be in danger", **f.base())
        return None

    def _asks_for_a_person(self, f: Findings) -> Decision | None:
        person = f.person_asked or self._person_heard(f)  # typed as such, or heard; never made up by a typo
        if person:
            return Decision("escalate", intent=person, reason="asked for a person", **f.base())
        return None

    def _person_heard(self, f: Findings) -> str | None:
        """Asking for a person in romanized words (kho lom kap jao nathi): found by its sounds,
        not one off, and not in passing."""
        for name in self.index.intents.escalate:
            spans = [sp for sp in f.chosen if sp.term.label.kind == INTENT and sp.term.label.key == name]
            if name in f.intents and spans and all(sp.sounded and not sp.typo for sp in spans) \
                    and not self._heard_in_passing(f, name):
                return name
        return None

    def _asked_of_another_office(self, f: Findings) -> Decision | None:
        """"ขนส่งชลบุรีเบอร์อะไร", "ศาลจังหวัดเปิดกี่โมง": this office's kind of question (its
        phone, its hours) about another office, and no service asked beyond that office's name."""
        ix = self.index
        for name, offices in ix.intents.other_offices.items():
            if f.intents.get(name, 0.0) < self.t.min_evidence:
                continue
            named = [where for office in offices for where in ix.occurs(f.text, office, self.t)]
            if not named:
                continue
            # a service's term that is only the office's name (การไฟฟ้า) asks for no service
            services_asked = any(sp.term.label.kind == SERVICE and sp.term.source != "agency"
                                 and not any(a <= sp.start and sp.end <= b for a, b in named) for sp in f.chosen)
            if not services_asked:
                return Decision("escalate", intent=name, reason="asked about another office", **f.base())
        return None

    def _office_matter(self, f: Findings) -> Decision | None:
        """An escalation topic at least as strong as any service, and stronger than a question
        about the office itself (วันหยุดสงกรานต์ ศูนย์เปิดไหม asks about the office's hours)."""
        topic, strength = f.topic
        roles = self.index.intents
        asked_of_us = max((ev for name, ev in f.intents.items() if name not in roles.wrapper | roles.escalate),
                          default=0.0)
        if strength >= self.t.min_evidence and strength >= f.top[1] and strength > asked_of_us:
            return Decision("escalate", topic=topic, reason="an office matter the catalogue does not cover", **f.base())
        return None

    def _service_close(self, f: Findings) -> bool:
        return f.top[1] >= self.t.min_evidence

    def _choices(self, f: Findings) -> list[str]:
        top_ev = f.top[1]
        return [sid for sid, ev in f.services if ev >= self.t.choice_ratio * top_ev][: self.t.max_choices]

    def _doubt(self, f: Findings) -> Doubt | None:
        """A reason to think the service's words are about another need: a doubt word, or what
        the catalogue says is *not* this service (its not_this), even when the service's own
        words are stronger (ขอรถเข็น ... เดินไม่ได้)."""
        if not self._service_close(f):
            return None
        if "doubt" not in f.asked:
            other_need = Label(TOPIC, NOT_THIS + f.top[0])
            flagged = next((Doubt(f.qc[sp.start:sp.end], sp.end) for sp in f.chosen
                            if sp.term.label == other_need and not (sp.typo or sp.sounded)), None)
            f.asked["doubt"] = flagged or self.index.doubt(f.text, f.chosen, f.top[0], self.t)
        return f.asked["doubt"]

    def _told_before_the_ask(self, f: Findings, doubt: Doubt) -> bool:
        """A long message that tells a story, then asks for the service (ตาเสียไป ปั๊มก็พัง ...
        ลูกบอกให้ขอต่อน้ำประปา): a doubt word said before the service's last words is part of
        the story, not certainly the need."""
        last = max((sp.start for sp in f.chosen if sp.term.label == Label(SERVICE, f.top[0])), default=-1)
        return f.content >= self.t.story_letters and (doubt.end <= last or self.index.turns_to_now(f.qc, doubt.end))

    def _strong_doubt(self, f: Findings) -> Doubt | None:
        doubt = self._doubt(f)
        return doubt if doubt and not self._told_before_the_ask(f, doubt) else None

    def _typed_as_such(self, f: Findings) -> float:
        """Letters of the best service's evidence found as typed (not as a typo, not by the sounds
        of romanized words): a key slip that made up the service's word may have hidden the word
        that said it is another need, and romanized words we cannot read (bai kap kee *hai*) may
        say it too."""
        top, variants = f.top[0], self.index.variants
        kin = {sid for sid, v in variants.items() if top in variants and v.group == variants[top].group} | {top}
        return sum(letters_per_label([sp for sp in f.chosen if sp.term.label.kind == SERVICE
                                      and sp.term.label.key in kin and not sp.typo and not sp.sounded]).values())

    def _confident(self, f: Findings) -> bool:
        top, top_ev = f.top
        strong = top_ev >= self.t.strong_evidence or (
            top_ev >= self.t.answer_evidence and f.coverage >= self.t.answer_coverage)
        # "กรมป่าไม้จับคนตัดไม้": naming the agency is not asking for its service
        agency_only = self.index.agency_only(f.qc, f.chosen, top) and f.coverage < self.t.agency_coverage
        return strong and not agency_only and f.margin >= self.t.min_margin \
            and self._typed_as_such(f) >= self.t.answer_evidence

    def _hint(self, f: Findings) -> Doubt | None:
        """Any reason not to answer outright: a doubt (by the time a choice is offered, only one
        told in a story before the ask is left: the others sent the message to staff) or a word
        that may be about another need (หยุด, ดูแล). Enough to offer the service beside "none of
        these: ask staff"."""
        if not self._service_close(f):
            return None
        if "hint" not in f.asked:
            f.asked["hint"] = self._doubt(f) or self.index.hint(f.text, f.chosen, f.top[0], self.t)
        return f.asked["hint"]

    def _clear_answer(self, f: Findings) -> Decision | None:
        if self._service_close(f) and self._confident(f) and not self._hint(f):
            return Decision("answer", services=[f.top[0]], reason=f"clear match (margin {f.margin:.2f})",
                            also=self._asked_beside(f), **f.base())
        return None

    def _asked_beside(self, f: Findings) -> list[str]:
        """"จองคิวใบขับขี่ยังไง แล้วขอเบอร์ศูนย์ด้วย": the office's number is answered too."""
        return [name for name in self.index.intents.order if name in self.index.intents.beside
                and f.intents.get(name, 0.0) >= self.t.min_evidence and not self._heard_in_passing(f, name)]

    def _service_with_doubt(self, f: Findings) -> Decision | None:
        doubt = self._strong_doubt(f)
        if doubt:  # "มิเตอร์น้ำโดนขโมย": the service's words, but another need: staff, with the service shown
            return Decision("escalate", services=self._choices(f), reason=f"the message also says '{doubt.said}'",
                            **f.base())
        return None

    def _close_services(self, f: Findings) -> Decision | None:
        if not self._service_close(f):
            return None
        close, hint = self._choices(f), self._hint(f)
        reason = ("several services are close" if len(close) > 1 else
                  f"the message also says '{hint.said}': offered, with staff" if hint else "match too weak to be sure")
        return Decision("choose", services=close, reason=reason, **f.base())

    def _conversation(self, f: Findings) -> Decision | None:
        roles = self.index.intents
        for name in roles.order:
            if name not in f.intents or name in roles.escalate or self._heard_in_passing(f, name):
                continue
            if name in roles.wrapper and f.content > self.t.wrapper_max_rest and not (
                    name in roles.closing and f.content <= self.t.thanks_max_rest and not self.index.asks(self._rest(f))):
                return None  # a greeting around a question we did not understand: staff should see it
            if name in roles.not_after_a_story and self._share_of(f, name) < self.t.intent_coverage:
                return None  # "ข้าวเป็นเพลี้ย ตายหมดแล้ว ใครช่วยได้บ้าง": a plea about a story, for staff
            return Decision("intent", intent=name, reason="conversation", **f.base())
        return None

    def _share_of(self, f: Findings, name: str) -> float:
        """The share of the message an intent's phrasings explain: their letters as typed, against
        those and the meaningful letters (filler aside) said beside them."""
        said = len({i for sp in f.chosen if sp.term.label == Label(INTENT, name) for i in range(sp.start, sp.end)})
        return said / (said + self._content_length(self._rest(f), [])) if said else 0.0

    def _heard_in_passing(self, f: Findings, name: str) -> bool:
        """An intent found only by the sounds of a few typed words (kong as เก่ง, men as เมนู,
        kan as แค่นี้) is a guess about a long message: it says what the message is for only when
        it explains most of the rest."""
        spans = [sp for sp in f.chosen if sp.term.label.kind == INTENT and sp.term.label.key == name]
        return all(sp.sounded for sp in spans) and f.intents[name] < self.t.heard_intent_share * f.content

    @staticmethod
    def _rest(f: Findings) -> str:
        """The message without its greetings and thanks (ขอ in ขอบคุณ asks nothing)."""
        kept = bytearray(b"\x01" * len(f.qc))
        for sp in f.chosen:
            if sp.term.label.kind == INTENT:
                kept[sp.start:sp.end] = bytes(sp.end - sp.start)
        return "".join(ch if keep else " " for ch, keep in zip(f.qc, kept))

    def _only_polite_words(self, f: Findings) -> Decision | None:
        if not f.chosen and self._content_length(f.norm, []) <= 1:  # "ครับ"
            return Decision("intent", intent=self.index.intents.empty, reason="only polite words", **f.base())
        return None

    def _conversation_among_pronouns(self, f: Findings) -> Decision | None:
        """Help/contact phrasings found once pronouns and particles that no phrasing uses are
        taken out, when nothing else was found; the phrase must explain nearly all of it."""
        if f.chosen:
            return None
        ix = self.index
        plain = "".join(tok for tok in ix.tokenizer.tokens(f.norm) if tok not in ix.removable)
        found: dict[str, int] = {}
        for sp in select_longest(ix.spans(plain, self.t)):
            if sp.term.label.kind == INTENT and sp.term.label.key in ix.intents.pronoun_tolerant:
                found[sp.term.label.key] = found.get(sp.term.label.key, 0) + sp.end - sp.start
        for name, letters in sorted(found.items(), key=lambda kv: -kv[1]):
            if len(plain) - letters <= self.t.fallback_max_rest:
                return Decision("intent", intent=name, reason="conversation (pronouns and particles aside)",
                                **f.base())
        return None

    def _nothing_close(self, f: Findings) -> Decision:
        return Decision("escalate", topic=f.topic[0], reason="nothing close in the catalogue", **f.base())


_POLITE_END = re.compile(r"\s*(?:ค่ะ|คะ|ครับ|คับ|จ้า|จ้ะ|นะ)*\s*$")


@functools.lru_cache(maxsize=8)
def _rating_words(choices: tuple[tuple[int, str], ...]) -> Mapping[str, int]:
    """The offered words as typed text normalises (worked out once, not per message; read-only,
    as every caller shares it)."""
    return MappingProxyType({normalize(label): score for score, label in choices})


def typed_rating(text: str, choices: list[tuple[int, str]]) -> int | None:
    """A rating typed instead of tapped: exactly one of the offered words, or a digit 1-5 (Thai
    digits too), a polite ending allowed ("ดีมากค่ะ", "5 ครับ"). Anything else is a new message."""
    word = _POLITE_END.sub("", normalize(text)) if len(text) <= 40 else ""
    by_word = _rating_words(tuple(choices))
    if word in by_word:
        return by_word[word]
    return int(word) if word.isdigit() and 1 <= int(word) <= 5 else None

