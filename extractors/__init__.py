"""Text -> statements: reading articles, Arabic text handling, and the extractors."""

from .articles import read_articles
from .errors import InputError, KhabarError
from .registry import EXTRACTORS, get_extractor
from .types import Article, Entity, Mention, Sentence, Statement, Token

__all__ = [
    "read_articles",
    "get_extractor",
    "EXTRACTORS",
    "Article",
    "Entity",
    "Mention",
    "Sentence",
    "Statement",
    "Token",
    "KhabarError",
    "InputError",
]
