"""Lint of the stylesheets: one focus ring.

site.css promises "One visible focus ring for every control" (its focus section): one rule draws the ring
(``outline: 0.125rem solid var(--site-ring)``); other rules may move it (``outline-offset``) or choose its
colour for an area (``--site-ring``), never draw a ring of their own, which would drift from the contrast the
focus section measures. A plain scan of the CSS sources (JavaScript is linted by ESLint: ``make lint``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STYLESHEETS = ROOT / "docs" / "assets" / "stylesheets"
THE_RING = ("site.css", "outline", "0.125rem solid var(--site-ring)")
# What draws a ring: any outline but its offset; a box-shadow only under a focus selector (cards use shadows).
OUTLINE_PROPS = frozenset({"outline", "outline-color", "outline-style", "outline-width"})
FOCUS_RE = re.compile(r":focus|\.focus-visible")
COMMENT_RE = re.compile(r"/\*.*?\*/", re.S)


@dataclass
class Declaration:
    line: int
    selector: str
    prop: str
    value: str


def declarations(css: str) -> list[Declaration]:
    """Every declaration of a stylesheet with its line and the selector of its rule (at-rules' own blocks,
    such as @media, are walked into; their preludes are not selectors)."""
    # Comments become blanks of the same shape, so that offsets still give the right line.
    text = COMMENT_RE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), css)
    out: list[Declaration] = []
    stack: list[str] = []
    start = 0  # where the current selector or declaration begins
    for i, char in enumerate(text):
        if char == "{":
            stack.append(" ".join(text[start:i].split()))
            start = i + 1
        elif char in ";}":
            chunk = text[start:i]
            if stack and ":" in chunk and not stack[-1].startswith("@"):
                prop, _, value = chunk.partition(":")
                offset = start + len(chunk) - len(chunk.lstrip())
                line = text.count("\n", 0, offset) + 1
                out.append(Declaration(line, stack[-1], prop.strip().lower(), " ".join(value.split())))
            if char == "}" and stack:
                stack.pop()
            start = i + 1
    return out


def second_rings(name: str, css: str) -> list[str]:
    """file:line messages for every declaration that draws a focus ring other than the one rule."""
    problems = []
    for d in declarations(css):
        draws = d.prop in OUTLINE_PROPS or (d.prop == "box-shadow" and FOCUS_RE.search(d.selector))
        if not draws or (name, d.prop, d.value) == THE_RING:
            continue
        problems.append(
            f"docs/assets/stylesheets/{name}:{d.line}: a second focus ring style ({d.prop}: {d.value}) in "
            f"`{d.selector}`: leave the ring to the one rule of site.css (its focus section); set --site-ring "
            "for its colour in an area, outline-offset for where it sits"
        )
    return problems


def test_one_focus_ring_style() -> None:
    sheets = sorted(STYLESHEETS.glob("*.css"))
    assert sheets, f"no stylesheets in {STYLESHEETS}"
    problems: list[str] = []
    rings = 0
    for path in sheets:
        css = path.read_text(encoding="utf-8")
        problems += second_rings(path.name, css)
        rings += sum(1 for d in declarations(css) if (path.name, d.prop, d.value) == THE_RING)
    assert not problems, "\n".join(problems)
    assert rings == 1, (
        f"site.css should draw the focus ring once ({THE_RING[1]}: {THE_RING[2]} in its focus section); "
        f"found {rings} such declarations"
    )


def test_the_scan_finds_a_planted_ring() -> None:
    """The scan itself: a ring of another colour inside @media, after a comment with braces, is named by line."""
    css = (
        "/* a comment { with braces } */\n"
        ":focus-visible { outline: 0.125rem solid var(--site-ring); outline-offset: 0.125rem; }\n"
        "@media screen {\n"
        "  .x:focus-visible {\n"
        "    outline-offset: -0.1rem;\n"
        "    outline: 2px solid red;\n"
        "  }\n"
        "  .card:hover { box-shadow: 0 0 1px black; }\n"
        "  .y.focus-visible { box-shadow: 0 0 0 2px blue }\n"
        "}\n"
    )
    problems = second_rings("site.css", css)
    assert len(problems) == 2, problems
    assert problems[0].startswith(
        "docs/assets/stylesheets/site.css:6: a second focus ring style (outline: 2px solid red)"
    )
    assert problems[1].startswith("docs/assets/stylesheets/site.css:9: a second focus ring style (box-shadow:")
