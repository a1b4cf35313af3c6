"""Conversational intents: ``intents.json`` says how villagers phrase them (data an admin can
extend); the handlers below say what the bot answers. Handlers only *register* here; the
matcher ranks intents together with services (their roles are data in intents.json), and
``bot.conversation`` calls the winner's handler.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from bot import replies, texts

LEXICON_PATH = Path(__file__).with_name("intents.json")

Handler = Callable[["IntentContext"], list[dict]]
_HANDLERS: dict[str, Handler] = {}


def load_lexicon(path: str | Path | None = None) -> dict:
    """Phrasings per intent plus filler words; the shape the matcher takes."""
    data = json.loads(Path(path or LEXICON_PATH).read_text(encoding="utf-8"))
    return {"intents": data["intents"], "filler": data.get("filler", []),
            "question_words": data.get("question_words", []), "doubt_words": data.get("doubt_words", []),
            "not_doubt": data.get("not_doubt", []), "negations": data.get("negations", []),
            "asked_first": data.get("asked_first", []), "either_or": data.get("either_or", []),
            "trouble_hints": data.get("trouble_hints", []), "this_time": data.get("this_time", []),
            "romanized_everyday": data.get("romanized_everyday", []),
            "romanized_request_verbs": data.get("romanized_request_verbs", []),
            "dialect": data.get("dialect", {}), "english": data.get("english", {}),
            "romanized_amid_thai": {k: v for k, v in data.get("romanized_amid_thai", {}).items() if k != "_comment"}}


def intent(name: str) -> Callable[[Handler], Handler]:
    """Register a reply handler for an intent named in intents.json."""
    def register(fn: Handler) -> Handler:
        _HANDLERS[name] = fn
        return fn
    return register


def handler_for(name: str) -> Handler | None:
    return _HANDLERS.get(name)


def forget(name: str) -> None:
    """Unregister a handler (tests that register their own)."""
    _HANDLERS.pop(name, None)


class IntentContext:
    """What a handler may use: the catalogue's office, categories and services."""

    def __init__(self, catalogue, category_id: str | None = None):
        self.catalogue = catalogue
        self.office = catalogue.office
        self.category_id = category_id


@intent("greeting")
def greeting(ctx: IntentContext) -> list[dict]:
    return [replies.text_message(texts.GREETING, replies.default_quick())]


@intent("thanks")
def thanks(ctx: IntentContext) -> list[dict]:
    return [replies.text_message(texts.THANKS)]


@intent("help")
def help_menu(ctx: IntentContext) -> list[dict]:
    c = ctx.catalogue
    return [replies.category_menu(c.categories, c.services, ctx.office["short_name"], ctx.category_id)]


@intent("contact")
def contact(ctx: IntentContext) -> list[dict]:
    return [replies.contact_card(ctx.office)]


@intent("howto")
def howto(ctx: IntentContext) -> list[dict]:
    """The rich menu's "how to use" tile (no phrasing of its own: "what can you do" is help)."""
    c = ctx.catalogue
    return [replies.text_message(texts.HOWTO.format(office_short=ctx.office["short_name"], phone=ctx.office["phone"]),
                                 replies.category_quick(c.categories) + [(texts.QUICK_STAFF, texts.ASK_STAFF_DISPLAY)])]


@intent("empty")
def empty(ctx: IntentContext) -> list[dict]:
    return [replies.text_message(texts.EMPTY, replies.default_quick())]
