"""Arabic normalization for matching, and proclitic stripping; never used as evidence.

The original text is always kept for evidence and offsets; the forms made here
only decide whether two spellings are the same word.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["normalize", "name_key", "strip_clitics", "DIACRITICS"]

DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
"""Harakat, Quranic marks and tatweel: removed before matching."""

_FOLD = str.maketrans(
    {
        "\u0623": "\u0627",  # أ -> ا
        "\u0625": "\u0627",  # إ -> ا
        "\u0622": "\u0627",  # آ -> ا
        "\u0671": "\u0627",  # ٱ -> ا
        "\u0629": "\u0647",  # ة -> ه
        "\u0649": "\u064a",  # ى -> ي
        "\u06cc": "\u064a",  # Persian yeh -> ي
        "\u06a9": "\u0643",  # Persian kaf -> ك
        "\u201c": '"',
        "\u201d": '"',
        "\u00ab": '"',
        "\u00bb": '"',
    }
)


def normalize(text: str) -> str:
    """Fold Arabic spelling variants for matching; never used as evidence.

    >>> normalize("إِنسحاب")
    'انسحاب'
    >>> normalize("الرقـــة")
    'الرقه'
    >>> normalize("U.S. Army")
    'u.s. army'
    """
    text = unicodedata.normalize("NFKC", text)
    text = DIACRITICS.sub("", text).translate(_FOLD)
    return " ".join(text.lower().split())


def name_key(text: str) -> str:
    """A name as reference (gold) names are compared: the scorer's normalization.

    >>> name_key("الرقـة")
    'الرقه'
    >>> name_key("U.S. State-Department")
    'us state department'
    """
    text = DIACRITICS.sub("", unicodedata.normalize("NFKC", str(text)).strip())
    text = re.sub("[أإآٱ]", "ا", text).replace("ة", "ه").replace("ى", "ي")
    text = text.lower().replace(".", "").replace("-", " ").replace("–", " ")
    text = re.sub("[\"'“”«»]", "", text)
    return " ".join(text.split())


_CONJ = ("و", "ف")
_PREP = ("ب", "ل", "ك")


def strip_clitics(word: str, *, future: bool = False) -> list[tuple[str, str]]:
    """All (prefix, stem) readings of a normalized word, the unstripped one first.

    Handles the conjunctions و ف, the prepositions ب ل ك, the future marker س
    (when ``future``), and ل + ال written «لل».

    >>> strip_clitics("وبالرقه")
    [('', 'وبالرقه'), ('و', 'بالرقه'), ('وب', 'الرقه')]
    >>> strip_clitics("للقوات")
    [('', 'للقوات'), ('ل', 'لقوات'), ('لل', 'القوات')]
    >>> strip_clitics("سيشاركون", future=True)
    [('', 'سيشاركون'), ('س', 'يشاركون')]
    """
    return list(_strip_clitics(word, future))


@functools.lru_cache(maxsize=65536)
def _strip_clitics(word: str, future: bool) -> tuple[tuple[str, str], ...]:
    readings = [("", word)]
    stems = [("", word)]
    if len(word) > 3 and word[0] in _CONJ:
        stems.append((word[0], word[1:]))
    for prefix, stem in list(stems):
        if len(stem) > 3 and stem[0] in _PREP:
            rest = stem[1:]
            stems.append((prefix + stem[0], rest))
            if stem[0] == "ل" and rest.startswith("ل") and len(rest) > 2:
                stems.append((prefix + "لل", "ال" + rest[1:]))
        if future and len(stem) > 3 and stem[0] == "س" and stem[1] in "يتنا":
            stems.append((prefix + "س", stem[1:]))
    for reading in stems[1:]:
        if reading not in readings and len(reading[1]) >= 2:
            readings.append(reading)
    return tuple(readings)
