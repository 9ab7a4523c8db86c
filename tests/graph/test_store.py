"""The Oxigraph store and the streaming build, on the bundled example articles.

The store must hold the graph the in-memory rdflib build makes (rdflib.compare
decides), answer SPARQL like a graph file, take articles twice without change,
and refuse what is not a store with one line.
"""

from __future__ import annotations

import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib.compare import isomorphic

from extractors.errors import InputError
from graph.build import ExtractorSpec, build_files
from graph.cli import cli
from graph.serialize import read_graph
from graph.sparql import canned_queries, resolve_query, run_query
from graph.store import OxigraphStore, load_graph, open_store

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
LEXICON = ExtractorSpec.of("lexicon")


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    """A store built from examples/ with the lexicon extractor (as conftest's graph)."""
    path = tmp_path_factory.mktemp("store") / "store"
    build_files([EXAMPLES], LEXICON, store=path)
    return path


def khabar(*args):
    """Run the CLI in this process: (exit code, stdout, stderr)."""
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def one_line_error(code, err):
    return code == 1 and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_store_holds_the_in_memory_graph(store_dir, examples_graph):
    assert isomorphic(load_graph(store_dir), examples_graph)


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".nq", ".trig", ".jsonld"])
def test_every_file_format_streams_the_same_graph(tmp_path, suffix, examples_graph):
    out = build_files([EXAMPLES], LEXICON, output=tmp_path / f"g{suffix}")
    assert out.articles == 5
    assert isomorphic(read_graph(tmp_path / f"g{suffix}"), examples_graph)
    assert [p.name for p in tmp_path.iterdir()] == [f"g{suffix}"]  # no temporary file left


def test_store_and_file_in_one_build(tmp_path, examples_graph):
    build_files([EXAMPLES], LEXICON, output=tmp_path / "g.ttl", store=tmp_path / "st")
    assert isomorphic(read_graph(tmp_path / "g.ttl"), examples_graph)
    assert isomorphic(load_graph(tmp_path / "st"), examples_graph)


def test_adding_an_article_twice_changes_nothing(tmp_path, examples_graph):
    articles = sorted(EXAMPLES.glob("*.txt"))
    store = tmp_path / "st"
    build_files(articles[:3], LEXICON, store=store)
    counts = []
    for _ in range(2):
        build_files(articles[3:], LEXICON, store=store, new_store=False)
        with OxigraphStore(store, read_only=True) as st:
            counts.append(len(st))
    assert counts[0] == counts[1] == len(examples_graph)
    assert isomorphic(load_graph(store), examples_graph)


def test_cli_build_store_then_add_twice(tmp_path):
    store = tmp_path / "st"
    code, _, err = khabar("build", EXAMPLES / "01-talks.txt", "--store", store, "--ner", "off")
    assert code == 0, err
    sizes = []
    for _ in range(2):
        code, _, err = khabar("add", store, EXAMPLES / "04-attack.txt", "--ner", "off")
        assert code == 0 and "1 articles" in err, err
        code, out, _ = khabar(
            "query", store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "--format", "csv"
        )
        sizes.append(int(out.splitlines()[1]))
    assert sizes[0] == sizes[1] > 0


def test_adding_a_changed_article_replaces_its_statements(tmp_path):
    news, other = tmp_path / "news", tmp_path / "other"
    news.mkdir()
    other.mkdir()
    (other / "b.txt").write_text("قصفت روسيا مواقع داعش في الرقة.\n", encoding="utf-8")
    (news / "a.txt").write_text(
        "قصفت روسيا مواقع داعش في الرقة. ودعمت إيران الحكومة العراقية.\n", encoding="utf-8"
    )
    store = tmp_path / "st"
    build_files([other, news], LEXICON, store=store)

    def asks(path, *patterns):
        with OxigraphStore(path, read_only=True) as st:
            return [st.query(f"ASK {{ {p} }}").askAnswer for p in patterns]

    def statements(path):
        text = "SELECT ?st ?art { ?st a rdf:Statement ; prov:wasDerivedFrom ?art }"
        with OxigraphStore(path, read_only=True) as st:
            return sorted((str(r.st), str(r.art)) for r in st.query(text))

    assert asks(store, "ent:iran kh:supports ent:iraq") == [True]
    # a.txt again, rewritten: Iran's support is gone, Turkey's is new
    (news / "a.txt").write_text(
        "قصفت روسيا مواقع داعش في الرقة. ودعمت تركيا الحكومة العراقية.\n", encoding="utf-8"
    )
    build_files([news], LEXICON, store=store, new_store=False)
    assert asks(
        store,
        "ent:iran kh:supports ent:iraq",
        "?st rdf:subject ent:iran ; rdf:predicate kh:supports",
        "ent:turkey kh:supports ent:iraq",
        "ent:russia kh:attacks ent:isis",  # b.txt still says it
        "ent:iran rdfs:label ?name",  # entities keep their labels
    ) == [False, False, True, True, True]
    fresh = tmp_path / "fresh"
    build_files([other, news], LEXICON, store=fresh)
    assert statements(store) == statements(fresh)


def test_query_on_a_store_answers_like_the_file(store_dir, examples_graph):
    text = "SELECT ?s ?o WHERE { ?st rdf:predicate kh:attacks ; rdf:subject ?s ; rdf:object ?o }"
    with OxigraphStore(store_dir, read_only=True) as store:
        rows = {tuple(r) for r in store.query(text)}
        assert rows == {tuple(r) for r in run_query(examples_graph, text)} and rows
        assert store.query("ASK { ?s a kh:Article }").askAnswer is True
        constructed = store.query("CONSTRUCT { ?s a kh:Article } WHERE { ?s a kh:Article }")
        assert len(constructed.graph) == 5
        params = {"actor": {"actor": "turkey"}, "timeline": {"a": "turkey", "b": "russia"}}
        for name in canned_queries():
            canned = resolve_query(name, params=params.get(name, {}))
            assert len(store.query(canned)) == len(run_query(examples_graph, canned)), name


def test_cli_query_store_and_file_print_the_same(store_dir, tmp_path):
    build_files([EXAMPLES], LEXICON, output=tmp_path / "g.ttl")
    text = "SELECT ?st ?c WHERE { ?st kh:confidence ?c } ORDER BY ?st"
    from_store = khabar("query", store_dir, text, "--format", "csv")
    from_file = khabar("query", tmp_path / "g.ttl", text, "--format", "csv")
    assert from_store[0] == from_file[0] == 0
    assert from_store[1] == from_file[1]
    star = "SELECT * WHERE { ?st kh:confidence ?c ; rdf:subject ?s } ORDER BY ?st"
    assert khabar("query", store_dir, star)[1] == khabar("query", tmp_path / "g.ttl", star)[1]


@pytest.mark.parametrize("command", ["stats", "export"])
def test_network_commands_read_a_store(store_dir, tmp_path, command):
    args = ["-o", tmp_path / "n.gexf"] if command == "export" else []
    code, out, err = khabar(command, store_dir, *args)
    assert code == 0, err
    assert "5 articles" in out if command == "stats" else (tmp_path / "n.gexf").is_file()


def test_serve_a_store_without_loading(store_dir):
    from graph.serve import running_endpoint

    article = "<https://w3id.org/khabar/ontology#Article>"
    query = urllib.parse.urlencode({"query": f"SELECT (COUNT(*) AS ?n) {{ ?s a {article} }}"})
    with running_endpoint(store_dir) as url:
        req = urllib.request.Request(f"{url}?{query}", headers={"Accept": "text/csv"})
        with urllib.request.urlopen(req, timeout=30) as answer:
            assert answer.read().decode().split() == ["n", "5"]


def test_sparql_error_on_a_store_is_one_line(store_dir):
    assert one_line_error(*khabar("query", store_dir, "SELECT WHERE {")[::2])
    code, _, err = khabar("query", store_dir, "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert one_line_error(code, err) and "read-only" in err


def test_not_a_store_is_one_line(tmp_path):
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a store", encoding="utf-8")
    for args in (
        ("query", folder, "ASK {}"),
        ("stats", folder),
        ("add", folder, EXAMPLES / "01-talks.txt"),
        ("add", tmp_path / "missing", EXAMPLES / "01-talks.txt"),
        ("build", EXAMPLES, "--store", folder),  # not empty, not a store
        ("build", EXAMPLES, "--store", folder / "notes.txt"),
    ):
        code, _, err = khabar(*args)
        assert one_line_error(code, err), (args, err)
        assert "store" in err or "directory" in err.lower(), err
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    assert not (tmp_path / "missing").exists()


def test_corrupt_store_is_one_line(tmp_path):
    store = tmp_path / "st"
    store.mkdir()
    (store / "CURRENT").write_text("MANIFEST-999999\n", encoding="utf-8")
    for args in (("query", store, "ASK {}"), ("add", store, EXAMPLES / "01-talks.txt")):
        code, _, err = khabar(*args)
        assert one_line_error(code, err) and "store" in err, err


def test_locked_store_is_one_line(store_dir, tmp_path):
    store = tmp_path / "st"
    build_files([EXAMPLES / "01-talks.txt"], LEXICON, store=store)
    holder = OxigraphStore(store)  # a writer holds the lock
    try:
        code, _, err = khabar("add", store, EXAMPLES / "02-withdrawal.txt", "--ner", "off")
        assert one_line_error(code, err) and "in use" in err, err
        code, out, err = khabar("query", store, "ASK { ?s a kh:Article }")  # readers may
        assert code == 0 and "true" in out.lower(), err
    finally:
        holder.close()


def test_failed_build_keeps_the_earlier_file(tmp_path):
    out = tmp_path / "g.nt"
    out.write_text("# earlier graph\n", encoding="utf-8")
    with pytest.raises(InputError):
        build_files([tmp_path / "missing-folder"], LEXICON, output=out)
    assert out.read_text(encoding="utf-8") == "# earlier graph\n"
    assert [p.name for p in tmp_path.iterdir()] == ["g.nt"]


def test_failed_build_leaves_no_new_store(tmp_path):
    with pytest.raises(InputError):
        build_files([tmp_path / "missing-folder"], LEXICON, store=tmp_path / "st")
    assert not (tmp_path / "st").exists()


def test_open_store_by_directory(tmp_path):
    store = open_store(tmp_path / "st")
    store.add(read_graph(ROOT / "tests" / "data" / "small_graph.ttl"))
    assert len(store) == len(read_graph(ROOT / "tests" / "data" / "small_graph.ttl"))
    store.close()
