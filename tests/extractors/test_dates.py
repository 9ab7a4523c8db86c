"""Dates written in Arabic news: month names, digits, labels."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.dates import ARABIC_MONTHS, ENGLISH_MONTHS, find_date, parse_date

D = dt.date

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize(
    "text, expected",
    [
        # Egyptian / Gulf month names
        ("التاريخ : 4 يوليو 2017 م", D(2017, 7, 4)),
        ("القاهرة في 9 ديسمبر، 2024", D(2024, 12, 9)),
        ("الأحد 1 يناير 2017", D(2017, 1, 1)),
        ("29 فبراير 2016", D(2016, 2, 29)),
        ("صدر البيان يوم 15 مارس 2011", D(2011, 3, 15)),
        ("18 أبريل 2019", D(2019, 4, 18)),
        ("18 ابريل 2019", D(2019, 4, 18)),
        ("18 إبريل 2019", D(2019, 4, 18)),
        ("2 مايو 2014", D(2014, 5, 2)),
        ("30 يونيو 2013", D(2013, 6, 30)),
        ("30 يونيه 2013", D(2013, 6, 30)),
        ("23 يوليه 1952", D(1952, 7, 23)),
        ("14 أغسطس 2013", D(2013, 8, 14)),
        ("14 اغسطس 2013", D(2013, 8, 14)),
        ("11 سبتمبر 2001", D(2001, 9, 11)),
        ("6 أكتوبر 1973", D(1973, 10, 6)),
        ("6 اكتوبر 1973", D(1973, 10, 6)),
        ("25 نوفمبر 2015", D(2015, 11, 25)),
        # Levantine / Iraqi month names
        ("دمشق في 3 كانون الثاني 2016", D(2016, 1, 3)),
        ("22 شباط 2014", D(2014, 2, 22)),
        ("15 آذار 2011", D(2011, 3, 15)),
        ("15 اذار 2011", D(2011, 3, 15)),
        ("17 نيسان 1946", D(1946, 4, 17)),
        ("1 أيار 2015", D(2015, 5, 1)),
        ("10 حزيران 2014", D(2014, 6, 10)),
        ("1 آب 2019", D(2019, 8, 1)),
        ("8 أيلول 2016", D(2016, 9, 8)),
        ("بيروت 17 تشرين الأول 2019", D(2019, 10, 17)),
        ("17 تشرين الاول 2019", D(2019, 10, 17)),
        ("9 تشرين الثاني 2020", D(2020, 11, 9)),
        ("31 كانون الأول 2018", D(2018, 12, 31)),
        # Maghrebi month names
        ("الجزائر 5 جويلية 2019", D(2019, 7, 5)),
        ("الرباط 20 غشت 2018", D(2018, 8, 20)),
        # combined forms, joiners, trailing «م»
        ("9 تموز/يوليو 2015", D(2015, 7, 9)),
        ("12 سبتمبر / أيلول 2017", D(2017, 9, 12)),
        ("4 يوليو (تموز) 2017", D(2017, 7, 4)),
        ("21 من شهر حزيران عام 2015", D(2015, 6, 21)),
        ("الـ5 من أيار سنة 2016", D(2016, 5, 5)),
        ("3 مارس 2016م", D(2016, 3, 3)),
        ("ديسمبر 10، 2024", D(2024, 12, 10)),
        # Arabic-Indic and Persian digits
        ("٩ ديسمبر، ٢٠٢٤", D(2024, 12, 9)),
        ("٢١ حزيران ٢٠١٥", D(2015, 6, 21)),
        ("۷ مايو ۲۰۱۸", D(2018, 5, 7)),
        ("٢٠٢٤-١٢-٠٩", D(2024, 12, 9)),
        # English
        ("تاريخ النشر: 10th, December 2024 GMT", D(2024, 12, 10)),
        ("December 10, 2024", D(2024, 12, 10)),
        ("10 December 2024", D(2024, 12, 10)),
        ("Posted on Sept. 3, 2019", D(2019, 9, 3)),
        ("the 2nd of March 2020", D(2020, 3, 2)),
        # ISO and numeric (day first)
        ("2024-12-09", D(2024, 12, 9)),
        ("2015-07-21 02:51:32", D(2015, 7, 21)),
        ("2024/12/09", D(2024, 12, 9)),
        ("09/12/2024", D(2024, 12, 9)),
        ("9-12-2024", D(2024, 12, 9)),
        ("9.12.2024", D(2024, 12, 9)),
        # spelling noise: tatweel, short vowels, direction marks
        ("9 ديســمبر 2024", D(2024, 12, 9)),
        ("9 \u200fديسمبر\u200f 2024", D(2024, 12, 9)),
    ],
)
def test_find_date(text, expected):
    assert find_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "لا تاريخ في هذا الخبر",
        "عقد الاجتماع في أواخر ديسمبر 2024",  # no day
        "في 22 أكتوبر، وافق الطرفان على الهدنة",  # no year
        "31 نيسان 2016",  # April has 30 days
        "29 شباط 2015",  # not a leap year
        "15 رمضان 1437 هـ",  # Hijri months are not read
        "32 مايو 2016",
        "5 مايو 1066",  # out of range
        "12/25/2024",  # day first: month 25 does not exist
        "قتل 3 أشخاص في 2015",
        "ابريل 12",
        "رقم الهاتف 123-45-20166",
        "12 مايوم 2016",  # not a month name
    ],
)
def test_find_date_none(text):
    assert find_date(text) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        # the labelled date wins over an earlier one
        ("اتفق الطرفان في 3 مارس 2016 على الهدنة.\nنشر في 5 آذار 2016", D(2016, 3, 5)),
        ("آخر تحديث 5 أغسطس 2015 - تاريخ النشر: الثلاثاء، 4 أغسطس 2015", D(2015, 8, 4)),
        ("تاريخ النشر: 10th, December 2024 GMT\n9 ديسمبر، 2024", D(2024, 12, 10)),
        ("الكاتب : هيئة التحرير التاريخ : 4 يوليو 2017 م المشاهدات : 120", D(2017, 7, 4)),
        ("1 يناير 2016 ... نشرت في 2 يناير 2016", D(2016, 1, 2)),
        ("2 يناير 2016 ... 1 يناير 2016", D(2016, 1, 2)),  # unlabelled: the first one
        ("Published on 4 June 2016, updated 5 June 2016", D(2016, 6, 4)),
    ],
)
def test_find_date_prefers_labelled(text, expected):
    assert find_date(text) == expected


def test_find_date_near():
    text = "مقدمة طويلة " * 300 + "التاريخ: 4 يوليو 2017"
    assert find_date(text) is None
    assert find_date(text, near=len(text)) == D(2017, 7, 4)
    assert find_date("4 يوليو 2017", near=5) is None


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2015-07-21 02:51:32", D(2015, 7, 21)),
        ("2015-07-21", D(2015, 7, 21)),
        ("2024-12-09T18:30:00Z", D(2024, 12, 9)),
        ("2024-12-09T18:30:00+03:00", D(2024, 12, 9)),
        ("  9 ديسمبر، 2024 ", D(2024, 12, 9)),
        ("٣ تشرين الأول ٢٠١٧", D(2017, 10, 3)),
        ("Dec 9, 2024", D(2024, 12, 9)),
        ("", None),
        ("غير معروف", None),
        ("2015-13-01", None),
        (None, None),
        (20150721, None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_month_tables_cover_every_month():
    assert sorted(set(ARABIC_MONTHS.values())) == list(range(1, 13))
    assert sorted(set(ENGLISH_MONTHS.values())) == list(range(1, 13))
    egyptian = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو"]
    egyptian += ["أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]
    levantine = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز"]
    levantine += ["آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"]
    assert [ARABIC_MONTHS[name] for name in egyptian] == list(range(1, 13))
    assert [ARABIC_MONTHS[name] for name in levantine] == list(range(1, 13))


dates = st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31))
ENGLISH_NAMES = (
    "january february march april may june july august september october november december".split()
)
ARABIC_FORMS = ["{d} {m} {y}", "{d} {m}، {y} م", "الـ{d} من {m} عام {y}", "{d} {m} / {m} {y}"]


@given(dates, st.data(), st.sampled_from(ARABIC_FORMS), st.booleans())
def test_arabic_dates_round_trip(date, data, form, indic):
    names = sorted(name for name, month in ARABIC_MONTHS.items() if month == date.month)
    text = form.format(d=date.day, m=data.draw(st.sampled_from(names)), y=date.year)
    if indic:
        text = text.translate(ARABIC_INDIC)
    assert find_date("قال المتحدث " + text + " إن المفاوضات مستمرة") == date


@given(dates, st.sampled_from(["%d %B %Y", "%B %d, %Y", "%b %d, %Y", "%Y-%m-%d", "%d/%m/%Y"]))
def test_other_forms_round_trip(date, form):
    name = ENGLISH_NAMES[date.month - 1]  # %B and %b depend on the locale: not used
    text = date.strftime(form.replace("%B", name).replace("%b", name[:3]))
    assert find_date(text.title()) == date
    assert parse_date(text) == date


@given(st.text())
def test_find_date_any_text(text):
    date = find_date(text)
    assert date is None or D(1900, 1, 1) <= date <= D(2100, 12, 31)
