"""Whether a CSS media query list applies to a visitor's screen: true, false, or unknown.

The hidden-link detector asks what a visitor sees, and visitors come on a desktop browser
or a phone. A page's ``@media`` rules (and ``<style media=…>``) are evaluated for one
screen at a time (:data:`DESKTOP`, :data:`PHONE`) with three-valued logic: a query this
module cannot evaluate (an unknown feature, a unit it does not convert, syntax it does
not read) is ``None``, and the caller decides what an unknown condition may do (the
cascade lets it reveal an element, never hide one). Media types follow the standard:
``all`` and ``screen`` match, every other type (``print``, ``handheld``, ``tv`` …) and an
unknown type does not.

The token trees come from tinycss2 (the at-rule's ``prelude``, or the parse of a
``media`` attribute), so comments, escapes and nesting are the CSS parser's business.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import tinycss2

Tri = bool | None

# CSS px per unit, with the browser default font size of 16px for em/rem/ex/ch.
LENGTH_UNITS: dict[str, float] = {
    "px": 1.0,
    "em": 16.0,
    "rem": 16.0,
    "ex": 8.0,
    "ch": 8.0,
    "pt": 96 / 72,
    "pc": 16.0,
    "in": 96.0,
    "cm": 96 / 2.54,
    "mm": 96 / 25.4,
    "q": 96 / 101.6,
}
_MATCHING_TYPES = frozenset({"all", "screen"})


@dataclass(frozen=True)
class Screen:
    """What a visitor's browser reports to media queries."""

    name: str
    width: float  # CSS px
    height: float
    pixel_ratio: float
    hover: bool
    pointer: str  # fine | coarse

    def feature(self, name: str) -> Any:
        """The value of a media feature (None when unknown)."""
        values: dict[str, Any] = {
            "width": self.width,
            "height": self.height,
            "device-width": self.width,
            "device-height": self.height,
            "aspect-ratio": self.width / self.height,
            "device-aspect-ratio": self.width / self.height,
            "resolution": self.pixel_ratio,  # in dppx
            "-webkit-device-pixel-ratio": self.pixel_ratio,
            "-moz-device-pixel-ratio": self.pixel_ratio,
            "device-pixel-ratio": self.pixel_ratio,
            "orientation": "landscape" if self.width > self.height else "portrait",
            "color": 8,
            "color-index": 0,
            "monochrome": 0,
            "grid": 0,
            "hover": "hover" if self.hover else "none",
            "any-hover": "hover" if self.hover else "none",
            "pointer": self.pointer,
            "any-pointer": self.pointer,
            "prefers-color-scheme": "light",
            "prefers-reduced-motion": "no-preference",
            "prefers-contrast": "no-preference",
            "prefers-reduced-transparency": "no-preference",
            "forced-colors": "none",
            "inverted-colors": "none",
            "scripting": "enabled",
            "update": "fast",
            "display-mode": "browser",
            "-ms-high-contrast": "none",
        }
        return values.get(name)


DESKTOP = Screen("desktop", 1366, 768, 1.0, hover=True, pointer="fine")
PHONE = Screen("phone", 375, 667, 2.0, hover=False, pointer="coarse")
SCREENS: tuple[Screen, ...] = (DESKTOP, PHONE)


def tri_and(values: Sequence[Tri]) -> Tri:
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def tri_or(values: Sequence[Tri]) -> Tri:
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def tri_not(value: Tri) -> Tri:
    return None if value is None else not value


def media_attribute(text: str, screen: Screen) -> Tri:
    """A ``media`` attribute (``<style media="print">``) for ``screen``."""
    return media_matches(tinycss2.parse_component_value_list(text), screen)


def media_matches(prelude: Sequence[Any], screen: Screen) -> Tri:
    """A media query list (an ``@media`` prelude) for ``screen``: the queries are or-ed,
    an empty list matches."""
    queries: list[list[Any]] = [[]]
    for token in prelude:
        if token.type in ("whitespace", "comment"):
            continue
        if token.type == "literal" and token.value == ",":
            queries.append([])
        else:
            queries[-1].append(token)
    if len(queries) == 1 and not queries[0]:
        return True
    # A malformed query in a list is "not all" (false); one we cannot read is unknown.
    return tri_or([_query(q, screen) for q in queries])


def _ident(token: Any, *words: str) -> bool:
    return token.type == "ident" and token.lower_value in words


def _query(tokens: list[Any], screen: Screen) -> Tri:
    if not tokens:
        return False
    negate = False
    if _ident(tokens[0], "not") and len(tokens) > 1 and tokens[1].type == "ident":
        negate, tokens = True, tokens[1:]
    elif _ident(tokens[0], "only"):
        tokens = tokens[1:]
    if not tokens:
        return False
    if tokens[0].type == "ident" and not _ident(tokens[0], "not"):
        matched_type: Tri = tokens[0].lower_value in _MATCHING_TYPES
        rest = tokens[1:]
        if rest:
            if not _ident(rest[0], "and") or len(rest) < 2:
                return False  # malformed: "not all"
            matched_type = tri_and([matched_type, _condition(rest[1:], screen)])
        return tri_not(matched_type) if negate else matched_type
    if negate:
        return False
    return _condition(tokens, screen)


def _condition(tokens: list[Any], screen: Screen) -> Tri:
    """``(a) and (b)``, ``(a) or (b)``, ``not (a)``: parenthesised terms and keywords."""
    if not tokens:
        return None
    if _ident(tokens[0], "not"):
        return tri_not(_condition(tokens[1:], screen)) if len(tokens) == 2 else None
    terms: list[Tri] = []
    joiner: str | None = None
    for index, token in enumerate(tokens):
        if index % 2 == 0:
            if token.type != "() block":
                return None
            terms.append(_in_parens(token.content, screen))
        else:
            if not _ident(token, "and", "or") or joiner not in (None, token.lower_value):
                return None  # "and" and "or" may not mix without parentheses
            joiner = token.lower_value
    if len(tokens) % 2 == 0:
        return None
    return tri_or(terms) if joiner == "or" else tri_and(terms)


def _in_parens(content: Sequence[Any], screen: Screen) -> Tri:
    tokens = [t for t in content if t.type not in ("whitespace", "comment")]
    if not tokens:
        return None
    if tokens[0].type == "() block" or _ident(tokens[0], "not"):
        return _condition(tokens, screen)
    colon = next((i for i, t in enumerate(tokens) if t.type == "literal" and t.value == ":"), -1)
    if colon == 1 and tokens[0].type == "ident":
        return _plain_feature(tokens[0].lower_value, tokens[2:], screen)
    if len(tokens) == 1 and tokens[0].type == "ident":
        return _boolean_feature(tokens[0].lower_value, screen)
    return _range(tokens, screen)


def _boolean_feature(name: str, screen: Screen) -> Tri:
    value = screen.feature(name)
    if value is None:
        return None
    return value not in (0, "none", "no-preference")


def _plain_feature(name: str, value_tokens: list[Any], screen: Screen) -> Tri:
    prefix = ""
    for candidate in ("min-", "max-", "-webkit-min-", "-webkit-max-", "min--moz-", "max--moz-"):
        if name.startswith(candidate):
            prefix, name = candidate, name[len(candidate) :]
            break
    if prefix.startswith("-webkit-"):
        name = "-webkit-" + name
    elif prefix.endswith("--moz-"):
        name = "-moz-" + name
    actual = screen.feature(name)
    if actual is None:
        return None
    if isinstance(actual, str):
        if prefix or len(value_tokens) != 1 or value_tokens[0].type != "ident":
            return None
        return value_tokens[0].lower_value == actual
    wanted = _number(name, value_tokens)
    if wanted is None:
        return None
    if prefix.startswith("min") or "-min-" in prefix:
        return actual >= wanted
    if prefix.startswith("max") or "-max-" in prefix:
        return actual <= wanted
    return abs(actual - wanted) < 1e-9


def _range(tokens: list[Any], screen: Screen) -> Tri:
    """Level 4 ranges: ``(width <= 768px)``, ``(400px < width < 800px)``."""
    parts: list[Any] = []  # operands (token lists) and operators (str), alternating
    operand: list[Any] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "literal" and token.value in ("<", ">", "="):
            op = token.value
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if (
                op != "="
                and following is not None
                and following.type == "literal"
                and following.value == "="
            ):
                op += "="
                index += 1
            parts.extend([operand, op])
            operand = []
        else:
            operand.append(token)
        index += 1
    parts.append(operand)
    if len(parts) not in (3, 5):
        return None
    names = [
        i for i in range(0, len(parts), 2) if len(parts[i]) == 1 and parts[i][0].type == "ident"
    ]
    if len(names) != 1 or (len(parts) == 5 and names[0] != 2):
        return None
    name = parts[names[0]][0].lower_value
    actual = screen.feature(name)
    if actual is None or isinstance(actual, str):
        return None
    values: list[float] = []
    for i in range(0, len(parts), 2):
        if i == names[0]:
            values.append(actual)
            continue
        number = _number(name, parts[i])
        if number is None:
            return None
        values.append(number)
    results: list[Tri] = []
    for i in range(1, len(parts), 2):
        left, right = values[i // 2], values[i // 2 + 1]
        results.append(_compare(left, parts[i], right))
    return tri_and(results)


def _compare(left: float, op: str, right: float) -> Tri:
    return {
        "<": left < right,
        "<=": left <= right,
        ">": left > right,
        ">=": left >= right,
        "=": abs(left - right) < 1e-9,
    }.get(op)


def _number(feature: str, tokens: list[Any]) -> float | None:
    """A feature's value in the unit :meth:`Screen.feature` uses (px, dppx, a ratio)."""
    tokens = [t for t in tokens if t.type not in ("whitespace", "comment")]
    if feature.endswith("aspect-ratio"):
        ratio = len(tokens) == 3 and tokens[1].type == "literal" and tokens[1].value == "/"
        if ratio and tokens[0].type == "number" and tokens[2].type == "number" and tokens[2].value:
            return float(tokens[0].value) / float(tokens[2].value)
        if len(tokens) == 1 and tokens[0].type == "number":
            return float(tokens[0].value)
        return None
    if len(tokens) != 1:
        return None
    token = tokens[0]
    if feature == "resolution":
        if token.type != "dimension":
            return None
        per_dppx = {"dppx": 1.0, "x": 1.0, "dpi": 96.0, "dpcm": 96 / 2.54}
        unit = token.lower_unit
        return float(token.value) / per_dppx[unit] if unit in per_dppx else None
    if token.type == "number":
        return float(token.value)  # ratios, colour depth, unitless 0
    if token.type == "dimension" and token.lower_unit in LENGTH_UNITS:
        return float(token.value) * LENGTH_UNITS[token.lower_unit]
    return None
