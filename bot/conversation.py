"""What the bot does with one event: the villager's side of the conversation.

``handle`` runs inside one database transaction: it may open or join a ticket, record the
inquiry, and queue replies/pushes in the outbox. Sending happens afterwards (``bot.outbox``),
so a crash in between loses nothing and sends nothing twice.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

import intents
from bot import attachments, office, outbox, replies, staff, texts, tickets
from bot.catalogue import EMERGENCY_TOPIC, Knowledge
from bot.config import Config
from bot.db import Inquiry, Prepared, Ticket, utcnow
from bot.dispatch import Router
from bot.line import Incoming
from bot.matcher import Decision, typed_rating

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000   # what a ticket keeps of one message
RECENT_QUESTION = dt.timedelta(hours=2)
RUNNER_UPS_KEPT = 3          # services after the answered one, offered when the villager says "not this"
RATING_TYPED_WINDOW = dt.timedelta(days=2)  # a typed "5" or "ดีมาก" counts as the rating this long after asking


@dataclass
class Context:
    session: Session
    knowledge: Knowledge
    config: Config
    now: dt.datetime                 # naive UTC
    names: dict[str, str] = field(default_factory=dict)  # display names fetched before the transaction
    understood: "Answer | None" = None  # the text's answer, worked out before the transaction
    touched_tickets: list[int] = field(default_factory=list)  # tickets staff may need to hear about
    fetch_media: list[int] = field(default_factory=list)  # content to download once committed
    queued: list[outbox.Queued] = field(default_factory=list)  # created claimed: sent by us once committed
    # (ticket, the question when the ticket is new) of each escalation: the staff card is queued
    # in the same transaction (``bot.worker.StaffNotifier.queue``), into ``notices``
    escalated: list[tuple[Ticket, str | None]] = field(default_factory=list)
    notices: list = field(default_factory=list)
    settled: set[int] = field(default_factory=set)  # tickets whose staff card needs nothing more from us
    open_ticket_id: int | None = ...  # the villager's open ticket, when storing the event asked (else ...)

    # Nothing is queued for nobody (a console action's confirmation when no staff group is set).
    def reply(self, reply_token: str | None, chat_id: str, messages: list[dict], **kw) -> None:
        if reply_token or chat_id:
            self.queued += outbox.queue_reply(self.session, reply_token, chat_id, messages, **kw)

    def push(self, to: str, messages: list[dict], purpose: str, ticket_id: int | None = None) -> None:
        if to:
            self.queued += outbox.queue_push(self.session, to, messages, purpose, ticket_id)

    def name_of(self, user_id: str | None) -> str | None:
        return self.names.get(user_id or "")

    @property
    def catalogue(self):
        return self.knowledge.catalogue


@dataclass
class Answer:
    """What the bot would say to a question (shared by LINE, the try-it page and `bot ask`)."""

    decision: Decision
    messages: list[dict]
    escalate: bool
    rating: int | None = None  # the text read as a typed rating (1-5), if it can be one


def answer_text(knowledge: Knowledge, text: str) -> Answer:
    """Understand a question and build the reply, without side effects."""
    cat = knowledge.catalogue
    category = cat.category_named(text)
    if category:  # a help-menu quick reply came back
        d = Decision("intent", intent="help", reason="category chosen")
        return Answer(d, intents.handler_for("help")(intents.IntentContext(cat, category)), False)
    d = knowledge.matcher.decide(text)
    if d.kind == "emergency":  # the hotline first; staff are told too (a ticket)
        return Answer(d, replies.emergency_answer(cat.emergency_by_id[d.emergency]), True)
    if d.kind == "answer":  # and what was asked beside it (our phone number): a clerk answers both
        also = [m for name in d.also for m in intents.handler_for(name)(intents.IntentContext(cat))]
        return Answer(d, replies.service_answer(cat.by_id[d.services[0]]) + also, False)
    if d.kind == "choose":
        return Answer(d, replies.choice_carousel([cat.by_id[s] for s in d.services]), False)
    if d.kind == "intent":
        handler = intents.handler_for(d.intent) or intents.handler_for("help")
        return Answer(d, handler(intents.IntentContext(cat)), False)
    # to staff; a service the message named is shown meanwhile ("มิเตอร์น้ำโดนขโมย": the water card)
    return Answer(d, replies.service_answer(cat.by_id[d.services[0]]) if d.services else [], True)


def clean_text(text: str) -> str:
    return text.replace("\x00", "")[:MAX_QUESTION_CHARS]


def understand(knowledge: Knowledge, inc: Incoming) -> Answer | None:
    """The CPU part of handling a villager's text, done before any database lock is taken."""
    if inc.kind == "message" and inc.message_type == "text" and inc.text is not None:
        text = clean_text(inc.text)
        answer = answer_text(knowledge, text)
        answer.rating = typed_rating(text, texts.RATE_CHOICES)
        return answer
    return None


def handle(ctx: Context, inc: Incoming) -> None:
    """Route one event. Staff-group events go to ``bot.staff``; the rest are villagers."""
    if inc.standby:
        return  # LINE's standby mode: another module answers this chat
    if ctx.config.is_staff_chat(inc.chat_id):
        staff.handle(ctx, inc)
        return
    if inc.kind == "follow":
        _reply(ctx, inc, [replies.text_message(texts.WELCOME.format(office_short=ctx.catalogue.office["short_name"]),
                                               replies.default_quick())])
    elif inc.kind == "join":
        log.info("joined chat %s (set STAFF_GROUP_ID to it if this is the staff group)", inc.chat_id)
        _reply(ctx, inc, [replies.text_message(texts.GROUP_HINT)])
    elif inc.kind == "postback":
        postbacks.postback_handler(ctx, inc)(ctx, inc)
    elif inc.kind == "message" and inc.message_type == "text" and inc.text is not None:
        _text(ctx, inc)
    elif inc.kind == "message" and inc.message_type in attachments.KINDS and inc.attachment is not None:
        _attachment(ctx, inc)
    elif inc.kind == "message":
        _reply(ctx, inc, [replies.text_message(texts.NON_TEXT.get(inc.message_type or "", texts.NON_TEXT["other"]))])
    # unfollow, leave, unsend, read receipts...: nothing to say


def _event_time(inc: Incoming) -> dt.datetime:
    if inc.timestamp_ms:
        return dt.datetime.fromtimestamp(inc.timestamp_ms / 1000, dt.timezone.utc).replace(tzinfo=None)
    return utcnow()


def _reply(ctx: Context, inc: Incoming, messages: list[dict], ticket_id: int | None = None) -> None:
    ctx.reply(inc.reply_token, inc.chat_id or inc.user_id or "", messages, event_time=_event_time(inc),
              ticket_id=ticket_id)


# built once: one per villager question
_ADD_INQUIRY = Prepared(Inquiry.__table__.insert().returning(Inquiry.__table__.c.id),
                        ("user_id", "text", "outcome", "service_id", "candidates", "created_at"))


def _record(ctx: Context, inc: Incoming, text: str, answer: Answer) -> int:
    """Write down the question and what the bot decided (the learning loop's raw material); its id."""
    d = answer.decision
    outcome = "escalate" if answer.escalate and d.kind != "emergency" else d.kind
    candidates = d.services or list(d.scores)[:3]
    if d.kind == "answer":  # the answer first, then the runner-ups: offered if the villager says "not this"
        candidates = list(dict.fromkeys(d.services + list(d.scores)))[:1 + RUNNER_UPS_KEPT]
    return _ADD_INQUIRY.scalar(ctx.session.connection(), {
        "user_id": inc.user_id or "", "text": text[:MAX_QUESTION_CHARS], "outcome": outcome,
        "service_id": d.services[0] if d.kind == "answer" else None, "candidates": candidates,
        "created_at": ctx.now})


def _typed_rating(ctx: Context, inc: Incoming, text: str) -> bool:
    """A villager asked to rate who types the answer ("5", "ดีมาก") instead of tapping it."""
    score = ctx.understood.rating if ctx.understood else typed_rating(text, texts.RATE_CHOICES)
    if score is None:
        return False
    ticket = tickets.awaiting_rating(ctx.session, inc.user_id or "", ctx.now - RATING_TYPED_WINDOW)
    if ticket is None:
        return False
    _rate(ctx, inc, ticket, score)
    return True


def _rate(ctx: Context, inc: Incoming, ticket, score: int) -> None:
    if ticket.rating is not None:
        _reply(ctx, inc, [replies.text_message(texts.RATE_ALREADY.format(ticket=ticket.id))])
        return
    ticket.rating, ticket.rated_at = score, ctx.now
    _reply(ctx, inc, [replies.text_message(texts.RATE_THANKS, replies.default_quick())])


def _text(ctx: Context, inc: Incoming) -> None:
    text = clean_text(inc.text)
    answer = ctx.understood or answer_text(ctx.knowledge, text)
    in_group = inc.source_type in ("group", "room")
    if in_group:
        # Other groups: answer what we can, never open tickets from group chatter.
        if answer.decision.kind == "emergency":
            _reply(ctx, inc, answer.messages)  # danger is never group chatter: the hotline, no ticket
            return
        if answer.escalate:
            if inc.mentions_bot:
                _reply(ctx, inc, [replies.text_message(texts.GROUP_HINT)])
            return
        if answer.decision.kind == "intent" and not inc.mentions_bot:
            return  # greetings between members are not for us
        _reply(ctx, inc, answer.messages)
        return
    if _typed_rating(ctx, inc, text):
        return
    inquiry_id = _record(ctx, inc, text, answer)
    open_ticket = tickets.open_ticket_of(ctx.session, inc.user_id, ctx.open_ticket_id)
    if answer.decision.kind == "intent" and answer.decision.intent == "thanks" and open_ticket is not None \
            and any(m.author == "staff" for m in open_ticket.messages):
        tickets.add_message(ctx.session, open_ticket, "villager", text)
        tickets.close(open_ticket)
        done = texts.VILLAGER_DONE.format(ticket=open_ticket.id)
        # The reply token is at hand: the rating question costs no push.
        _reply(ctx, inc, [replies.rating_request(done, open_ticket.id) if tickets.invite_rating(open_ticket, ctx.now)
                          else replies.text_message(done)])
        return
    if answer.escalate:
        escalate(ctx, inc, text, answer.decision, meanwhile=answer.messages, open_ticket=open_ticket)
        return
    if open_ticket is not None:  # staff see the whole conversation on #N
        tickets.add_message(ctx.session, open_ticket, "villager", text)
    messages = answer.messages
    if answer.decision.kind == "answer":  # the inquiry's id goes into the card's "was this it?" buttons
        messages = replies.with_feedback(messages, inquiry_id)
    _reply(ctx, inc, messages)


def escalate(ctx: Context, inc: Incoming, text: str, decision: Decision | None = None,
             meanwhile: list[dict] | None = None, open_ticket=...) -> None:
    """Open (or join) the villager's ticket and tell them its number (then ``meanwhile``: a
    service card that may help while they wait; an emergency's hotline goes before it all).
    ``open_ticket``: the villager's open ticket or None, when the caller has looked it up.
    Staff's card is queued in this transaction too and pushed once it is committed; an
    emergency's ticket is urgent, its card pushed at once."""
    cat = ctx.catalogue
    candidates = list(decision.scores)[:3] if decision else []
    danger = cat.emergency_by_id.get(decision.emergency) if decision and decision.kind == "emergency" else None
    topic = EMERGENCY_TOPIC if danger else decision.topic if decision else None
    ticket, is_new = tickets.open_or_join(ctx.session, inc.user_id or "", text, None, topic, candidates,
                                          open_ticket)
    if danger:  # a joined ticket becomes urgent too; staff read on it what the villager was told
        ticket.topic = EMERGENCY_TOPIC
        tickets.add_message(ctx.session, ticket, "bot", texts.STAFF_EMERGENCY_NOTE.format(
            kind=danger["name"], numbers=", ".join(f"{h['number']} {h['label']}" for h in danger["hotlines"])))
    message = escalation_message(cat.office, ticket.id, ctx.now, decision, is_new)
    _reply(ctx, inc, escalation_reply(decision, message, meanwhile or []), ticket.id)
    ctx.touched_tickets.append(ticket.id)
    ctx.escalated.append((ticket, text if is_new else None))


def escalation_reply(decision: Decision | None, ticket_message: dict, meanwhile: list[dict]) -> list[dict]:
    """The ticket's number, then what may help meanwhile; for someone in danger the hotline first."""
    if decision is not None and decision.kind == "emergency":
        return [*meanwhile, ticket_message]
    return [ticket_message, *meanwhile]


def escalation_message(office_info: dict, ticket: int | str, now: dt.datetime, decision: Decision | None = None,
                       is_new: bool = True) -> dict:
    """What the villager reads when their question goes to staff (LINE and the try-it page)."""
    phone = office_info["phone"]
    if decision is not None and decision.kind == "emergency":  # day or night: never "the office opens at..."
        return replies.text_message(texts.EMERGENCY_TICKET.format(ticket=ticket))
    if not is_new:
        return replies.text_message(texts.ESCALATED_FOLLOWUP.format(ticket=ticket, phone=phone))
    template = texts.ESCALATED_HUMAN if decision and decision.intent == "human" else texts.ESCALATED
    return replies.text_message(template.format(ticket=ticket, when=office.when_staff_will_see(now, office_info),
                                                phone=phone))


def _attachment(ctx: Context, inc: Incoming) -> None:
    """A photo, voice message, video, file or location is something the villager wants staff to
    see: it joins their open ticket, or opens one (a location alone: we ask what it is about)."""
    if inc.source_type != "user":
        return  # group chatter never opens tickets
    kind = inc.message_type
    ticket, is_new = tickets.open_or_join(ctx.session, inc.user_id or "", attachments.describe(kind, inc), None)
    row = attachments.add(ctx.session, ticket, ticket.last_villager_message_id, inc)
    if row.status == "pending":
        ctx.fetch_media.append(row.id)
    what, when = texts.MEDIA_NAME[kind], office.when_staff_will_see(ctx.now, ctx.catalogue.office)
    if not is_new:
        message = texts.MEDIA_FOLLOWUP.format(what=what, ticket=ticket.id)
    elif kind == "location":
        message = texts.LOCATION_RECEIVED.format(ticket=ticket.id, when=when)
    else:
        message = texts.MEDIA_RECEIVED.format(what=what, ticket=ticket.id, when=when, phone=ctx.catalogue.office["phone"])
    _reply(ctx, inc, [replies.text_message(message)], ticket.id)
    ctx.touched_tickets.append(ticket.id)


def _last_question(ctx: Context, user_id: str) -> Inquiry | None:
    return ctx.session.scalars(select(Inquiry).where(Inquiry.user_id == user_id,
                                                     Inquiry.created_at >= ctx.now - RECENT_QUESTION)
                               .order_by(Inquiry.id.desc()).limit(1)).first()


# The villager's buttons: ``action`` -> handler (a failed ``when`` falls back to the help menu).
postbacks = Router()


def _known_service(ctx: Context, inc: Incoming) -> bool:
    return inc.postback.get("service") in ctx.catalogue.by_id


@postbacks.postback("choose", when=_known_service)
def _chose_service(ctx: Context, inc: Incoming) -> None:
    service_id = inc.postback["service"]
    last = _last_question(ctx, inc.user_id or "")
    messages = replies.service_answer(ctx.catalogue.by_id[service_id])
    if last is not None:  # the learning loop: which service the villager meant, and was it
        last.chosen_service_id = service_id
        last.helpful = last.feedback_at = None  # a new card for the same question: its own "was this it?"
        messages = replies.with_feedback(messages, last.id)
    _reply(ctx, inc, messages)


@postbacks.postback("service", when=_known_service)
def _menu_service(ctx: Context, inc: Incoming) -> None:
    """A service tapped in a category card opened from the menu: no question to learn from."""
    _reply(ctx, inc, replies.service_answer(ctx.catalogue.by_id[inc.postback["service"]]))


def _known_category(ctx: Context, inc: Incoming) -> bool:
    return any(c["id"] == inc.postback.get("category") for c in ctx.catalogue.categories)


@postbacks.postback("category", when=_known_category)
def _category(ctx: Context, inc: Incoming) -> None:
    _reply(ctx, inc, intents.handler_for("help")(intents.IntentContext(ctx.catalogue, inc.postback["category"])))


@postbacks.postback("contact")
def _contact(ctx: Context, inc: Incoming) -> None:
    _reply(ctx, inc, intents.handler_for("contact")(intents.IntentContext(ctx.catalogue)))


@postbacks.postback("howto")
def _howto(ctx: Context, inc: Incoming) -> None:
    _reply(ctx, inc, intents.handler_for("howto")(intents.IntentContext(ctx.catalogue)))


def _own_inquiry(ctx: Context, inc: Incoming) -> Inquiry | None:
    number = inc.postback.get("inquiry", "")
    inquiry = ctx.session.get(Inquiry, int(number)) if number.isdigit() else None
    return inquiry if inquiry is not None and inquiry.user_id == inc.user_id else None


@postbacks.postback("helpful", when=lambda ctx, inc: inc.postback.get("answer") in ("yes", "no")
                    and _own_inquiry(ctx, inc) is not None)
def _helpful(ctx: Context, inc: Incoming) -> None:
    """The card's "was this it?": yes is thanked; no offers the runner-ups (or the rest of the
    category) with "ask staff", and shows up in `bot unanswered` for the admin."""
    inquiry = _own_inquiry(ctx, inc)
    inquiry.helpful, inquiry.feedback_at = inc.postback["answer"] == "yes", ctx.now
    if inquiry.helpful:
        _reply(ctx, inc, [replies.text_message(texts.FEEDBACK_THANKS, replies.default_quick())])
        return
    cat = ctx.catalogue
    shown = inquiry.chosen_service_id or inquiry.service_id
    others = [cat.by_id[s] for s in (inquiry.candidates or []) if s != shown and s in cat.by_id]
    if others:
        _reply(ctx, inc, replies.choice_carousel(others, texts.FEEDBACK_NO_RUNNER_UP))
        return
    category = next((c for c in cat.categories if shown in cat.by_id and c["id"] == cat.by_id[shown].get("category")),
                    None)
    if category is None:
        _ask_staff(ctx, inc)
        return
    rest = [s for s in cat.services if s["id"] != shown]
    _reply(ctx, inc, [replies.category_card(category, rest, cat.categories, pick="choose",
                                            intro=texts.FEEDBACK_NO_CATEGORY)])


def _rating_postback(ctx: Context, inc: Incoming):
    number, score = inc.postback.get("ticket", ""), inc.postback.get("score", "")
    if not (number.isdigit() and score.isdigit() and 1 <= int(score) <= 5):
        return None
    ticket = ctx.session.get(Ticket, int(number))
    return ticket if ticket is not None and ticket.user_id == inc.user_id and ticket.rating_asked_at else None


@postbacks.postback("rate", when=lambda ctx, inc: _rating_postback(ctx, inc) is not None)
def _rate_button(ctx: Context, inc: Incoming) -> None:
    _rate(ctx, inc, _rating_postback(ctx, inc), int(inc.postback["score"]))


@postbacks.postback("ask_staff", when=lambda ctx, inc: inc.source_type == "user")
def _ask_staff(ctx: Context, inc: Incoming) -> None:
    last = _last_question(ctx, inc.user_id or "")
    question = (last.text if last and last.text else texts.ASK_STAFF_DISPLAY)
    service = inc.postback.get("service")
    escalate(ctx, inc, question, Decision("escalate", intent="human",
                                          scores={service: 1.0} if _known_service(ctx, inc) else {}))


@postbacks.postback(None)
def _help_menu(ctx: Context, inc: Incoming) -> None:
    _reply(ctx, inc, intents.handler_for("help")(intents.IntentContext(ctx.catalogue)))
