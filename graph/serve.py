"""Serve a graph as a read-only SPARQL 1.1 Protocol endpoint, answered by the Oxigraph server.

A graph file is loaded into a fresh Oxigraph store in a temporary directory (a
store directory from ``khabar build --store`` is served as it is, without loading);
``oxigraph serve-read-only`` answers queries on a private loopback port, and a small
front on HOST:PORT passes ``/sparql`` queries through to it, refuses updates (403),
adds CORS headers and serves a query page at ``/``. The child process and the
temporary directory go away when the endpoint stops, also on Ctrl-C or SIGTERM.

Use :func:`running_endpoint` from tests and notebooks::

    with running_endpoint("out/graph.ttl") as url:   # port 0: any free port
        ...                                          # url ends in /sparql
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import http.client
import json
import math
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, HTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import jinja2

from extractors.errors import InputError, KhabarError
from graph.serialize import guess_format
from graph.sparql import cap_rows
from graph.store import is_store_dir
from ontology import query_files

__all__ = [
    "serve_graph",
    "running_endpoint",
    "find_oxigraph",
    "DEFAULT_ACCEPT",
    "WORKERS",
    "MAX_WAITING",
    "RETRY_AFTER",
]

DEFAULT_ACCEPT = "application/sparql-results+json, text/turtle;q=0.9, */*;q=0.1"
"""Accept header sent to Oxigraph when the client sends none: JSON results, Turtle graphs."""

WORKERS = 32
"""Requests answered at the same time; more wait in line (``MAX_WAITING``)."""

MAX_WAITING = 512
"""Requests that may wait for a worker; past that the answer is 503 with Retry-After."""

RETRY_AFTER = 1
"""Seconds a client is asked to wait (``Retry-After``) when every worker is busy."""

_BACKLOG = 1024  # the listen queue: a burst of connections waits in the kernel, never reset
_REFUSERS = 4  # threads that read a request the pool has no room for and answer it 503
_START_SECONDS = 30.0  # how long Oxigraph may take to start listening
_MAX_BODY = 10 * 1024 * 1024  # bytes of a POSTed query
_CHUNK = 64 * 1024


def find_oxigraph() -> Path:
    """The Oxigraph server binary: next to ``sys.executable`` (the venv's bin), else on PATH.

    >>> find_oxigraph().name.startswith("oxigraph")
    True
    """
    name = "oxigraph.exe" if os.name == "nt" else "oxigraph"
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    found = shutil.which("oxigraph")
    if found:
        return Path(found)
    raise KhabarError(
        "the Oxigraph server (oxigraph) is not installed next to "
        f"{sys.executable} nor on PATH; fix: pip install oxigraph"
    )


def serve_graph(
    path: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    timeout: float = 30.0,
    max_rows: int | None = 10_000,
    workers: int = WORKERS,
    max_waiting: int = MAX_WAITING,
    on_ready: Callable[[str], object] | None = None,
) -> None:
    """Serve ``path`` at ``http://HOST:PORT/sparql`` until Ctrl-C or SIGTERM.

    ``on_ready(url)`` is called once the endpoint answers. ``timeout`` bounds each
    query, in seconds (Oxigraph counts whole seconds). Returns after cleaning up.
    See :func:`running_endpoint` for ``workers`` and ``max_waiting``.
    """
    with _sigterm_as_interrupt():
        try:
            with running_endpoint(
                path,
                host=host,
                port=port,
                timeout=timeout,
                max_rows=max_rows,
                workers=workers,
                max_waiting=max_waiting,
            ) as url:
                if on_ready is not None:
                    on_ready(url)
                while True:  # wake up now and then: a signal caught by another
                    time.sleep(0.5)  # thread is only handled when the main one runs
        except KeyboardInterrupt:
            return


@contextlib.contextmanager
def running_endpoint(
    path: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    timeout: float = 30.0,
    max_rows: int | None = 10_000,
    workers: int = WORKERS,
    max_waiting: int = MAX_WAITING,
) -> Iterator[str]:
    """Run the endpoint for the graph file or store directory ``path``; yields its URL.

    ``port=0`` picks a free port. ``workers`` requests are answered at a time and
    up to ``max_waiting`` more wait their turn; past that a request is answered
    503 with ``Retry-After``, so a crowd of clients gets answers, never resets.
    Raises :class:`InputError` for a missing or unreadable graph file and
    :class:`KhabarError` when the port is taken or the Oxigraph server is missing
    or fails to start.
    """
    path = Path(path)
    if path.is_dir():
        if not is_store_dir(path):
            raise InputError("not a Khabar store (no Oxigraph store in it)", path=path)
    else:
        guess_format(path)  # an unknown suffix fails before anything starts
        if not path.is_file():
            raise InputError("no such graph file", path=path)
    if not timeout > 0:
        raise KhabarError(f"the query timeout must be positive, got {timeout}")
    if workers < 1 or max_waiting < 0:
        raise KhabarError(f"need at least one worker and a queue of 0 or more, got {workers}")
    binary = find_oxigraph()
    front = _bind_front(host, port)  # a taken port fails before the slow part
    with contextlib.ExitStack() as stack:
        stack.callback(front.server_close)
        workdir = Path(tempfile.mkdtemp(prefix="khabar-serve-"))
        stack.callback(shutil.rmtree, workdir, ignore_errors=True)
        if path.is_dir():  # a store directory is served as it is, read-only
            store = path
        else:
            store = workdir / "store"
            _load_store(binary, store, path)
        backend = _Backend(binary, store, workdir, timeout=timeout)
        stack.callback(backend.stop)
        backend.start()
        front.backend = backend
        front.max_rows = max_rows
        front.page = _page()
        front.start_workers(workers, max_waiting)
        stack.callback(front.stop_workers)
        thread = threading.Thread(
            target=front.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True
        )
        thread.start()
        stack.callback(thread.join, 10)
        stack.callback(front.shutdown)
        yield _url(host, front.server_address[1])


# --------------------------------------------------------------------------- Oxigraph


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["RUST_BACKTRACE"] = "0"
    env["RUST_LIB_BACKTRACE"] = "0"
    return env


def _load_store(binary: Path, store: Path, path: Path) -> None:
    """Bulk-load the graph file into a new Oxigraph store (format from the suffix)."""
    command = [str(binary), "load", "--location", str(store), "--file", str(path)]
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        errors="replace",
        env=_child_env(),
        stdin=subprocess.DEVNULL,
        check=False,
    )
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        reason = next((line for line in lines if line.startswith("Error while loading")), None)
        reason = reason or next((line for line in lines if "rror" in line), "oxigraph load failed")
        reason = reason.split(f"{path}: ", 1)[-1] if str(path) in reason else reason
        raise InputError(f"cannot load into Oxigraph: {reason}", path=path)


def _start_oxigraph(
    binary: Path, store: Path, workdir: Path, *, timeout: float
) -> tuple[subprocess.Popen, tuple[str, int]]:
    """Start ``oxigraph serve-read-only`` on a free loopback port and wait until it listens."""
    for attempt in range(3):
        port = _free_port()
        log_path = workdir / f"oxigraph-{attempt}.log"
        command = [
            str(binary),
            "serve-read-only",
            "--location",
            str(store),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout-s",
            str(max(1, math.ceil(timeout))),
            "--union-default-graph",
        ]
        with open(log_path, "wb") as log:
            child = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
                env=_child_env(),
                start_new_session=True,
                preexec_fn=_die_with_parent(),
            )
        try:
            if _wait_listening(child, port):
                return child, ("127.0.0.1", port)
        except BaseException:
            _stop_process(child)
            raise
        _stop_process(child)
        message = _last_line(log_path)
        if "in use" not in message.lower():
            raise KhabarError(f"the Oxigraph server did not start: {message}")
    raise KhabarError("the Oxigraph server did not start: no free port")


class _Backend:
    """The Oxigraph child: started, and restarted to stop a query that overran its time.

    Oxigraph 0.5's ``--timeout-s`` does not interrupt every query (a cross product
    under COUNT runs on), so the front enforces the time limit itself and restarts
    the server, the only way to stop the work; queries running at that moment fail.
    """

    def __init__(self, binary: Path, store: Path, workdir: Path, *, timeout: float) -> None:
        self.binary, self.store, self.workdir, self.timeout = binary, store, workdir, timeout
        self._lock = threading.Lock()
        self._child: subprocess.Popen | None = None
        self.address: tuple[str, int] = ("127.0.0.1", 0)
        self.generation = 0
        # Children are started from this one long-lived thread: on Linux they are told
        # to stop when the thread that started them ends (PR_SET_PDEATHSIG), and a
        # request handler's thread ends right after the request.
        self._starter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="khabar-oxigraph")

    def start(self) -> None:
        with self._lock:
            self._start()

    def _start(self) -> None:
        self._child, self.address = self._starter.submit(
            _start_oxigraph, self.binary, self.store, self.workdir, timeout=self.timeout
        ).result()
        self.generation += 1

    def current(self) -> tuple[tuple[str, int], int]:
        """Oxigraph's address and the generation it belongs to, read together."""
        with self._lock:
            return self.address, self.generation

    def restart(self, generation: int) -> None:
        """Restart unless another request already did since ``generation``.

        If Oxigraph will not start again, later queries get 502 answers.
        """
        with self._lock:
            if generation != self.generation or self._child is None:
                return
            _stop_process(self._child)
            self._child = None
            with contextlib.suppress(KhabarError):
                self._start()

    def stop(self) -> None:
        with self._lock:
            if self._child is not None:
                _stop_process(self._child)
                self._child = None
            self.generation += 1
            self._starter.shutdown(wait=True)


def _wait_listening(child: subprocess.Popen, port: int) -> bool:
    """True once ``port`` accepts connections; False if the child exits first."""
    deadline = time.monotonic() + _START_SECONDS
    while time.monotonic() < deadline:
        if child.poll() is not None:
            return False
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return True
        time.sleep(0.05)
    raise KhabarError(f"the Oxigraph server did not listen within {_START_SECONDS:.0f} s")


def _stop_process(child: subprocess.Popen) -> None:
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(5)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _last_line(path: Path) -> str:
    lines = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return lines[-1].strip() if lines else "it exited without a message"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent() -> Callable[[], None] | None:
    """On Linux, have the kernel stop the child if this process dies without cleaning up."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    pr_set_pdeathsig = 1
    sigterm = int(signal.SIGTERM)

    def preexec() -> None:  # runs in the child between fork and exec: keep it tiny
        prctl(pr_set_pdeathsig, sigterm, 0, 0, 0)

    return preexec


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM into KeyboardInterrupt (main thread only) so cleanup runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # one is enough; let cleanup finish
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# --------------------------------------------------------------------------- the front


class _Front(HTTPServer):
    """The public HTTP server; forwards queries to the Oxigraph ``backend``.

    Connections are accepted by one thread and answered by a fixed pool of workers
    through a bounded line. The standard library's threading server instead starts
    a thread per connection behind a listen queue of 5: under a hundred clients the
    kernel resets the connections it has no room for, and the threads pile up.
    Here the kernel holds a burst (``_BACKLOG``), the line holds ``max_waiting``,
    and a request beyond that is read and answered 503 with Retry-After.
    """

    request_queue_size = _BACKLOG
    backend: _Backend
    page: bytes = b""
    max_rows: int | None = None  # a LIMIT put on every SELECT, CONSTRUCT and DESCRIBE

    def start_workers(self, workers: int, max_waiting: int) -> None:
        """Start the pool; at most ``workers + max_waiting`` requests are taken in at once."""
        self._line: queue.Queue = queue.Queue()
        self._refusals: queue.Queue = queue.Queue(maxsize=_BACKLOG)
        self._room = threading.BoundedSemaphore(workers + max_waiting)
        self._workers = [self._thread(self._line, _Handler) for _ in range(workers)]
        self._refusers = [self._thread(self._refusals, _BusyHandler) for _ in range(_REFUSERS)]

    def _thread(self, line: queue.Queue, handler: type) -> threading.Thread:
        thread = threading.Thread(target=self._work, args=(line, handler), daemon=True)
        thread.start()
        return thread

    def stop_workers(self) -> None:
        """Let the workers finish what they hold, then end them (call after ``shutdown``)."""
        for line, threads in ((self._line, self._workers), (self._refusals, self._refusers)):
            for _ in threads:
                with contextlib.suppress(queue.Full):
                    line.put(None, timeout=5)
        for thread in self._workers + self._refusers:
            thread.join(5)

    def process_request(self, request, client_address) -> None:
        """Queue the connection for a worker, or for a 503 when there is no room."""
        if self._room.acquire(blocking=False):
            self._line.put((request, client_address, True))
            return
        try:
            self._refusals.put_nowait((request, client_address, False))
        except queue.Full:  # even the refusers are behind: close it, as a full kernel would
            self.shutdown_request(request)

    def _work(self, line: queue.Queue, handler: type) -> None:
        while True:
            item = line.get()
            if item is None:
                return
            request, client_address, counted = item
            try:
                handler(request, client_address, self)
            except Exception:
                self.handle_error(request, client_address)
            finally:
                self.shutdown_request(request)
                if counted:
                    self._room.release()


class _Front6(_Front):
    address_family = socket.AF_INET6


def _bind_front(host: str, port: int) -> _Front:
    server_class = _Front6 if ":" in host else _Front
    try:
        return server_class((host, port), _Handler)
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            raise KhabarError(
                f"cannot listen on {host}:{port}: the port is in use (choose another --port)"
            ) from err
        raise KhabarError(f"cannot listen on {host}:{port}: {err.strerror or err}") from err


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/sparql"


class _Handler(BaseHTTPRequestHandler):
    server: _Front
    server_version = "khabar"
    protocol_version = "HTTP/1.0"  # the answer streams until the connection closes
    timeout = 60  # seconds a client may take to send its request

    def log_message(self, *args) -> None:
        """The library never prints: no access log."""

    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    # ---- methods

    def do_OPTIONS(self) -> None:
        self.send_response(204)
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        requested = self.headers.get("Access-Control-Request-Headers")
        self.send_header("Access-Control-Allow-Headers", requested or "Content-Type, Accept")
        self.send_header("Access-Control-Max-Age", "86400")
        self.send_header("Allow", "GET, POST, OPTIONS")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if self._refuse_update_path(url.path):
            return
        if url.path in ("/", "/index.html"):
            self._send(200, self.server.page, "text/html; charset=utf-8")
        elif url.path == "/sparql":
            fields = parse_qs(url.query, keep_blank_values=True)
            if "update" in fields:
                self._refuse()
            elif "query" not in fields:
                self._text(400, "missing query parameter; the query form is at /")
            else:
                capped = cap_rows(fields["query"][0], self.server.max_rows)
                fields["query"] = [capped]
                self._forward("GET", urlencode(fields, doseq=True), None, None)
        else:
            self._text(404, f"no such path {url.path}; the endpoint is /sparql")

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if self._refuse_update_path(url.path):
            return
        if url.path != "/sparql":
            self._text(404, f"no such path {url.path}; the endpoint is /sparql")
            return
        content_type = self.headers.get("Content-Type", "")
        media = content_type.split(";")[0].strip().lower()
        if media == "application/sparql-update":
            self._refuse()
            return
        if media not in ("application/x-www-form-urlencoded", "application/sparql-query"):
            self._text(415, "send application/sparql-query or a form with query=")
            return
        body = self._read_body()
        if body is None:
            return
        if media == "application/x-www-form-urlencoded":
            fields = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
            if "update" in fields:
                self._refuse()
                return
            if "query" not in fields:
                self._text(400, "missing query parameter")
                return
            fields["query"] = [cap_rows(fields["query"][0], self.server.max_rows)]
            body = urlencode(fields, doseq=True).encode("utf-8")
        else:
            text = body.decode("utf-8", errors="replace")
            body = cap_rows(text, self.server.max_rows).encode("utf-8")
        self._forward("POST", url.query, body, content_type)

    def _refuse_write(self) -> None:
        self._refuse()

    do_PUT = do_DELETE = do_PATCH = _refuse_write

    # ---- helpers

    def _refuse_update_path(self, path: str) -> bool:
        if path == "/update" or path.startswith("/update/"):
            self._refuse()
            return True
        return False

    def _refuse(self) -> None:
        self._text(403, "updates are refused: this endpoint is read-only")

    def _read_body(self) -> bytes | None:
        length = self.headers.get("Content-Length")
        if length is None or not length.strip().isdigit():
            self._text(411, "a POST needs a Content-Length")
            return None
        if int(length) > _MAX_BODY:
            self._text(413, f"the query is larger than {_MAX_BODY} bytes")
            return None
        return self.rfile.read(int(length))

    def _text(self, status: int, message: str) -> None:
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    def _forward(self, method: str, query: str, body: bytes | None, content_type: str | None):
        """Pass the request to Oxigraph's /query and stream its answer back, in time."""
        backend = self.server.backend
        deadline = time.monotonic() + backend.timeout
        address, generation = backend.current()
        headers = {"Accept": self.headers.get("Accept") or DEFAULT_ACCEPT}
        if body is not None:
            headers["Content-Type"] = content_type or "application/sparql-query"
            headers["Content-Length"] = str(len(body))
        target = "/query" + (f"?{query}" if query else "")
        conn = http.client.HTTPConnection(*address, timeout=backend.timeout)
        try:
            try:
                conn.request(method, target, body=body, headers=headers)
                sock = conn.sock
                answer = conn.getresponse()
            except TimeoutError:
                backend.restart(generation)
                self._text(504, f"the query ran longer than {backend.timeout:g} s and was stopped")
                return
            except (OSError, http.client.HTTPException) as err:
                self._text(502, f"the SPARQL engine did not answer: {err.__class__.__name__}")
                return
            self.send_response(answer.status, answer.reason)
            for name in ("Content-Type", "Content-Length", "Content-Disposition", "Vary"):
                value = answer.getheader(name)
                if value is not None:
                    self.send_header(name, value)
            self.end_headers()
            if not self._stream(answer, sock, deadline):
                backend.restart(generation)  # cut off: stop the work behind it too
        finally:
            conn.close()

    def _stream(self, answer: http.client.HTTPResponse, sock, deadline: float) -> bool:
        """Copy the answer to the client; False when the deadline cut it short."""
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                sock.settimeout(left)
                chunk = answer.read1(_CHUNK)
                if not chunk:
                    break
                self.wfile.write(chunk)
            self.wfile.flush()
        except TimeoutError:
            return False
        except (BrokenPipeError, ConnectionResetError, http.client.HTTPException):
            pass  # the client left, or Oxigraph closed early: nothing more to send
        return True


class _BusyHandler(BaseHTTPRequestHandler):
    """Answers 503 with Retry-After when every worker is busy and the line is full.

    The request is read first (a short wait at most): closing a socket with unread
    data in it makes the kernel send a reset, and the client would lose the answer.
    """

    server: _Front
    server_version = "khabar"
    protocol_version = "HTTP/1.0"
    timeout = 5

    def log_message(self, *args) -> None:
        """The library never prints: no access log."""

    def _busy(self) -> None:
        length = self.headers.get("Content-Length", "")
        if length.strip().isdigit() and int(length) <= _MAX_BODY:
            self.rfile.read(int(length))
        body = b"the endpoint is busy; retry in a moment\n"
        self.send_response(503)
        self.send_header("Retry-After", str(RETRY_AFTER))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    do_GET = do_POST = do_HEAD = do_OPTIONS = do_PUT = do_DELETE = do_PATCH = _busy


# --------------------------------------------------------------------------- the page


def _page() -> bytes:
    """The query page (``graph/templates/query.html.j2``): a textarea that POSTs to
    /sparql and shows the answer as a table, with the canned queries to choose from."""
    canned = {path.stem: path.read_text(encoding="utf-8") for path in query_files()}
    data = json.dumps(canned, ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        data = data.replace(char, escape)
    text = (resources.files("graph") / "templates" / "query.html.j2").read_text("utf-8")
    template = jinja2.Environment(autoescape=True, keep_trailing_newline=True).from_string(text)
    return template.render(canned_json=data).encode("utf-8")
