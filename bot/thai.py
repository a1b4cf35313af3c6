"""Thai text clean-up and tokenisation: the one place that knows how villagers type.

Never use rapidfuzz's ``utils.default_process`` on Thai: it turns vowels and tone marks into
spaces. Everything here keeps Thai characters intact.
"""
from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache

# PyThaiNLP writes ~/pythainlp-data on import unless told not to; the bot only reads its
# bundled dictionary, so read-only mode is right everywhere (server, CLI, tests).
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

import marisa_trie  # noqa: E402
from pythainlp.corpus import thai_words  # noqa: E402
from pythainlp.tokenize import newmm  # noqa: E402
from pythainlp.util import normalize as pythainlp_normalize  # noqa: E402

MAX_CHARS = 600  # longer messages are matched on their first part only

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# Thai never doubles a vowel sign or tone mark; villagers do (ค่าาาา, ครับบบ).
_THAI_SIGN_RUN = re.compile("([\u0e30-\u0e3a\u0e40-\u0e4e])\\1+")
# Two signs in a row, or เ typed twice: what PyThaiNLP's normalize puts in order.
_MARKS_TO_ORDER = re.compile("[\u0e31\u0e33-\u0e3a\u0e47-\u0e4e][\u0e31-\u0e3a\u0e47-\u0e4e]|\u0e40\u0e40|\u0e4d\u0e32")
# ... but most such pairs are in order already (ที่, ว่า, น้ำ), and it is slow: it runs only where
# one of its rules would change something (each matched a little more broadly than it applies).
_OUT_OF_ORDER = re.compile("|".join([
    "[\u0e48-\u0e4c][\u0e31\u0e34-\u0e39\u0e47\u0e4d]",        # a tone mark before a vowel sign
    "[\u0e30\u0e32\u0e33\u0e45][\u0e48-\u0e4b]",              # ... or after a following vowel
    "\u0e4d[\u0e32\u0e48-\u0e4b]|\u0e45",                      # nikhahit + sara aa; lakkhangyao
    "[\u0e48-\u0e4b]{2}",                                      # two tone marks
    "([\u0e30-\u0e3a\u0e40-\u0e45\u0e47\u0e4c-\u0e4e]) *\\1",  # a vowel or sign repeated (เเ)
    "(?:^| )[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]",               # a mark on nothing
    "  |\n|^\\s|\\s$",                                         # spaces to tidy
]))
# the same letter four times or more, or three times at the end of a word: elongation (มากกกก,
# ครับบบ, 555); three inside a word are spelling (ในนนทบุรี)
_ANY_RUN = re.compile(r"(.)\1{3,}|(.)\2{2}(?![\u0e01-\u0e2e])")
# A dot between Thai letters or after a Thai abbreviation: ภ.ง.ด. -> ภงด, อบต. -> อบต
_ABBREV_DOT = re.compile(r"(?<=[\u0e01-\u0e4e])\.(?=[\u0e01-\u0e4e0-9]|\s|$)")
_PUNCT = re.compile(r"[^\w\u0e01-\u0e4e\s]", re.UNICODE)
_SPACES = re.compile(r"\s+")
_MAI_YAMOK = re.compile("\u0e46")  # ๆ repeats the previous word; meaning is unchanged
# Social-security sections villagers abbreviate: ม.40, ม40, ม ๔๐, มาตรา40 -> มาตรา 40.
# ม.40, ม dictated by its letter name (มอ สี่สิบ), not the end of a word (รถมอ); romanized m.40, mor 40,
# ma 40, read by sound as matra 40, but not a number of days, baht or people (ror ma 40 wan: waited 40 days)
# (glued to a verb said with it, สมัครมอสี่สิบ, it is one too)
_SSO_SECTION = re.compile(r"(?:มาตรา|(?:(?<![\u0e01-\u0e4e])|(?<=สมัคร)|(?<=จ่าย)|(?<=ส่ง)|(?<=ประกัน)|(?<=สังคม)|(?<=เข้า))มอ|ม)"
                          r"\s*(33|39|40)(?!\d)")
_COUNTED = "wan|duan|duean|deuan|pi|pee|nathi|natee|chua|baht|bat|tua|kon|khon|krang|kilo|rai"
_SSO_SECTION_ROMANIZED = re.compile(rf"(?<![a-z])(?:mattra|mor|ma|m\.?)\s*(33|39|40)(?!\d)(?!\s*(?:{_COUNTED})\b)")


# Thai letters by their names in Latin letters, as a letter is read out (พอ: por, pho): an
# abbreviation typed so (por dor = พด, kor for por = กฟภ) is read back as its letters.
_LATIN_LETTER_NAMES = {
    "ก": ("kor", "gor", "ko"), "ข": ("khor", "kor", "kho"), "ค": ("khor", "kor", "kho"), "ง": ("ngor", "ngo"),
    "จ": ("jor", "chor", "jo"), "ช": ("chor", "cho"), "ด": ("dor", "do"), "ต": ("tor", "dtor", "to"),
    "ถ": ("thor", "tor"), "ท": ("thor", "tor", "tho"), "ธ": ("thor", "tor", "tho"), "น": ("nor", "no"),
    "บ": ("bor", "bo"), "ป": ("por", "bpor", "po"), "ผ": ("phor", "por", "pho"), "พ": ("phor", "por", "pho", "po"),
    "ฟ": ("for", "fo"), "ภ": ("phor", "por", "pho", "po"), "ม": ("mor", "mo"), "ย": ("yor", "yo"),
    "ร": ("ror", "lor", "ro"), "ล": ("lor", "lo"), "ว": ("wor", "wo"), "ศ": ("sor", "so"), "ษ": ("sor", "so"),
    "ส": ("sor", "so"), "ห": ("hor", "ho"), "อ": ("or", "aor"), "ฮ": ("hor", "ho"),
}


def latin_letter_names(abbreviation: str) -> list[str]:
    """An abbreviation's letters named in Latin letters, spaced and run together (พด: por dor,
    pordor, pho do...); none when a letter has no name here."""
    names = [_LATIN_LETTER_NAMES.get(ch) for ch in abbreviation]
    if not names or None in names:
        return []
    spelled = [""]
    for options in names:
        spelled = [f"{done} {name}".strip() for done in spelled for name in options]
    return spelled + [s.replace(" ", "") for s in spelled]


# Dictated letters: a speech-to-text app writes ป.ก.ส. as "ปอ กอ สอ". Two or more letter names in
# a row are the letters (a leading ขอ is the verb "please": ขอ ปอ กอ สอ).
_LETTER_NAMES = re.compile(r"(?<![\u0e01-\u0e4e])([\u0e01-\u0e2e]\u0e2d(?:\s+[\u0e01-\u0e2e]\u0e2d)+)(?![\u0e01-\u0e4e])"
                           # three or more may follow a word the app glued the first to (ยื่นภอ งอ ดอ)
                           r"|(?<=[\u0e01-\u0e4e])([\u0e01-\u0e2e]\u0e2d(?:\s+[\u0e01-\u0e2e]\u0e2d){2,})(?![\u0e01-\u0e4e])")
# Numbers said in words (ภงด เก้าสิบเอ็ด, มาตรา สี่สิบ): tens or hundreds, so a lone หก or สาม stays a word.
_THAI_DIGIT_WORDS = {"หนึ่ง": 1, "สอง": 2, "สาม": 3, "สี่": 4, "ห้า": 5, "หก": 6, "เจ็ด": 7, "แปด": 8, "เก้า": 9}
_DIGIT_WORDS = "|".join(_THAI_DIGIT_WORDS)
_NUMBER_WORDS = re.compile(f"(?:(?:{_DIGIT_WORDS})? ?ร้อย ?)?(?:(?:{_DIGIT_WORDS}|ยี่)? ?สิบ)(?: ?(?:เอ็ด|{_DIGIT_WORDS}))?"
                           f"|(?:{_DIGIT_WORDS}) ?ร้อย(?: ?(?:เอ็ด|{_DIGIT_WORDS}))?")


def _spelled_letters(m: re.Match) -> str:
    names = (m.group(1) or m.group(2)).split()
    if names[0] == "ขอ" and len(names) == 2:
        return m.group(1)  # ขอ พอ: words, not letters
    keep = "ขอ " if names[0] == "ขอ" else ""
    letters = names[1:] if keep else names
    glued = " " if m.group(2) else ""  # apart from the word the first name was glued to
    return glued + keep + "".join(name[0] for name in letters)


# Numbers said in romanized Thai (matra see sib, por ngor dor kao sib et): tens only, as above.
_LATIN_DIGITS = {"nueng": 1, "neung": 1, "nung": 1, "song": 2, "sam": 3, "see": 4, "si": 4, "sii": 4, "ha": 5,
                 "hah": 5, "hok": 6, "jet": 7, "chet": 7, "paet": 8, "pad": 8, "pat": 8, "paed": 8, "kao": 9,
                 "gao": 9, "kow": 9, "gow": 9, "yee": 2, "yi": 2}
# after สิบ, a digit word that is also an everyday word (song ส่ง, kao เข้า, ha หา, si สิ) is that word
_LATIN_ONES = [w for w in _LATIN_DIGITS if w not in ("song", "kao", "ha", "si", "yee", "yi")]
# A digit said alone, in Thai or romanized (ยี่ is 2 only before สิบ): the number after a name the
# catalogue numbers (พด สาม, por dor nueng)
DIGIT_WORD_VALUES = {**_THAI_DIGIT_WORDS, **{w: v for w, v in _LATIN_DIGITS.items() if w not in ("yee", "yi")}}
_LATIN_NUMBER_WORDS = re.compile(r"\b(%s) ?si[bp]\b(?: ?(et|ed|aed|%s)\b)?" % ("|".join(_LATIN_DIGITS), "|".join(_LATIN_ONES)))


def _latin_number(m: re.Match) -> str:
    ones = m.group(2)
    return str(10 * _LATIN_DIGITS[m.group(1)] + (0 if not ones else 1 if ones in ("et", "ed", "aed") else
                                                _LATIN_DIGITS[ones]))


def _number(m: re.Match) -> str:
    from pythainlp.util import thaiword_to_num
    try:
        return f" {thaiword_to_num(m.group(0).replace(' ', ''))} "
    except ValueError:
        return m.group(0)


# Digits said one by one, with a zero among them (มอ สี่ ศูนย์, ศูนย์แปดหนึ่ง...): the digits. Without
# a zero, "สอง สาม" stays words (a few).
_ZERO_WORD = "ศูนย์"
_DIGIT_OR_ZERO = re.compile(f"{_DIGIT_WORDS}|{_ZERO_WORD}")
_DIGIT_BY_DIGIT = re.compile(f"(?:(?:{_DIGIT_OR_ZERO.pattern}) ?){{2,}}")


def _digits_said(m: re.Match) -> str:
    said = m.group(0)
    if _ZERO_WORD not in said:
        return said
    return " " + "".join("0" if w == _ZERO_WORD else str(_THAI_DIGIT_WORDS[w])
                         for w in _DIGIT_OR_ZERO.findall(said)) + " "


def undictate(text: str) -> str:
    """What a villager dictated, as they would have typed it."""
    text = _LETTER_NAMES.sub(_spelled_letters, text)
    text = _DIGIT_BY_DIGIT.sub(_digits_said, text)
    return _LATIN_NUMBER_WORDS.sub(_latin_number, _NUMBER_WORDS.sub(_number, text))


def normalize(text: str) -> str:
    """Canonical form of a message: what two spellings of the same words have in common."""
    text = unicodedata.normalize("NFC", text or "")[: MAX_CHARS * 2]
    text = _ZERO_WIDTH.sub("", text)
    text = text.translate(_THAI_DIGITS).lower()
    text = text.replace("\u0e4d\u0e32", "\u0e33")  # nikhahit + sara aa typed for sara am
    if _MARKS_TO_ORDER.search(text) and _OUT_OF_ORDER.search(text):
        text = pythainlp_normalize(text)  # tone mark order, doubled tone marks (slow: only when needed)
    text = _THAI_SIGN_RUN.sub(r"\1", text)
    text = _ANY_RUN.sub(lambda m: m.group(1) or m.group(2), text)
    text = _ABBREV_DOT.sub("", text)
    text = undictate(text)
    text = _MAI_YAMOK.sub(" ", text)
    text = _PUNCT.sub(" ", text)
    text = _SSO_SECTION.sub(r"มาตรา \1", text)
    text = _SSO_SECTION_ROMANIZED.sub(r"matra \1", text)
    return _SPACES.sub(" ", text).strip()[:MAX_CHARS]


def compact(text: str) -> str:
    """Normalised text without spaces: Thai writes words together, villagers split them anyhow."""
    return normalize(text).replace(" ", "")


@lru_cache(maxsize=1)
def _base_words() -> frozenset[str]:
    return frozenset(thai_words())


class CompactDictionary:
    """The dictionary newmm segments with. newmm only asks ``prefixes(text, start)``;
    marisa-trie answers that from a few MB, where PyThaiNLP's own Python trie of the same
    62,000 words takes ~60 MB in every worker."""

    def __init__(self, words: set[str]):
        self._trie = marisa_trie.Trie(words)

    def prefixes(self, text: str, start: int = 0) -> list[str]:
        return self._trie.prefixes(text[start:])

    def __contains__(self, word: str) -> bool:
        return word in self._trie

    def __bool__(self) -> bool:
        return True


@lru_cache(maxsize=4)
def _dictionary(extra: frozenset[str]) -> CompactDictionary:
    """Reloads of an unchanged vocabulary reuse the dictionary."""
    return CompactDictionary((set(_base_words()) - _phrases_of_words()) | extra)


@lru_cache(maxsize=1)
def _phrases_of_words() -> frozenset[str]:
    """Idioms the dictionary lists as one word, "X ใน Y" (หมูในเล้า, ไข่ในหิน): a villager's
    "หมูในเล้าตาย" is pigs in the sty dying, so they are cut into their words."""
    def two_words(word: str) -> bool:
        before, _, after = word.partition("ใน")
        return is_dictionary_word(before) and is_dictionary_word(after)
    return frozenset(w for w in _base_words() if "ใน" in w[2:-2] and two_words(w))


def is_dictionary_word(text: str) -> bool:
    """True when ``text`` is a word of PyThaiNLP's Thai dictionary."""
    return text in _base_words()


def is_dictionary_words(text: str) -> bool:
    """Can ``text`` be cut wholly into dictionary words of two letters or more (ไม่|เป็น,
    คดี|ยาย)? Then it is what was meant, not another word with a key slipped."""
    words, longest = _base_words(), 20
    ends = {0}
    for i in range(2, len(text) + 1):
        if any(j in ends and text[j:i] in words for j in range(max(0, i - longest), i - 1)):
            ends.add(i)
    return len(text) in ends


@lru_cache(maxsize=1)
def _all_words_text() -> str:
    return "\n".join(_base_words())


def is_inside_a_dictionary_word(text: str) -> bool:
    """True when ``text`` is some dictionary word or a part of one."""
    return text in _all_words_text()


@lru_cache(maxsize=1)
def _base_skeletons() -> marisa_trie.Trie:
    return marisa_trie.Trie({skeleton(w) for w in _base_words()})


def is_dictionary_word_without_marks(text: str) -> bool:
    """True when ``text`` is a dictionary word typed without its tone marks or with a vowel's
    length wrong (เพิม for เพิ่ม)."""
    return text in _base_words() or skeleton(text) in _base_skeletons()


TOKENS_REMEMBERED = 20_000  # pieces of text whose words a tokenizer remembers (a few MB)


class Tokenizer:
    """PyThaiNLP newmm with the catalogue's own vocabulary added to the dictionary."""

    def __init__(self, extra_words: set[str] | frozenset[str] = frozenset(), compacted: bool = False):
        """``compacted``: the words are ``compact`` already (a catalogue's terms: normalising
        100,000 of them again costs seconds)."""
        words = extra_words if compacted else (compact(x) for x in extra_words)
        self._dictionary = _dictionary(frozenset(w for w in words if w))
        # a message's words are asked for again and again (each reading, each term's boundary
        # check) and villagers' words repeat: remembered per catalogue version, a bounded number
        self._segment = lru_cache(maxsize=TOKENS_REMEMBERED)(self._segment_once)

    def tokens(self, normalised: str) -> list[str]:
        return list(self._segment(normalised))

    def _segment_once(self, normalised: str) -> tuple[str, ...]:
        return tuple(t for t in newmm.segment(normalised, custom_dict=self._dictionary) if t.strip())


# Marks villagers drop or mistype: tone marks, mai taikhu, mai han-akat, thanthakhat; and long
# vowels typed short (or the reverse). The skeleton keeps the rest.
_DROPPED_MARKS = frozenset("\u0e48\u0e49\u0e4a\u0e4b\u0e47\u0e31\u0e4c")
_VOWEL_LENGTH = {"\u0e35": "\u0e34", "\u0e37": "\u0e36", "\u0e39": "\u0e38"}


_CONSONANTS = frozenset(chr(c) for c in range(0x0E01, 0x0E2F))


def skeleton_with_positions(text: str, dropped: frozenset[str] = _DROPPED_MARKS) -> tuple[str, list[int]]:
    """A villager's ``text`` without the marks villagers drop, and where each kept letter was."""
    letters, where = [], []
    for i, ch in enumerate(text):
        if ch not in dropped:
            letters.append(_VOWEL_LENGTH.get(ch, ch))
            where.append(i)
    return "".join(letters), where


def squeezed(skeleton_text: str, where: list[int]) -> tuple[str, list[int]]:
    """A typed skeleton with a consonant typed twice once (คดดี, ใบขับบขี่). Only typed text is
    squeezed: a term's own double (งงมาก) must not become another word's ending (แพงมาก). The
    unsqueezed skeleton is kept too: two letters a dropped mark stood between stay two there
    (ไม่มี typed ไมมี)."""
    keep = [i for i, ch in enumerate(skeleton_text)
            if not (i and ch in _CONSONANTS and skeleton_text[i - 1] == ch)]
    if len(keep) == len(skeleton_text):
        return skeleton_text, where  # no double: most messages
    return "".join(skeleton_text[i] for i in keep), [where[i] for i in keep]


_SKELETON_TABLE = str.maketrans({**{m: None for m in _DROPPED_MARKS}, **_VOWEL_LENGTH})


def skeleton(text: str) -> str:
    """A term's or word's skeleton, as written (a translate: fast for whole catalogues)."""
    return text.translate(_SKELETON_TABLE)


# Letters that sound alike, the way villagers and voice typing mix them up (ศาน for ศาล, พาสี for
# ภาษี, หย้าแฝก for หญ้าแฝก): at the start of a syllable, the rarer letter of a sound becomes the
# common one; at its end, each of the four sounds a Thai syllable may end with becomes one letter.
_SAME_SOUND_START = str.maketrans("ภศษฑฒธฆณฬญฎฏฐฌ", "พสสทททคนลยดตถช")
_SAME_SOUND_END = {**dict.fromkeys("นลรญณฬ", "น"), **dict.fromkeys("ดตทธสศษจชซฎฏฐฑฒถฌ", "ด"),
                   **dict.fromkeys("กขคฆ", "ก"), **dict.fromkeys("บปพภฟ", "บ")}
_CLOSABLE_LEADING_VOWELS = frozenset("เแโ")  # ใ and ไ syllables never end in a consonant
_LEADING_CONSONANTS = frozenset("หอ")  # silent before a low consonant (ไหล่, เหลือ): the next one starts the syllable
_VOWELS_AFTER = frozenset("ัาิึุ\u0e47")  # ี ื ู folded: vowels after a syllable's first consonant
_ATTACHED_VOWELS = frozenset("ะัาำิึุ")


def _sounds_alike(letters: str) -> list[str]:
    """``letters`` (tone marks dropped, vowel lengths folded) with letters that sound alike made
    one, letter for letter ("" for a silent ร: บัตร, สมัคร). A consonant after a vowel (or after a
    leading vowel's consonant), with no vowel of its own after it, ends a syllable; every other
    one starts one. Only the letters right around are used, so a term reads the same in a message."""
    out = list(letters.translate(_SAME_SOUND_START))
    n = len(letters)
    ended = False  # the letter before ended a syllable
    for i in range(1, n):
        ch = letters[i]
        attached = i + 1 < n and letters[i + 1] in _ATTACHED_VOWELS
        if ended and ch == "ร" and not attached:
            out[i], ended = "", False
            continue
        before = letters[i - 1]
        vowel_wo = ch != "ว" and i + 2 < n and letters[i + 1] == "ว" and letters[i + 2] in _CONSONANTS  # ช่วง, ส่วน
        ended = ch in _CONSONANTS and not attached and not vowel_wo and (
            before in _VOWELS_AFTER or (before in _CONSONANTS and before not in _LEADING_CONSONANTS
                                        and i >= 2 and letters[i - 2] in _CLOSABLE_LEADING_VOWELS))
        if ended and ch in _SAME_SOUND_END:
            out[i] = _SAME_SOUND_END[ch]
    return out


def sound_alike_start(letters: str) -> str:
    """How the first of ``letters`` sounds when a term starts there: it starts a syllable."""
    return letters[:1].translate(_SAME_SOUND_START)


# Tone marks and the like go, but not mai han-akat: it tells where a syllable ends (ตีกัน's ก
# starts one; without ั, ตี้ขน's ข could end one).
_SOUND_DROPPED = _DROPPED_MARKS - {"\u0e31", "\u0e47"}  # and ็ tells a short vowel: เล็ก is no เลข
_SOUND_SKELETON_TABLE = str.maketrans({**{m: None for m in _SOUND_DROPPED}, **_VOWEL_LENGTH})


def sound_skeleton(text: str) -> str:
    """A term as it sounds: tone marks dropped, vowel lengths folded, alike letters made one."""
    return "".join(_sounds_alike(text.translate(_SOUND_SKELETON_TABLE)))


def sound_skeleton_with_positions(text: str) -> tuple[str, list[int]]:
    """``sound_skeleton`` of a villager's ``text``, and where each kept letter was typed."""
    letters, where = skeleton_with_positions(text, _SOUND_DROPPED)
    sounds = _sounds_alike(letters)
    return "".join(sounds), [at for at, sound in zip(where, sounds) if sound]


# The vowels written above and below a consonant (after the skeleton's folding): a hurried
# typist leaves them out as well as the marks (บตรสวสดการ, จองควใบขบขี).
_ABOVE_AND_BELOW = frozenset("\u0e34\u0e36\u0e38")


def bare(skeleton_text: str, where: list[int] | None = None) -> tuple[str, list[int] | None]:
    """A skeleton without its vowels above and below, and where each kept letter was typed
    (``where``: the skeleton's positions, when a message's)."""
    keep = [i for i, ch in enumerate(skeleton_text) if ch not in _ABOVE_AND_BELOW]
    return "".join(skeleton_text[i] for i in keep), None if where is None else [where[i] for i in keep]


# Latin-mode keys a Thai typist hits for Thai letters, with the digits and punctuation of the
# same keys: a run of them with at least one letter is read as Thai (l;ylfu -> สวัสดี).
_LATIN_RUN = re.compile(r"[A-Za-z0-9;:'\",.<>/?\[\]{}\\|`~!@#$%^&*()\-_=+]*[A-Za-z][A-Za-z0-9;:'\",.<>/?\[\]{}\\|`~!@#$%^&*()\-_=+]*")


def as_thai_keyboard(text: str, only_thai_typed: bool = False, names=frozenset()) -> str | None:
    """``text`` as it would read had the keyboard been on Thai (Kedmanee), or None when it has
    no Latin letters. Runs of digits alone stay digits, and so does a number after the letters.
    ``only_thai_typed``: only the words that can only be Thai keys (]n,isyl e-gp: the keyboard
    went back to English for the Latin name, or was switched in mid-message). ``names``: Latin
    names kept as typed in any case (l,y8i e-GP: the keyboard was switched for the name)."""
    if not _LATIN_RUN.search(text or ""):
        return None
    from pythainlp.util import eng_to_thai

    def as_thai(m: re.Match) -> str:
        run = m.group(0)
        if compact(run) in names:
            return run
        if only_thai_typed and not (_THAI_KEY_PUNCTUATION.search(run) or _LEADING_THAI_KEY.match(run)):
            return run
        return "".join(part if _is_a_number(part) else eng_to_thai(part) for part in _DIGIT_RUNS.split(run))
    typed = _LATIN_RUN.sub(as_thai, text)
    return typed if only_thai_typed else keys_before_numbers(typed)


# ,40 is ม40 (ม.40) typed with the keyboard on English: a Thai key on a Latin mark, starting a word,
# right before a number (not 1,400: the comma follows a digit there)
_KEY_BEFORE_A_NUMBER = re.compile(r"(?<!\S)[,;'\[\]/]+(?=\d)")


def keys_before_numbers(text: str) -> str:
    """Thai keys typed on Latin marks right before a number, as the letters they are (,40: ม40).
    Only where the message is read as Thai keys: in English, [1] and '5 stay as typed."""
    from pythainlp.util import eng_to_thai
    return _KEY_BEFORE_A_NUMBER.sub(lambda m: eng_to_thai(m.group(0)), text)


_DIGIT_RUNS = re.compile(r"(\d{2,})")
# The number row types Thai letters (4 ภ, 5 ถ, 8 ค, 9 ต, 0 จ) and vowels (6 ุ, 7 ึ), and 1 2 3
# type ๅ / - that no word uses: 86o is คุณ and g=H88fu เช็คคดี (a letter doubled where two words
# meet), but 40 in ,k9ik40py'w' is มาตรา40 (a phone's digits are digits whatever the keyboard),
# as are 33, 91 and 2567.
_KEYS_OF_NO_WORD, _VOWEL_KEYS = set("123"), set("67")


def _is_a_number(part: str) -> bool:
    """Digits typed as a number, not Thai letters on the number row: two or more, and either a
    key no Thai word uses, or two different consonant keys and no vowel key (they make no syllable)."""
    keys = set(part)
    return len(part) >= 2 and part.isdigit() and (bool(_KEYS_OF_NO_WORD & keys) or (
        len(keys) > 1 and not _VOWEL_KEYS & keys))


# Thai keys that sit on Latin punctuation (ใ , ฝ / ง ; ด [ ล ] ษ ' ...) typed inside a word:
# nobody romanizing Thai or writing English types g]bd'kodujF,' (เลิกงานกี่โมง)
# (not a dot: m.40, o.b.t., 08.30; not an English contraction's apostrophe: don't, it's)
_THAI_KEY_PUNCTUATION = re.compile(r"(?<=[A-Za-z0-9])(?:[;\[\],/\\]|'(?!(?:s|t|m|re|ll|ve|d)\b))(?=[A-Za-z0-9])")


_LEADING_THAI_KEY = re.compile(r"[;\[\],/\\][A-Za-z]")  # ]n,isyl: ล, then more letters


def only_thai_keyboard(text: str) -> bool:
    """Latin that can only be Thai typed with the keyboard on English: two or more of the
    Thai keys that sit on punctuation, inside words."""
    return len(_THAI_KEY_PUNCTUATION.findall(text or "")) >= 2


# Romanized Thai as villagers type it (bai kub kee, sawatdikan, kor chai fai fa): spellings vary
# in vowels and in how a sound is written (kh/k/g, ph/p/b, th/t/d, ch/j, r/l), so both the
# villager's Latin and the terms' romanization are reduced to the consonant sounds.
_LATIN_DIGRAPHS = (("ng", "N"), ("kh", "k"), ("ph", "p"), ("th", "t"), ("ch", "c"), ("sh", "s"), ("ck", "k"))
_DIGRAPH_SOUND = dict(_LATIN_DIGRAPHS)  # looked up for every letter of every term romanized
# A silent ร after a final consonant (บัตร, จักร): RTGS romanization would sound it.
_SILENT_RO = re.compile("(?<=[\u0e31\u0e32\u0e34-\u0e39])([\u0e01-\u0e2e])\u0e23(?![\u0e30-\u0e39\u0e47-\u0e4e])")
_LATIN_SOUND = str.maketrans({"g": "k", "q": "k", "j": "c", "z": "s", "x": "s", "d": "t", "b": "p",
                              "r": "l", "v": "w", **{v: None for v in "aeiouh"}})


_LATIN_VOWELS = frozenset("aeiou")


def _closes_vowel(latin: str, i: int) -> bool:
    """r, w or y after a vowel and before a consonant or the end: a vowel's spelling (karn,
    kiew, sai), not a consonant sound."""
    return (latin[i] in "rwy" and i > 0 and latin[i - 1] in _LATIN_VOWELS
            and (i + 1 == len(latin) or latin[i + 1] not in _LATIN_VOWELS))


# Villagers spell a final consonant by its Thai letter (นามสกุล "namsakul", สวัสดี "sawasdee");
# it is heard, and romanized, by its final sound (namsakun, sawatdi).
_FINAL_SOUND = {"l": "n", "s": "t", "c": "t"}


def _ends_syllable(latin: str, i: int, step: int) -> bool:
    after = i + step
    return i > 0 and latin[i - 1] in _LATIN_VOWELS and (after == len(latin) or latin[after] not in _LATIN_VOWELS)


# Vowels in three classes as typed (villagers write ขับ "kub", RTGS "khap"; ขี่ "kee", RTGS "khi"),
# four as said (below): compared only to rank terms whose consonant sounds are the same.
_LATIN_VOWEL_CLASS = {"a": "a", "u": "a", "e": "i", "i": "i", "o": "o"}
# Said (RTGS), u is a vowel of its own: a typed u may be a Thai a ("kub" for ขับ) or a Thai u ("pu"
# for ผู้), but a typed a is seldom a Thai u (payaban is พยาบาล, not ผู้ใหญ่บ้าน). So the Thai side
# keeps u apart, and typed text is read both ways (``typed_vowel_keys``).
_HEARD_VOWEL_CLASS = {**_LATIN_VOWEL_CLASS, "u": "u"}


@lru_cache(maxsize=65536)  # the same typed words are read for terms, doubt words and intents
def latin_sound_key(latin: str, vowels: bool = False, heard: bool = False) -> tuple[str, tuple[int, ...]]:
    """The consonant sounds of ``latin`` (lowercase letters), and where each was typed; with
    ``vowels``, the vowel classes too (for ranking, not for finding); ``heard``: u (and a typed
    oo) kept apart from a."""
    classes = _HEARD_VOWEL_CLASS if heard else _LATIN_VOWEL_CLASS
    key, where, i = [], [], 0
    while i < len(latin):
        if _closes_vowel(latin, i):
            i += 1
            continue
        pair = latin[i:i + 2]
        sound = _DIGRAPH_SOUND.get(pair)
        step = 2 if sound else 1
        if sound is None and vowels and heard and pair == "oo":
            sound, step = "u", 2  # koo: กู้
        elif sound is None and vowels and latin[i] in classes:
            sound = classes[latin[i]]
        elif sound is None:
            sound = latin[i].translate(_LATIN_SOUND) if latin[i].isalnum() else ""  # 40 in "matra 40" counts
        if sound in _FINAL_SOUND and _ends_syllable(latin, i, step):
            sound = _FINAL_SOUND[sound]  # sakul, sawas: a Thai final ล is heard n, ส is heard t
        if sound and not (key and key[-1] == sound and where[-1] >= i - 2 and not sound.isdigit()):  # kk: one sound; 33 stays
            key.append(sound)
            where.append(i)
        i += step
    return "".join(key), tuple(where)


def typed_vowel_keys(latin: str) -> tuple[str, str]:
    """Typed sounds with vowel classes, read both ways: a typed u as a Thai a, and as a Thai u."""
    return latin_sound_key(latin, vowels=True)[0], latin_sound_key(latin, vowels=True, heard=True)[0]


# Words said otherwise than spelled, which RTGS would sound letter by letter: โทร, short for
# โทรศัพท์, is "tho" (ber tho, tho ma), not "thon".
_SAID_AS = {"โทร": "โท"}
# Syllables its rules misread inside any word: ใหญ่ is "yai", not "ain" (ผู้ใหญ่บ้าน was "pen ban").
_SYLLABLES_SAID_AS = {"ใหญ่": "ไหญ"}


@lru_cache(maxsize=65536)
def _rtgs(word: str) -> str:
    """One word in PyThaiNLP's rule-based RTGS romanization. Its public ``romanize`` would first
    segment with PyThaiNLP's own dictionary, a second ~60 MB copy in every worker: the words
    come from our tokenizer instead (``_romanize`` is pinned with pythainlp in requirements)."""
    from pythainlp.transliterate.royin import _romanize
    if word.isdigit():
        return word  # มาตรา 40 is "matra 40" too
    word = _SAID_AS.get(word, word)
    for spelled, said in _SYLLABLES_SAID_AS.items():
        word = word.replace(spelled, said)
    return "".join(ch for ch in _romanize(_SILENT_RO.sub(r"\1", word)).lower() if "a" <= ch <= "z")


def thai_read_aloud(thai: str, tokenizer: "Tokenizer") -> str:
    """Thai as it sounds, in RTGS letters, word by word."""
    return "".join(_rtgs(word) for word in tokenizer.tokens(thai))


@lru_cache(maxsize=65536)
def _in_two_words(word: str) -> tuple[str, ...]:
    """A compound dictionary word as two dictionary words (นามสกุล: นาม|สกุล), or itself."""
    if len(word) >= 4:
        for cut in range(len(word) - 2, 1, -1):
            if is_dictionary_word(word[:cut]) and is_dictionary_word(word[cut:]):
                return word[:cut], word[cut:]
    return (word,)


def is_abbreviation(thai: str) -> bool:
    """Letters only, no vowel (กปน, ตรอ, อสม): said by the letters' names (kor por nor), which
    ``latin_letter_names`` spells; RTGS would read it as a word nobody says ("kapon")."""
    return 2 <= len(thai) <= 4 and all(ch in _CONSONANTS for ch in thai)


def thai_said(thai: str, tokenizer: "Tokenizer") -> set[str]:
    """A Thai term in RTGS letters: as the dictionary cuts the term and, where it differs, with its
    compound words cut in two (RTGS reads a compound as one word and may sound it wrong, นามสกุล
    "namtkun", where a villager says its parts: "nam sakun", นามสะกุน)."""
    words = tokenizer.tokens(thai)
    return {"".join(_rtgs(w) for w in words), "".join(_rtgs(p) for w in words for p in _in_two_words(w)),
            "".join(_rtgs(s) for w in words for s in _syllables(w))}


@lru_cache(maxsize=65536)
def _syllables(word: str) -> tuple[str, ...]:
    """A word cut into syllables by PyThaiNLP's syllable dictionary: RTGS reads a word without
    written vowels as one (ชดเชย "chadachoei", ขนส่ง "khanasong"); syllable by syllable it is
    said as villagers type it (chot choei, khon song). (PyThaiNLP's own syllable_tokenize would
    load its word dictionary too, ~70 MB more per worker.)"""
    if len(word) <= 2:
        return (word,)
    return tuple(s for s in newmm.segment(word, custom_dict=_syllable_dictionary()) if s.strip())


@lru_cache(maxsize=1)
def _syllable_dictionary() -> "CompactDictionary":
    from pythainlp.corpus import thai_syllables
    return CompactDictionary(set(thai_syllables()))


def thai_sound_keys(thai: str, tokenizer: "Tokenizer") -> set[tuple[str, str]]:
    """The consonant sounds of a Thai term, and its sounds with vowel classes (``thai_said``)."""
    return {said_sounds(latin)[:2] for latin in thai_said(thai, tokenizer)}


def said_sounds(latin: str) -> tuple[str, str, str]:
    """One reading of a term (``thai_said``): its consonant sounds, its sounds with vowel classes
    as said, and its ``syllable_shapes``."""
    return latin_sound_key(latin)[0], latin_sound_key(latin, vowels=True, heard=True)[0], syllable_shapes(latin)


# What vowels and consonant classes say that consonant sounds alone do not. Villagers write ป as
# p, b or bp and ต as t or d, but never write the aspirated พ ภ ผ (RTGS ph) as b, nor ท ถ ธ (th)
# as d: "ban mai" is no พันธุ์ไม้ (at a syllable's end they may: kub is ขับ, RTGS khap). And
# three vowel kinds are never typed for one another: ai (ไ ใ), only u or o (อุ อู โอ), and only
# i or e (อี เอ): "prapa mai baan" is no ประปาหมู่บ้าน. (ai for อี did not hold: many lost.)
_UNASPIRATED_TYPED = frozenset("bd")
_ASPIRATED_SAID = frozenset(("ph", "th"))
ONSET_UNASPIRATED, ONSET_ASPIRATED, VOWEL_AI, VOWEL_U_OR_O, VOWEL_I_OR_E, OTHER = "v", "h", "A", "U", "I", "."


@lru_cache(maxsize=65536)  # asked for each sound window of a romanized message
def syllable_shapes(latin: str) -> str:
    """Two marks for each consonant sound of ``latin`` (``latin_sound_key``): how it starts a
    syllable (aspirated ph/th, unaspirated b/d, or other), and the vowel after it (ai/ay, only u
    and o, only i and e, or other)."""
    _, where = latin_sound_key(latin)
    marks = []
    for n, i in enumerate(where):
        pair, starts_syllable = latin[i:i + 2], latin[i + 1:i + 2] in _LATIN_VOWELS
        if pair in _ASPIRATED_SAID and latin[i + 2:i + 3] in _LATIN_VOWELS:
            marks.append(ONSET_ASPIRATED)
        elif latin[i] in _UNASPIRATED_TYPED and starts_syllable:
            marks.append(ONSET_UNASPIRATED)
        else:
            marks.append(OTHER)
        after = i + (2 if pair in _DIGRAPH_SOUND else 1)
        vowels = "".join(ch for ch in latin[after:where[n + 1] if n + 1 < len(where) else len(latin)] if ch in "aeiouy")
        marks.append(VOWEL_AI if "ai" in vowels or "ay" in vowels else
                     VOWEL_U_OR_O if vowels and set(vowels) <= set("uo") else
                     VOWEL_I_OR_E if vowels and set(vowels) <= set("ie") else OTHER)
    return "".join(marks)


_CLASHES = frozenset(((ONSET_UNASPIRATED, ONSET_ASPIRATED), (VOWEL_AI, VOWEL_U_OR_O), (VOWEL_U_OR_O, VOWEL_AI),
                      (VOWEL_I_OR_E, VOWEL_U_OR_O), (VOWEL_U_OR_O, VOWEL_I_OR_E)))  # (typed, said)


def shapes_clash(typed: str, said: str) -> bool:
    """Typed syllables that cannot be the term's (``syllable_shapes`` of each, sound by sound)."""
    return len(typed) == len(said) and any(pair in _CLASHES for pair in zip(typed, said))


# A keyboard app's sticker or emoji typed as its name: "(สติกเกอร์)", "[Sticker]", "(หัวเราะ)".
_STICKER_NAME = re.compile(r"^\s*(?:[\(\[][^\(\)\[\]]{1,30}[\)\]]\s*)+$")


# A sticker a chat app wrote out as a tag and its name: "(sticker) Brown ชูนิ้วโป้ง".
_STICKER_TAG = re.compile(r"^\s*[\(\[](?:sticker|stickers|สติ[๊]?กเกอร์|emoji|อีโมจิ)[\)\]]\s*", re.IGNORECASE)


def after_sticker_tag(text: str) -> str | None:
    """What follows a leading sticker tag (the sticker's name, or a question typed after it), or
    None when the message does not start with one."""
    m = _STICKER_TAG.match(text or "")
    return text[m.end():] if m else None


def is_sticker_name(text: str) -> bool:
    """Only bracketed names, perhaps with emoji or punctuation around them: "(อีโมจิ) 🥰"."""
    letters_and_brackets = "".join(ch for ch in (text or "") if ch.isalpha() or ch in "()[] ")
    return bool(_STICKER_NAME.match(letters_and_brackets))
