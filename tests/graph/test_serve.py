"""Tests for graph.serve: the real Oxigraph server behind the read-only front.

Everything listens on 127.0.0.1 only; every wait is bounded.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic
from SPARQLWrapper import GET, JSON, POST, POSTDIRECTLY, TURTLE, URLENCODED, SPARQLWrapper

from extractors.errors import InputError, KhabarError
from graph.serialize import read_graph
from graph.serve import running_endpoint
from graph.sparql import resolve_query, run_query

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "data" / "query_graph.ttl"
TIMEOUT = 30  # seconds any single HTTP exchange may take here
LABEL_QUERY = (
    "SELECT ?l WHERE { <https://w3id.org/khabar/id/sdf> "
    "<http://www.w3.org/2004/02/skos/core#altLabel> ?l } ORDER BY ?l"
)


@pytest.fixture(scope="module")
def url():
    with running_endpoint(FIXTURE, timeout=5) as endpoint:
        yield endpoint


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(url: str, *, data: bytes | None = None, headers=None, method=None):
    """(status, headers, body) of one exchange; HTTP errors are answers too."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def wrapper(url: str, query: str, *, method=GET, fmt=JSON) -> SPARQLWrapper:
    sparql = SPARQLWrapper(url)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    sparql.setTimeout(TIMEOUT)
    return sparql


def values(data: dict, var: str) -> list[str]:
    return [binding[var]["value"] for binding in data["results"]["bindings"]]


def oxigraph_children(pid: int) -> list[int]:
    """Pids of the oxigraph processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid and b"oxigraph" in cmdline:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


# --------------------------------------------------------------------------- the protocol


def test_url_is_loopback_sparql(url):
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/sparql", url)


def test_sparqlwrapper_get_json(url):
    data = wrapper(url, LABEL_QUERY, method=GET).query().convert()
    assert data["head"]["vars"] == ["l"]
    assert values(data, "l") == ["SDF", "قسد"]
    arabic = data["results"]["bindings"][1]["l"]
    assert arabic == {"type": "literal", "value": "قسد", "xml:lang": "ar"}


@pytest.mark.parametrize("request_method", ["urlencoded", "postdirectly"])
def test_sparqlwrapper_post_json(url, request_method):
    sparql = wrapper(url, LABEL_QUERY, method=POST)
    sparql.setRequestMethod(POSTDIRECTLY if request_method == "postdirectly" else URLENCODED)
    assert values(sparql.query().convert(), "l") == ["SDF", "قسد"]


def test_sparqlwrapper_ask(url):
    query = (
        "ASK { <https://w3id.org/khabar/id/turkey> <https://w3id.org/khabar/ontology#attacks>"
        " <https://w3id.org/khabar/id/sdf> }"
    )
    assert wrapper(url, query).query().convert()["boolean"] is True


def test_sparqlwrapper_construct_turtle_matches_rdflib(url):
    query = (
        "CONSTRUCT { ?s <urn:talks> ?o }"
        " WHERE { ?s <https://w3id.org/khabar/ontology#negotiatesWith> ?o }"
    )
    served = wrapper(url, query, fmt=TURTLE).query().convert()
    parsed = rdflib.Graph().parse(data=served, format="turtle")
    assert len(parsed) == 4
    assert isomorphic(parsed, run_query(read_graph(FIXTURE), query).graph)


def test_post_sparql_query_body(url):
    status, headers, body = request(
        url,
        data=LABEL_QUERY.encode("utf-8"),
        headers={
            "Content-Type": "application/sparql-query",
            "Accept": "application/sparql-results+json",
        },
    )
    assert status == 200
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    assert values(json.loads(body), "l") == ["SDF", "قسد"]


def test_accept_defaults_to_json_results(url):
    query = urllib.parse.urlencode({"query": LABEL_QUERY})
    status, headers, body = request(f"{url}?{query}")
    assert status == 200
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    assert values(json.loads(body), "l") == ["SDF", "قسد"]


def test_accept_is_passed_through(url):
    query = urllib.parse.urlencode({"query": LABEL_QUERY})
    status, headers, body = request(f"{url}?{query}", headers={"Accept": "text/csv"})
    assert status == 200
    assert headers["Content-Type"].startswith("text/csv")
    assert body.decode("utf-8").split() == ["l", "SDF", "قسد"]


@pytest.mark.parametrize("suffix", [".trig", ".nq", ".jsonld", ".nt"])
def test_other_graph_formats(tmp_path, suffix):
    # Quads land in a named graph; the endpoint queries the union of all graphs by default.
    g = read_graph(FIXTURE)
    ds = rdflib.Dataset()
    named = ds.graph(rdflib.URIRef("urn:x-khabar:batch"))
    for triple in g:
        named.add(triple)
    path = tmp_path / f"graph{suffix}"
    if suffix in (".trig", ".nq"):
        ds.serialize(path, format="trig" if suffix == ".trig" else "nquads")
    else:
        g.serialize(path, format="json-ld" if suffix == ".jsonld" else "nt")
    with running_endpoint(path) as url:
        data = wrapper(url, LABEL_QUERY).query().convert()
    assert values(data, "l") == ["SDF", "قسد"]


def canned_cases():
    return [
        ("negotiations", {}),
        ("contradictions", {}),
        ("sources", {}),
        ("actors-by-type", {}),
        ("actor", {"actor": "قسد"}),
        ("actor", {"actor": "ent:مرصد-محلي"}),
        ("timeline", {"a": "دمشق", "b": "sdf"}),
    ]


@pytest.mark.parametrize(("name", "params"), canned_cases())
def test_canned_queries_answer_as_with_rdflib(url, name, params):
    text = resolve_query(name, params=params)
    local = run_query(read_graph(FIXTURE), text)
    expected = sorted(
        tuple("" if row.get(var) is None else str(row.get(var)) for var in local.vars)
        for row in local.bindings
    )
    data = wrapper(url, text, method=POST).query().convert()
    served = sorted(
        tuple(binding.get(str(var), {}).get("value", "") for var in local.vars)
        for binding in data["results"]["bindings"]
    )
    assert served == expected
    assert served, name


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("path", "data", "headers", "method"),
    [
        (
            "/sparql",
            b"update=INSERT+DATA+%7B%3Curn%3Aa%3E+%3Curn%3Ab%3E+%3Curn%3Ac%3E%7D",
            {"Content-Type": "application/x-www-form-urlencoded"},
            "POST",
        ),
        (
            "/sparql",
            b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
            {"Content-Type": "application/sparql-update"},
            "POST",
        ),
        ("/sparql?update=CLEAR%20ALL", None, {}, "GET"),
        (
            "/update",
            b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
            {"Content-Type": "application/sparql-update"},
            "POST",
        ),
        ("/update", None, {}, "GET"),
        ("/sparql", b"<urn:a> <urn:b> <urn:c> .", {"Content-Type": "text/turtle"}, "PUT"),
    ],
)
def test_updates_are_refused_with_403(url, path, data, headers, method):
    status, answer_headers, body = request(
        url.replace("/sparql", path), data=data, headers=headers, method=method
    )
    assert status == 403
    assert body.decode("utf-8").count("\n") == 1 and "read-only" in body.decode("utf-8")
    assert answer_headers["Access-Control-Allow-Origin"] == "*"
    ask = wrapper(url, "ASK { <urn:a> <urn:b> <urn:c> }").query().convert()
    assert ask["boolean"] is False


def test_malformed_query_is_400(url):
    status, _, body = request(f"{url}?{urllib.parse.urlencode({'query': 'SELEC ?s {'})}")
    assert status == 400
    assert body


def test_missing_query_is_400(url):
    assert request(url)[0] == 400
    status, _, _ = request(
        url, data=b"nothing=here", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert status == 400


def test_unsupported_body_is_415(url):
    status, _, _ = request(url, data=b"{}", headers={"Content-Type": "application/json"})
    assert status == 415


def test_unknown_path_is_404(url):
    assert request(url.replace("/sparql", "/store"))[0] == 404


# --------------------------------------------------------------------------- CORS, page


def test_cors_header_on_answers(url):
    status, headers, _ = request(f"{url}?{urllib.parse.urlencode({'query': 'ASK {}'})}")
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == "*"


def test_cors_preflight(url):
    status, headers, _ = request(
        url,
        method="OPTIONS",
        headers={
            "Origin": "http://localhost:8000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "content-type" in headers["Access-Control-Allow-Headers"].lower()


def test_page_has_a_query_form_and_no_external_resources(url):
    status, headers, body = request(url.replace("/sparql", "/"))
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    page = body.decode("utf-8")
    assert "<textarea" in page and 'fetch("/sparql"' in page
    assert "application/sparql-results+json" in page
    assert '"negotiations"' in page  # the canned queries are offered
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=["']?(https?:)?//""", page)
    assert "@import" not in page and "url(" not in page


# --------------------------------------------------------------------------- time limit


def test_query_over_time_is_stopped_and_the_endpoint_recovers():
    # Oxigraph 0.5 does not interrupt this cross product itself; the front must.
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?o ?q }"
    others = set(oxigraph_children(os.getpid())) if Path("/proc/self/stat").exists() else set()
    with running_endpoint(FIXTURE, timeout=1) as url:
        started = time.monotonic()
        status, _, body = request(f"{url}?{urllib.parse.urlencode({'query': heavy})}")
        took = time.monotonic() - started
        assert status == 504 and b"longer than 1 s" in body
        assert took < 10
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        data = wrapper(url, count).query().convert()
        assert values(data, "n") == [str(len(read_graph(FIXTURE)))]
        if Path("/proc/self/stat").exists():
            assert len(set(oxigraph_children(os.getpid())) - others) == 1  # the old one is gone


# --------------------------------------------------------------------------- life cycle


@needs_proc
def test_context_manager_cleans_up(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    others = set(oxigraph_children(os.getpid()))  # e.g. the module's endpoint
    with running_endpoint(FIXTURE) as url:
        workdirs = list(tmp_path.glob("khabar-serve-*"))
        children = sorted(set(oxigraph_children(os.getpid())) - others)
        assert len(workdirs) == 1 and (workdirs[0] / "store").is_dir()
        assert len(children) == 1 and alive(children[0])
        assert request(f"{url}?{urllib.parse.urlencode({'query': 'ASK {}'})}")[0] == 200
    assert not list(tmp_path.glob("khabar-serve-*"))
    assert not alive(children[0])
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url.replace("/sparql", "/"), timeout=5)


@needs_proc
def test_context_manager_cleans_up_after_an_error(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    others = set(oxigraph_children(os.getpid()))
    with pytest.raises(ZeroDivisionError), running_endpoint(FIXTURE):
        children = sorted(set(oxigraph_children(os.getpid())) - others)
        raise ZeroDivisionError("in the block")
    assert not list(tmp_path.glob("khabar-serve-*"))
    assert children and not any(alive(pid) for pid in children)


def test_port_in_use_is_one_line_error(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(KhabarError) as info, running_endpoint(FIXTURE, port=port):
            pass
    message = str(info.value)
    assert "\n" not in message and f"127.0.0.1:{port}" in message and "in use" in message
    assert not list(tmp_path.glob("khabar-serve-*"))


def test_missing_graph_file(tmp_path):
    with (
        pytest.raises(InputError, match="no such graph file"),
        running_endpoint(tmp_path / "absent.ttl"),
    ):
        pass


def test_unparsable_graph_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('<urn:a> <urn:b> "غير مغلق .\n', encoding="utf-8")
    with pytest.raises(InputError) as info, running_endpoint(bad):
        pass
    message = str(info.value)
    assert message.startswith(str(bad)) and "line 1" in message and "\n" not in message


# --------------------------------------------------------------------------- the command


def wait_until_answering(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    ask = f"{url}?{urllib.parse.urlencode({'query': 'ASK {}'})}"
    while time.monotonic() < deadline:
        assert process.poll() is None, "khabar serve exited early"
        try:
            with urllib.request.urlopen(ask, timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def _default_sigint() -> None:
    # A job started in the background by a shell (`make test &`, nohup) inherits
    # SIGINT ignored, and Python then never turns Ctrl-C into KeyboardInterrupt:
    # give the server the SIGINT a terminal user has.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def khabar_serve(*args: str, env=None, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "graph.cli", "serve", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        preexec_fn=_default_sigint,
        **kwargs,
    )


@needs_proc
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_cli_serve_answers_and_cleans_up(tmp_path, stop):
    port = free_port()
    url = f"http://127.0.0.1:{port}/sparql"
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    log = tmp_path / "stderr.txt"
    with open(log, "wb") as stderr:
        process = khabar_serve(
            str(FIXTURE), "--port", str(port), "--timeout", "10", env=env, stderr=stderr
        )
    try:
        wait_until_answering(url, process)
        assert values(wrapper(url, LABEL_QUERY).query().convert(), "l") == ["SDF", "قسد"]
        assert values(wrapper(url, LABEL_QUERY, method=POST).query().convert(), "l") == [
            "SDF",
            "قسد",
        ]
        children = oxigraph_children(process.pid)
        assert len(children) == 1
        assert len(list(tmp_path.glob("khabar-serve-*"))) == 1
        process.send_signal(stop)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
    assert log.read_text(encoding="utf-8").strip() == f"SPARQL endpoint at {url}"
    assert not list(tmp_path.glob("khabar-serve-*"))
    deadline = time.monotonic() + 10
    while alive(children[0]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(children[0])


def test_cli_serve_port_in_use(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = khabar_serve(str(FIXTURE), "--port", str(port), stderr=subprocess.PIPE)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1
    lines = stderr.decode("utf-8").strip().splitlines()
    assert len(lines) == 1 and f"127.0.0.1:{port}" in lines[0] and "in use" in lines[0]


def test_cli_serve_without_oxigraph_says_how_to_install(tmp_path):
    # The same interpreter under another name, with no oxigraph beside it or on PATH.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(os.path.realpath(sys.executable))
    env = {
        "PATH": str(bin_dir),
        "PYTHONPATH": os.pathsep.join([str(ROOT), sysconfig.get_paths()["purelib"]]),
        "HOME": str(tmp_path),
    }
    done = subprocess.run(
        [
            str(bin_dir / "python"),
            "-m",
            "graph.cli",
            "serve",
            str(FIXTURE),
            "--port",
            str(free_port()),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install oxigraph" in lines[0]


# --------------------------------------------------------------------------- the result cap


@pytest.mark.parametrize("method", [GET, POST])
def test_results_are_capped(method):
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
    with running_endpoint(FIXTURE, max_rows=3) as endpoint:
        capped = wrapper(endpoint, query, method=method).query().convert()
        small = wrapper(endpoint, query + " LIMIT 2", method=method).query().convert()
    assert len(capped["results"]["bindings"]) == 3
    assert len(small["results"]["bindings"]) == 2  # a smaller LIMIT is kept


# --------------------------------------------------------------------------- many clients

GROUP_BY = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n) ?p"


def crowd(url: str, *, clients: int, each: int) -> list:
    """Run ``clients`` threads sending ``each`` GROUP BY queries at once, each on a new
    connection; every outcome is (status, Retry-After, body) or the exception raised."""
    body = urllib.parse.urlencode({"query": GROUP_BY}).encode()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json",
    }
    outcomes, lock = [], threading.Lock()
    gate = threading.Barrier(clients)

    def client() -> None:
        gate.wait(TIMEOUT)
        for _ in range(each):
            try:
                status, answer_headers, data = request(url, data=body, headers=headers)
                outcome = (status, answer_headers.get("Retry-After"), data)
            except Exception as err:  # a reset or refusal is what this test looks for
                outcome = err
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * each + 30)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def test_a_hundred_concurrent_clients_all_get_answers(url):
    outcomes = crowd(url, clients=100, each=3)
    failures = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert failures == []  # no reset, no refusal, no timeout
    assert len(outcomes) == 300
    assert {status for status, _, _ in outcomes} <= {200, 503}
    answered = [json.loads(data) for status, _, data in outcomes if status == 200]
    assert len(answered) > 250  # the default pool answers a hundred clients
    expected = values(answered[0], "n")
    assert all(values(data, "n") == expected for data in answered)


def test_a_saturated_endpoint_answers_503_with_retry_after():
    with running_endpoint(FIXTURE, workers=2, max_waiting=2) as endpoint:
        outcomes = crowd(endpoint, clients=60, each=2)
        after = request(f"{endpoint}?{urllib.parse.urlencode({'query': 'ASK {}'})}")
    assert [outcome for outcome in outcomes if isinstance(outcome, Exception)] == []
    statuses = [status for status, _, _ in outcomes]
    assert set(statuses) == {200, 503}  # some answered, the rest told to come back
    busy = [(retry, data) for status, retry, data in outcomes if status == 503]
    assert all(retry == "1" and b"busy" in data for retry, data in busy)
    assert after[0] == 200  # and it serves again once the crowd is gone
