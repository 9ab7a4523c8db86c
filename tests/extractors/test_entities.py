"""Entities found in text (``extractors.entities``): ids, classes, duplicates, attachment."""

from __future__ import annotations

import pytest

from extractors.entities import (
    attach_entities,
    class_of_id,
    dedupe,
    entity_type,
    mint_id,
    short_hash,
    types_ok,
)
from extractors.gazetteer import load_gazetteer
from extractors.lexicon import LexiconExtractor
from extractors.normalize import normalize
from extractors.triggers import load_triggers
from extractors.types import Article, Entity, Statement


@pytest.fixture(scope="module")
def lexicon() -> LexiconExtractor:
    return LexiconExtractor()


def _stmt(subj, pred, obj, conf, start=0, **kw) -> Statement:
    return Statement(subj, pred, obj, "t", start, 10, "نص", conf, **kw)


# --- minting ---------------------------------------------------------------------


def test_an_id_is_its_class_folder_a_readable_name_and_the_hash_of_the_name():
    eid = mint_id("Person", "ايمن الصفدي")
    folder, _, rest = eid.partition("/")
    assert folder == "person"
    assert rest.endswith("-" + short_hash("ايمن الصفدي"))
    assert rest.isascii() and rest == rest.lower() and " " not in rest
    assert class_of_id(eid) == "Person"


def test_ids_are_deterministic_and_two_names_never_share_one():
    assert mint_id("Place", "كفر حمره") == mint_id("Place", "كفر حمره")
    assert mint_id("Place", "كفر حمره") != mint_id("Place", "كفر حمرا")
    assert mint_id("Organization", "حركه شهداء الوادي").startswith("org/")
    assert class_of_id("turkey") == ""  # a gazetteer id names no folder


def test_the_lexicon_extractor_mints_with_it(lexicon):
    text = "قال وزير الخارجية الأردني نادر قاسمي إن عمان ترفض التصعيد."  # a name of ours
    role = next(s for s in lexicon.extract(Article("t", text)) if s.predicate == "officialOf")
    assert role.subject == mint_id("Person", normalize("نادر قاسمي"))


def test_a_name_after_a_head_word_is_minted_from_the_head_word_and_the_name(lexicon):
    text = "أطلقت حركة شهداء الوادي هجوما على بلدة حمرايا."
    attack = next(s for s in lexicon.extract(Article("t", text)) if s.predicate == "attacks")
    assert attack.subject == mint_id("Organization", "حركه شهداء الوادي")
    assert attack.object == mint_id("Place", "بلده حمرايا")


# --- classes and what a relation may join ---------------------------------------------


def test_entity_type_reads_the_tables_in_order_then_the_folder():
    gaz = load_gazetteer()
    article = {"person/x-000000": Entity("person/x-000000", "Organization", label_ar="س")}
    assert entity_type("turkey", gaz.entities) == "Country"
    assert entity_type("person/x-000000", gaz.entities, article) == "Organization"
    assert entity_type("person/x-000000", gaz.entities) == "Person"
    assert entity_type("nobody-known", gaz.entities) == ""


def test_types_ok_places_do_nothing_and_movement_ends_at_a_place():
    rels = load_triggers().relations
    assert not types_ok(rels["attacks"], "Place", "Country")
    assert types_ok(rels["attacks"], "ArmedGroup", "Place")  # violence reaches a place
    assert not types_ok(rels["negotiatesWith"], "Country", "Place")
    assert types_ok(rels["withdrawsFrom"], "ArmedGroup", "Place")
    assert not types_ok(rels["withdrawsFrom"], "ArmedGroup", "Person")


# --- duplicates and attachment -----------------------------------------------------------


def test_dedupe_keeps_the_most_confident_and_reads_symmetric_relations_both_ways():
    rels = load_triggers().relations
    stmts = [
        _stmt("turkey", "negotiatesWith", "russia", 0.6),
        _stmt("russia", "negotiatesWith", "turkey", 0.8),  # the same talks
        _stmt("russia", "attacks", "turkey", 0.5),
        _stmt("turkey", "attacks", "russia", 0.7),  # not the same attack
        _stmt("russia", "attacks", "turkey", 0.5, negated=True),  # nor its denial
        _stmt("russia", "attacks", "turkey", 0.5, start=20),  # nor another sentence's
    ]
    kept = dedupe(stmts, rels)
    assert [(s.subject, s.predicate, s.confidence) for s in kept] == [
        ("russia", "negotiatesWith", 0.8),
        ("russia", "attacks", 0.5),
        ("turkey", "attacks", 0.7),
        ("russia", "attacks", 0.5),
        ("russia", "attacks", 0.5),
    ]
    assert kept[0] is stmts[1]


def test_attach_entities_adds_the_written_names_and_makes_unknown_ids_their_folders_class():
    gaz = load_gazetteer()
    speaker = mint_id("Person", "ايمن الصفدي")
    stmt = _stmt("turkey", "attacks", "place/x-000000", 0.9, attributed_to=speaker)
    surface = {"turkey": {"أنقرة"}, speaker: {"الصفدي", "أيمن الصفدي"}}
    out = attach_entities(stmt, gaz.entities.get, surface)
    turkey, place, person = out.entities
    assert turkey.id == "turkey" and "أنقرة" in turkey.alt_labels
    assert (place.id, place.type) == ("place/x-000000", "Place")
    assert (person.type, person.label_ar) == ("Person", "أيمن الصفدي")  # the longest form
    assert out == stmt  # the statement itself is unchanged


# --- romanization -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        ("مولود تشاووش أوغلو", "mulud-tashawush-ughlu"),  # long vowels, a doubled waw
        ("وليد المعلم", "walid-al-malm"),  # a first waw is a consonant; the article al-
        ("عبد الله", "abd-allah"),
        ("إيران", "iran"),  # the alif carries the long i
        ("حماة", "hamah"),  # ta marbuta after a long a
        ("جبهة النصرة", "jabha-al-nasra"),  # ta marbuta
    ],
)
def test_romanization_reads_well(arabic, latin):
    from extractors.entities import romanize

    assert romanize(arabic) == latin


def test_one_name_in_several_spellings_romanizes_one_way():
    from extractors.entities import romanize

    spellings = ["أحرار الشام", "احرار الشام", "أحْرار الشّام", "أحرار الشـام"]
    assert len({romanize(s) for s in spellings}) == 1
    assert romanize("") == "" and mint_id("Person", "") == f"person/x-{short_hash('')}"
