"""Understanding: from a villager's message to a decision (answer, choose, escalate, intent).

The one module that matches. How it works, in the order it happens:

1. The message is normalised and compacted (``bot.thai``): Thai is written without spaces, and
   villagers put spaces anywhere, so phrases are found in the space-free text. Known
   misspellings (the catalogue's ``spellings``) are put right first.
2. Every *term* (a service's name, keywords, examples and agency names, an escalation topic's
   keywords, a service's "not this" phrases, an intent's phrasings) that occurs in the message
   is a candidate span: exactly, or as a typo (terms of five letters or more, where no exact term
   matched; an edit or two that does not cut through words nor spell another real word). A
   combination term (``ไก่|เป็ด+ตาย|ป่วย``) matches when each of its parts occurs somewhere.
3. Longest match wins: spans are taken longest first and a span that overlaps a longer span of
   another label is dropped. So ``ภาษีบำรุงท้องที่`` (a local tax: escalate) beats ``ภาษี`` (income
   tax), and ``เสาไฟฟ้าล้ม`` beats ``ไฟฟ้า``. Negatives are modelled as competing labels, not as a
   higher global threshold.
4. Each label's evidence is the number of letters its spans cover. Services of one variant
   group (water, electricity) pool their evidence and the region picks one: provincial unless a
   metropolitan place or the metropolitan agency is named (both, as a choice, when a
   metropolitan and a local place are named).
5. The decision (``Thresholds``) answers when the best service is strong and clearly ahead of
   the runner-up, offers a choice when a few are close, and escalates otherwise (Rasa's
   FallbackClassifier: low top score *or* small margin means "not sure"). Asking for a person
   escalates; greetings and thanks answer only when nothing else was asked.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Iterable

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from bot.thai import Tokenizer, compact, is_dictionary_word, normalize

SERVICE, TOPIC, INTENT = "service", "topic", "intent"


@dataclass(frozen=True)
class Thresholds:
    """Every number the decision uses, chosen on tests/data/tuning.tsv (see README)."""

    min_evidence: float = 3.0        # letters of matched term below which nothing is "close"
    answer_evidence: float = 4.0     # the best service needs at least this much to be answered
    answer_coverage: float = 0.30    # ... and to explain this share of the message's content
    strong_evidence: float = 7.0     # a long, specific term answers whatever else was said
    min_margin: float = 0.34         # runner-up must be this much weaker (relative) to answer
    choice_ratio: float = 0.6        # services within this ratio of the best are offered
    max_choices: int = 3
    fuzzy_min_len: int = 5           # shorter terms only match exactly
    fuzzy_cutoff: float = 82.0       # rapidfuzz partial_ratio for a typo'd term
    fuzzy_quality: float = 0.8       # a fuzzy letter counts this much of an exact one
    wrapper_max_rest: int = 6        # letters besides a greeting/thanks before it is a question
    thanks_max_rest: int = 20        # ... besides thanks, if none of them asks anything ("ได้ความรู้เยอะ")
    fallback_max_rest: int = 10      # ... besides a help/contact phrasing found once pronouns are dropped
    agency_coverage: float = 0.6     # only an agency's name matched: it must be most of the message


@dataclass(frozen=True)
class Label:
    kind: str   # SERVICE, TOPIC or INTENT
    key: str    # service id, topic id, or intent name


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

    @property
    def strength(self) -> float:
        letters = self.combined or (self.end - self.start)
        return letters * self.quality * (ASCII_WEIGHT if self.term.text.isascii() else 1.0)


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


def _marks_only(term: str, typed: str) -> bool:
    """True when ``typed`` differs from ``term`` only in vowel signs / tone marks."""
    for op, i, j in Levenshtein.editops(term, typed):
        changed = {term[i]} if op == "delete" else {typed[j]} if op == "insert" else {term[i], typed[j]}
        if not changed <= _MARKS:
            return False
    return True


def _near(position: int, bounds: set[int]) -> bool:
    """On a word boundary, give or take one letter (a typo can move where newmm cuts)."""
    return position in bounds or position - 1 in bounds or position + 1 in bounds


def _shown(chosen: list[Span], qc: str) -> list[tuple[str, str, str]]:
    """The matched terms worth showing: per label, spans not inside a longer one of the same label."""
    out = []
    for sp in sorted(chosen, key=lambda s: (s.start, -(s.end - s.start))):
        inside = any(o is not sp and o.term.label == sp.term.label and o.start <= sp.start and sp.end <= o.end
                     and (o.end - o.start) > (sp.end - sp.start) for o in chosen)
        item = (qc[sp.start:sp.end], f"{sp.term.label.kind}:{sp.term.label.key}", sp.term.source)
        if not inside and item not in out:
            out.append(item)
    return out


COMBO_QUALITY = 0.9  # words found apart are a little weaker evidence than a phrase


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
    kind: str                      # "answer", "choose", "escalate", "intent"
    services: list[str] = field(default_factory=list)   # answer: one; choose: candidates
    intent: str | None = None      # intent name for kind "intent" (or "human" on escalate)
    topic: str | None = None       # escalation topic id, when one matched
    reason: str = ""
    scores: dict[str, float] = field(default_factory=dict)   # service id -> evidence
    matched: list[tuple[str, str, str]] = field(default_factory=list)  # (text, label, source)
    coverage: float = 0.0


@dataclass(frozen=True)
class VariantInfo:
    group: str
    region: str  # "metro" or "provincial"


class Matcher:
    """Built once per catalogue; ``decide`` is the per-message work (a few milliseconds)."""

    def __init__(self, services: Iterable[dict], topics: Iterable[dict], intents: dict,
                 filler: Iterable[str], metro_places: Iterable[str], question_words: Iterable[str] = (),
                 agency_aliases: dict[str, list[str]] | None = None, spellings: dict[str, list[str]] | None = None,
                 local_places: Iterable[str] = (), doubt_words: Iterable[str] = (),
                 thresholds: Thresholds | None = None):
        self.t = thresholds or Thresholds()
        self.services = {s["id"]: s for s in services}
        self.wrappers = {name for name, spec in intents.items() if spec.get("wrapper")}
        self.variants = {sid: VariantInfo(s["variant"]["group"], s["variant"]["region"])
                         for sid, s in self.services.items() if s.get("variant")}
        terms: list[Term] = []
        self.combos: list[tuple[list[list[str]], Term]] = []
        self.agency_names = {sid: {compact(a) for a in [s["agency"], *(agency_aliases or {}).get(s["agency"], [])]}
                             for sid, s in self.services.items()}
        for sid, s in self.services.items():
            lab = Label(SERVICE, sid)
            terms += [Term(compact(s["name"]), lab, "name")]
            # an agency's names point to all its services (shared on purpose: "ขนส่ง" -> 1 or 2)
            terms += [Term(a, lab, "agency") for a in self.agency_names[sid]]
            terms += [Term(_term_text(k), lab, "keyword") for k in s.get("keywords", [])]
            terms += [Term(compact(k), lab, "example") for k in s.get("examples", [])]
            terms += [Term(_term_text(k), Label(TOPIC, "not:" + sid), "not_this") for k in s.get("not_this", [])]
        for topic in topics:
            terms += [Term(_term_text(k), Label(TOPIC, topic["id"]), "keyword") for k in topic.get("keywords", [])]
        for name, spec in intents.items():
            terms += [Term(_term_text(p), Label(INTENT, name), "phrase") for p in spec.get("phrases", [])]
        self.terms_by_text: dict[str, list[Term]] = {}
        for term in terms:
            if "+" in term.text:  # "ไก่|เป็ด+ตาย|ป่วย": each part somewhere in the message
                self.combos.append(([sorted({compact(a) for a in part.split("|")} - {""}, key=len, reverse=True)
                                     for part in term.text.split("+")], term))
                continue
            if term.text and term not in self.terms_by_text.get(term.text, []):
                self.terms_by_text.setdefault(term.text, []).append(term)
        # typo candidates, shortest first: a segment is only compared with terms that fit in it
        self.fuzzy_texts = sorted((x for x in self.terms_by_text if len(x) >= self.t.fuzzy_min_len and not x.isascii()),
                                  key=len)
        self._fuzzy_lens = [len(x) for x in self.fuzzy_texts]
        self.metro_places = [compact(p) for p in metro_places if compact(p)]
        self.local_places = [compact(p) for p in local_places if compact(p)]
        # villagers' spellings -> the catalogue's, longest first ("ปกส" -> "ประกันสังคม")
        self.spellings = sorted(((compact(v), compact(c)) for c, vs in (spellings or {}).items() for v in vs
                                 if compact(v) and compact(v) != compact(c)), key=lambda vc: -len(vc[0]))
        self.filler = frozenset(compact(f) for f in filler)
        self.question_words = frozenset(compact(w) for w in question_words if compact(w))
        self.doubt_words = sorted({compact(w) for w in doubt_words if compact(w)}, key=len, reverse=True)
        phrasings = [p for spec in intents.values() for p in spec.get("phrases", [])]
        # filler no phrasing contains (ฉัน, ผม, ค่ะ): safe to drop when looking for a phrasing
        self.removable = frozenset(f for f in self.filler if not any(f in compact(p) for p in phrasings))
        self.tokenizer = Tokenizer(set(self.terms_by_text) | set(self.filler))

    # -- step 2: candidate spans -------------------------------------------------------------
    def _spans(self, norm: str, ignore: frozenset[str] = frozenset()) -> list[Span]:
        qc, gaps = norm.replace(" ", ""), _gaps(norm)
        spans: list[Span] = []
        exact_texts = set(ignore)
        for text, terms in self.terms_by_text.items():
            if text in ignore:
                continue
            i = qc.find(text)
            while i >= 0:
                if not text.isascii() or _ascii_bounded(qc, i, i + len(text), gaps):
                    exact_texts.add(text)
                    spans += [Span(i, i + len(text), term, 1.0) for term in terms]
                i = qc.find(text, i + 1)
        if len(qc) >= self.t.fuzzy_min_len:
            spans += self._fuzzy_spans(qc, spans, exact_texts)
        for parts, term in self.combos:
            found = []
            for alternatives in parts:
                hit = next(((qc.find(a), a) for a in alternatives if a and qc.find(a) >= 0), None)
                if hit is None:
                    break
                found.append(Span(hit[0], hit[0] + len(hit[1]), term, COMBO_QUALITY))
            else:
                total = sum(sp.end - sp.start for sp in found)
                for sp in found:  # the combination competes as a whole
                    sp.combined = total
                spans += found
        return spans

    def _fuzzy_spans(self, qc: str, exact: list[Span], exact_texts: set[str]) -> list[Span]:
        """Typo'd terms, looked for only where no exact term matched (plus a little context):
        most messages are mostly covered, so this stays cheap."""
        covered = bytearray(len(qc))
        for sp in exact:
            covered[sp.start:sp.end] = b"\x01" * (sp.end - sp.start)
        spans: list[Span] = []
        bounds = None
        for seg_start, seg_end in _uncovered_segments(covered, context=3, min_len=self.t.fuzzy_min_len):
            segment = qc[seg_start:seg_end]
            if bounds is None:
                bounds = self._token_bounds(qc)
            fitting = self.fuzzy_texts[:bisect.bisect_right(self._fuzzy_lens, len(segment))]
            for text, _score, _ in process.extract(segment, fitting, scorer=fuzz.partial_ratio,
                                                   score_cutoff=self.t.fuzzy_cutoff, limit=None):
                if text in exact_texts:
                    continue
                al = fuzz.partial_ratio_alignment(text, segment)
                if al is None or al.score < self.t.fuzzy_cutoff:
                    continue
                start, end = seg_start + al.dest_start, seg_start + al.dest_end
                typed = qc[start:end]
                if is_dictionary_word(typed):
                    continue  # what was typed is a real word (ลงทะเบียน), not a typo of the term
                if end - start < len(text) - max(1, len(text) // 6):
                    continue  # only part of the term was found (ภาษีที่ for ภาษีที่ดิน): not a typo
                if Levenshtein.distance(text, typed) > (1 if len(text) < 14 else 2):
                    continue  # a typo is a letter or two; more is another phrase (ที่ดินติดถนน ≠ ที่ดินติดกัน)
                if len(text) < SHORT_TERM and not _marks_only(text, typed):
                    continue  # in a short term another consonant is another word (วัวหาย ≠ วัวตาย)
                if not (_near(start, bounds) and _near(end, bounds)):
                    continue  # it cuts through words (ขตไฟฟ้า in ขยายเขตไฟฟ้า): a coincidence, not a typo
                q = self.t.fuzzy_quality * al.score / 100
                spans += [Span(start, end, term, q) for term in self.terms_by_text[text]]
        return spans

    def _agency_only(self, qc: str, chosen: list[Span], service: str) -> bool:
        names = self.agency_names.get(service, set())
        own = [qc[sp.start:sp.end] for sp in chosen if sp.term.label == Label(SERVICE, service)]
        return bool(own) and all(any(text in name for name in names) for text in own)

    def _doubt(self, qc: str, chosen: list[Span], service: str) -> str | None:
        """A word that often turns a service's subject into another need (หาย, เสีย, ยกเลิก,
        โดนปรับ...), when it is not part of what matched the service itself."""
        own = [(sp.start, sp.end) for sp in chosen if sp.term.label == Label(SERVICE, service)]
        for word in self.doubt_words:
            i = qc.find(word)
            while i >= 0:
                if not any(a <= i and i + len(word) <= b for a, b in own):
                    return word
                i = qc.find(word, i + 1)
        return None

    def _asks(self, qc: str) -> bool:
        """Does the message contain a question or request word (ไหม, ยังไง, ขอ, อยาก...)?"""
        return any(w in qc for w in self.question_words)

    def _respell(self, norm: str) -> str:
        """Replace known misspellings, unless the right spelling is already there (มิเตอ in มิเตอร์)."""
        for variant, canonical in self.spellings:
            start = norm.find(variant)
            while start >= 0:
                if norm.startswith(canonical, start):
                    start = norm.find(variant, start + len(canonical))
                    continue
                norm = norm[:start] + canonical + norm[start + len(variant):]
                start = norm.find(variant, start + len(canonical))
        return norm

    def _token_bounds(self, qc: str) -> set[int]:
        bounds, i = {0, len(qc)}, 0
        for tok in self.tokenizer.tokens(qc):
            i += len(tok)
            bounds.add(i)
        return bounds

    # -- step 3: longest match wins ----------------------------------------------------------
    @staticmethod
    def _select(spans: list[Span]) -> list[Span]:
        chosen: list[Span] = []
        for sp in sorted(spans, key=lambda s: (-s.strength, s.start)):
            clash = any(sp.start < c.end and c.start < sp.end and c.term.label != sp.term.label
                        and c.strength > sp.strength for c in chosen)
            if not clash:
                chosen.append(sp)
        return chosen

    @staticmethod
    def _evidence(spans: list[Span]) -> dict[Label, float]:
        """Letters covered per label (overlaps within a label count once, at their best quality)."""
        best: dict[Label, dict[int, float]] = {}
        for sp in spans:
            letters = best.setdefault(sp.term.label, {})
            weight = sp.quality * (ASCII_WEIGHT if sp.term.text.isascii() else 1.0)
            for i in range(sp.start, sp.end):
                letters[i] = max(letters.get(i, 0.0), weight)
        return {lab: sum(v.values()) for lab, v in best.items()}

    def _content_length(self, text: str, chosen: list[Span]) -> int:
        """Letters that carry meaning: the message minus filler words and greetings/thanks."""
        covered = {i for sp in chosen if sp.term.label.kind == INTENT and sp.term.label.key in self.wrappers
                   for i in range(sp.start, sp.end)}
        filler = sum(len(tok) for tok in self.tokenizer.tokens(text) if tok in self.filler)
        return max(1, len(text.replace(" ", "")) - filler - len(covered))

    # -- steps 4-5 ---------------------------------------------------------------------------
    def _pool_variants(self, scores: dict[str, float], qc: str) -> None:
        """Water and electricity: one need, two agencies. Provincial unless a metropolitan place
        or agency is named; both (a choice) when a metropolitan and a local place are named."""
        metro_named = any(p in qc for p in self.metro_places)
        local_named = any(p in qc for p in self.local_places)
        for group in {self.variants[sid].group for sid in scores if sid in self.variants}:
            members = sorted((sid for sid, v in self.variants.items() if v.group == group),
                             key=lambda sid: self.variants[sid].region != "provincial")
            total = sum(scores.get(sid, 0.0) for sid in members)
            metro_evidence = sum(scores.get(sid, 0.0) for sid in members if self.variants[sid].region == "metro")
            if metro_evidence >= self.t.min_evidence:  # the metropolitan agency itself was named
                regions = {"metro"}
            elif metro_named:
                regions = {"metro", "provincial"} if local_named else {"metro"}
            else:
                regions = {"provincial"}
            for sid in members:
                scores.pop(sid, None)
                if self.variants[sid].region in regions:
                    scores[sid] = total

    def decide(self, text: str, ignore: frozenset[str] = frozenset()) -> Decision:
        """``ignore``: term texts to leave out (validation asks whether an example would be
        understood without itself)."""
        norm = self._respell(normalize(text))
        qc = norm.replace(" ", "")
        if not any(ch.isalpha() for ch in qc):  # stickers typed as text, "555", "???"
            return Decision("intent", intent="empty", reason="nothing to read")
        chosen = self._select(self._spans(norm, ignore))
        evidence = self._evidence(chosen)
        matched = _shown(chosen, qc)
        intents = {lab.key: ev for lab, ev in evidence.items() if lab.kind == INTENT}
        # asking for a person counts only when typed as such, not when a typo makes it up
        human_asked = any(sp.term.label == Label(INTENT, "human") and sp.quality == 1.0 for sp in chosen)
        services = {lab.key: ev for lab, ev in evidence.items() if lab.kind == SERVICE}
        topics = {lab.key: ev for lab, ev in evidence.items() if lab.kind == TOPIC}
        self._pool_variants(services, qc)
        content = self._content_length(norm, chosen)
        ranked = sorted(services.items(), key=lambda kv: -kv[1])
        best_topic = max(topics.items(), key=lambda kv: kv[1], default=(None, 0.0))
        base = dict(scores=dict(ranked), matched=matched)

        if human_asked:
            return Decision("escalate", intent="human", reason="asked for a person", **base)
        top, top_ev = ranked[0] if ranked else (None, 0.0)
        coverage = top_ev / content
        base["coverage"] = round(coverage, 2)
        if best_topic[1] >= self.t.min_evidence and best_topic[1] >= top_ev:
            return Decision("escalate", topic=best_topic[0], reason="an office matter the catalogue does not cover", **base)
        if top_ev >= self.t.min_evidence:
            runner = ranked[1][1] if len(ranked) > 1 else max(best_topic[1], 0.0)
            margin = 1 - runner / top_ev
            confident = top_ev >= self.t.strong_evidence or (
                top_ev >= self.t.answer_evidence and coverage >= self.t.answer_coverage)
            if self._agency_only(qc, chosen, top) and coverage < self.t.agency_coverage:
                confident = False  # "กรมป่าไม้จับคนตัดไม้": naming the agency is not asking for its service
            doubt = self._doubt(qc, chosen, top)
            if confident and margin >= self.t.min_margin and not doubt:
                return Decision("answer", services=[top], reason=f"clear match (margin {margin:.2f})", **base)
            if doubt:  # "มิเตอร์ไฟฟ้าเสีย": the service's words, but maybe another need: offer, with "ask staff"
                close = [sid for sid, ev in ranked if ev >= self.t.choice_ratio * top_ev][: self.t.max_choices]
                return Decision("choose", services=close, reason=f"the message also says '{doubt}'", **base)
            close = [sid for sid, ev in ranked if ev >= self.t.choice_ratio * top_ev][: self.t.max_choices]
            return Decision("choose", services=close,
                            reason="several services are close" if len(close) > 1 else "match too weak to be sure",
                            **base)
        for name in ("contact", "help", "greeting", "thanks"):
            if name in intents:
                if name in self.wrappers and content > self.t.wrapper_max_rest and not (
                        name == "thanks" and content <= self.t.thanks_max_rest and not self._asks(qc)):
                    break  # a greeting around a question we did not understand: staff should see it
                return Decision("intent", intent=name, reason="conversation", **base)
        if not evidence:
            if self._content_length(norm, []) <= 1:
                return Decision("intent", intent="empty", reason="only polite words", **base)  # "ครับ"
            name = self._conversation_without_filler(norm)
            if name:  # "ช่วยอะไรฉันได้บ้าง": a pronoun inside the phrase
                return Decision("intent", intent=name, reason="conversation (pronouns and particles aside)", **base)
        return Decision("escalate", topic=best_topic[0], reason="nothing close in the catalogue", **base)

    def _conversation_without_filler(self, norm: str) -> str | None:
        """Help/contact phrasings found once pronouns and particles that no phrasing uses are
        taken out, when nothing else was found; the phrase must explain nearly all of it."""
        plain = "".join(t for t in self.tokenizer.tokens(norm) if t not in self.removable)
        found: dict[str, int] = {}
        for sp in self._select(self._spans(plain)):
            if sp.term.label.kind == INTENT and sp.term.label.key in ("contact", "help"):
                found[sp.term.label.key] = found.get(sp.term.label.key, 0) + sp.end - sp.start
        for name, letters in sorted(found.items(), key=lambda kv: -kv[1]):
            if len(plain) - letters <= self.t.fallback_max_rest:
                return name
        return None
