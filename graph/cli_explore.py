"""The ``khabar`` commands that explore the network: render, stats, export.

Standalone click commands, registered on the ``khabar`` group in ``graph/cli.py``.
Like the rest of the CLI, each parses its options, calls the library once, and
turns a KhabarError into one line on stderr with exit status 1.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from graph.cli_util import one_line_errors

__all__ = ["render", "stats", "export"]


@click.command()
@click.argument("graph_file", type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", required=True, type=click.Path(path_type=Path), help="HTML file to write."
)
@click.option("--title", default="Khabar knowledge graph", show_default=True)
@click.option(
    "--size-by",
    type=click.Choice(["degree", "pagerank"]),
    default="degree",
    show_default=True,
    help="What node size shows.",
)
@click.option(
    "--focus",
    metavar="ENTITY",
    help="Draw only the network around ENTITY: an IRI, an ent: name (isis) or a label.",
)
@click.option(
    "--hops",
    type=click.IntRange(0),
    default=1,
    show_default=True,
    help="With --focus: how many steps away from ENTITY to go.",
)
@click.option(
    "--max-nodes",
    type=click.IntRange(0),
    default=5000,
    show_default=True,
    help="Draw at most this many entities, the most central (0: no limit).",
)
@one_line_errors
def render(graph_file, output, title, size_by, focus, hops, max_nodes):
    """Write the graph as one self-contained, offline HTML network explorer.

    Nodes are sized by degree or PageRank and coloured by class; edges are
    coloured by relation family, as wide as their number of articles, denied
    ones dashed; tooltips give every evidence sentence with its article. The
    page filters by relation, class, dates and mentions, and switches labels
    between Arabic and English.

    Example: khabar render out/graph.ttl -o out/isis.html --focus isis --hops 2
    """
    from graph.render import write_html
    from graph.store import load_graph

    write_html(
        load_graph(graph_file),
        output,
        title=title,
        size_by=size_by,
        focus=focus,
        hops=hops,
        max_nodes=max_nodes,
    )
    click.echo(f"wrote {output}", err=True)


@click.command()
@click.argument("graph_file", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--top", type=click.IntRange(1), default=10, show_default=True, help="Entities per ranking."
)
@one_line_errors
def stats(graph_file, fmt, top):
    """Print the top actors by centrality (degree, PageRank), communities, and counts.

    Example: khabar stats out/graph.ttl --top 5 --format json
    """
    from graph.network import to_networkx
    from graph.stats import format_stats, graph_stats
    from graph.store import load_graph

    result = graph_stats(to_networkx(load_graph(graph_file)), top=top)
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        click.echo(format_stats(result), nl=False)


@click.command()
@click.argument("graph_file", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["gexf", "graphml"]),
    help="File format (default: from the suffix of OUT, .gexf or .graphml).",
)
@click.option(
    "-o", "--output", required=True, type=click.Path(path_type=Path), help="File to write."
)
@one_line_errors
def export(graph_file, fmt, output):
    """Write the network as GEXF or GraphML, for Gephi or Cytoscape.

    Example: khabar export out/graph.ttl --format gexf -o out/graph.gexf
    """
    from graph.export import guess_export_format, write_export
    from graph.network import to_networkx
    from graph.store import load_graph

    fmt = fmt or guess_export_format(output)  # fail before reading anything
    G = to_networkx(load_graph(graph_file))
    write_export(G, output, fmt=fmt)
    click.echo(
        f"{G.number_of_nodes()} entities, {G.number_of_edges()} relations -> {output}", err=True
    )
