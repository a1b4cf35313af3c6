"""Tables of (pattern or action, handler) that one dispatcher reads (python-telegram-bot /
errbot style), for the staff group's commands and the buttons (postbacks) of both sides.

A module makes a ``Router`` and registers handlers with decorators::

    router = Router()

    @router.text(r"^#(\\d+)$")           # text routes are tried in the order registered
    def show(ctx, inc, match): ...

    @router.postback("take")            # a postback is routed by its ``action``
    def take(ctx, inc, data): ...

``dispatch_text`` returns what the first matching handler returns (``NO_MATCH`` when none
matched); ``postback_handler`` finds the handler for an ``action``, or the default one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

NO_MATCH = object()

Handler = Callable[..., Any]
Predicate = Callable[..., Any]


@dataclass(frozen=True)
class TextRoute:
    match: Predicate   # (ctx, inc, text) -> a truthy "match" handed to the handler, or None
    handler: Handler


@dataclass(frozen=True)
class PostbackRoute:
    handler: Handler
    when: Predicate | None = None   # (ctx, inc) -> bool; when it fails the default handler runs


class Router:
    def __init__(self) -> None:
        self.text_routes: list[TextRoute] = []
        self.postbacks: dict[str | None, PostbackRoute] = {}

    # -- registration ------------------------------------------------------------------------
    def text(self, pattern: str, flags: int = 0) -> Callable[[Handler], Handler]:
        """Route texts matching ``pattern`` (``re.match``) to ``handler(ctx, inc, match)``."""
        regex = re.compile(pattern, flags)
        return self.when(lambda ctx, inc, text: regex.match(text))

    def words(self, *words: str) -> Callable[[Handler], Handler]:
        """Route a text that is exactly one of ``words`` (any case)."""
        alternatives = "|".join(re.escape(w) for w in words)
        return self.text(rf"^(?:{alternatives})$", re.I)

    def when(self, predicate: Predicate) -> Callable[[Handler], Handler]:
        """Route texts for which ``predicate(ctx, inc, text)`` is truthy; its value is the match."""
        def register(handler: Handler) -> Handler:
            self.text_routes.append(TextRoute(predicate, handler))
            return handler
        return register

    def postback(self, action: str | None, when: Predicate | None = None) -> Callable[[Handler], Handler]:
        """Route postbacks whose ``action`` is this one (``None``: the default handler)."""
        def register(handler: Handler) -> Handler:
            self.postbacks[action] = PostbackRoute(handler, when)
            return handler
        return register

    # -- dispatch --------------------------------------------------------------------------------
    def dispatch_text(self, ctx, inc, text: str) -> Any:
        for route in self.text_routes:
            match = route.match(ctx, inc, text)
            if match:
                return route.handler(ctx, inc, match)
        return NO_MATCH

    def postback_handler(self, ctx, inc) -> Handler | None:
        route = self.postbacks.get(inc.postback.get("action"))
        if route is not None and (route.when is None or route.when(ctx, inc)):
            return route.handler
        default = self.postbacks.get(None)
        return default.handler if default else None
