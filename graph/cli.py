"""The ``khabar`` command: a few lines per command over the public API.

This is the only module that prints or exits. Known errors (``KhabarError``)
become one line on stderr and exit status 1; anything else is a bug and keeps
its traceback.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import click

from extractors.errors import KhabarError
from graph.cli_explore import export, render, stats
from graph.cli_models import models
from graph.cli_relations import train_relations_command
from graph.cli_util import ner_model_option, ner_scope_option, one_line_errors
from graph.cli_violence import train_violence_command

__all__ = ["main", "cli"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="khabar")
def cli() -> None:
    """Khabar: Arabic news in, a knowledge graph of who does what to whom out.

    Example: khabar build examples/ -o out/graph.ttl
    """


def _extraction_options(func):
    """The options of the commands that extract: build and add."""
    options = [
        click.option(
            "--extractor",
            default="trained",
            show_default=True,
            help="Extractor to run: trained (the shipped relation model, default), lexicon "
            "(the rules alone) or stanza (Stanza's dependency trees).",
        ),
        click.option(
            "--min-confidence",
            type=click.FloatRange(0, 1),
            default=0.0,
            show_default=True,
            help="Drop statements below this confidence.",
        ),
        ner_scope_option(),
        click.option(
            "--relation-model",
            type=click.Path(file_okay=False, path_type=Path),
            default=None,
            help="A relation model directory (khabar models train-relations); "
            "default: the shipped one.",
        ),
        click.option(
            "--workers",
            type=click.IntRange(1),
            default=1,
            show_default=True,
            help="Worker processes extracting chunks of articles; the graph is the same.",
        ),
        click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _one_blas_thread():
    """Limit numpy's BLAS to one thread while building, as the NER tagger limits torch
    (``OMP_NUM_THREADS`` or ``OPENBLAS_NUM_THREADS``, when set, decide instead). The
    relation encoder's products are small: on a 2-core machine a second BLAS thread
    mostly waits, and the build ran 4.8 articles/s with it, 7.9 without. The results
    are the same: each product's sums are done by one thread either way."""
    import os
    from contextlib import nullcontext

    import numpy  # noqa: F401  (threadpoolctl limits only the libraries already loaded)
    from threadpoolctl import threadpool_limits

    if os.environ.get("OMP_NUM_THREADS") or os.environ.get("OPENBLAS_NUM_THREADS"):
        return nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _run_build(
    inputs,
    *,
    output,
    store,
    new_store,
    extractor,
    min_confidence,
    ner,
    relation_model,
    workers,
    quiet,
    dask=None,
    parts=None,
) -> None:
    from graph.build import ExtractorSpec, build_files

    options = {"ner": ner} if extractor in {"trained", "lexicon"} else {}
    if relation_model is not None:
        if extractor != "trained":
            raise KhabarError("--relation-model is the trained extractor's option")
        options["model"] = relation_model
    problems: list[str] = []
    with _one_blas_thread():
        result = build_files(
            inputs,
            ExtractorSpec.of(extractor, **options),
            output=output,
            store=store,
            new_store=new_store,
            workers=workers,
            dask=dask,
            parts=parts,
            min_confidence=min_confidence,
            on_error=problems.append,
            on_warning=None if quiet else lambda m: click.echo(f"warning: {m}", err=True),
        )
    for problem in problems:
        click.echo(f"skipped: {problem}", err=True)
    if not quiet:
        where = " and ".join(str(p) for p in (store, output) if p is not None)
        click.echo(
            f"{result.articles} articles, {result.statements} statements, "
            f"{result.entities} entities, {len(problems)} skipped -> {where}",
            err=True,
        )


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=Path),
    help="Graph file to write; the suffix picks the format (.ttl .trig .nq .nt .jsonld).",
)
@click.option(
    "--store",
    type=click.Path(path_type=Path),
    help="Also, or instead, build into an Oxigraph store in this directory (new, empty, "
    "or a store to add to); query, stats, render, export and serve read it.",
)
@click.option(
    "--dask",
    metavar="ADDRESS",
    help="Extract on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786); "
    "the workers write N-Quads parts that are bulk-loaded into the store.",
)
@click.option(
    "--parts",
    type=click.Path(file_okay=False, path_type=Path),
    help="With --dask: a folder the Dask workers and this machine share, for the parts "
    "(default: a temporary folder beside the store).",
)
@_extraction_options
@one_line_errors
def build(
    inputs,
    output,
    store,
    dask,
    parts,
    extractor,
    min_confidence,
    ner,
    relation_model,
    workers,
    quiet,
):
    """Read articles (.txt files, folders, .jsonl) and write the knowledge graph.

    Articles stream through: .nt and .nq files are written as they come, other
    formats through an on-disk store, so memory does not grow with the corpus.

    Example: khabar build examples/ news.jsonl -o out/graph.ttl --store out/store
    """
    if output is None and store is None:
        raise click.UsageError("give -o FILE, --store DIR, or both")
    _run_build(
        inputs,
        output=output,
        store=store,
        dask=dask,
        parts=parts,
        new_store=True,
        extractor=extractor,
        min_confidence=min_confidence,
        ner=ner,
        relation_model=relation_model,
        workers=workers,
        quiet=quiet,
    )


@cli.command()
@click.argument("store", type=click.Path(path_type=Path))
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@_extraction_options
@one_line_errors
def add(store, inputs, extractor, min_confidence, ner, relation_model, workers, quiet):
    """Add articles to a store made by 'khabar build --store'. An article added again
    replaces what it said before (same text: nothing changes).

    Example: khabar add out/store today.jsonl
    """
    _run_build(
        inputs,
        output=None,
        store=store,
        new_store=False,
        extractor=extractor,
        min_confidence=min_confidence,
        ner=ner,
        relation_model=relation_model,
        workers=workers,
        quiet=quiet,
    )


@cli.command()
@click.argument("graph_file", type=click.Path(path_type=Path))
@click.argument("query", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "tsv"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option("--list", "list_queries", is_flag=True, help="List the canned queries and exit.")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a variable of a canned query, e.g. --param actor=ISIS.",
)
@one_line_errors
def query(graph_file, query, fmt, list_queries, params):
    """Run a SPARQL 1.1 query (text, @file.rq, or a canned query's name) over a graph or store.

    GRAPH_FILE is a graph file or a store directory (khabar build --store), which
    Oxigraph answers without loading it.

    Example: khabar query out/graph.ttl 'SELECT ?s ?o WHERE { ?s kh:supports ?o }'
    """
    from graph.serialize import read_graph
    from graph.sparql import describe_canned_queries, format_result, resolve_query, run_query

    if list_queries:
        click.echo(describe_canned_queries())
        return
    if not query:
        raise click.UsageError("give a QUERY (text, @file.rq or a canned query name)")
    text = resolve_query(query, params=dict(_split_param(p) for p in params))
    if graph_file.is_dir():
        from graph.store import OxigraphStore

        store = OxigraphStore(graph_file, read_only=True)
        try:
            result = store.query(text)
        finally:
            store.close()
    else:
        result = run_query(read_graph(graph_file), text)
    click.echo(format_result(result, fmt), nl=False)


def _split_param(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise click.BadParameter(f"expected NAME=VALUE, got {text!r}")
    return name.strip(), value


@cli.command()
@click.argument("graph_file", type=click.Path(path_type=Path))
@click.option("--port", default=7878, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option(
    "--timeout", default=30.0, show_default=True, type=float, help="Seconds a query may run."
)
@click.option(
    "--max-rows",
    default=10_000,
    show_default=True,
    type=click.IntRange(min=1),
    help="LIMIT put on every SELECT, CONSTRUCT and DESCRIBE.",
)
@one_line_errors
def serve(graph_file, port, host, timeout, max_rows):
    """Serve a graph file or a store directory as a read-only SPARQL 1.1 endpoint at /sparql.

    A store directory is served as it is, without loading.

    Example: khabar serve out/graph.ttl --port 7878
    """
    from graph.serve import serve_graph

    serve_graph(
        graph_file,
        host=host,
        port=port,
        timeout=timeout,
        max_rows=max_rows,
        on_ready=lambda url: click.echo(f"SPARQL endpoint at {url}", err=True),
    )


@cli.command("eval")
@click.argument("graph_file", type=click.Path(path_type=Path))
@click.argument("gold", type=click.Path(path_type=Path))
@click.option(
    "--entities",
    type=click.Path(path_type=Path),
    help="Gold entities file (default: entities.json beside GOLD).",
)
@click.option("-v", "--verbose", is_flag=True, help="List each miss and each false statement.")
@one_line_errors
def eval_(graph_file, gold, entities, verbose):
    """Score a graph against reference triples: precision, recall, F1.

    Example: khabar eval out/graph.ttl gold/seeds.json --verbose
    """
    from graph.evaluate import evaluate, format_evaluation, load_gold
    from graph.serialize import read_graph

    gold_data, names = load_gold(gold, entities)
    result = evaluate(read_graph(graph_file), gold_data, names)
    click.echo(format_evaluation(result, verbose=verbose), nl=False)


@cli.command()
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option(
    "--tagger",
    type=click.Choice(["auto", "ner", "gazetteer"]),
    default="auto",
    show_default=True,
    help="ner: Khabar's NER model; gazetteer: names from the gazetteer and titles; "
    "auto: the model, or the gazetteer with a warning when Stanza or the model is missing.",
)
@ner_model_option
@one_line_errors
def tag(file, tagger, ner_model):
    """Tag pre-tokenized text (a token per line, blank line between sentences) with BIO NER tags.

    Example: printf 'زار\\nبوتين\\nدمشق\\n' | khabar tag
    """
    from extractors.tagging import read_conll_tokens
    from extractors.tagging import tag as tag_tokens

    if file is None:
        lines = sys.stdin.read().splitlines()
    else:
        try:
            lines = file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as err:
            raise KhabarError(f"cannot read: {err.__class__.__name__}", path=file) from err
    sents = read_conll_tokens(lines, path=file or "<stdin>")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tagged = tag_tokens(sents, tagger=tagger, model_dir=ner_model)
    for warning in caught:
        click.echo(f"warning: {warning.message}", err=True)
    for sent in tagged:
        for token, label in sent:
            click.echo(f"{token}\t{label}")
        click.echo()


cli.add_command(render)
cli.add_command(models)
models.add_command(train_relations_command)
models.add_command(train_violence_command)
cli.add_command(stats)
cli.add_command(export)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``khabar`` console script."""
    return cli.main(args=argv, prog_name="khabar", standalone_mode=True)


if __name__ == "__main__":
    sys.exit(main())
