"""Texts people write (report sections, fiche descriptions): a safe subset of Markdown rendered to HTML.

Paragraphs, bullet and numbered lists, bold, italics, links: enough for real reports. Raw HTML is not interpreted
(it shows as typed, escaped), images are off (nothing is fetched), and markdown-it refuses `javascript:` and other
unsafe link targets. The same HTML serves the page and the PDF.
"""

import re

from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

_MARKDOWN = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False, "breaks": True})
    .disable(["image", "html_block", "html_inline", "heading", "lheading", "code", "fence", "hr"])
    .enable(["strikethrough"])
)
# The documents write ordinals as 1^{er}, 2^{ème}: shown as superscripts (the content is already escaped).
_EXPOSANT = re.compile(r"(?<=\d) ?\^\{([^{}<>]{1,12})\}|\^\{([^{}<>]{1,12})\}")


def markdown_sur(texte: str) -> str:
    """HTML for `texte`, safe to insert in a page or the PDF."""
    if not texte or not texte.strip():
        return mark_safe("")
    html = _MARKDOWN.render(texte)
    # markdown-it escaped everything; "1 ^{er}" (a space before) is 1er all the same
    return mark_safe(_EXPOSANT.sub(lambda m: f"<sup>{m.group(1) or m.group(2)}</sup>", html))
