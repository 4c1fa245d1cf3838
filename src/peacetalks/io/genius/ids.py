"""Scenario ids made from GENIUS names: slugs, kept unique within their scope.

>>> slugify("$100 Billion", prefix="o-")
'o-100-billion'
>>> used: set[str] = set()
>>> [unique(slug, used) for slug in ("a", "a", "b", "a")]
['a', 'a-2', 'b', 'a-3']
"""

from __future__ import annotations

import re
import unicodedata

MAX_ID_LENGTH = 80


def slugify(text: str, prefix: str = "x-", fallback: str = "item") -> str:
    """An id for ``text``: lower case, ``[a-z0-9_-]``, starting with a letter (``prefix`` is put
    in front otherwise), at most 80 characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9_-]+", "-", ascii_text.lower())
    slug = re.sub(r"-{2,}", "-", slug).strip("-_")
    if not slug:
        slug = fallback
    if not slug[0].isalpha():
        slug = prefix + slug
    return slug[:MAX_ID_LENGTH].rstrip("-_")


def unique(slug: str, used: set[str]) -> str:
    """``slug``, or ``slug-2``, ``slug-3``, ... (kept within the length limit) if already ``used``;
    the result is added to ``used``."""
    candidate, n = slug, 1
    while candidate in used:
        n += 1
        suffix = f"-{n}"
        candidate = slug[: MAX_ID_LENGTH - len(suffix)] + suffix
    used.add(candidate)
    return candidate
