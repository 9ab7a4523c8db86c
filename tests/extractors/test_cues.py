"""Cue words come from the ontology's Turtle alone: cue sets, their inclusion, their use."""

from __future__ import annotations

import pytest

from extractors.lexicon import LexiconExtractor
from extractors.sentences import tokenize
from extractors.triggers import load_triggers
from extractors.types import Article

_DIALECT = """
@prefix kh: <https://w3id.org/khabar/ontology#> .
kh:negationParticles kh:cue "مش" .
"""


def test_negation_holds_the_particles_and_governors_it_includes():
    lex = load_triggers()
    negation = lex.cue_words("negationCues")
    assert lex.cue_words("negationParticles") <= negation
    assert lex.cue_words("negationGovernors") <= negation
    assert {"نفي", "رفض"} <= negation - lex.cue_words("negationParticles")  # verbs of denial
    assert ("لا", "يمكن") in lex.cues["negationCues"]  # and longer cues
    assert lex.cue_words("futureParticles") <= lex.cue_words("plannedCues")


def test_a_particle_negates_the_words_right_after_it_a_verb_of_denial_the_clause():
    ext = LexiconExtractor()
    near = ext.extract(Article("a", "لم تتفاوض تركيا مع قسد."))
    assert [(s.predicate, s.negated) for s in near] == [("negotiatesWith", True)]
    far = ext.extract(Article("b", "لم تعلن الحكومة حتى الآن أن تركيا قصفت مواقع قسد."))
    assert [s.negated for s in far if s.predicate == "attacks"] == [False]
    denial = ext.extract(Article("c", "ونفت الحكومة حتى الآن أن تركيا قصفت مواقع قسد."))
    assert [s.negated for s in denial if s.predicate == "attacks"] == [True]


@pytest.fixture
def dialect(tmp_path):
    path = tmp_path / "dialect.ttl"
    path.write_text(_DIALECT, encoding="utf-8")
    return path


def test_a_particle_added_in_turtle_negates_with_nothing_else_changed(dialect):
    text = "مش تتفاوض تركيا مع قسد."
    before = LexiconExtractor().extract(Article("a", text))
    after = LexiconExtractor(triggers=load_triggers(dialect)).extract(Article("a", text))
    assert [s.negated for s in before if s.predicate == "negotiatesWith"] == [False]
    assert [s.negated for s in after if s.predicate == "negotiatesWith"] == [True]
    assert "مش" in load_triggers(dialect).cue_words("negationCues")  # through kh:includes


def test_one_pass_over_a_sentence_answers_as_each_token_asked_alone():
    lex = load_triggers()
    toks = tokenize("وقال المتحدث إن تركيا لم تقصف مواقع قسد ولا تعتزم التفاوض معها، بحسب البيان.")
    alone = [lex.match(list(toks), i) for i in range(len(toks))]  # a list: no pass
    assert lex.matches(toks) == alone
    assert any(alone)  # the sentence has triggers: «تقصف», «التفاوض»
    for cue in ("negationCues", "reportCues", "plannedCues"):
        ends = [lex.cue_at(list(toks), i, cue) for i in range(len(toks))]  # a list: no pass
        assert lex.cue_ends(toks, cue) == ends
        assert any(e is not None for e in ends), cue
