"""Write the actors and places of annotated entity files as gazetteer Turtle.

The annotation entity files (``../shared/gold/train/entities.json`` and the seed
``../shared/gold/entities.json``) list every actor of the training articles with
all the surface forms annotators saw. Their *names* may enter the gazetteer (the
article text never does). This script turns them into
``ontology/gazetteer-region.ttl``:

- an entity whose name the shipped gazetteer already knows gets the forms it lacks
  as ``skos:altLabel`` on the shipped IRI;
- a new entity gets an IRI minted from its English name, its class, an Arabic and
  an English ``rdfs:label``, its other forms and ``kh:partOf``.

Forms that would mislead a matcher are left out: bare generic words the guide
forbids anyway («الحكومة»), forms another entity already owns, a lone given
name («محمد») that starts several people's names, a lone surname that the news
corpus mostly uses as a plain word («العربي» is Arab far more often than Ashraf
al-Araby: :func:`plain_word_surnames`), and head nouns that refer back («التحالف»,
«طيران التحالف»: the extractor resolves them per article).

Run it again after annotating more articles::

    python tools/gold_entities_to_turtle.py ../shared/gold/entities.json \
        ../shared/gold/train/entities.json \
        extractors/relations/annotations/*/entities.json -o ontology/gazetteer-region.ttl

(``--corpus`` defaults to ``../shared/corpus/news-ar.txt.xz``, read for word counts.)

Never give it the dev set's entities: dev measures what we did not tune to.
"""

from __future__ import annotations

import argparse
import json
import lzma
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from babel import Locale  # noqa: E402
from rdflib import RDF  # noqa: E402

from extractors.gazetteer import load_gazetteer, slugify  # noqa: E402
from extractors.lexicon import GOVERNMENTAL  # noqa: E402
from extractors.normalize import normalize  # noqa: E402
from extractors.sentences import tokenize  # noqa: E402
from extractors.triggers import TriggerLexicon, load_triggers  # noqa: E402
from ontology import ENT, everyday_words, load_ontology  # noqa: E402

_ARABIC = re.compile("[\u0600-\u06ff]")
# honorifics and ranks that open a form, not a name: «الدكتور …», «اللواء …» (role titles,
# «الرئيس اليمني …», are the relation lexicon's: ``opens_with_title``)
_HONORIFICS = {normalize(w) for w in "الدكتور الشيخ فخامة العميد اللواء".split()}
# plural people nouns: «جنود أتراك» are unnamed soldiers, not Turkey's name
_PEOPLE_OF = {normalize(w) for w in "جنود جندي عناصر مقاتلي مقاتلو مقاتلين عسكريين مواطنين".split()}
# words of a description rather than a name
_DESCRIPTIVE = {
    normalize(w)
    for w in "الذي التي الذين اللذين اللتين بقيادة تقوده يقوده المدعوم المدعومة المدعومين".split()
}
_TYPES = {"Country", "Government", "ArmedGroup", "Organization", "Group", "Person", "Place"}


def _key(name: str) -> tuple[str, ...]:
    return tuple(normalize(name).replace('"', " ").split())


def _turtle_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def read_entities(paths: list[Path]) -> dict[str, dict]:
    """Merge entity files: same id -> union of names (first type and part_of win)."""
    merged: dict[str, dict] = {}
    for path in paths:
        for eid, spec in json.loads(path.read_text(encoding="utf-8")).items():
            if eid.startswith("_"):
                continue
            entry = merged.setdefault(eid, {"type": spec.get("type"), "names": []})
            entry["type"] = entry["type"] or spec.get("type")
            if spec.get("part_of") and "part_of" not in entry:
                entry["part_of"] = spec["part_of"]
            for name in spec.get("names", []):
                if name not in entry["names"]:
                    entry["names"].append(name)
    return merged


def opens_with_title(name: str, lexicon: TriggerLexicon) -> bool:
    """«نائب الرئيس العراقي نوري المالكي», «المبعوث الأممي إلى سوريا»: a form that opens
    with a role title (a ``title`` trigger of the relation lexicon) and goes on. As a
    name it would swallow the title's affiliation («العراقي»); the extractor reads the
    title, the affiliation and the name each as what they are."""
    tokens = tokenize(name)
    found = lexicon.match(tokens, 0) if len(tokens) > 1 else None
    return (
        found is not None
        and found.last < len(tokens) - 1
        and any(t.kind == "title" for t in found.triggers)
    )


def given_names(entities: dict[str, dict]) -> set[str]:
    """First words that start the names of two or more different people."""
    starts: dict[str, set[str]] = defaultdict(set)
    for eid, spec in entities.items():
        if spec["type"] == "Person":
            for name in spec["names"]:
                key = _key(name)
                if len(key) > 1 and _ARABIC.search(name):
                    starts[key[0]].add(eid)
    return {word for word, people in starts.items() if len(people) >= 2}


def plain_word_surnames(
    entities: dict[str, dict], corpus: Path, min_count: int = 100, max_share: float = 0.05
) -> set[str]:
    """One-word definite surnames of people («العربي», «الشريف», «القدرة») that the news
    in ``corpus`` (one article per line, xz) uses at least ``min_count`` times, less
    than ``max_share`` of them right after the word that precedes the surname in the
    person's full name («أشرف العربي»): alone, such a word is an adjective or a noun.
    Rarer surnames («البخيتي») are kept: the corpus cannot tell, and they are rarely
    anything else.
    """
    before: dict[str, set[str]] = defaultdict(set)  # surname -> words that precede it
    for spec in entities.values():
        if spec["type"] != "Person":
            continue
        keys = [_key(n) for n in spec["names"]]
        for key in keys:
            if len(key) == 1 and key[0].startswith("ال"):
                before[key[0]] |= {k[k.index(key[0]) - 1] for k in keys if key[0] in k[1:]}
    alone: Counter[str] = Counter()
    named: Counter[str] = Counter()
    with lzma.open(corpus, "rt", encoding="utf-8") as lines:
        for line in lines:
            words = normalize(line).split()
            for i, word in enumerate(words):
                if word in before:
                    alone[word] += 1
                    named[word] += i > 0 and words[i - 1] in before[word]
    return {w for w in before if alone[w] >= min_count and named[w] < max_share * alone[w]}


def to_turtle(entities: dict[str, dict], plain_words: set[str] = frozenset()) -> str:
    gaz = load_gazetteer()
    lexicon = load_triggers()
    common = given_names(entities) | {normalize(w) for w in everyday_words()}
    common |= set(gaz.head_nouns)  # «التحالف» alone refers back to the coalition named before
    declared = set(load_ontology().subjects(RDF.type, None))
    cldr_codes = {slugify(name): code for code, name in Locale("en").territories.items()}
    owner: dict[tuple[str, ...], str] = {}  # name key -> gold id that claims it first
    for eid in sorted(entities):
        for name in entities[eid]["names"]:
            owner.setdefault(_key(name), eid)
    # gold id -> the shipped gazetteer entity its names point to (the most votes)
    shipped: dict[str, str] = {}
    for eid, spec in entities.items():
        votes = Counter(
            gaz.names[_key(n)][0]
            for n in spec["names"]
            if _key(n) in gaz.names and not gaz.names[_key(n)][1]
        )
        if votes:
            shipped[eid] = votes.most_common(1)[0][0]
    iris: dict[str, str] = dict(shipped)
    taken = set(gaz.entities)
    for eid in sorted(entities):
        if eid in iris:
            continue
        english = next((n for n in entities[eid]["names"] if not _ARABIC.search(n)), eid)
        slug = slugify(english) or slugify(eid)
        while slug in taken:
            slug += "-x"
        taken.add(slug)
        iris[eid] = slug

    lines = [
        "@prefix kh:   <https://w3id.org/khabar/ontology#> .",
        "@prefix ent:  <https://w3id.org/khabar/id/> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "",
        "# Gazetteer, region: actors and places of the annotated training articles",
        "# (Syria, Yemen, Iraq, Iran, Palestine, Lebanon, Libya, Egypt, Turkey, Sudan,",
        "# Afghanistan; 2015), with every surface form annotators saw. Generated by",
        "# tools/gold_entities_to_turtle.py from the annotation entity files; edit",
        "# there or add by hand below the generated part.",
        "",
    ]
    for eid in sorted(entities, key=lambda e: iris[e]):
        spec = entities[eid]
        cls = spec["type"] if spec["type"] in _TYPES else "Organization"
        forms = []
        for name in spec["names"]:
            key = _key(name)
            if not key or owner.get(key) != eid:
                continue
            if key in gaz.names and gaz.names[key][0] != iris[eid]:
                continue  # the shipped gazetteer gives this form to another actor
            if key in gaz.names and gaz.names[key][0] == iris[eid] and not gaz.names[key][1]:
                continue  # already known
            if key[0] in _PEOPLE_OF and len(key) > 1:
                continue  # «جنود أتراك»: people of an actor, unnamed, not its name
            if key[0] in _HONORIFICS and len(key) > 1 or opens_with_title(name, lexicon):
                continue  # «الرئيس الروسي فلاديمير بوتين»: the title is the extractor's (leads)
            if _DESCRIPTIVE & set(key):
                continue  # «التحالف الذي تقوده السعودية» holds a relation; the extractor reads it
            if len(key) == 1 and (key[0] in common or len(key[0]) < 3):
                continue  # «محمد», «علي»: a given name names nobody alone
            if len(key) == 1 and key[0] in plain_words and cls == "Person":
                continue  # «العربي»: an adjective far more often than Ashraf al-Araby
            if len(key) == 2 and (key[1] in gaz.head_nouns or key[1] == GOVERNMENTAL):
                continue  # «طيران التحالف», «القوات الحكومية»: whichever the article means
            forms.append(name)
        iri = f"ent:{iris[eid]}"
        if eid in shipped:
            if forms and ENT[iris[eid]] not in declared and iris[eid] in cldr_codes:
                # a country known only from CLDR: declare it, so the file says what it names
                code = cldr_codes[iris[eid]]
                lines.append(f'{iri} a kh:Country ; kh:countryCode "{code}" .')
            if forms:
                labels = ", ".join(
                    _turtle_string(f) + ("@ar" if _ARABIC.search(f) else "@en") for f in forms
                )
                lines.append(f"{iri} skos:altLabel {labels} .")
            continue
        arabic = [f for f in forms if _ARABIC.search(f)]
        english = [f for f in forms if not _ARABIC.search(f)]
        if not arabic:
            continue  # nothing to match in Arabic text
        plain = [f for f in arabic if _key(f)[0] not in _HONORIFICS] or arabic
        label_ar = max(plain, key=lambda f: (len(_key(f)), len(f)))
        label_en = english[0] if english else ""
        parts = [f"{iri} a kh:{cls}"]
        labels = [_turtle_string(label_ar) + "@ar"]
        if label_en:
            labels.append(_turtle_string(label_en) + "@en")
        parts.append("rdfs:label " + ", ".join(labels))
        alts = [f for f in forms if f not in (label_ar, label_en)]
        if alts:
            parts.append(
                "skos:altLabel "
                + ", ".join(
                    _turtle_string(f) + ("@ar" if _ARABIC.search(f) else "@en") for f in alts
                )
            )
        parent = spec.get("part_of")
        if parent and parent in iris:
            parts.append(f"kh:partOf ent:{iris[parent]}")
        lines.append(" ;\n    ".join(parts) + " .")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("entities", nargs="+", type=Path, help="annotation entities.json files")
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument(
        "--corpus",
        type=Path,
        default=Path(__file__).resolve().parents[2] / "shared/corpus/news-ar.txt.xz",
        help="news, one article per line (xz), for the counts of plain_word_surnames",
    )
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        parser.error(f"{args.corpus}: no such corpus (give --corpus)")
    if any("dev" in p.parts for p in args.entities):
        parser.error("the dev set's entities never enter the gazetteer")
    # the file is regenerated whole: empty it first, so that the gazetteer read
    # below is the shipped one without the forms this script wrote last time
    args.output.write_text("", encoding="utf-8")
    entities = read_entities(args.entities)
    text = to_turtle(entities, plain_word_surnames(entities, args.corpus))
    tmp = args.output.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(args.output)
    print(f"{args.output}: {text.count(chr(10))} lines")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
