"""Publication dates written in Arabic news: Arabic, Levantine, English and numeric forms."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator

__all__ = ["ARABIC_MONTHS", "ENGLISH_MONTHS", "find_date", "find_event_date", "parse_date"]

#: Arabic month names as they appear in dates, with their common spellings:
#: the Egyptian/Gulf names (from the Latin ones), the Levantine/Iraqi names
#: (from Syriac) and the Maghrebi names. Matching also folds hamza forms,
#: alef maqsura and ta marbuta, so «ابريل» and «إبريل» both find April.
ARABIC_MONTHS: dict[str, int] = {
    # Egypt, the Gulf, Sudan
    "يناير": 1,
    "فبراير": 2,
    "مارس": 3,
    "أبريل": 4,
    "ابريل": 4,
    "إبريل": 4,
    "مايو": 5,
    "يونيو": 6,
    "يونيه": 6,
    "يوليو": 7,
    "يوليه": 7,
    "أغسطس": 8,
    "اغسطس": 8,
    "سبتمبر": 9,
    "أكتوبر": 10,
    "اكتوبر": 10,
    "نوفمبر": 11,
    "ديسمبر": 12,
    # Syria, Lebanon, Jordan, Palestine, Iraq
    "كانون الثاني": 1,
    "شباط": 2,
    "آذار": 3,
    "اذار": 3,
    "نيسان": 4,
    "أيار": 5,
    "ايار": 5,
    "حزيران": 6,
    "تموز": 7,
    "آب": 8,
    "اب": 8,
    "أيلول": 9,
    "ايلول": 9,
    "تشرين الأول": 10,
    "تشرين الاول": 10,
    "تشرين الثاني": 11,
    "كانون الأول": 12,
    "كانون الاول": 12,
    # Algeria, Tunisia (French-derived) and Morocco
    "جانفي": 1,
    "فيفري": 2,
    "أفريل": 4,
    "افريل": 4,
    "ماي": 5,
    "جوان": 6,
    "جويلية": 7,
    "يوليوز": 7,
    "أوت": 8,
    "اوت": 8,
    "غشت": 8,
    "شتنبر": 9,
    "نونبر": 11,
    "دجنبر": 12,
}

#: English month names and abbreviations, lower case (matching ignores case).
ENGLISH_MONTHS: dict[str, int] = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}

# Dates are only read, never sliced back, so the text can be folded freely:
# Arabic-Indic and Persian digits to ASCII, spelling variants to one letter,
# tatweel, short vowels and direction marks dropped.
_FOLD = str.maketrans(
    {
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ة": "ه",
        "ک": "ك",
        "ـ": None,
        **{chr(c): None for c in range(0x064B, 0x0653)},
        "\u0670": None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u200e": None,
        "\u200f": None,
        "\u061c": None,
    }
)


def _fold(text: str) -> str:
    return text.translate(_FOLD).lower()


def _words(name: str) -> str:
    """A folded month name as a pattern: its words separated by any whitespace."""
    return r"\s+".join(re.escape(word) for word in name.split())


_MONTH_NUMBERS = {_fold(name): month for name, month in ARABIC_MONTHS.items()}
_MONTH_NUMBERS.update(ENGLISH_MONTHS)

# Longest first, so that «ابريل» is tried before «اب» and «sept» before «sep».
_MONTH = (
    "(?:{})".format(
        "|".join(_words(name) for name in sorted(_MONTH_NUMBERS, key=len, reverse=True))
    )
    + r"(?!\w)\.?"
)

_DAY = r"(?<![0-9])(?P<d>[0-9]{1,2})(?![0-9])(?:st|nd|rd|th)?"
_YEAR = r"(?P<y>[0-9]{4})(?![0-9])"
# «تموز/يوليو», «سبتمبر / أيلول», «يوليو (تموز)»: the second name only confirms the first.
_SECOND_MONTH = rf"(?:\s*[/\\|(\-–—]\s*{_MONTH}\s*\)?)?"

_PATTERNS = [
    # 4 يوليو 2017 م, 9 ديسمبر، 2024, ٩ تموز/يوليو ٢٠١٥, 10th, December 2024, 5 من شهر أيار عام 2016
    re.compile(
        _DAY
        + r"\s*[,،]?\s*(?:(?:من|of)\s+)?(?:شهر\s+)?"
        + rf"(?P<m>{_MONTH}){_SECOND_MONTH}"
        + r"\s*[,،\-–/]?\s*(?:(?:من\s+)?(?:عام|سنه)\s+)?"
        + _YEAR
    ),
    # December 10, 2024 and, on some Arabic sites, ديسمبر 10، 2024
    re.compile(rf"(?<!\w)(?P<m>{_MONTH})\s*{_DAY}\s*[,،]?\s*{_YEAR}"),
    # 2024-12-09, 2015-07-21 02:51:32, 2024/12/09
    re.compile(
        r"(?<![0-9])(?P<y>[0-9]{4})(?P<s>[-/.])(?P<m>[0-9]{1,2})(?P=s)(?P<d>[0-9]{1,2})(?![0-9])"
    ),
    # 09/12/2024, 9-12-2024, 9.12.2024: day first, as Arabic papers write them
    re.compile(
        r"(?<![0-9])(?P<d>[0-9]{1,2})(?P<s>[-/.])(?P<m>[0-9]{1,2})(?P=s)(?P<y>[0-9]{4})(?![0-9])"
    ),
]

_WEEKDAYS = (
    "الاحد الاثنين الثلاثاء الاربعاء الخميس الجمعه السبت "
    "sunday monday tuesday wednesday thursday friday saturday"
).split()

# A label right before a date marks it as the publication date.
_LABEL = re.compile(
    r"(?<!\w)(?:تاريخ\s+النشر|التاريخ|نشرت?\s+(?:في|بتاريخ)|published(?:\s+on)?|posted(?:\s+on)?"
    r"|date)\s*[:：\-–—|]?\s*"
    r"(?:(?:يوم\s+)?(?:{})\s*[,،\-–]?\s*)?$".format("|".join(_WEEKDAYS))
)
_LABEL_REACH = 60  # characters before a date searched for its label

_YEARS = range(1900, 2101)


def _month_number(value: str) -> int:
    if value.isdigit():
        return int(value)
    return _MONTH_NUMBERS[" ".join(value.rstrip(".").split())]


def _dates(folded: str) -> Iterator[tuple[int, int, dt.date]]:
    """Every valid date in folded text as (start, end, date), left to right, never overlapping."""
    found = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(folded):
            year, month, day = int(match["y"]), _month_number(match["m"]), int(match["d"])
            if (
                year in _YEARS
                and 1 <= month <= 12
                and 1 <= day <= calendar.monthrange(year, month)[1]
            ):
                found.append((match.start(), match.end(), dt.date(year, month, day)))
    end = 0
    for start, stop, date in sorted(found, key=lambda item: (item[0], -item[1])):
        if start >= end:
            end = stop
            yield start, stop, date


def find_date(text: str, *, near: int = 2000) -> dt.date | None:
    """The publication date written in an article, searched in its first ``near`` characters.

    A date labelled «التاريخ», «تاريخ النشر» or «نشر في» wins; otherwise the first date.
    Day month year with Arabic, Levantine, Maghrebi or English month names, ISO and
    day-first numeric dates are read, in Western or Arabic-Indic digits. A date needs a
    day: «ديسمبر 2024» alone is not one.

    >>> find_date("الكاتب : هيئة التحرير التاريخ : 4 يوليو 2017 م")
    datetime.date(2017, 7, 4)
    >>> find_date("دمشق في ٩ تموز/يوليو ٢٠١٥")
    datetime.date(2015, 7, 9)
    >>> find_date("اجتمع الوفدان في 3 مارس 2016.\\nنشر في 5 آذار 2016")
    datetime.date(2016, 3, 5)
    >>> find_date("Posted on December 10, 2024 by the desk")
    datetime.date(2024, 12, 10)
    >>> find_date("عقد الاجتماع في أواخر ديسمبر 2024") is None
    True
    """
    folded = _fold(text[:near])
    first = None
    for start, _end, date in _dates(folded):
        if _LABEL.search(folded, max(0, start - _LABEL_REACH), start):
            return date
        if first is None:
            first = date
    return first


def parse_date(value: object) -> dt.date | None:
    """A date field from a JSONL article («2015-07-21 02:51:32», «9 ديسمبر، 2024»), or None.

    >>> parse_date("2015-07-21 02:51:32")
    datetime.date(2015, 7, 21)
    >>> parse_date("2024-12-09T18:30:00+03:00")
    datetime.date(2024, 12, 9)
    >>> parse_date("٩ ديسمبر، ٢٠٢٤")
    datetime.date(2024, 12, 9)
    >>> parse_date("قريبا") is None
    True
    """
    if not isinstance(value, str):
        return None
    return find_date(value, near=len(value))


_DAY_MONTH = re.compile(
    _DAY + r"\s*[,،]?\s*(?:(?:من|of)\s+)?(?:شهر\s+)?" + rf"(?P<m>{_MONTH}){_SECOND_MONTH}"
)


def find_event_date(sentence: str, reference: dt.date | None) -> dt.date | None:
    """The date of an event written in a sentence, a missing year taken from ``reference``.

    «في 9 أكتوبر» in an article of 2019-10-20 is 2019-10-09; a month later than
    the article's (by more than a month) belongs to the year before.

    >>> find_event_date("أطلقت تركيا العملية في 9 أكتوبر", dt.date(2019, 10, 20))
    datetime.date(2019, 10, 9)
    >>> find_event_date("وقع الهجوم في 28 ديسمبر", dt.date(2020, 1, 5))
    datetime.date(2019, 12, 28)
    >>> find_event_date("في 4 يوليو 2017 م", None)
    datetime.date(2017, 7, 4)
    >>> find_event_date("قالت روسيا إنها ستواصل الغارات", dt.date(2015, 8, 1)) is None
    True
    """
    folded = _fold(sentence)
    for _start, _stop, date in _dates(folded):
        return date
    if reference is None:
        return None
    for match in _DAY_MONTH.finditer(folded):
        month, day = _month_number(match["m"]), int(match["d"])
        for year in (reference.year, reference.year - 1):
            if 1 <= day <= calendar.monthrange(year, month)[1]:
                date = dt.date(year, month, day)
                if date <= reference + dt.timedelta(days=31):
                    return date
    return None
