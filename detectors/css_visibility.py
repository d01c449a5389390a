"""What a visitor sees of a page's links: the CSS cascade of the page's own styles.

A link is *hidden* when a visitor can never see it without changing the page: on a
desktop browser **and** on a phone (:data:`detectors.css_media.SCREENS`). A rule that
hides a block only inside ``@media (max-width: 768px)`` (the mobile layout drops the
desktop menu) or only on the desktop (a phone-only menu) does not hide it; ``print``
styles never do.

What is read, with tinycss2 for the CSS and cssselect (compiled to libxml2 XPath) for
the selectors:

- the page's ``<style>`` blocks, in document order, their ``media`` attribute and their
  ``@media`` rules (nested at-rules combine); ``@supports``/``@container`` and other
  conditions it cannot judge are *unknown*; ``@font-face``, ``@keyframes`` … are skipped.
  Stylesheets loaded by ``<link>`` are not fetched: what they say is unknown, so they
  can hide nothing (injected links are hidden by the injected markup itself);
- inline ``style`` attributes, which beat every page rule unless the rule is
  ``!important`` (an ``!important`` inline declaration beats an ``!important`` rule);
- the ``hidden`` attribute as the browser's own rule ``[hidden]{display:none}``, so any
  page rule that sets ``display`` shows the element again; AngularJS's
  ``.ng-hide{display:none!important}`` (AngularJS injects it at run time). Cloak markers
  (``ng-cloak``, ``v-cloak`` …) hide an element only until the framework starts, so
  rules on them are ignored; ``aria-hidden`` hides from screen readers, not from the
  eye, so it hides nothing here;
- specificity and source order decide between rules, per property.

How elements hide: ``display:none`` (a descendant cannot show itself again: no
``display`` value of a child undoes an ancestor's ``none``; the same element's own
inline ``display:block`` does override a page rule), ``opacity:0``, ``visibility``
(inherited, so a child's ``visibility:visible`` does show it), off-screen positioning
(``left``/``top``/``right`` of a positioned box, negative margins, ``text-indent``, of
500px or more), a box of at most 1px with its overflow clipped, ``clip: rect(0 0 0 0)``
on an absolutely positioned box, ``font-size:0`` on a link without an image, a tiny
``<marquee>``, and being inside ``<noscript>`` or ``<template>``.

Caution, so that a guess never makes a link hidden: a selector or a condition this
module cannot evaluate may *show* an element but never hide it. State pseudo-classes
(``:hover``, ``:focus``, ``:active``, ``:focus-within``, ``:target``, ``:checked``) are
what a visitor does: their rules are matched without the state, and only their
revealing declarations count (a drop-down menu a visitor can open is not hidden).
Selectors cssselect cannot translate (unknown pseudo-classes) and pseudo-elements
(``::before``) are dropped. A block that holds most of the page's own text (``body``,
a whole-page wrapper a script reveals after loading) is never taken as a hidden block:
the page would be blank, so something shows it.

Speed: parsed sheets, inline styles and compiled selectors are cached for the process
(templates repeat them on every page). Selectors are compiled to XPath written from the
element's side (``self::a[ancestor::…]``) and an element is tested only against the
rules whose subject its tag, id or classes could match, only when something asks about
a link above which it stands; a link with nothing above it that could hide it costs no
cascade at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import tinycss2
from cssselect import HTMLTranslator, SelectorError
from cssselect import parser as css
from cssselect.xpath import ExpressionError
from lxml import etree

from detectors.css_media import (
    LENGTH_UNITS,
    SCREENS,
    Tri,
    media_attribute,
    media_matches,
    tri_and,
)

FAR_OFFSET_PX = 500.0  # a box moved this far out (or more) is off-screen
TINY_PX = 1.0  # a box this small (or smaller) with its overflow clipped shows nothing
_PAGE_SIZED_SHARE = 0.5  # a block holding this share of the page's own text is the page
_PAGE_TEXT_MIN = 200  # … when the page has at least this much text outside links

_STATE_PSEUDOS = frozenset(
    {"hover", "focus", "active", "focus-within", "focus-visible", "target", "checked"}
)
_OFFSETS = ("left", "top", "right", "margin-left", "margin-top")
_SIZES = ("width", "height", "max-width", "max-height")
_OVERFLOWS = ("overflow", "overflow-x", "overflow-y")
_ABSOLUTE = frozenset({"absolute", "fixed"})
_POSITIONED = frozenset({"absolute", "fixed", "relative", "sticky"})
_FONT_KEYWORDS = frozenset(
    {"xx-small", "x-small", "small", "medium", "large", "x-large", "xx-large", "xxx-large"}
)
# Lengths in px: the media queries' table, plus viewport units on the desktop screen.
_LENGTH_PX = {**LENGTH_UNITS, "vw": 13.66, "vh": 7.68}

UA = 0  # the browser's own rules ([hidden])
AUTHOR = 1  # the page's <style> rules (and the frameworks' injected rules)
INLINE = 2  # style="…"


@dataclass(frozen=True, slots=True)
class Decl:
    """One declaration that bears on visibility, interpreted."""

    prop: str
    value: Any  # see _interpret
    text: str  # as written, lower-case, for messages
    important: bool
    reveals: bool  # it cannot hide anything: an uncertain rule may still apply it


@dataclass(frozen=True, slots=True)
class _Selector:
    xpath: etree.XPath
    needs: tuple[str | None, str | None, frozenset[str]]  # tag, id, classes of the subject
    attributes: frozenset[str]  # attributes the subject must carry ([hidden], [data-x])
    specificity: tuple[int, int, int]
    stateful: bool  # matched without its :hover/:focus…: may only reveal
    text: str


@dataclass(frozen=True, slots=True)
class _RawRule:
    selectors: tuple[str, ...]
    decls: tuple[Decl, ...]
    applies: tuple[Tri, ...]  # per screen


@dataclass(frozen=True, slots=True)
class _Rule:
    selector: _Selector
    decls: tuple[Decl, ...]
    applies: tuple[Tri, ...]
    level: int
    order: int
    source: str  # how a person names it: 页面样式 .gg-box, hidden 属性 …


@dataclass(frozen=True, slots=True)
class Hiding:
    """Why a visitor cannot see an element: ``how`` (Chinese, for the finding) and the
    outermost hidden element, the *block* the link sits in."""

    how: str
    block: Any


# --- values ----------------------------------------------------------------------------


def _tokens(value: Sequence[Any]) -> list[Any]:
    return [t for t in value if t.type not in ("whitespace", "comment")]


def _px(token: Any) -> float | None:
    """A length in px (unitless numbers too: quirks-mode pages write ``left:-9999``)."""
    if token.type == "dimension" and token.lower_unit in _LENGTH_PX:
        return float(token.value) * _LENGTH_PX[token.lower_unit]
    if token.type == "number":
        return float(token.value)
    return None


def _far(token: Any) -> bool:
    if token.type == "percentage":
        return float(token.value) <= -100
    px = _px(token)
    return px is not None and px <= -FAR_OFFSET_PX


def _tiny(token: Any) -> bool:
    if token.type == "percentage":
        return float(token.value) == 0
    px = _px(token)
    return px is not None and 0 <= px <= TINY_PX


def _nonzero_length(token: Any) -> bool:
    if token.type == "percentage":
        return float(token.value) != 0
    px = _px(token)
    return px is None or px != 0


def _font_size(tokens: list[Any]) -> str | None:
    """``zero``, ``abs`` (a non-zero size of its own) or ``rel`` (scales the parent's)."""
    if len(tokens) != 1:
        return None
    token = tokens[0]
    if token.type == "ident":
        name = token.lower_value
        if name in _FONT_KEYWORDS:
            return "abs"
        return "rel" if name in ("smaller", "larger", "inherit", "unset") else None
    if token.type == "percentage" or (
        token.type == "dimension" and token.lower_unit in ("em", "ex", "ch")
    ):
        return "zero" if float(token.value) == 0 else "rel"
    px = _px(token)
    if px is None:
        return None
    return "zero" if px <= 0 else "abs"


def _font_shorthand(tokens: list[Any]) -> str | None:
    """The size in ``font: bold 14px/1.5 宋体`` or the ``font: 0/0 a`` replacement hack."""
    for token in tokens:
        if token.type == "literal" and token.value == "/":
            break
        if token.type in ("dimension", "percentage") or (
            token.type == "number" and float(token.value) == 0
        ):
            return _font_size([token])
        if token.type == "ident" and token.lower_value in _FONT_KEYWORDS:
            return "abs"
    return None


def _interpret(prop: str, tokens: list[Any]) -> list[tuple[str, Any, bool]]:
    """(property, value, reveals) for each visibility-bearing longhand set."""
    if not tokens:
        return []
    first = tokens[0]
    word = first.lower_value if first.type == "ident" else None
    if prop == "display":
        return [("display", "none" if word == "none" else "shown", word != "none")]
    if prop == "visibility":
        if word in ("hidden", "collapse"):
            return [("visibility", "hidden", False)]
        if word in ("visible", "initial"):
            return [("visibility", "visible", True)]
        return [("visibility", "inherit", True)] if word in ("inherit", "unset") else []
    if prop == "opacity":
        if first.type == "number":
            zero = float(first.value) <= 0.01
        elif first.type == "percentage":
            zero = float(first.value) <= 1
        else:
            return []
        return [("opacity", zero, not zero)]
    if prop in ("font-size", "font"):
        size = _font_size(tokens) if prop == "font-size" else _font_shorthand(tokens)
        return [] if size is None else [("font-size", size, size == "abs")]
    if prop == "position":
        return [] if word is None else [("position", word, word not in _POSITIONED)]
    if prop in (*_OFFSETS, "text-indent"):
        far = _far(first)
        return [(prop, far, not far)]
    if prop == "margin":
        if len(tokens) > 4:
            return []
        top = tokens[0]
        left = tokens[{1: 0, 2: 1, 3: 1, 4: 3}[len(tokens)]]
        return [(p, _far(t), not _far(t)) for p, t in (("margin-top", top), ("margin-left", left))]
    if prop in _SIZES:
        tiny = _tiny(first)
        return [(prop, tiny, not tiny)]
    if prop in _OVERFLOWS:
        clips = word in ("hidden", "clip")
        if prop != "overflow":
            return [(prop, clips, not clips)]
        return [(p, clips, not clips) for p in ("overflow-x", "overflow-y")]
    if prop in ("padding-top", "padding-bottom"):
        return [(prop, _nonzero_length(first), True)]
    if prop == "padding":
        if len(tokens) > 4:
            return []
        bottom = tokens[2] if len(tokens) >= 3 else tokens[0]
        return [
            ("padding-top", _nonzero_length(tokens[0]), True),
            ("padding-bottom", _nonzero_length(bottom), True),
        ]
    if prop == "clip":
        if first.type != "function" or first.lower_name != "rect":
            return [("clip", False, True)]
        sides = [t for t in _tokens(first.arguments) if t.type != "literal"]
        zero = len(sides) == 4 and all(
            (px := _px(t)) is not None and abs(px) <= TINY_PX for t in sides
        )
        return [("clip", zero, not zero)]
    return []


_PROPERTIES = frozenset(
    {
        "display", "visibility", "opacity", "font-size", "font", "position", "text-indent",
        "margin", "padding", "padding-top", "padding-bottom", "clip",
        *_OFFSETS, *_SIZES, *_OVERFLOWS,
    }
)  # fmt: skip


def _declarations(content: Sequence[Any]) -> tuple[Decl, ...]:
    found: list[Decl] = []
    items = tinycss2.parse_declaration_list(content, skip_comments=True, skip_whitespace=True)
    for item in items:
        if item.type != "declaration" or item.lower_name not in _PROPERTIES:
            continue
        tokens = _tokens(item.value)
        text = f"{item.lower_name}:{tinycss2.serialize(item.value).strip().lower()}"
        for prop, value, reveals in _interpret(item.lower_name, tokens):
            found.append(Decl(prop, value, text, item.important, reveals))
    return tuple(found)


@lru_cache(maxsize=4096)
def inline_declarations(style: str) -> tuple[Decl, ...]:
    """The visibility-bearing declarations of a ``style`` attribute (cached: templates
    repeat the same inline styles on every page)."""
    return _declarations(tinycss2.parse_component_value_list(style))


# --- stylesheets -----------------------------------------------------------------------


@lru_cache(maxsize=512)
def parse_sheet(text: str, media: str = "") -> tuple[_RawRule, ...]:
    """The rules of one ``<style>`` block that set a visibility-bearing property, with
    whether each applies on each screen (cached by text: a site's templates repeat them)."""
    outer: tuple[Tri, ...] = tuple(
        media_attribute(media, screen) if media.strip() else True for screen in SCREENS
    )
    rules: list[_RawRule] = []
    _collect(
        tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True), outer, rules
    )
    return tuple(rules)


def _collect(items: Iterable[Any], applies: tuple[Tri, ...], rules: list[_RawRule]) -> None:
    for item in items:
        if item.type == "qualified-rule":
            decls = _declarations(item.content)
            if decls and any(a is not False for a in applies):
                rules.append(_RawRule(_selector_texts(item.prelude), decls, applies))
        elif item.type == "at-rule" and item.content is not None:
            keyword = item.lower_at_keyword
            if keyword == "media":
                inner = tuple(
                    tri_and([a, media_matches(item.prelude, screen)])
                    for a, screen in zip(applies, SCREENS, strict=True)
                )
            elif keyword == "layer":
                inner = applies
            elif keyword in ("supports", "container", "document", "-moz-document", "scope"):
                inner = tuple(tri_and([a, None]) for a in applies)
            else:
                continue  # @font-face, @keyframes, @page …: no element rules
            children = tinycss2.parse_rule_list(
                item.content, skip_comments=True, skip_whitespace=True
            )
            _collect(children, inner, rules)


_TRANSLATOR = HTMLTranslator()


def _strip_states(tree: Any) -> tuple[Any, bool]:
    """The selector without its state pseudo-classes, and whether it had any."""
    if isinstance(tree, css.Pseudo) and tree.ident.lower() in _STATE_PSEUDOS:
        inner, _ = _strip_states(tree.selector)
        return inner, True
    if isinstance(tree, css.CombinedSelector):
        left, a = _strip_states(tree.selector)
        right, b = _strip_states(tree.subselector)
        return css.CombinedSelector(left, tree.combinator, right), a or b
    for kind, field_names in (
        (css.Pseudo, ("ident",)),
        (css.Class, ("class_name",)),
        (css.Hash, ("id",)),
    ):
        if isinstance(tree, kind):
            inner, had = _strip_states(tree.selector)
            return kind(inner, *(getattr(tree, f) for f in field_names)), had
    if isinstance(tree, css.Attrib):
        inner, had = _strip_states(tree.selector)
        rebuilt = css.Attrib(
            inner, tree.namespace, tree.attrib, tree.operator, tree.value, tree.flag
        )
        return rebuilt, had
    if isinstance(tree, (css.Negation, css.Function)) and hasattr(tree, "selector"):
        inner, had = _strip_states(tree.selector)
        if isinstance(tree, css.Negation):
            return css.Negation(inner, tree.subselector), had
        return css.Function(inner, tree.name, tree.arguments), had
    return tree, False


def _needs(tree: Any) -> tuple[str | None, str | None, frozenset[str]]:
    """What the selector's subject (its last compound) requires of an element."""
    while isinstance(tree, css.CombinedSelector):
        tree = tree.subselector
    tag = id_ = None
    classes: set[str] = set()
    while tree is not None:
        if isinstance(tree, css.Class):
            classes.add(tree.class_name)
        elif isinstance(tree, css.Hash):
            id_ = tree.id
        elif isinstance(tree, css.Element):
            if tree.element and tree.element != "*":
                tag = tree.element.lower()
            break
        tree = getattr(tree, "selector", None)
    return tag, id_, frozenset(classes)


@lru_cache(maxsize=16384)
def compile_selector(text: str) -> _Selector | None:
    """One selector compiled to XPath, or None when it cannot be evaluated (see the
    module's notes)."""
    if not text or "cloak" in text.lower():
        return None
    try:
        parsed = css.parse(text)
    except SelectorError:
        return None
    if len(parsed) != 1 or parsed[0].pseudo_element is not None:
        return None
    tree, stateful = _strip_states(parsed[0].parsed_tree)
    try:
        xpath = etree.XPath(_step(tree, "self"))
    except (ExpressionError, SelectorError, etree.XPathError, KeyError):
        return None
    specificity = parsed[0].specificity()
    return _Selector(xpath, _needs(tree), _attributes(tree), specificity, stateful, text)


def _attributes(tree: Any) -> frozenset[str]:
    """The attributes the selector's subject must carry."""
    while isinstance(tree, css.CombinedSelector):
        tree = tree.subselector
    names: set[str] = set()
    while tree is not None and not isinstance(tree, css.Element):
        if isinstance(tree, css.Attrib) and tree.namespace in (None, "*"):
            names.add(tree.attrib.lower())
        tree = getattr(tree, "selector", None)
    return frozenset(names)


_CONTEXT_AXES = {" ": "ancestor", ">": "parent", "~": "preceding-sibling"}


def _step(tree: Any, axis: str) -> str:
    """An XPath step on ``axis`` that selects the elements ``tree`` matches, written from
    the element's side (``self::a[parent::li[ancestor::*[@id='nav']]]`` for
    ``#nav li > a``), so that one element is tested without searching the document.
    cssselect translates each compound; the combinators become axes."""
    if isinstance(tree, css.CombinedSelector):
        left, combinator = tree.selector, tree.combinator
        if combinator == "+":
            context = f"preceding-sibling::*[1][{_step(left, 'self')}]"
        else:
            context = _step(left, _CONTEXT_AXES[combinator])
        return f"{_step(tree.subselector, axis)}[{context}]"
    expr = _TRANSLATOR.xpath(tree)
    step = f"{axis}::{expr.element}"
    return f"{step}[{expr.condition}]" if expr.condition else step


def _selector_texts(prelude: Sequence[Any]) -> tuple[str, ...]:
    """The selectors of a rule's prelude, split at its top-level commas."""
    parts: list[list[Any]] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return tuple(text for part in parts if (text := tinycss2.serialize(part).strip()))


_NOTHING: dict[str, tuple[Decl, str]] = {}
_UA_SHEET = "[hidden] { display: none }"
_FRAMEWORK_SHEET = ".ng-hide:not(.ng-hide-animate) { display: none !important }"


def _sources(root: Any) -> list[tuple[str, str, int, Tri]]:
    """(css, media, level, whether the sheet applies: True, or None when unknown) of the
    sheets, in cascade order."""
    sheets: list[tuple[str, str, int, Tri]] = [
        (_UA_SHEET, "", UA, True),
        (_FRAMEWORK_SHEET, "", AUTHOR, True),
    ]
    for style in root.iter("style"):
        kind = (style.get("type") or "text/css").strip().lower()
        if kind not in ("text/css", "") or any(a.tag == "template" for a in style.iterancestors()):
            continue
        text = "".join(style.itertext())
        if not text.strip():
            continue
        # A <noscript> style applies only without scripts: unknown.
        known = None if any(a.tag == "noscript" for a in style.iterancestors()) else True
        sheets.append((text, style.get("media") or "", AUTHOR, known))
    return sheets


# --- the page ----------------------------------------------------------------------------


class PageStyles:
    """The cascade of one page, computed lazily and cached per element."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self._rules: list[_Rule] | None = None
        self._by_id: dict[str, list[int]] = {}
        self._by_class: dict[str, list[int]] = {}
        self._by_tag: dict[str, list[int]] = {}
        self._universal: list[int] = []
        self._matched: dict[Any, list[int]] = {}
        self._hider: dict[Any, bool] = {}
        self._cascade: dict[tuple[Any, int], dict[str, tuple[Decl, str]]] = {}
        self._own: dict[tuple[Any, int], str | None] = {}
        self._inherited: dict[tuple[Any, int, str], tuple[bool, Any, str]] = {}
        self._page_text: int | None = None
        self._page_sized: dict[Any, bool] = {}

    # matching

    def _match(self) -> None:
        """The page's rules (those whose subject can occur in the page), indexed by what
        their subject needs: an element is tested only against rules it could match."""
        tags = {el.tag for el in self.root.iter() if isinstance(el.tag, str)}
        ids = set(self.root.xpath("//@id"))
        classes = {name for value in self.root.xpath("//@class") for name in value.split()}
        rules: list[_Rule] = []
        order = 0
        for text, media, level, known in _sources(self.root):
            for raw in parse_sheet(text, media):
                applies = raw.applies if known else tuple(tri_and([a, None]) for a in raw.applies)
                for selector_text in raw.selectors:
                    order += 1
                    selector = compile_selector(selector_text)
                    if selector is None:
                        continue
                    tag, id_, needed = selector.needs
                    if (tag and tag not in tags) or (id_ and id_ not in ids):
                        continue
                    if needed and not needed <= classes:
                        continue
                    rule_applies = (
                        tuple(tri_and([a, None]) for a in applies) if selector.stateful else applies
                    )
                    if level == UA:
                        source = "hidden 属性"
                    elif text is _FRAMEWORK_SHEET:
                        source = "ng-hide 类（AngularJS）"
                    else:
                        source = f"页面样式 {selector.text[:60]}"
                    rules.append(_Rule(selector, raw.decls, rule_applies, level, order, source))
        for index, rule in enumerate(rules):
            tag, id_, needed = rule.selector.needs
            if id_:
                self._by_id.setdefault(id_, []).append(index)
            elif needed:
                self._by_class.setdefault(min(needed), []).append(index)
            elif tag:
                self._by_tag.setdefault(tag, []).append(index)
            else:
                self._universal.append(index)
        self._rules = rules

    def _rules_of(self, el: Any) -> list[int]:
        """The indexes of the rules that match ``el``."""
        held = self._matched.get(el)
        if held is not None:
            return held
        if self._rules is None:
            self._match()
        assert self._rules is not None
        el_id = el.get("id")
        el_classes = set((el.get("class") or "").split())
        candidates = list(self._universal)
        candidates.extend(self._by_tag.get(el.tag, ()))
        if el_id is not None:
            candidates.extend(self._by_id.get(el_id, ()))
        for name in el_classes:
            candidates.extend(self._by_class.get(name, ()))
        matched = []
        for index in candidates:
            selector = self._rules[index].selector
            tag, id_, needed = selector.needs
            if (tag and tag != el.tag) or (id_ and id_ != el_id) or not needed <= el_classes:
                continue
            if any(el.get(name) is None for name in selector.attributes):
                continue
            if selector.xpath(el):
                matched.append(index)
        self._matched[el] = matched
        return matched

    def _can_hide(self, el: Any) -> bool:
        """Whether anything on ``el`` itself could hide it or its content."""
        held = self._hider.get(el)
        if held is not None:
            return held
        assert self._rules is not None
        result = el.tag in ("noscript", "template", "marquee")
        style = el.get("style")
        if not result and style:
            result = any(not decl.reveals for decl in inline_declarations(style))
        if not result:
            for index in self._rules_of(el):
                rule = self._rules[index]
                if any(a is True for a in rule.applies) and any(
                    not decl.reveals for decl in rule.decls
                ):
                    result = True
                    break
        self._hider[el] = result
        return result

    def might_hide(self, link: Any) -> bool:
        """Whether anything above ``link`` (or the link itself) can hide it: without such
        an element the link is seen and no cascade needs computing."""
        if self._rules is None:
            self._match()
        return self._can_hide(link) or any(self._can_hide(el) for el in link.iterancestors())

    def cascaded(self, el: Any, screen: int) -> dict[str, tuple[Decl, str]]:
        """The winning declaration of each visibility-bearing property on ``el`` for the
        ``screen``-th of :data:`SCREENS`, with where it comes from."""
        if self._rules is None:
            self._match()
        assert self._rules is not None
        style = el.get("style")
        matched = self._rules_of(el)
        if style is None and not matched:
            return _NOTHING  # most elements: no rule and no style of their own
        key = (el, screen)
        found = self._cascade.get(key)
        if found is not None:
            return found
        best: dict[str, tuple[tuple[Any, ...], Decl, str]] = {}

        def offer(decl: Decl, rank: tuple[Any, ...], source: str) -> None:
            held = best.get(decl.prop)
            if held is None or rank >= held[0]:
                best[decl.prop] = (rank, decl, source)

        for index in matched:
            rule = self._rules[index]
            applies = rule.applies[screen]
            if applies is False:
                continue
            for decl in rule.decls:
                if applies or decl.reveals:
                    rank = (decl.important, rule.level, rule.selector.specificity, rule.order)
                    offer(decl, rank, rule.source)
        if style:
            for decl in inline_declarations(style):
                offer(decl, (decl.important, INLINE, (0, 0, 0), 0), "行内样式")
        found = {prop: (decl, source) for prop, (_, decl, source) in best.items()}
        self._cascade[key] = found
        return found

    # what hides an element and its whole subtree

    def own_hiding(self, el: Any, screen: int) -> str | None:
        key = (el, screen)
        if key in self._own:
            return self._own[key]
        result = self._own_hiding(el, screen)
        self._own[key] = result
        return result

    def _own_hiding(self, el: Any, screen: int) -> str | None:
        tag = el.tag
        if tag == "noscript":
            return "位于 noscript 中（仅在浏览器禁用脚本时显示）"
        if tag == "template":
            return "位于 template 模板中（不显示）"
        styles = self.cascaded(el, screen)
        if not styles and tag != "marquee":
            return None

        def value(prop: str, default: Any = None) -> Any:
            held = styles.get(prop)
            return held[0].value if held else default

        display = styles.get("display")
        if display and display[0].value == "none":
            source = display[1]
            if source in ("hidden 属性", "ng-hide 类（AngularJS）"):
                return source
            return f"display:none（{source}）"
        if value("opacity") is True:
            return f"{styles['opacity'][0].text}（完全透明）"
        position = value("position", "static")
        for prop in _OFFSETS:
            if value(prop) is True and (prop.startswith("margin") or position in _POSITIONED):
                return f"{styles[prop][0].text}（移出可视区域）"
        clipped = value("overflow-x") is True or value("overflow-y") is True
        if clipped:
            padded = value("padding-top") is True or value("padding-bottom") is True
            for prop in _SIZES:
                if value(prop) is True and not (prop.endswith("height") and padded):
                    return f"{styles[prop][0].text} 且溢出隐藏（区块极小，内容被裁掉）"
        if value("clip") is True and position in _ABSOLUTE:
            return "clip 裁剪为 0（不可见）"
        if tag == "marquee":
            sizes = [el.get("height", ""), el.get("width", "")]
            tiny_attr = any(s.strip().rstrip("px").strip() in ("0", "1") for s in sizes)
            if tiny_attr or value("width") is True or value("height") is True:
                return "极小的滚动字幕（marquee）"
        return None

    # inherited properties: visibility, font-size, text-indent

    def _inherit(self, el: Any, screen: int, prop: str) -> tuple[bool, Any, str]:
        """(hides, the element that declared it, its text) for an inherited property."""
        key = (el, screen, prop)
        held = self._inherited.get(key)
        if held is not None:
            return held
        chain = []
        node = el
        result: tuple[bool, Any, str] = (False, None, "")
        while node is not None and isinstance(node.tag, str):
            cached = self._inherited.get((node, screen, prop))
            if cached is not None:
                result = cached
                break
            decl = self.cascaded(node, screen).get(prop)
            if (
                decl is not None
                and not (prop == "visibility" and decl[0].value == "inherit")
                and not (prop == "font-size" and decl[0].value == "rel")
            ):
                d = decl[0]
                hides = (
                    d.value == "hidden"
                    if prop == "visibility"
                    else (d.value == "zero" if prop == "font-size" else d.value is True)
                )
                result = (hides, node, d.text)
                chain.append(node)
                break
            chain.append(node)
            node = node.getparent()
        for visited in chain:
            self._inherited[(visited, screen, prop)] = result
        return result

    # the page's own text, to recognise a block that is the page

    def _text_outside_links(self, el: Any) -> int:
        """Characters of text in ``el`` outside links, scripts and styles (whitespace not
        counted); subtracting is much cheaper than asking each text for its ancestors."""

        inside = el.xpath(".//a//text() | .//script//text() | .//style//text()")
        total = el.xpath("string-length(translate(normalize-space(.), ' ', ''))")
        return int(total) - sum(len("".join(t.split())) for t in inside)

    def page_sized(self, el: Any) -> bool:
        if el.tag in ("html", "body"):
            return True
        held = self._page_sized.get(el)
        if held is not None:
            return held
        if self._page_text is None:
            self._page_text = self._text_outside_links(self.root)
        page = self._page_text
        wanted = page * _PAGE_SIZED_SHARE
        # All the block's text (a cheap upper bound) first: most blocks are far too small.
        result = (
            page >= _PAGE_TEXT_MIN
            and el.xpath("string-length(normalize-space(.))") >= wanted
            and self._text_outside_links(el) >= wanted
        )
        self._page_sized[el] = result
        return result

    # links

    def _link_hiding(self, link: Any, screen: int) -> Hiding | None:
        outermost: Hiding | None = None
        node = link
        while node is not None and isinstance(node.tag, str):
            how = self.own_hiding(node, screen)
            if how is not None and not self.page_sized(node):
                outermost = Hiding(how, node)
            node = node.getparent()
        if outermost is not None:
            return outermost
        for prop, label in (
            ("visibility", "{text}"),
            ("text-indent", "{text}（文字移出可视区域）"),
            ("font-size", "{text}（文字大小为 0）"),
        ):
            if prop == "font-size" and _has_image(link):
                continue
            states = [self._inherit(el, screen, prop) for el in _elements(link)]
            if states and all(hides for hides, _, _ in states):
                _, where, text = states[0]
                if where is not None and not self.page_sized(where):
                    return Hiding(label.format(text=text), where)
        return None

    def hiding(self, link: Any) -> Hiding | None:
        """Why a visitor can see ``link`` on no screen, or None if some screen shows it.
        The reason and block given are the desktop's."""
        if not self.might_hide(link):
            return None
        found = [self._link_hiding(link, screen) for screen in range(len(SCREENS))]
        if any(h is None for h in found):
            return None
        return found[0]


def _elements(link: Any) -> list[Any]:
    return [el for el in link.iter() if isinstance(el.tag, str)]


def _has_image(link: Any) -> bool:
    return any(el.tag in ("img", "svg", "picture", "input") for el in link.iter())
