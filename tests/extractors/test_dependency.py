"""Statements read off dependency trees (``extractors.dependency``): hand-written CoNLL-U,
UD v2 / PADT conventions, read by Stanza itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.errors import ModelError
from extractors.types import Article, Entity

stanza = pytest.importorskip("stanza")

from stanza.utils.conll import CoNLL  # noqa: E402

from extractors.dependency import StanzaExtractor, statements_from_doc  # noqa: E402

CONLLU = Path(__file__).resolve().parents[1] / "data" / "conllu"


# --- the dependency-tree extractor on Stanza Documents --------------------------------


def _article(path: Path) -> tuple[Article, object]:
    """The fixture's Document (offsets in MISC) and its article: sentences joined by a space."""
    texts = [
        line.removeprefix("# text = ")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("# text = ")
    ]
    return Article(path.stem, " ".join(texts)), CoNLL.conll2doc(input_file=str(path))


@pytest.fixture(scope="module")
def extracted() -> dict[str, list]:
    out = {}
    for path in sorted(CONLLU.glob("*.conllu")):
        article, doc = _article(path)
        out[path.stem] = (article, statements_from_doc(doc, article))
    return out


def _triples(stmts) -> set[tuple]:
    return {(s.subject, s.predicate, s.object, s.negated) for s in stmts}


def test_fixtures_hold_ten_sentences_or_more():
    n = sum(
        path.read_text(encoding="utf-8").count("# sent_id = ") for path in CONLLU.glob("*.conllu")
    )
    assert n >= 10


@pytest.mark.parametrize(
    ("doc_id", "triple"),
    [
        # «أجرت واشنطن محادثات مع موسكو»: a two-word trigger, the object through «مع»
        ("talks", ("united-states", "negotiatesWith", "russia", False)),
        # «ولم تتفاوض تركيا مع قسد»: advmod «لم» negates
        ("talks", ("turkey", "negotiatesWith", "sdf", True)),
        # subject and object are titles whose names hang below them
        ("talks", ("sergey-lavrov", "meetsWith", "john-kerry", False)),
        ("talks", ("sergey-lavrov", "officialOf", "russia", False)),
        ("talks", ("john-kerry", "officialOf", "united-states", False)),
        # «المفاوضات بين دمشق والمعارضة»: the two parties of «بين», one a conjunct
        ("talks", ("syrian-government", "negotiatesWith", "syrian-opposition", False)),
        # «قال لافروف إن موسكو لن تتفاوض مع جبهة النصرة»
        ("talks", ("russia", "negotiatesWith", "nusra-front", True)),
        # «قصفت الطائرات الروسية مواقع تنظيم داعش»: an adjective, a genitive
        ("conflict", ("russia", "attacks", "isis", False)),
        # «انسحبت قسد من منبج إلى الرقة»: «من» and «إلى» give two relations
        ("conflict", ("sdf", "withdrawsFrom", "manbij", False)),
        ("conflict", ("sdf", "movesTo", "raqqa", False)),
        ("conflict", ("syrian-government", "controls", "palmyra", True)),
        # «دعمت إيران وروسيا قوات النظام السوري»: conjoined subjects
        ("conflict", ("iran", "supports", "syrian-government", False)),
        ("conflict", ("russia", "supports", "syrian-government", False)),
        ("conflict", ("united-states", "withdrawsFrom", "iraq", True)),
        ("actors", ("vladimir-putin", "meetsWith", "recep-tayyip-erdogan", False)),
        ("actors", ("vladimir-putin", "leads", "russia", False)),
        # «رفضت الحكومة التركية التفاوض مع …»: a refusal denies the talks
        ("actors", ("turkey", "negotiatesWith", "ypg", True)),
        ("actors", ("qatar", "mediates", "hezbollah", False)),
        ("actors", ("qatar", "mediates", "nusra-front", False)),
        ("actors", ("hezbollah", "attacks", "syrian-opposition", False)),
        # «مقاتلو حزب الله الذين وصلوا إلى حلب»: the relative clause's subject is its head
        ("actors", ("hezbollah", "movesTo", "aleppo", False)),
        ("actors", ("russia", "deploysTo", "syria", False)),
        # «وحدات حماية الشعب المدعومة من واشنطن»: passive participle, agent after «من»
        ("actors", ("united-states", "supports", "ypg", False)),
    ],
)
def test_statements_from_dependency_trees(extracted, doc_id, triple):
    _article, stmts = extracted[doc_id]
    assert triple in _triples(stmts)


def test_no_statement_beyond_the_expected_ones(extracted):
    """No «rejects» from «رفضت … التفاوض», no place as a subject, nothing from «في أنقرة»."""
    counts = {doc_id: len(stmts) for doc_id, (_a, stmts) in extracted.items()}
    assert counts == {"talks": 7, "conflict": 7, "actors": 11}
    _article, stmts = extracted["actors"]
    assert ("recep-tayyip-erdogan", "officialOf", "turkey", False) in _triples(stmts)
    assert not any(s.predicate == "rejects" for s in stmts)


def test_statements_carry_offsets_evidence_and_provenance(extracted):
    for doc_id, (article, stmts) in extracted.items():
        for stmt in stmts:
            assert stmt.article_id == doc_id
            assert article.text[stmt.start : stmt.end] == stmt.evidence
            assert stmt.evidence.endswith(".")
            assert 0.3 <= stmt.confidence <= 1.0
            assert stmt.extractor == "stanza"
            assert stmt.trigger


def test_evidence_is_the_whole_sentence(extracted):
    article, stmts = extracted["conflict"]
    stmt = next(s for s in stmts if s.predicate == "controls")
    assert stmt.evidence == "وأكد المرصد أن الجيش السوري لم يسيطر على تدمر ."
    assert (stmt.negated, stmt.modality) == (True, "Reported")


def test_speaker_and_modality(extracted):
    _article, stmts = extracted["talks"]
    said = next(s for s in stmts if s.object == "nusra-front")
    assert (said.modality, said.attributed_to) == ("Reported", "sergey-lavrov")
    _article, stmts = extracted["actors"]
    planned = next(s for s in stmts if s.predicate == "deploysTo")
    assert planned.modality == "Planned"


def test_entities_are_filled_like_the_lexicon_extractor(extracted):
    _article, stmts = extracted["talks"]
    stmt = next(s for s in stmts if s.object == "nusra-front")
    assert [e.id for e in stmt.entities] == ["russia", "nusra-front", "sergey-lavrov"]
    russia = stmt.entities[0]
    assert isinstance(russia, Entity) and russia.type == "Country"
    assert "موسكو" in russia.alt_labels  # surface forms seen in the article


def test_ner_names_unknown_to_the_gazetteer_get_minted_entities(extracted):
    _article, stmts = extracted["actors"]
    stmt = next(s for s in stmts if s.predicate == "detains")
    assert stmt.object.startswith("person/karim-nadr-")
    person = stmt.entities[1]
    assert (person.type, person.label_ar) == ("Person", "كريم نادر")
    assert stmt.confidence < 0.85  # a name only the NER model vouches for


def test_a_reference_noun_with_an_adjective_is_the_adjectives_actor(extracted):
    """«الحكومة التركية» is Turkey, though «الحكومة» alone refers back to Syria's government."""
    _article, stmts = extracted["actors"]
    assert {s.subject for s in stmts if s.predicate == "negotiatesWith"} == {"turkey"}


def test_a_document_without_offsets_is_refused():
    from extractors.errors import InputError

    doc = CoNLL.conll2doc(
        input_str="1\tقصفت\tقَصَف\tVERB\t_\t_\t0\troot\t_\t_\n2\tروسيا\tرُوسِيَا\tX\t_\t_\t1\tnsubj\t_\t_\n\n"
    )
    with pytest.raises(InputError, match="no character offsets"):
        statements_from_doc(doc, Article("x", "قصفت روسيا"))


def test_stanza_extractor_without_models_names_the_dir_and_the_fix(tmp_path):
    with pytest.raises(ModelError) as err:
        StanzaExtractor(model_dir=tmp_path)
    message = str(err.value)
    assert message.startswith(f"{tmp_path}: Stanza's Arabic models are not installed")
    assert f"khabar models download --model-dir {tmp_path}" in message
    assert "\n" not in message
