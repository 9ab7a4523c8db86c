"""Reading articles: .txt, folders, JSONL; verbatim text; one line per problem, never fatal."""

import codecs
import datetime as dt
import hashlib
import inspect
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from extractors.articles import parse_jsonl, read_articles, read_jsonl, read_txt
from extractors.errors import InputError

DATA = Path(__file__).parents[1] / "data" / "articles"
SHARED = Path(__file__).parents[2].parent / "shared" / "corpus"


def read_all(inputs, **options):
    """The articles read and the problems reported."""
    problems = []
    articles = list(read_articles(inputs, on_error=problems.append, **options))
    return articles, problems


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


GOOD = "اتفاق على هدنة في درعا\nأعلن الطرفان التوصل إلى اتفاق هدنة في درعا.\n"


# .txt files


def test_read_txt_from_data():
    article = read_txt(DATA / "geneva_talks.txt")
    assert article.id == "geneva_talks"
    assert article.title == "وفدا الحكومة والمعارضة يستأنفان المحادثات في جنيف"
    assert article.date == dt.date(2016, 2, 12)
    assert article.text == (DATA / "geneva_talks.txt").read_bytes().decode("utf-8")
    assert article.text.startswith("\n")  # the blank first line is kept: offsets count it
    assert article.path == str(DATA / "geneva_talks.txt")
    assert article.url is None and article.source is None


def test_crlf_and_bom_kept_verbatim(tmp_path):
    body = "\r\nانسحاب القوات من البلدة\r\nالتاريخ: 2 أيار 2018\r\n\r\nانسحبت القوات فجرا.\r\n"
    path = write(tmp_path / "withdrawal.txt", codecs.BOM_UTF8 + body.encode("utf-8"))
    article = read_txt(path)
    assert article.text == body  # BOM gone, every \r\n still there
    assert article.text.count("\r\n") == 5
    assert article.title == "انسحاب القوات من البلدة"
    assert article.date == dt.date(2018, 5, 2)
    start = article.text.index("انسحبت")
    end = start + len("انسحبت القوات")
    assert article.text[start:end] == "انسحبت القوات"
    assert start == len("\r\nانسحاب القوات من البلدة\r\nالتاريخ: 2 أيار 2018\r\n\r\n")


def test_lone_cr_and_mixed_line_ends_kept(tmp_path):
    body = "عنوان الخبر\rسطر ثان\r\nسطر ثالث\n"
    article = read_txt(write(tmp_path / "mixed.txt", body))
    assert article.text == body
    assert article.title == "عنوان الخبر"


@pytest.mark.parametrize(
    "codec, bom",
    [
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-32-le", codecs.BOM_UTF32_LE),
    ],
)
def test_utf16_and_utf32_with_bom(tmp_path, codec, bom):
    body = "وساطة قطرية\r\nنشر في 9 ديسمبر، 2024\r\nتوسطت قطر بين الطرفين.\r\n"
    article = read_txt(write(tmp_path / "wide.txt", bom + body.encode(codec)))
    assert article.text == body
    assert article.title == "وساطة قطرية"
    assert article.date == dt.date(2024, 12, 9)


def test_title_skips_blank_and_space_lines(tmp_path):
    article = read_txt(write(tmp_path / "t.txt", " \n\t\n   العنوان هنا  \nالنص"))
    assert article.title == "العنوان هنا"
    article = read_txt(write(tmp_path / "one.txt", "سطر وحيد بلا نهاية"))
    assert article.title == "سطر وحيد بلا نهاية"
    assert article.date is None


def test_utf8_text_written_by_hand_stays_the_same(tmp_path):
    body = "هـٰذا نصّ مُشكَّل\u200f مع علامة اتجاه، وتطويل ـــ وأرقام ٢٠١٧\n"
    assert read_txt(write(tmp_path / "marks.txt", body)).text == body


line_ends = st.sampled_from(["\n", "\r\n", "\r"])
# lines without any character that str.splitlines() would also break on
lines = st.text(
    st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="\0\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029",
    )
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(st.lists(st.tuples(lines, line_ends), min_size=1), st.booleans(), st.booleans())
def test_txt_text_is_verbatim(tmp_path, parts, bom, last_line_end):
    text = "".join(line + end for line, end in parts)
    if not last_line_end:
        text = text[: -len(parts[-1][1])]
    assume(text.strip())  # blank files are errors, tested below
    assume(bom or not text.startswith("\ufeff"))  # an unmarked leading BOM is taken as one
    path = tmp_path / "verbatim.txt"
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8"))
    article = read_txt(path)
    assert article.text == text
    assert article.title == next(line.strip() for line, _ in parts if line.strip())
    start = text.index(article.title)
    assert article.text[start : start + len(article.title)] == article.title


# folders and order


def test_folder_is_searched_recursively_in_sorted_order():
    articles, problems = read_all([DATA / "folder"])
    assert problems == []
    assert [article.id for article in articles] == ["brief-1", "mosul", "raqqa"]
    # iraq/briefs.jsonl, iraq/mosul.txt, syria/raqqa.txt; notes.md and hidden files left out
    assert [Path(article.path).name for article in articles] == [
        "briefs.jsonl",
        "mosul.txt",
        "raqqa.txt",
    ]
    dates = {article.id: article.date for article in articles}
    assert dates == {"brief-1": None, "mosul": dt.date(2017, 6, 20), "raqqa": dt.date(2017, 6, 5)}


def test_inputs_read_in_the_order_given():
    articles, problems = read_all([DATA / "news.jsonl", DATA / "geneva_talks.txt"])
    assert problems == []
    assert [article.id for article in articles] == ["n-001", "42", "n-003", "geneva_talks"]


def test_a_single_path_is_one_input():
    articles, _ = read_all(str(DATA / "geneva_talks.txt"))
    assert [article.id for article in articles] == ["geneva_talks"]
    articles, _ = read_all(DATA / "geneva_talks.txt")
    assert [article.id for article in articles] == ["geneva_talks"]


def test_read_articles_streams():
    stream = read_articles([DATA / "no-such-file.txt"])
    assert inspect.isgenerator(stream)  # nothing read, nothing raised yet
    with pytest.raises(InputError):
        next(stream)


# errors: one line each, naming the file, the rest still read


def one_problem(problems, path, *phrases):
    assert len(problems) == 1, problems
    (problem,) = problems
    assert "\n" not in problem
    assert problem.startswith(f"{path}:")
    for phrase in phrases:
        assert phrase in problem
    return problem


FILE_ERRORS = {
    "missing": (None, "no such file or directory"),
    "notes.csv": ("النص,التاريخ\n", "unsupported file type '.csv'"),
    "empty.txt": (b"", "empty file"),
    "bom-only.txt": (codecs.BOM_UTF8, "empty file"),
    "blank.txt": (" \r\n\t\n", "no text"),
    "image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (NUL byte at offset 8)"),
    "latin1.txt": ("عنوان\n".encode() + "café".encode("latin-1"), "not valid UTF-8", "offset 14"),
    "truncated.txt": ("خبر".encode()[:-1], "not valid UTF-8", "offset 4"),
    "bad16.txt": (codecs.BOM_UTF16_LE + b"\x00\xd8\x41\x00", "not valid UTF-16"),
    "empty.jsonl": (b"", "empty file"),
    "blank.jsonl": (b"\n  \n\n", "empty file"),
    "binary.jsonl": (b'{"id": 1}\x00\x00\x01\x02', "binary file (NUL byte at offset 9)"),
}


@pytest.mark.parametrize("name", sorted(FILE_ERRORS))
def test_bad_file_is_reported_once_and_skipped(tmp_path, name):
    data, *phrases = FILE_ERRORS[name]
    bad = tmp_path / name if data is None else write(tmp_path / name, data)
    good = write(tmp_path / "good.txt", GOOD)
    articles, problems = read_all([bad, good])
    one_problem(problems, bad, *phrases)
    assert [article.id for article in articles] == ["good"]


def test_file_too_large(tmp_path):
    big = write(tmp_path / "big.txt", "عنوان\n" + "كلام " * 200)
    good = write(tmp_path / "good.txt", GOOD)
    articles, problems = read_all([big, good], max_bytes=len(GOOD.encode()))
    size = big.stat().st_size
    one_problem(problems, big, f"file too large ({size:,} bytes")
    assert [article.id for article in articles] == ["good"]
    articles, problems = read_all([big, good])  # under the default limit
    assert [article.id for article in articles] == ["big", "good"] and problems == []


def test_folder_without_articles_is_reported(tmp_path):
    write(tmp_path / "empty-folder" / "readme.md", "لا مقالات هنا")
    articles, problems = read_all([tmp_path / "empty-folder", DATA / "geneva_talks.txt"])
    one_problem(problems, tmp_path / "empty-folder", "no .txt or .jsonl files")
    assert [article.id for article in articles] == ["geneva_talks"]


def test_bad_file_in_a_folder_does_not_stop_the_folder(tmp_path):
    write(tmp_path / "a.txt", GOOD)
    bad = write(tmp_path / "b.txt", b"\xfa\xfb")
    write(tmp_path / "c.txt", GOOD)
    articles, problems = read_all([tmp_path])
    one_problem(problems, bad, "not valid UTF-8 (byte 0xfa at offset 0)")
    assert [article.id for article in articles] == ["a", "c"]


def test_error_raised_without_handler(tmp_path):
    with pytest.raises(InputError) as raised:
        list(read_articles([tmp_path / "gone.txt"]))
    assert raised.value.path == str(tmp_path / "gone.txt")
    assert str(raised.value) == f"{tmp_path / 'gone.txt'}: no such file or directory"
    with pytest.raises(InputError) as raised:
        read_txt(write(tmp_path / "latin.txt", "é".encode("latin-1")))
    assert isinstance(raised.value.__cause__, UnicodeDecodeError)
    assert raised.value.value == 0


# JSONL


def test_read_jsonl_from_data():
    articles, problems = read_all([DATA / "news.jsonl"])
    assert problems == []
    first, second, third = articles
    assert first.id == "n-001"
    assert first.title == "الأردن يستضيف اجتماعا أمنيا"
    assert (
        first.text
        == "استضافت عمان اجتماعا أمنيا حضره ممثلون عن العراق وسوريا.\nوتناول الاجتماع أمن الحدود."
    )
    assert first.date == dt.date(2019, 3, 14)
    assert first.url == "https://example.org/news/n-001"
    assert first.source == "وكالة تجريبية"
    assert first.path == str(DATA / "news.jsonl")
    assert second.id == "42"  # a number becomes a string
    assert second.date == dt.date(2018, 4, 7)
    assert second.url is None
    assert third.title == ""  # no title field
    assert third.date == dt.date(2017, 10, 3)  # no date field: found in the text


def test_scraped_fields_fall_back():
    articles, problems = read_all([DATA / "scraped.jsonl"])
    assert problems == []
    first, second, third = articles
    url = "https://sahifa.example/2016/05/mufawadat"
    assert first.id == hashlib.sha256(url.encode()).hexdigest()[:16]
    assert first.text.startswith("بدأت في الكويت") and first.text.endswith("الأجواء إيجابية.")
    assert first.title == "مفاوضات جديدة في الكويت"
    assert first.date == dt.date(2016, 5, 2)  # date_extracted
    assert (first.url, first.source) == (url, "sahifa")
    assert second.date == dt.date(2016, 5, 3)  # date wins over date_extracted
    assert third.id == "scraped:3"  # no url: file stem and line
    assert third.date == dt.date(2016, 5, 5)
    # the same file read again gives the same ids
    assert [a.id for a in read_jsonl(DATA / "scraped.jsonl")] == [a.id for a in articles]


def test_text_field_wins_over_content():
    (article,) = parse_jsonl(['{"id": "x", "text": "النص", "content": "المحتوى"}'])
    assert article.text == "النص"


JSONL_LINE_ERRORS = {
    "not json": ('{"id": "b", "text": "خبر"', "invalid JSON (", "column"),
    "array": (
        '["id", "text"]',
        'invalid JSON (expected an object with "id" and "text", got an array)',
    ),
    "string": ('"خبر"', "got a string"),
    "no text": (
        '{"id": "b", "title": "عنوان فقط"}',
        'no text (expected a "text" or "content" field)',
    ),
    "empty text": ('{"id": "b", "text": " \\n "}', "empty text"),
    "number text": ('{"id": "b", "text": 17}', '"text" is a number, expected a string'),
    "list content": ('{"url": "u", "content": ["فقرة"]}', '"content" is an array'),
    "bool id": ('{"id": true, "text": "خبر"}', '"id" is true or false'),
    "object id": ('{"id": {"n": 1}, "text": "خبر"}', '"id" is an object'),
    "surrogate": ('{"id": "b", "text": "خبر \\ud83d"}', "unpaired surrogate (U+D83D)"),
    "too deep": ("[" * 100_000, "invalid JSON (nested too deeply)"),
    "duplicate": ('{"id": "a", "text": "خبر مكرر"}', "duplicate id 'a' (first read from"),
}


@pytest.mark.parametrize("name", sorted(JSONL_LINE_ERRORS))
def test_bad_jsonl_line_is_reported_once_and_skipped(tmp_path, name):
    bad_line, *phrases = JSONL_LINE_ERRORS[name]
    lines = ['{"id": "a", "text": "خبر أول"}', bad_line, '{"id": "c", "text": "خبر ثالث"}']
    path = write(tmp_path / "news.jsonl", "\n".join(lines) + "\n")
    articles, problems = read_all([path])
    problem = one_problem(problems, f"{path}:2", *phrases)
    assert problem.startswith(f"{path}:2: ")
    assert [article.id for article in articles] == ["a", "c"]
    # the pure half says the same, given the same lines
    problems = []
    articles = list(parse_jsonl(lines, path=path, on_error=problems.append))
    assert [article.id for article in articles] == ["a", "c"]
    assert problems == [problem]


def test_invalid_utf8_line_names_line_and_byte_offset(tmp_path):
    first = '{"id": "a", "text": "خبر"}\n'.encode()
    bad = b'{"id": "b", "text": "caf\xe9"}\n'
    path = write(tmp_path / "news.jsonl", first + bad + b'{"id": "c", "text": "ok"}\n')
    articles, problems = read_all([path])
    offset = len(first) + bad.index(b"\xe9")
    one_problem(problems, f"{path}:2", f"not valid UTF-8 (byte 0xe9 at offset {offset})")
    assert [article.id for article in articles] == ["a", "c"]


def test_jsonl_line_too_long(tmp_path):
    long_line = json.dumps({"id": "b", "text": "كلام " * 500}, ensure_ascii=False)
    lines = ['{"id": "a", "text": "قصير"}', long_line, '{"id": "c", "text": "قصير"}']
    path = write(tmp_path / "news.jsonl", "\n".join(lines))
    articles, problems = read_all([path], max_bytes=100)
    one_problem(problems, f"{path}:2", "line too long (over 100 bytes)")
    assert [article.id for article in articles] == ["a", "c"]


def test_jsonl_crlf_bom_and_utf16(tmp_path):
    lines = ['{"id": "a", "text": "سطر\\r\\nثان"}', '{"id": "b", "text": "خبر"}']
    text = "\r\n".join(lines) + "\r\n"
    for name, data in [
        ("crlf.jsonl", codecs.BOM_UTF8 + text.encode()),
        ("wide.jsonl", codecs.BOM_UTF16_LE + text.encode("utf-16-le")),
    ]:
        articles = list(read_jsonl(write(tmp_path / name, data)))
        assert [(a.id, a.text) for a in articles] == [("a", "سطر\r\nثان"), ("b", "خبر")]


def test_jsonl_error_raised_without_handler(tmp_path):
    path = write(tmp_path / "news.jsonl", '{"id": "a", "text": "خبر"}\n{oops\n')
    stream = read_jsonl(path)
    assert next(stream).id == "a"
    with pytest.raises(InputError) as raised:
        next(stream)
    assert (raised.value.path, raised.value.line) == (str(path), 2)
    assert isinstance(raised.value.__cause__, json.JSONDecodeError)


def test_parse_jsonl_takes_one_string():
    text = '{"id": "a", "text": "سطر\u2028فاصل"}\n\n{"id": "b", "text": "خبر"}\n'
    articles = list(parse_jsonl(text))
    assert [(a.id, a.text) for a in articles] == [("a", "سطر\u2028فاصل"), ("b", "خبر")]


@given(
    st.text(st.characters(blacklist_categories=("Cs",))).filter(str.strip),
    st.one_of(st.text(min_size=1).filter(str.strip).map(str.strip), st.integers()),
    st.booleans(),
)
def test_jsonl_text_is_verbatim(text, id_, ascii_only):
    line = json.dumps({"id": id_, "text": text}, ensure_ascii=ascii_only)
    (article,) = parse_jsonl([line], path="h.jsonl")
    assert article.text == text
    assert article.id == str(id_)


# ids unique across inputs


def test_same_stem_in_two_folders_keeps_the_first(tmp_path):
    first = write(tmp_path / "a" / "report.txt", GOOD)
    second = write(tmp_path / "b" / "report.txt", "خبر آخر\nنص آخر")
    write(tmp_path / "b" / "other.txt", GOOD)
    articles, problems = read_all([tmp_path / "a", tmp_path / "b"])
    one_problem(problems, second, f"duplicate id 'report' (first read from {first}); skipped")
    assert [(article.id, article.path) for article in articles] == [
        ("report", str(first)),
        ("other", str(tmp_path / "b" / "other.txt")),
    ]


def test_jsonl_id_clashing_with_a_txt_stem(tmp_path):
    txt = write(tmp_path / "n-001.txt", GOOD)
    articles, problems = read_all([txt, DATA / "news.jsonl"])
    one_problem(
        problems, f"{DATA / 'news.jsonl'}:1", f"duplicate id 'n-001' (first read from {txt})"
    )
    assert [article.id for article in articles] == ["n-001", "42", "n-003"]


# the shared corpus, when present


@pytest.fixture
def shared():
    if not SHARED.is_dir():
        pytest.skip(f"no shared corpus at {SHARED}")
    return SHARED


def test_saudinews_corpus(shared):
    path = shared / "saudinews_syria.jsonl"
    if not path.exists():
        pytest.skip(f"no {path}")
    articles, problems = read_all([path])
    assert problems == []
    assert len(articles) == 1027
    assert all(article.text.strip() for article in articles)
    assert all(article.title and article.url and article.source for article in articles)
    assert len({article.id for article in articles}) == 1027
    assert sum(article.date is not None for article in articles) >= 0.9 * 1027
    assert all(dt.date(2000, 1, 1) < a.date < dt.date(2030, 1, 1) for a in articles if a.date)


def test_seed_articles(shared):
    seeds = shared / "seeds"
    files = sorted(seeds.glob("*.txt"))
    if not files:
        pytest.skip(f"no seeds in {seeds}")
    articles, problems = read_all([seeds])
    assert problems == []
    assert [article.id for article in articles] == [path.stem for path in files]
    for article, path in zip(articles, files, strict=True):
        data = path.read_bytes()
        assert article.text == data.decode("utf-8-sig")
        first_line = next(line for line in data.decode("utf-8-sig").split("\n") if line.strip())
        assert article.title == first_line.strip()
    dates = {article.id: article.date for article in articles}
    if "002_0cc4af94058731b6" in dates:
        assert dates["002_0cc4af94058731b6"] == dt.date(2017, 7, 4)
    if "001_9b351265d7e7fd64" in dates:
        assert dates["001_9b351265d7e7fd64"] in {dt.date(2024, 12, 10), dt.date(2024, 12, 9)}
