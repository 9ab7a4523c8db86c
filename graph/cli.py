"""The ``khabar`` command: a few lines per command over the public API.

This is the only module that prints or exits. Known errors (``KhabarError``)
become one line on stderr and exit status 1; anything else is a bug and keeps
its traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from extractors.errors import KhabarError
from graph.cli_explore import export, render, stats
from graph.cli_models import models
from graph.cli_relations import train_relations_command
from graph.cli_util import ner_model_option, ner_scope_option, one_line_errors

__all__ = ["main", "cli"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="khabar")
def cli() -> None:
    """Khabar: Arabic news in, a knowledge graph of who does what to whom out.

    Example: khabar build examples/ -o out/graph.ttl
    """


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(path_type=Path),
    help="Graph file to write; the suffix picks the format (.ttl .trig .nq .nt .jsonld).",
)
@click.option(
    "--extractor",
    default="trained",
    show_default=True,
    help="Extractor to run: trained (the shipped relation model, default), lexicon "
    "(the rules alone) or stanza (Stanza's dependency trees).",
)
@click.option(
    "--min-confidence",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    help="Drop statements below this confidence.",
)
@ner_scope_option
@click.option(
    "--relation-model",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="A relation model directory (khabar models train-relations); default: the shipped one.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@one_line_errors
def build(inputs, output, extractor, min_confidence, ner, relation_model, quiet):
    """Read articles (.txt files, folders, .jsonl) and write the knowledge graph.

    Example: khabar build examples/ news.jsonl -o out/graph.ttl
    """
    import warnings

    from extractors import get_extractor, read_articles
    from graph.build import build_graph
    from graph.serialize import guess_format, write_graph

    guess_format(output)  # fail before reading anything
    problems: list[str] = []
    articles = read_articles(inputs, on_error=problems.append)
    options = {"ner": ner} if extractor in {"trained", "lexicon"} else {}
    if relation_model is not None:
        if extractor != "trained":
            raise KhabarError("--relation-model is the trained extractor's option")
        options["model"] = relation_model
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ext = get_extractor(extractor, **options)
    for warning in caught:
        if not quiet:
            click.echo(f"warning: {warning.message}", err=True)
    result = build_graph(
        articles,
        ext,
        min_confidence=min_confidence,
        on_error=problems.append,
    )
    if result.articles == 0:
        raise KhabarError(
            f"no article could be read from {', '.join(map(str, inputs))}"
            + (f" ({problems[0]})" if problems else "")
        )
    write_graph(result.graph, output)
    for problem in problems:
        click.echo(f"skipped: {problem}", err=True)
    if not quiet:
        click.echo(
            f"{result.articles} articles, {result.statements} statements, "
            f"{result.entities} entities, {len(problems)} skipped -> {output}",
            err=True,
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
    """Run a SPARQL 1.1 query (text, @file.rq, or a canned query's name) over a graph file.

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
    """Serve the graph as a read-only SPARQL 1.1 Protocol endpoint at /sparql.

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
    from extractors.errors import ModelError
    from extractors.tagging import read_conll_tokens, tag_sentences

    if file is None:
        lines = sys.stdin.read().splitlines()
    else:
        try:
            lines = file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as err:
            raise KhabarError(f"cannot read: {err.__class__.__name__}", path=file) from err
    sents = read_conll_tokens(lines, path=file or "<stdin>")
    tagged = None
    if tagger != "gazetteer" and sents:
        from extractors.ner.tagger import NerTagger

        try:
            model = NerTagger(model_dir=ner_model)
        except ModelError as err:
            if tagger == "ner":
                raise
            click.echo(f"warning: {err}; tagging with the gazetteer instead", err=True)
        else:
            tags = model(sents)
            tagged = [list(zip(s, t, strict=True)) for s, t in zip(sents, tags, strict=True)]
    for sent in tagged if tagged is not None else tag_sentences(sents):
        for token, label in sent:
            click.echo(f"{token}\t{label}")
        click.echo()


cli.add_command(render)
cli.add_command(models)
models.add_command(train_relations_command)
cli.add_command(stats)
cli.add_command(export)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``khabar`` console script."""
    return cli.main(args=argv, prog_name="khabar", standalone_mode=True)


if __name__ == "__main__":
    sys.exit(main())
