"""Run read-only SPARQL 1.1 queries over a graph and print their answers.

The usual prefixes (``kh:``, ``ent:``, ``rdf:``, ``rdfs:``, ``skos:``, ``owl:``,
``xsd:``, ``dcterms:``, ``prov:``, plus ``art:`` and ``stmt:``) are predeclared, so
queries may leave out their PREFIX lines:

>>> from rdflib import Graph
>>> g = Graph().parse(data="@prefix kh: <https://w3id.org/khabar/ontology#> . "
...                        "<https://w3id.org/khabar/id/sdf> kh:negotiatesWith "
...                        "<https://w3id.org/khabar/id/turkey> .", format="turtle")
>>> print(format_result(run_query(g, "SELECT ?s ?o { ?s kh:negotiatesWith ?o }"), "table"))
s       | o
--------+-----------
ent:sdf | ent:turkey
<BLANKLINE>
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import cast
from urllib.parse import quote, unquote

import rdflib
from pyparsing import ParseBaseException
from rdflib import BNode, Literal, URIRef
from rdflib import namespace as rns
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.query import Result

from extractors.errors import InputError, QueryError
from ontology import ART, ENT, KH, STMT, query_files

__all__ = [
    "PREFIXES",
    "FORMATS",
    "run_query",
    "format_result",
    "resolve_query",
    "canned_queries",
    "describe_canned_queries",
    "parse_query_header",
    "bind_variable",
    "cap_rows",
]

PREFIXES: dict[str, str] = {
    "kh": str(KH),
    "ent": str(ENT),
    "art": str(ART),
    "stmt": str(STMT),
    "rdf": str(rns.RDF),
    "rdfs": str(rns.RDFS),
    "skos": str(rns.SKOS),
    "owl": str(rns.OWL),
    "xsd": str(rns.XSD),
    "dcterms": str(rns.DCTERMS),
    "prov": str(rns.PROV),
}
"""Prefixes every query may use without declaring them (a query's own PREFIX wins)."""

_XSD = PREFIXES["xsd"]

FORMATS = ("table", "csv", "tsv", "json")
"""Output formats of :func:`format_result`."""

# --------------------------------------------------------------------------- running


def run_query(g: rdflib.Graph, text: str) -> Result:
    """Parse and evaluate a read-only SPARQL 1.1 query over ``g``.

    The answer is fully evaluated before it is returned, so evaluation errors surface
    here as one-line :class:`QueryError`; so do syntax errors (with line and column)
    and update requests (INSERT, DELETE, LOAD, CLEAR, ...), which are refused.

    >>> g = rdflib.Graph()
    >>> run_query(g, "ASK { ?s ?p ?o }").askAnswer
    False
    >>> run_query(g, "SELEC ?s WHERE { ?s ?p ?o }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    extractors.errors.QueryError: SPARQL syntax error at line 1, column 1: expected ...
    >>> run_query(g, "CLEAR ALL")
    Traceback (most recent call last):
    ...
    extractors.errors.QueryError: update requests are refused: the graph is read-only
    """
    try:
        parsed = parseQuery(text)
    except ParseBaseException as err:
        if _is_update(text):
            raise QueryError("update requests are refused: the graph is read-only") from err
        raise QueryError(_syntax_message(err)) from err
    try:
        query = translateQuery(parsed, initNs=PREFIXES)
    except Exception as err:  # rdflib raises bare Exception for unknown prefixes
        raise QueryError(f"SPARQL error: {_first_line(err)}") from err
    try:
        result = g.query(query)
        _materialize(result)
    except Exception as err:  # evaluation can fail with many rdflib-internal types
        raise QueryError(f"SPARQL evaluation failed: {_first_line(err)}") from err
    if result.type == "SELECT" and _is_select_star(parsed):
        result.vars = _order_by_appearance(result.vars or [], text)
    return result


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)
    except ParseBaseException:
        return False
    return True


def _syntax_message(err: ParseBaseException) -> str:
    # pyparsing reports the alternatives it tried; keep them short and on one line.
    expected = _first_line(err.msg or "invalid syntax")
    if expected.startswith("Expected "):
        expected = "expected " + expected[len("Expected ") :]
    found = err.line[err.col - 1 : err.col + 19].strip() if err.line else ""
    where = f"line {err.lineno}, column {err.col}"
    tail = f", found {found!r}" if found else ", found end of text"
    return f"SPARQL syntax error at {where}: {expected}{tail}"


def _first_line(err: object) -> str:
    text = str(err).strip()
    return " ".join(text.splitlines()[0].split()) if text else type(err).__name__


def _materialize(result: Result) -> None:
    """Force rdflib's lazy evaluation so errors happen inside run_query."""
    if result.type == "SELECT":
        _ = result.bindings
    elif result.type in ("CONSTRUCT", "DESCRIBE"):
        assert result.graph is not None  # rdflib sets it for these two types
        _ = len(result.graph)


def _is_select_star(parsed) -> bool:
    # CompValue.get returns the key itself when it is missing, so test membership.
    return parsed[1].name == "SelectQuery" and "projection" not in parsed[1]


def _order_by_appearance(variables, text: str) -> list:
    """rdflib lists ``SELECT *`` variables in set order; use their order in the text."""
    first: dict[str, int] = {}
    for match in re.finditer(r"[?$]([\w\u00b7]+)", text):
        first.setdefault(match.group(1), match.start())
    return sorted(variables, key=lambda var: first.get(str(var), len(text)))


# --------------------------------------------------------------------------- formatting


def format_result(result: Result, fmt: str) -> str:
    """Render a query answer as text: ``table``, ``csv``, ``tsv`` or ``json``.

    SELECT gives an aligned table (display-width aware: Arabic marks take no room),
    SPARQL 1.1 CSV, TSV or JSON results. ASK gives ``true``/``false`` (JSON:
    ``{"head": {}, "boolean": ...}``). CONSTRUCT and DESCRIBE give Turtle for
    ``table``, N-Triples for ``csv`` and ``tsv``, and JSON-LD for ``json``.

    CSV and JSON are rdflib's own SPARQL results serializers. TSV and the table are
    written here: rdflib has no TSV results serializer, and its ``txt`` table shows
    N-Triples terms with full IRIs, padded by code points (Arabic marks misalign it).

    >>> g = rdflib.Graph()
    >>> format_result(run_query(g, "ASK { }"), "json")
    '{"head":{},"boolean":true}\\n'
    >>> format_result(run_query(g, 'SELECT ?x { BIND("سلام"@ar AS ?x) }'), "tsv")
    '?x\\n"سلام"@ar\\n'
    >>> format_result(run_query(g, 'SELECT ?x { BIND("سلام"@ar AS ?x) }'), "csv")
    'x\\r\\nسلام\\r\\n'
    """
    if fmt not in FORMATS:
        raise QueryError(f"unknown output format {fmt!r}; use one of {', '.join(FORMATS)}")
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        assert result.graph is not None  # rdflib sets it for these two types
        return _format_graph(result.graph, fmt)
    if fmt == "json":
        return _serialized(result, "json") + "\n"
    if fmt == "csv" and result.type == "SELECT":
        return _serialized(result, "csv")
    if result.type == "ASK":
        return ("true" if result.askAnswer else "false") + "\n"
    names = result.vars or []
    variables = [str(var) for var in names]
    rows = [[row.get(var) for var in names] for row in result.bindings]
    return {"table": _table, "tsv": _tsv}[fmt](variables, rows)


def _serialized(result: Result, fmt: str) -> str:
    data = result.serialize(format=fmt, encoding="utf-8")
    assert data is not None  # rdflib returns the bytes when given no destination
    return data.decode("utf-8")


def _format_graph(graph: rdflib.Graph, fmt: str) -> str:
    out = rdflib.Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace)
    for prefix, namespace in graph.namespaces():
        if prefix not in PREFIXES:
            out.bind(prefix, namespace)
    for triple in graph:
        out.add(triple)
    if fmt == "json":
        text = out.serialize(format="json-ld", context=dict(PREFIXES), ensure_ascii=False)
    elif fmt == "table":
        text = out.serialize(format="turtle")
    else:
        text = out.serialize(format="nt")
    return text if text.endswith("\n") else text + "\n"


def _table(variables: list[str], rows: list[list]) -> str:
    cells = [[_display(term) for term in row] for row in rows]
    widths = [_width(var) for var in variables]
    for row in cells:
        widths = [max(w, _width(cell)) for w, cell in zip(widths, row, strict=True)]
    numeric = [
        bool(rows) and all(row[i] is None or _is_number(row[i]) for row in rows)
        for i in range(len(variables))
    ]

    def line(values: list[str]) -> str:
        parts = []
        for i, value in enumerate(values):
            pad = " " * (widths[i] - _width(value))
            parts.append(pad + value if numeric[i] else value + pad)
        return " | ".join(parts).rstrip()

    out = [line(variables), "-+-".join("-" * w for w in widths)]
    out.extend(line(row) for row in cells)
    return "\n".join(out) + "\n"


def _display(term) -> str:
    """A term as a person reads it: prefixed IRIs, plain literal text, one line."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, namespace in PREFIXES.items():
            local = text[len(namespace) :]
            if text.startswith(namespace) and local and re.fullmatch(r"[\w.%/\-]+", local):
                return f"{prefix}:{_readable(local)}"
        return _readable(text)
    if isinstance(term, BNode):
        return f"_:{term}"
    return " ".join(str(term).split()) if re.search(r"\s", str(term)) else str(term)


def _readable(text: str) -> str:
    """Undo percent-encoding of non-ASCII letters for display («%D9%85» -> «م»)."""
    if "%" not in text:
        return text
    decoded = unquote(text, errors="strict") if _is_utf8_escapes(text) else text
    return decoded if not re.search(r"[\s\x00-\x1f]", decoded) else text


def _is_utf8_escapes(text: str) -> bool:
    raw = re.sub(r"%([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), text)
    try:
        raw.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return False
    return True


def _width(text: str) -> int:
    """Terminal columns ``text`` takes: wide East Asian forms count 2, marks 0.

    >>> _width("abc"), _width("كَتَبَ"), _width("漢字")
    (3, 3, 4)
    """
    total = 0
    for char in text:
        if unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        total += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return total


_NUMERIC = {_XSD + name for name in ("integer", "decimal", "double", "float", "int", "long")}


def _is_number(term) -> bool:
    return (
        isinstance(term, Literal) and term.datatype is not None and (str(term.datatype) in _NUMERIC)
    )


def _tsv(variables: list[str], rows: list[list]) -> str:
    # SPARQL 1.1 Query Results TSV: terms in Turtle syntax (rdflib has no TSV serializer).
    out = ["\t".join(f"?{var}" for var in variables)]
    out.extend("\t".join("" if term is None else _ntriples(term) for term in row) for row in rows)
    return "\n".join(out) + "\n"


def _ntriples(term) -> str:
    """A term in N-Triples / Turtle syntax, with numbers and booleans written bare."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    datatype = str(term.datatype) if term.datatype else None
    lexical = str(term)
    if datatype == _XSD + "integer" and re.fullmatch(r"[+-]?\d+", lexical):
        return lexical
    if datatype == _XSD + "decimal" and re.fullmatch(r"[+-]?\d*\.\d+", lexical):
        return lexical
    if datatype == _XSD + "boolean" and lexical in ("true", "false"):
        return lexical
    quoted = '"' + _escape(lexical) + '"'
    if term.language:
        return f"{quoted}@{term.language}"
    if datatype and datatype != _XSD + "string":
        return f"{quoted}^^<{datatype}>"
    return quoted


def _escape(text: str) -> str:
    table = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return "".join(table.get(char, char) for char in text)


# --------------------------------------------------------------------------- canned queries


def canned_queries() -> dict[str, Path]:
    """The shipped queries of ``ontology/queries``, by name (the file stem).

    >>> sorted(canned_queries())[:2]
    ['actor', 'actors-by-type']
    """
    return {path.stem: path for path in query_files()}


def parse_query_header(text: str) -> tuple[str, dict[str, str]]:
    """The description (first comment line) and ``# param: name — what`` lines of a query.

    >>> parse_query_header("# Who talks.\\n# param: a — first actor\\nSELECT * {}")
    ('Who talks.', {'a': 'first actor'})
    """
    description = ""
    params: dict[str, str] = {}
    for number, line in enumerate(text.splitlines()):
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        comment = stripped.lstrip("#").strip()
        match = re.fullmatch(r"param:\s*([A-Za-z_]\w*)\s*(?:[—–:-]+\s*(.*))?", comment)
        if match:
            params[match.group(1)] = (match.group(2) or "").strip()
        elif number == 0:
            description = comment
    return description, params


def describe_canned_queries() -> str:
    """A listing of the canned queries: name, description and parameters, one per line.

    >>> print(describe_canned_queries().splitlines()[0][:40])
    actor           Everything about one act
    """
    queries = canned_queries()
    if not queries:
        return "no canned queries found in ontology/queries"
    width = max(len(name) for name in queries) + 2
    lines = []
    for name, path in queries.items():
        description, params = parse_query_header(path.read_text(encoding="utf-8"))
        if params:
            description += "  [" + " ".join(f"--param {p}=…" for p in params) + "]"
        lines.append(f"{name:<{width}}{description}".rstrip())
    return "\n".join(lines)


# --------------------------------------------------------------------------- resolving


def resolve_query(arg: str, *, params: dict[str, str] | None = None) -> str:
    """The query text for ``arg``, with ``params`` bound.

    ``arg`` is ``@path.rq`` (read that file), the name of a canned query
    (``negotiations`` loads ``ontology/queries/negotiations.rq``), or the query text.

    Each ``NAME=VALUE`` of ``params`` binds ``?NAME`` with a VALUES clause: the data of
    a ``VALUES ?NAME { … }`` clause already in the query is replaced (canned queries
    have one per parameter, see their header), or ``VALUES ?NAME { value }`` is put
    first in the WHERE clause. VALUE becomes an IRI when written ``<…>``, when it
    starts with ``http://``, ``https://`` or ``urn:``, or when it is a prefixed name
    with a predeclared prefix (``ent:sdf``; non-ASCII characters of the local name are
    percent-encoded); a number or an ``xsd:date`` (``2019-01-31``) when it looks like
    one; a literal as written when it is in Turtle syntax (``"دمشق"@ar``); and a
    string otherwise. A canned query needs all its declared parameters and no others.

    >>> resolve_query("SELECT ?o WHERE { ?s kh:negotiatesWith ?o }", params={"s": "ent:sdf"})
    'SELECT ?o WHERE { VALUES ?s { <https://w3id.org/khabar/id/sdf> } ?s kh:negotiatesWith ?o }'
    >>> print(resolve_query("actor", params={"actor": "قسد"}).count('VALUES ?actor { "قسد" }'))
    1
    """
    params = dict(params or {})
    queries = canned_queries()
    if arg.startswith("@"):
        path = Path(arg[1:]).expanduser()
        text = _read_query_file(path)
        name = f"query file {path}"
    elif arg.strip() in queries:
        text = queries[arg.strip()].read_text(encoding="utf-8")
        name = f"query {arg.strip()!r}"
    elif re.fullmatch(r"[\w-]+", arg.strip()):
        known = ", ".join(sorted(queries)) or "(none)"
        raise InputError(f"no canned query named {arg.strip()!r}; known: {known}")
    else:
        name = "the query"
        text = arg
    _check_params(text, params, name=name)
    for var, value in params.items():
        text = bind_variable(text, var, _term(value))
    return text


def _read_query_file(path: Path) -> str:
    if not path.is_file():
        raise InputError("no such query file", path=path)
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read query file: {err.__class__.__name__}", path=path) from err


def _check_params(text: str, params: dict[str, str], *, name: str) -> None:
    _, declared = parse_query_header(text)
    for var in params:
        if not re.fullmatch(r"[A-Za-z_]\w*", var):
            raise InputError(f"invalid parameter name {var!r}: use letters, digits and _")
    if declared:
        unknown = sorted(set(params) - set(declared))
        missing = [var for var in declared if var not in params]
        if unknown:
            raise InputError(
                f"{name} has no parameter {unknown[0]!r}; it takes {', '.join(declared)}"
            )
        if missing:
            raise InputError(f"{name} needs the parameter {missing[0]}=VALUE")
    present = {tok.text[1:] for tok in _tokens(text) if tok.kind == "var"}
    for var in params:
        if var not in present:
            raise InputError(f"{name} has no variable ?{var} to bind")


_PREFIXED = re.compile(r"([A-Za-z][\w.-]*):(\S+)")
_LITERAL = re.compile(r'"(?:[^"\\\n\r]|\\.)*"(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^<[^<>"\s]*>)?')


def _term(value: str) -> str:
    """A parameter value as a SPARQL term (see resolve_query)."""
    value = value.strip()
    if re.fullmatch(r"<[^<>\"{}|^`\\\x00-\x20]*>", value):
        return value
    if re.fullmatch(r"(?:https?://|urn:)[^<>\"{}|^`\\\x00-\x20]+", value):
        return f"<{value}>"
    match = _PREFIXED.fullmatch(value)
    if match and match.group(1) in PREFIXES:
        local = quote(match.group(2), safe="-._~!$&'()*+,;=:@/%")
        return f"<{PREFIXES[match.group(1)]}{local}>"
    if re.fullmatch(r"[+-]?\d+(?:\.\d+)?", value):
        return value
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return f'"{value}"^^<{_XSD + "date"}>'
    if _LITERAL.fullmatch(value):
        return value
    return '"' + _escape(value) + '"'


class _Token:
    __slots__ = ("kind", "text", "start", "end")

    def __init__(self, kind: str, text: str, start: int, end: int) -> None:
        self.kind, self.text, self.start, self.end = kind, text, start, end


_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
                |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w\u00b7]+)
    | (?P<pname>(?:[A-Za-z][\w.-]*)?:[\w.%:-]*)
    | (?P<number>\d+)
    | (?P<word>[A-Za-z_]\w*)
    | (?P<open>\{)
    | (?P<close>\})
    | (?P<space>\s+)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def _tokens(text: str) -> list[_Token]:
    """SPARQL text cut just enough to find keywords, variables and braces safely."""
    return [
        _Token(cast(str, m.lastgroup), m.group(), m.start(), m.end())  # every branch is named
        for m in _TOKEN.finditer(text)
        if m.lastgroup not in ("space", "comment")
    ]


def bind_variable(text: str, var: str, term: str) -> str:
    """Bind ``?var`` to the SPARQL ``term`` in ``text`` with a VALUES clause.

    Replaces the data of every ``VALUES ?var { … }`` clause, or else inserts one at
    the start of the WHERE clause (on the same line, so error positions stay true).

    >>> bind_variable('SELECT * { VALUES ?x { "a" } ?x ?p ?o }', "x", "<urn:b>")
    'SELECT * { VALUES ?x { <urn:b> } ?x ?p ?o }'
    >>> bind_variable("CONSTRUCT { ?x ?p ?o } WHERE { ?x ?p ?o }", "x", "<urn:b>")
    'CONSTRUCT { ?x ?p ?o } WHERE { VALUES ?x { <urn:b> } ?x ?p ?o }'
    """
    tokens = _tokens(text)
    spans = []
    for i, tok in enumerate(tokens[:-3]):
        if (
            tok.kind == "word"
            and tok.text.upper() == "VALUES"
            and tokens[i + 1].kind == "var"
            and tokens[i + 1].text[1:] == var
            and tokens[i + 2].kind == "open"
        ):
            close = next((t for t in tokens[i + 3 :] if t.kind in ("open", "close")), None)
            if close is not None and close.kind == "close":
                spans.append((tokens[i + 2].end, close.start))
    if spans:
        for start, end in reversed(spans):
            text = text[:start] + f" {term} " + text[end:]
        return text
    brace = _where_brace(tokens)
    if brace is None:
        raise QueryError(f"cannot bind ?{var}: the query has no WHERE clause")
    return text[: brace + 1] + f" VALUES ?{var} {{ {term} }}" + text[brace + 1 :]


def _where_brace(tokens: list[_Token]) -> int | None:
    """Offset of the ``{`` that opens the query's (outermost) WHERE clause."""
    depth = 0
    form = None
    after_where = False
    for tok in tokens:
        if tok.kind == "word" and depth == 0:
            keyword = tok.text.upper()
            if keyword in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE") and form is None:
                form = keyword
            elif keyword == "WHERE":
                after_where = True
        elif tok.kind == "open":
            if depth == 0 and (after_where or form in ("SELECT", "ASK", "DESCRIBE")):
                return tok.start
            depth += 1
        elif tok.kind == "close":
            depth = max(depth - 1, 0)
    return None


def cap_rows(text: str, max_rows: int | None) -> str:
    r"""Put a LIMIT of ``max_rows`` on a query's results (lowering a larger one).

    ASK queries and queries ending in a VALUES block are left as they are; so is
    a LIMIT inside a subquery. Uses the same tokens as :func:`bind_variable`, so
    braces and keywords inside strings, IRIs and comments are not mistaken.

    >>> cap_rows("SELECT * WHERE { ?s ?p ?o }", 100)
    'SELECT * WHERE { ?s ?p ?o }\nLIMIT 100'
    >>> cap_rows("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 5000 OFFSET 10", 100)
    'SELECT * WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 100 OFFSET 10'
    >>> cap_rows("ASK { ?s ?p ?o }", 100)
    'ASK { ?s ?p ?o }'
    >>> cap_rows('SELECT * { ?s ?p "}" } # LIMIT 5000', 10)
    'SELECT * { ?s ?p "}" } # LIMIT 5000\nLIMIT 10'
    """
    tokens = _tokens(text)
    form = next(
        (
            tok
            for tok in tokens
            if tok.kind == "word" and tok.text.upper() in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
        ),
        None,
    )
    if max_rows is None or form is None or form.text.upper() == "ASK":
        return text
    tail = _after_where(tokens)
    if tail is None:  # DESCRIBE <iri>: no WHERE clause
        tail = tokens[tokens.index(form) + 1 :]
    if any(
        tok.kind == "open" or (tok.kind == "word" and tok.text.upper() == "VALUES") for tok in tail
    ):
        return text
    for i, tok in enumerate(tail[:-1]):
        if tok.kind == "word" and tok.text.upper() == "LIMIT" and tail[i + 1].kind == "number":
            number = tail[i + 1]
            if int(number.text) <= max_rows:
                return text
            return text[: number.start] + str(max_rows) + text[number.end :]
    return text.rstrip() + f"\nLIMIT {max_rows}"


def _after_where(tokens: list[_Token]) -> list[_Token] | None:
    """The tokens after the query's WHERE clause (its modifiers), or None without one."""
    brace = _where_brace(tokens)
    if brace is None:
        return None
    depth = 0
    for i, tok in enumerate(tokens):
        if tok.start < brace:
            continue
        depth += {"open": 1, "close": -1}.get(tok.kind, 0)
        if depth == 0:
            return tokens[i + 1 :]
    return []
