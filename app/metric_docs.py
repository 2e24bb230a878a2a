"""docs/metrics.md, the metric definitions, cut into sections for the app.

The document has an English and an Indonesian part (after `<a id="lang-en"></a>` and
`<a id="lang-id"></a>`). Each definition starts with one or more anchor lines
(`<a id="resolution_rate"></a>`; `id-resolution_rate` in the Indonesian part) right above
its heading. In the app only one language is shown, so the Indonesian anchors and links
lose their `id-` prefix: `definisi#resolution_rate` reaches the same definition in either
language. Pure functions of the text; no Streamlit calls here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DOC_PATH = Path(__file__).resolve().parent.parent / "docs" / "metrics.md"
PAGE = "definisi"  # url_path of the definitions page
LANG_MARKERS = {"en": '<a id="lang-en"></a>', "id": '<a id="lang-id"></a>'}
PREFIX = {"en": "", "id": "id-"}
ANCHOR = re.compile(r'<a id="([^"]+)"></a>')
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")


@dataclass(frozen=True)
class Section:
    """A heading with its anchors and the text up to the next heading."""

    anchors: tuple[str, ...]
    level: int  # 2: a part, 3: a topic, 4: one measure; 0: text before the first heading
    title: str
    body: str

    @property
    def anchor(self) -> str | None:
        return self.anchors[0] if self.anchors else None


def language_part(text: str, lang: str) -> str:
    """The part of the document in `lang` (the whole text if it has no language parts)."""
    starts = {k: text.find(marker) for k, marker in LANG_MARKERS.items()}
    if starts.get(lang, -1) < 0:
        return text
    begin = starts[lang]
    later = [s for s in starts.values() if s > begin]
    part = text[begin : min(later)] if later else text[begin:]
    prefix = PREFIX.get(lang, "")
    if prefix:
        part = part.replace(f'<a id="{prefix}', '<a id="').replace(f"](#{prefix}", "](#")
    return part


def sections(text: str, lang: str) -> list[Section]:
    """The sections of the `lang` part, in order, anchors without the language prefix."""
    out: list[Section] = []
    anchors: list[str] = []
    current: dict | None = None
    in_code = False

    def close() -> None:
        if current is not None:
            body = "\n".join(current["lines"]).strip("\n")
            out.append(Section(tuple(current["anchors"]), current["level"], current["title"], body))

    for line in language_part(text, lang).splitlines():
        if line.startswith("```"):
            in_code = not in_code
        found = ANCHOR.findall(line)
        if not in_code and found and not ANCHOR.sub("", line).strip():
            anchors += found
            continue
        heading = None if in_code else HEADING.match(line)
        if heading:
            close()
            current = {
                "anchors": [a for a in anchors if not a.startswith("lang-")],
                "level": len(heading.group(1)),
                "title": heading.group(2),
                "lines": [],
            }
            anchors = []
            continue
        if current is None:
            current = {"anchors": [], "level": 0, "title": "", "lines": []}
        current["lines"].append(line)
    close()
    return [s for s in out if s.level != 0 or s.body.strip()]


def anchor_index(parts: list[Section]) -> dict[str, Section]:
    """Every anchor (also the second and later anchors of a section) -> its section."""
    return {a: s for s in parts for a in s.anchors}


def definition_href(anchor: str, lang: str, index: dict[str, Section] | None = None) -> str:
    """A link (relative to the app's pages) to the definitions page at `anchor`: the
    section's first anchor, which is the one its heading carries in the app."""
    target = anchor
    if index is not None and anchor in index and index[anchor].anchor:
        target = index[anchor].anchor or anchor
    return f"{PAGE}?lang={lang}#{target}"


def plain_title(title: str) -> str:
    """A heading without Markdown code marks, for labels."""
    return title.replace("`", "")
