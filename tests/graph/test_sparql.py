"""Tests for graph.sparql: running, formatting, canned queries and parameters.

The fixture tests/data/query_graph.ttl documents the answers checked here.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from extractors.errors import InputError, QueryError
from graph.serialize import read_graph
from graph.sparql import (
    PREFIXES,
    bind_variable,
    canned_queries,
    cap_rows,
    describe_canned_queries,
    format_result,
    parse_query_header,
    resolve_query,
    run_query,
)
from ontology import ENT, KH

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "data" / "query_graph.ttl"


@pytest.fixture(scope="module")
def g() -> rdflib.Graph:
    return read_graph(FIXTURE)


def rows(result) -> list[tuple]:
    """Each row as a tuple of plain strings (None when unbound)."""
    return [
        tuple(None if row.get(var) is None else str(row.get(var)) for var in result.vars)
        for row in result.bindings
    ]


def column(result, name: str) -> list:
    index = [str(var) for var in result.vars].index(name)
    return [row[index] for row in rows(result)]


def ent(name: str) -> str:
    return str(ENT[name])


# --------------------------------------------------------------------------- run_query


def test_select_with_predeclared_prefixes(g):
    result = run_query(g, "SELECT ?l WHERE { ent:sdf skos:altLabel ?l FILTER(LANG(?l) = 'ar') }")
    assert rows(result) == [("قسد",)]


def test_own_prefix_declaration_wins(g):
    text = "PREFIX kh: <http://example.org/other#> SELECT ?s WHERE { ?s kh:negotiatesWith ?o }"
    assert rows(run_query(g, text)) == []


def test_select_star_lists_variables_in_order_of_appearance(g):
    result = run_query(g, "SELECT * WHERE { ?zeta dcterms:identifier ?alpha ; dcterms:date ?mid }")
    assert [str(var) for var in result.vars] == ["zeta", "alpha", "mid"]


def test_ask(g):
    assert run_query(g, "ASK { ent:turkey kh:attacks ent:sdf }").askAnswer is True
    assert run_query(g, "ASK { ent:sdf kh:attacks ent:turkey }").askAnswer is False


def test_construct(g):
    result = run_query(g, "CONSTRUCT { ?o kh:attackedBy ?s } WHERE { ?s kh:attacks ?o }")
    expected = rdflib.Graph()
    expected.add((ENT["sdf"], KH.attackedBy, ENT["turkey"]))
    expected.add((ENT["syrian-government"], KH.attackedBy, ENT["isis"]))
    assert isomorphic(result.graph, expected)


def test_syntax_error_is_one_line_with_position(g):
    text = "SELECT ?s WHERE {\n  ?s kh:negotiatesWith ?o\n  FILTER(?o = ) }"
    with pytest.raises(QueryError) as info:
        run_query(g, text)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("SPARQL syntax error at line ")
    assert "column" in message


def test_syntax_error_reports_first_line(g):
    with pytest.raises(QueryError, match=r"line 1, column 1:.*found 'SELEC"):
        run_query(g, "SELEC ?s WHERE { ?s ?p ?o }")


def test_unknown_prefix_is_a_query_error(g):
    with pytest.raises(QueryError, match="nope"):
        run_query(g, "SELECT ?s WHERE { ?s nope:x ?o }")


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { ent:sdf kh:attacks ent:turkey }",
        "DELETE WHERE { ?s kh:attacks ?o }",
        "DELETE { ?s ?p ?o } INSERT { ?o ?p ?s } WHERE { ?s ?p ?o }",
        "LOAD <http://127.0.0.1:9/nothing.ttl>",
        "CLEAR ALL",
        "DROP DEFAULT",
    ],
)
def test_updates_are_refused(update):
    g = read_graph(FIXTURE)
    before = len(g)
    with pytest.raises(QueryError, match="update requests are refused"):
        run_query(g, update)
    assert len(g) == before


# --------------------------------------------------------------------------- format_result

LABELS = """SELECT ?id ?date ?title WHERE {
  ?a a kh:Article ; dcterms:identifier ?id ; dcterms:title ?title
  OPTIONAL { ?a dcterms:date ?date }
} ORDER BY ?id"""


def test_table_is_aligned(g):
    text = format_result(run_query(g, LABELS), "table")
    lines = text.splitlines()
    assert lines[0].split(" | ") == ["id", "date      ", "title"]
    assert set(lines[1]) == {"-", "+"}
    assert lines[2].startswith("a1 | 2019-01-10 | جولة تفاوض أولى بين دمشق وقسد")
    assert lines[5] == "a4 |            | انسحاب من منبج"  # unbound cell, trailing spaces dropped
    assert text.endswith("\n")


def test_table_width_ignores_arabic_marks(g):
    # «كَتَبَ» is six code points but three columns wide; «abcd» is four.
    result = run_query(g, 'SELECT ?x ?y { VALUES (?x ?y) { ("كَتَبَ" "z") ("abcd" "z") } }')
    lines = format_result(result, "table").splitlines()
    assert lines[2] == "كَتَبَ  | z"
    assert lines[3] == "abcd | z"


def test_table_right_aligns_numbers_and_shortens_iris(g):
    result = run_query(g, resolve_query("actors-by-type"))
    lines = format_result(result, "table").splitlines()
    assert lines[2].startswith("kh:ArmedGroup   | ent:sdf ")
    assert lines[2].endswith("|          5")
    assert any("ent:مرصد-محلي" in line for line in lines)  # percent-encoding undone


def test_csv(g):
    text = format_result(run_query(g, LABELS), "csv")
    assert text.startswith("id,date,title\r\n")
    table = list(csv.reader(io.StringIO(text)))
    assert table[1] == ["a1", "2019-01-10", "جولة تفاوض أولى بين دمشق وقسد"]
    assert table[4] == ["a4", "", "انسحاب من منبج"]


def test_csv_writes_full_iris(g):
    text = format_result(run_query(g, "SELECT ?s { ?s kh:withdrawsFrom ?o }"), "csv")
    assert text == f"s\r\n{ent('sdf')}\r\n"


def test_tsv_uses_turtle_terms(g):
    query = """SELECT ?s ?l ?d ?n {
        ?s skos:altLabel ?l . FILTER(?l = 'قسد'@ar)
        BIND('2019-01-31'^^xsd:date AS ?d) BIND(3 AS ?n) }"""
    result = run_query(g, query)
    assert format_result(result, "tsv") == (
        "?s\t?l\t?d\t?n\n"
        f'<{ent("sdf")}>\t"قسد"@ar\t"2019-01-31"^^<http://www.w3.org/2001/XMLSchema#date>\t3\n'
    )


def test_tsv_escapes_tabs_and_quotes(g):
    result = run_query(g, 'SELECT ?x { BIND("a\\tb \\"c\\"" AS ?x) }')
    assert format_result(result, "tsv") == '?x\n"a\\tb \\"c\\""\n'


def test_json_is_sparql_results(g):
    data = json.loads(format_result(run_query(g, LABELS), "json"))
    assert data["head"] == {"vars": ["id", "date", "title"]}
    first, *_, last = data["results"]["bindings"]
    assert first["id"] == {"type": "literal", "value": "a1"}
    assert first["date"] == {
        "type": "literal",
        "value": "2019-01-10",
        "datatype": "http://www.w3.org/2001/XMLSchema#date",
    }
    assert first["title"] == {
        "type": "literal",
        "value": "جولة تفاوض أولى بين دمشق وقسد",
        "xml:lang": "ar",
    }
    assert "date" not in last  # unbound: left out


def test_json_keeps_arabic_readable(g):
    text = format_result(run_query(g, "SELECT ?l { ent:isis skos:altLabel ?l }"), "json")
    assert "داعش" in text


def test_json_uri(g):
    data = json.loads(
        format_result(run_query(g, "SELECT ?o { ent:sdf kh:withdrawsFrom ?o }"), "json")
    )
    assert data["results"]["bindings"] == [{"o": {"type": "uri", "value": ent("manbij")}}]


@pytest.mark.parametrize(
    ("query", "fmt", "expected"),
    [
        ("ASK { ent:turkey kh:attacks ent:sdf }", "table", "true\n"),
        ("ASK { ent:sdf kh:attacks ent:turkey }", "table", "false\n"),
        ("ASK { ent:turkey kh:attacks ent:sdf }", "csv", "true\n"),
        ("ASK { ent:sdf kh:attacks ent:turkey }", "tsv", "false\n"),
    ],
)
def test_ask_formats(g, query, fmt, expected):
    assert format_result(run_query(g, query), fmt) == expected


@pytest.mark.parametrize("answer", [True, False])
def test_ask_json_is_sparql_results(g, answer):
    query = "ASK { ent:turkey kh:attacks ent:sdf }" if answer else "ASK { ent:sdf kh:attacks ?x }"
    text = format_result(run_query(g, query), "json")
    assert json.loads(text) == {"head": {}, "boolean": answer}
    assert text.endswith("\n")


CONSTRUCT = "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a kh:Country ; rdfs:label ?l }"


def expected_countries() -> rdflib.Graph:
    expected = rdflib.Graph()
    for name, ar, en in (("russia", "روسيا", "Russia"), ("turkey", "تركيا", "Turkey")):
        expected.add((ENT[name], rdflib.RDFS.label, rdflib.Literal(ar, lang="ar")))
        expected.add((ENT[name], rdflib.RDFS.label, rdflib.Literal(en, lang="en")))
    return expected


@pytest.mark.parametrize(
    ("fmt", "rdf_format"), [("table", "turtle"), ("json", "json-ld"), ("csv", "nt"), ("tsv", "nt")]
)
def test_construct_formats(g, fmt, rdf_format):
    text = format_result(run_query(g, CONSTRUCT), fmt)
    parsed = rdflib.Graph().parse(data=text, format=rdf_format)
    assert isomorphic(parsed, expected_countries())


def test_construct_table_is_turtle_with_prefixes(g):
    text = format_result(run_query(g, CONSTRUCT), "table")
    assert "@prefix ent: <https://w3id.org/khabar/id/> ." in text
    assert '"روسيا"@ar' in text


def test_describe_gives_turtle(g):
    text = format_result(run_query(g, "DESCRIBE ent:manbij"), "table")
    parsed = rdflib.Graph().parse(data=text, format="turtle")
    assert (ENT["manbij"], rdflib.RDFS.label, rdflib.Literal("منبج", lang="ar")) in parsed


def test_unknown_format(g):
    with pytest.raises(QueryError, match="unknown output format 'xml'"):
        format_result(run_query(g, "ASK {}"), "xml")


# --------------------------------------------------------------------------- canned queries

CANNED_PARAMS = {
    "actor": {"actor": "قسد"},
    "timeline": {"a": "روسيا", "b": "تركيا"},
}


def test_canned_queries_are_the_expected_set():
    assert sorted(canned_queries()) == [
        "actor",
        "actors-by-type",
        "contradictions",
        "negotiations",
        "sources",
        "timeline",
    ]


@pytest.mark.parametrize("name", sorted(canned_queries()))
def test_canned_query_has_header_and_runs(g, name):
    text = canned_queries()[name].read_text(encoding="utf-8")
    assert text.startswith("# ")
    description, params = parse_query_header(text)
    assert description and description[0].isupper()
    assert sorted(params) == sorted(CANNED_PARAMS.get(name, {}))
    assert all(params.values())
    result = run_query(g, resolve_query(name, params=CANNED_PARAMS.get(name)))
    assert result.type == "SELECT"
    assert rows(result), f"{name} found nothing on the fixture"


def test_describe_canned_queries_lists_each_with_description():
    listing = describe_canned_queries().splitlines()
    assert [line.split()[0] for line in listing] == sorted(canned_queries())
    negotiations = next(line for line in listing if line.startswith("negotiations "))
    assert "Who negotiates with whom" in negotiations
    timeline = next(line for line in listing if line.startswith("timeline "))
    assert "--param a=" in timeline and "--param b=" in timeline


def test_negotiations(g):
    result = run_query(g, resolve_query("negotiations"))
    assert rows(result) == [
        (ent("russia"), "روسيا", ent("turkey"), "تركيا", "2", "2", "2019-01-15", "2019-02-01"),
        (
            ent("sdf"),
            "قوات سوريا الديمقراطية",
            ent("syrian-government"),
            "الحكومة السورية",
            "2",
            "2",
            "2019-01-10",
            "2019-01-15",
        ),
    ]


def test_contradictions_find_a_claim_asserted_and_denied_elsewhere(g):
    result = run_query(g, resolve_query("contradictions"))
    found = {(s, p, o, yes, no) for s, p, o, yes, _, no, *_ in rows(result)}
    claim = (ent("syrian-government"), str(KH.negotiatesWith), ent("sdf"))
    assert found == {(*claim, "a1", "a3"), (*claim, "a2", "a3")}  # a2 says it the other way round
    assert "نفت" in column(result, "deniedEvidence")[0]


def test_contradictions_need_another_article(g):
    h = rdflib.Graph()
    for triple in g:
        h.add(triple)
    # s3's denial moves into a1, the article that asserts the claim (s1): only a2 is left.
    h.remove(
        (rdflib.URIRef("https://w3id.org/khabar/statement/s3"), rdflib.PROV.wasDerivedFrom, None)
    )
    h.add(
        (
            rdflib.URIRef("https://w3id.org/khabar/statement/s3"),
            rdflib.PROV.wasDerivedFrom,
            rdflib.URIRef("https://w3id.org/khabar/article/a1"),
        )
    )
    result = run_query(h, resolve_query("contradictions"))
    assert column(result, "assertedIn") == ["a2"]
    assert column(result, "deniedIn") == ["a1"]


def test_sources(g):
    result = run_query(g, resolve_query("sources"))
    summary = [
        (name, via, claims, denied, articles)
        for _, name, via, claims, denied, articles, *_ in rows(result)
    ]
    assert summary == [
        ("صحيفة المدار", "outlet", "6", "1", "2"),
        ("https://news.example.org/a2", "outlet", "3", "1", "1"),
        ("المرصد المحلي للرصد الميداني", "attributed", "1", "0", "1"),
        ("مصدر أمني", "attributed", "1", "0", "1"),
    ]


def test_actors_by_type(g):
    result = run_query(g, resolve_query("actors-by-type"))
    found = [(t.split("#")[1], a.rsplit("/", 1)[1], n) for t, a, _, _, n in rows(result)]
    assert found == [
        ("ArmedGroup", "sdf", "5"),
        ("ArmedGroup", "isis", "2"),
        ("Country", "turkey", "3"),  # a tie: «تركيا» sorts before «روسيا»
        ("Country", "russia", "3"),
        ("GenericActor", "security-source", "0"),
        ("Government", "syrian-government", "6"),
        ("Organization", "%D9%85%D8%B1%D8%B5%D8%AF-%D9%85%D8%AD%D9%84%D9%8A", "0"),
        ("Place", "manbij", "1"),
    ]


def test_timeline_in_date_order_with_denials(g):
    result = run_query(g, resolve_query("timeline", params={"a": "دمشق", "b": "SDF"}))
    assert column(result, "date") == ["2019-01-10", "2019-01-15", "2019-02-01"]
    assert column(result, "article") == ["a1", "a2", "a3"]
    assert column(result, "negated") == [None, None, "true"]
    assert column(result, "modality") == [str(KH.Asserted), str(KH.Reported), None]


def test_timeline_is_symmetric_in_its_parameters(g):
    forward = run_query(g, resolve_query("timeline", params={"a": "russia", "b": "turkey"}))
    backward = run_query(g, resolve_query("timeline", params={"a": "Turkey", "b": "موسكو"}))
    assert rows(forward) == rows(backward)
    assert column(forward, "article") == ["a2", "a3"]


@pytest.mark.parametrize(
    "actor",
    [
        "قسد",  # skos:altLabel
        "قوات سوريا الديمقراطية",  # rdfs:label
        "syrian democratic FORCES",  # English label, any case
        "sdf",  # ent: local name (and an alternative label, same entity)
        "ent:sdf",
        "https://w3id.org/khabar/id/sdf",
        "<https://w3id.org/khabar/id/sdf>",
    ],
)
def test_actor_accepts_iri_name_or_label(g, actor):
    result = run_query(g, resolve_query("actor", params={"actor": actor}))
    assert set(column(result, "entity")) == {ent("sdf")}
    roles = column(result, "role")
    assert roles.count("property") == 5  # the class, two labels, two alternative labels
    assert roles.count("subject") == 2 and roles.count("object") == 3
    negated = [row for row in rows(result) if "true" in row]
    assert len(negated) == 1 and negated[0][7] == "a3"


def test_actor_by_percent_encoded_local_name(g):
    for actor in ("مرصد-محلي", "ent:مرصد-محلي"):
        result = run_query(g, resolve_query("actor", params={"actor": actor}))
        assert column(result, "role") == ["property", "property", "source"]
        assert column(result, "predicate")[-1] == str(KH.supports)


def test_actor_unknown_gives_no_rows(g):
    assert rows(run_query(g, resolve_query("actor", params={"actor": "لا أحد"}))) == []


# --------------------------------------------------------------------------- resolve_query


def test_resolve_text_is_returned_unchanged():
    text = "SELECT ?s WHERE { ?s ?p ?o }"
    assert resolve_query(text, params={}) == text


def test_resolve_canned_by_name():
    assert resolve_query("negotiations") == canned_queries()["negotiations"].read_text("utf-8")


def test_resolve_query_file(tmp_path, g):
    path = tmp_path / "mine.rq"
    path.write_text("# Mine.\nSELECT ?o WHERE { ent:sdf kh:withdrawsFrom ?o }\n", encoding="utf-8")
    assert rows(run_query(g, resolve_query(f"@{path}"))) == [(ent("manbij"),)]


def test_resolve_missing_file_names_it(tmp_path):
    missing = tmp_path / "missing.rq"
    with pytest.raises(InputError) as info:
        resolve_query(f"@{missing}")
    assert str(missing) in str(info.value)
    assert "\n" not in str(info.value)


def test_resolve_unknown_name():
    with pytest.raises(InputError, match="no canned query named 'negotiation'; known: actor"):
        resolve_query("negotiation")


def test_resolve_missing_and_unknown_parameters():
    with pytest.raises(InputError, match="needs the parameter actor=VALUE"):
        resolve_query("actor")
    with pytest.raises(InputError, match="needs the parameter b=VALUE"):
        resolve_query("timeline", params={"a": "x"})
    with pytest.raises(InputError, match="has no parameter 'who'"):
        resolve_query("actor", params={"actor": "x", "who": "y"})
    with pytest.raises(InputError, match="invalid parameter name"):
        resolve_query("SELECT ?s { ?s ?p ?o }", params={"s-1": "x"})


def test_param_must_name_a_variable_of_the_query():
    with pytest.raises(InputError, match=r"has no variable \?x"):
        resolve_query(
            "SELECT ?s WHERE { ?s ?p ?o # ?x in a comment does not count\n}", params={"x": "1"}
        )


def test_param_binds_free_text_query(g):
    text = resolve_query(
        "SELECT ?o WHERE { ?s kh:negotiatesWith ?o } ORDER BY ?o", params={"s": "ent:turkey"}
    )
    assert rows(run_query(g, text)) == [(ent("russia"),)]


def test_param_date_compares_as_date(g):
    text = resolve_query(
        "SELECT ?id WHERE { ?a dcterms:identifier ?id ; dcterms:date ?d FILTER(?d >= ?since) }"
        " ORDER BY ?id",
        params={"since": "2019-01-15"},
    )
    assert column(run_query(g, text), "id") == ["a2", "a3"]


def test_param_number_and_literal(g):
    text = resolve_query(
        "SELECT ?st WHERE { ?st kh:confidence ?c FILTER(?c > ?min) }", params={"min": "0.9"}
    )
    assert column(run_query(g, text), "st") == ["https://w3id.org/khabar/statement/s8"]
    text = resolve_query("SELECT ?s WHERE { ?s rdfs:label ?l }", params={"l": '"Manbij"@en'})
    assert column(run_query(g, text), "s") == [ent("manbij")]


def test_param_string_is_escaped(g):
    text = resolve_query("SELECT ?x WHERE { BIND(STRLEN(?v) AS ?x) }", params={"v": 'a "b" \\ c'})
    assert column(run_query(g, text), "x") == ["9"]


def test_param_goes_into_where_not_into_construct_template(g):
    text = resolve_query(
        "CONSTRUCT { ?s kh:saidToTalkTo ?o } WHERE { ?s kh:negotiatesWith ?o }",
        params={"s": "ent:russia"},
    )
    assert text.index("VALUES") > text.index("WHERE")
    result = run_query(g, text)
    assert set(result.graph) == {(ENT["russia"], KH.saidToTalkTo, ENT["turkey"])}


def test_param_keeps_error_positions(g):
    text = resolve_query("SELECT ?s WHERE {\n ?s ?p ?o .\n FILTER(?s = ) }", params={"s": "1"})
    with pytest.raises(QueryError, match="at line 3"):
        run_query(g, text)


def test_bind_variable_ignores_braces_in_strings_iris_and_comments():
    text = 'PREFIX x: <urn:x#> # { not a group\nSELECT ?s WHERE { ?s ?p "}{" }'
    bound = bind_variable(text, "s", "<urn:a>")
    assert bound.endswith('WHERE { VALUES ?s { <urn:a> } ?s ?p "}{" }')


def test_bind_variable_without_where_clause():
    with pytest.raises(QueryError, match="no WHERE clause"):
        bind_variable("DESCRIBE ?s", "s", "<urn:a>")


def test_prefixes_cover_spec():
    assert {"kh", "ent", "rdf", "rdfs", "skos", "owl", "xsd", "dcterms", "prov"} <= set(PREFIXES)


# --------------------------------------------------------------------------- the command


def khabar(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "graph.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_query_canned_with_params():
    done = khabar(
        "query",
        str(FIXTURE),
        "timeline",
        "--param",
        "a=روسيا",
        "--param",
        "b=تركيا",
        "--format",
        "csv",
    )
    assert done.returncode == 0, done.stderr
    table = list(csv.reader(io.StringIO(done.stdout)))
    assert [row[1] for row in table[1:]] == ["a2", "a3"]


def test_cli_query_syntax_error_is_one_line():
    done = khabar("query", str(FIXTURE), "SELECT ?s WHERE {")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "SPARQL syntax error" in done.stderr


# --------------------------------------------------------------------------- cap_rows


@pytest.mark.parametrize(
    ("query", "capped"),
    [
        ("SELECT * { ?s ?p ?o }", "SELECT * { ?s ?p ?o }\nLIMIT 10"),
        ("SELECT * { ?s ?p ?o } LIMIT 50", "SELECT * { ?s ?p ?o } LIMIT 10"),
        ("SELECT * { ?s ?p ?o } limit 5 offset 2", "SELECT * { ?s ?p ?o } limit 5 offset 2"),
        ("DESCRIBE ent:sdf", "DESCRIBE ent:sdf\nLIMIT 10"),
        ("ASK { ?s ?p ?o }", "ASK { ?s ?p ?o }"),
        # a LIMIT in a subquery, in a string or in a comment is not the query's
        ("SELECT * { { SELECT ?s { ?s ?p ?o } LIMIT 99 } }", None),
        ('SELECT ?x { BIND("} LIMIT 99" AS ?x) }', None),
        ("SELECT * { ?s ?p ?o } # LIMIT 99", None),
        # a trailing VALUES block is left alone
        (
            "SELECT * { ?s ?p ?o } VALUES ?s { ent:sdf }",
            "SELECT * { ?s ?p ?o } VALUES ?s { ent:sdf }",
        ),
    ],
)
def test_cap_rows(query, capped):
    assert cap_rows(query, 10) == (capped or query.rstrip() + "\nLIMIT 10")
    assert cap_rows(query, None) == query


def test_capped_queries_still_parse_and_run(g):
    for path in canned_queries().values():
        text = path.read_text(encoding="utf-8")
        if "param:" not in text:
            assert len(run_query(g, cap_rows(text, 2))) <= 2
