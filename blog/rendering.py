"""Markdown to safe HTML, and the plain text taken from it for excerpts and reading time.

Advisors write Markdown, which lets raw HTML through, so everything Markdown produces passes
through nh3 with an allow-list: no scripts, styles, event handlers, frames or SVG, links only
to http(s) and mailto, and pictures only from our own media storage (the page's Content
Security Policy would refuse any other, and an outside picture would tell its host who reads).
"""

from __future__ import annotations

import html
import math
import re
from urllib.parse import unquote, urlsplit

import markdown
import nh3
from django.conf import settings

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "b",
    "i",
    "blockquote",
    "ul",
    "ol",
    "li",
    "code",
    "pre",
    "a",
    "img",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "del",
    "sup",
    "sub",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Removed with everything inside them, not just unwrapped.
DROPPED_WITH_CONTENT = {"script", "style", "svg", "math", "iframe", "object", "template", "title"}
WORDS_PER_MINUTE = 200

_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
# The page's own heading is the title: an author's top-level heading becomes a second level one.
_H1 = re.compile(r"<(/?)h1\b", re.IGNORECASE)


def _media_prefixes() -> tuple[str, ...]:
    media_url = settings.MEDIA_URL
    return (media_url,) if media_url else ()


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if _is_our_picture(value) else None
    return value


def _is_our_picture(src: str) -> bool:
    """A picture from our own media storage: under the media address, and staying there (no
    "..", encoded or not, to climb out and make every reader's browser fetch another page)."""
    if not src.startswith(_media_prefixes()):
        return False
    path = urlsplit(src).path
    decoded = unquote(unquote(path)).replace("\\", "/")
    return ".." not in decoded.split("/")


def sanitise(fragment: str) -> str:
    """Keep only the allow-listed tags and attributes of an HTML fragment."""
    return nh3.clean(
        _H1.sub(r"<\1h2", fragment),
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        set_tag_attribute_values={"img": {"loading": "lazy"}},
    )


def render_markdown(text: str) -> str:
    produced = markdown.markdown(
        text, extensions=["tables", "fenced_code", "sane_lists", "smarty"], output_format="html"
    )
    return sanitise(produced)


# nh3 writes every attribute double-quoted with any quote inside escaped (though not < or >),
# so the attributes of an <img> it kept are read one by one, never by looking for a ">".
_KEPT_IMG = re.compile(r'<img((?:\s+[\w:-]+(?:="[^"]*")?)*)\s*/?>')
_SRC = re.compile(r'\ssrc="([^"]*)"')
PROSE_SIZES = "(min-width: 990px) 620px, 100vw"


def _src(attributes: str) -> str | None:
    found = _SRC.search(attributes)
    return html.unescape(found.group(1)) if found else None


def media_pictures(fragment: str) -> list[str]:
    """The addresses of the pictures a sanitised fragment shows (only our own are kept)."""
    return [src for match in _KEPT_IMG.finditer(fragment) if (src := _src(match.group(1)))]


def responsive_pictures(fragment: str, srcsets: dict[str, str]) -> str:
    """Give each picture we hold several widths of a `srcset`, so a phone loads a small copy.

    `srcsets` maps a picture's address to its srcset. Runs after sanitising: what it adds is
    made from our own storage's addresses, never from what the writer typed.
    """

    def widen(match: re.Match) -> str:
        srcset = srcsets.get(_src(match.group(1)) or "")
        if not srcset:
            return match.group(0)
        return f'<img{match.group(1)} srcset="{html.escape(srcset)}" sizes="{PROSE_SIZES}">'

    return _KEPT_IMG.sub(widen, fragment)


def plain_text(fragment: str) -> str:
    """The words of an HTML fragment, tags gone and entities decoded, spaces collapsed."""
    text = html.unescape(nh3.clean(fragment, tags=set(), clean_content_tags={"pre"}))
    return " ".join(text.split())


def first_paragraph_text(fragment: str, *, limit: int) -> str:
    """The first paragraph with any words in it, cut at a word boundary within `limit`."""
    for match in _FIRST_PARAGRAPH.finditer(fragment):
        text = plain_text(match.group(1))
        if text:
            return shorten(text, limit=limit)
    return shorten(plain_text(fragment), limit=limit)


def shorten(text: str, *, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.-–—")
    return cut + "…"


def reading_minutes(fragment: str) -> int:
    return max(1, math.ceil(len(plain_text(fragment).split()) / WORDS_PER_MINUTE))
