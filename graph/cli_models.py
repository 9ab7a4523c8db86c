"""``khabar models``: train Khabar's NER model, fetch Stanza's Arabic models, show what is there.

Registered in ``graph/cli.py`` with ``cli.add_command(models)``. Like the rest
of the CLI, each command parses options, calls ``extractors.models`` once, and
turns ``KhabarError`` into one line on stderr with exit status 1.
"""

from __future__ import annotations

from pathlib import Path

import click

from graph.cli_util import ner_model_option, one_line_errors

__all__ = ["models"]

_SHARED = Path("..") / "shared"


_model_dir_option = click.option(
    "--model-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where Stanza's official models live "
    "(default: $KHABAR_MODELS_DIR, else $STANZA_RESOURCES_DIR, else ~/.cache/khabar/stanza).",
)


@click.group()
def models() -> None:
    """Khabar's NER model and Stanza's Arabic models: train, score, download, status.

    Example: khabar models status
    """


def _corpora(_ctx, _param, value: str) -> list[str]:
    from extractors.errors import InputError
    from extractors.ner.train import check_corpora

    try:
        return check_corpora(value.split(","))
    except InputError as err:
        raise click.BadParameter(str(err)) from err


@models.command("train-ner")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=_SHARED / "data" / "ner",
    show_default=True,
    help="Folder with anercorp_train.txt, aqmar_train.txt, aqmar_dev.txt and wikifane_gold.txt "
    "(token TAG lines).",
)
@click.option(
    "--text-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=_SHARED / "corpus",
    show_default=True,
    help="Folder with the news texts the word vectors are trained on (news-ar.txt.xz).",
)
@click.option(
    "--corpora",
    default="anercorp,aqmar,saudinews,ant,wikifane-text",
    show_default=True,
    callback=_corpora,
    help="What to train on, comma-separated. Labelled: anercorp (always), aqmar, wikifane "
    "(MISC dropped) or wikifane-misc (MISC kept). News text for the vectors: saudinews "
    "(CC BY-NC-SA 4.0), ant (Apache-2.0), syria (the 1,027-article file, CC BY-NC-SA 4.0), "
    "wikifane-text (WikiFANE's words, untagged). "
    "Leave out saudinews and syria for weights a company may use.",
)
@click.option(
    "--corpus",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="One more news file for the word vectors (JSONL with a 'content' field, "
    "or one article a line, .xz or not).",
)
@click.option(
    "--vectors-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Reuse word vectors trained before (a Stanza pretrain .pt) instead of training them.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out") / "ner-model",
    show_default=True,
    help="Folder to write the model, its vectors and meta.json to.",
)
@click.option(
    "--max-steps",
    type=click.IntRange(1),
    default=3000,
    show_default=True,
    help="Training steps at most; the checkpoint best on the dev part is kept.",
)
@click.option("--dim", type=click.IntRange(10, 300), default=100, show_default=True)
@click.option(
    "--vectors",
    type=click.Choice(["fasttext", "word2vec"]),
    default="word2vec",
    show_default=True,
    help="How to train the word vectors (gensim).",
)
@click.option(
    "--vector-epochs",
    type=click.IntRange(1, 50),
    default=5,
    show_default=True,
    help="Passes over the news text when training the word vectors (20 for the small syria file).",
)
@click.option(
    "--anercorp-copies",
    type=click.IntRange(1, 5),
    default=3,
    show_default=True,
    help="Repeat ANERcorp's training part, to outweigh the Wikipedia corpora.",
)
@click.option(
    "--word-dropout",
    type=click.FloatRange(0, 0.9),
    default=0.25,
    show_default=True,
    help="How often a training word is hidden, so that unknown names are read from their letters.",
)
@click.option(
    "--tune-unknown-words/--no-tune-unknown-words",
    default=True,
    show_default=True,
    help="Learn an embedding for each training word the vectors lack (WikiFANE's names: "
    "+30 MB of model).",
)
@click.option(
    "--charlm/--no-charlm",
    default=False,
    show_default=True,
    help="Train character language models on the news text first and use them in place "
    "of the tagger's own character model (tagging: 400 units about 3.7x slower, 64 about "
    "as fast; both scored below the shipped model on our dev data).",
)
@click.option(
    "--charlm-hidden",
    type=click.IntRange(16, 2048),
    default=400,
    show_default=True,
    help="Units of each character language model (fewer: faster tagging).",
)
@click.option(
    "--charlm-epochs",
    type=click.IntRange(1, 50),
    default=3,
    show_default=True,
    help="Passes over the text when training the character language models.",
)
@click.option(
    "--charlm-sentences",
    type=click.IntRange(1),
    default=None,
    help="Train the character language models on this many news sentences (from --text-dir, "
    "in turn from each news corpus) plus the labelled words, also with --vectors-file "
    "(default: the vectors' text; with --vectors-file, the labelled words only).",
)
@click.option(
    "--holdout",
    type=click.FloatRange(0, 0.5),
    default=0.10,
    show_default=True,
    help="Last part of ANERcorp held out for measurement.",
)
@click.option(
    "--limit", type=click.IntRange(1), default=None, help="Train on the first N sentences."
)
@click.option("--seed", type=int, default=1234, show_default=True)
@click.option(
    "--threads", type=click.IntRange(1), default=1, show_default=True, help="Torch threads."
)
@one_line_errors
def train_ner(
    data_dir,
    text_dir,
    corpora,
    corpus,
    vectors_file,
    output,
    max_steps,
    dim,
    vectors,
    vector_epochs,
    anercorp_copies,
    word_dropout,
    tune_unknown_words,
    charlm,
    charlm_hidden,
    charlm_epochs,
    charlm_sentences,
    holdout,
    limit,
    seed,
    threads,
):
    """Train Khabar's NER model (Stanza's trainer) and measure it on held-out data.

    Reproduces the model shipped in extractors/models/ner: copy the output
    folder's files there. meta.json records the corpora, their licences and
    the licence the weights follow.

    Example: khabar models train-ner -o out/ner-model
    """
    from extractors.ner.train import train_ner as run_training

    meta = run_training(
        data_dir,
        output,
        corpora=corpora,
        text_dir=text_dir,
        corpus=corpus if corpus and str(corpus) not in {"", "."} else None,
        vectors_file=vectors_file,
        max_steps=max_steps,
        dim=dim,
        vectors=vectors,
        vector_epochs=vector_epochs,
        anercorp_copies=anercorp_copies,
        word_dropout=word_dropout,
        tune_unknown_words=tune_unknown_words,
        charlm=charlm,
        charlm_hidden=charlm_hidden,
        charlm_epochs=charlm_epochs,
        charlm_sentences=charlm_sentences,
        holdout=holdout,
        limit=limit,
        seed=seed,
        threads=threads,
        on_progress=lambda msg: click.echo(msg, err=True),
    )
    licence = meta["licence"]
    click.echo(
        f"wrote {output} ({meta['size_mb']} MB; weights under {licence['weights']})", err=True
    )


@models.command("eval-ner")
@click.argument("gold", type=click.Path(dir_okay=False, path_type=Path))
@ner_model_option
@one_line_errors
def eval_ner(gold, ner_model):
    """Score the NER model on a gold file of 'token TAG' lines (ANERcorp/AQMAR/CoNLL style).

    Tags the tokens as 'khabar tag' does (the file is one document) and prints
    entity precision, recall and F1 (exact span and type), overall and per type.

    Example: khabar models eval-ner ../shared/data/ner/aqmar_dev.txt
    """
    from extractors.errors import InputError
    from extractors.ner.bio import read_bio
    from extractors.ner.tagger import NerTagger
    from extractors.ner.train import evaluate_ner

    sents = read_bio(gold)
    if not sents:
        raise InputError("no tokens to score", path=gold)
    score = evaluate_ner(sents, tagger=NerTagger(model_dir=ner_model))
    click.echo(f"entities\t{score['entities']}")
    for key in ("precision", "recall", "f1"):
        click.echo(f"{key}\t{score[key]:.4f}")
    for kind, f1 in score["types"].items():
        click.echo(f"f1 {kind}\t{f1:.4f}")
    click.echo(f"tokens/s\t{score['tokens_per_s']}")


@models.command()
@_model_dir_option
@one_line_errors
def download(model_dir):
    """Download Stanza's official Arabic models (tokenize, mwt, pos, lemma, depparse, ner).

    Needed once for --extractor stanza; all or nothing (a failed download leaves no files).

    Example: khabar models download --model-dir ~/stanza_resources
    """
    from extractors.ner.resources import download_models

    root = download_models(model_dir)
    click.echo(f"Stanza Arabic models installed in {root}", err=True)


@models.command()
@_model_dir_option
@one_line_errors
def status(model_dir):
    """Show which models are installed: Khabar's NER model and Stanza's Arabic models.

    Example: khabar models status --model-dir ~/stanza_resources
    """
    from extractors.ner.resources import model_status

    for info in model_status(model_dir):
        state = "installed" if info.installed else "missing"
        size = f"{info.size / 1e6:.1f} MB" if info.installed else "-"
        detail = f"  ({info.detail})" if info.detail else ""
        click.echo(f"{info.name:<22} {state:<9} {size:>9}  {info.path}{detail}")
