"""Sentence splitting and tokenization with character offsets into the original text.

>>> sents = split_sentences("قصفت روسيا الرقة. وانسحب التنظيم!")
>>> [s.text for s in sents]
['قصفت روسيا الرقة.', 'وانسحب التنظيم!']
>>> [t.text for t in sents[1].tokens]
['وانسحب', 'التنظيم', '!']
>>> sents[1].tokens[0].start
18
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .normalize import DIACRITICS, normalize
from .types import Sentence, Token

__all__ = ["split_sentences", "tokenize"]

_MARKS = DIACRITICS.pattern[1:-1]
_TOKEN = re.compile(rf"(?:[^\W_]|[{_MARKS}])+(?:[.'’](?:[^\W_])+)*|[^\w\s]")
_SENT_END = re.compile(r"(?<=[.!?؟…])[\"'”»)\]]*\s+|\s*\n\s*")
_MAX_SENT = 2000  # characters: longer runs (tables, lists) are cut at the next comma


def tokenize(text: str, offset: int = 0) -> tuple[Token, ...]:
    """Words and punctuation of ``text``; offsets are shifted by ``offset``.

    >>> [(t.text, t.start, t.end) for t in tokenize("بالرقة، أمس")]
    [('بالرقة', 0, 6), ('،', 6, 7), ('أمس', 8, 11)]
    """
    return tuple(
        Token(offset + m.start(), offset + m.end(), m.group(), normalize(m.group()))
        for m in _TOKEN.finditer(text)
    )


def _spans(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for m in _SENT_END.finditer(text):
        yield pos, m.start()
        pos = m.end()
    yield pos, len(text)


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` (ends at . ! ? ؟ … and at line breaks), tokens included.

    Leading and trailing spaces are trimmed from each span, so that
    ``text[s.start:s.end] == s.text`` and the text starts and ends with a character.
    """
    sents = []
    for start, end in _spans(text):
        chunk = text[start:end]
        stripped = chunk.strip()
        if not stripped:
            continue
        start += len(chunk) - len(chunk.lstrip())
        end = start + len(stripped)
        for s, e in _cut_long(text, start, end):
            sents.append(Sentence(s, e, text[s:e], tokenize(text[s:e], s)))
    return sents


def _cut_long(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while end - start > _MAX_SENT:
        cut = max(
            text.rfind("،", start, start + _MAX_SENT), text.rfind(",", start, start + _MAX_SENT)
        )
        cut = cut + 1 if cut > start else start + _MAX_SENT
        yield start, cut
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        yield start, end
