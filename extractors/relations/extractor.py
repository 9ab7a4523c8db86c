"""``RelationExtractor``: mentions from the lexicon extractor, relations from the trained model.

The default extractor of ``khabar build`` (``--extractor trained``). For each
sentence it asks the model about every pair of entity mentions (both orders; the
model reads the candidate's features, the article's view of the pair, and its window
of words when it has an encoder). A pair met in several sentences pools their scores
(``model.pooled``, a noisy-or) and the relation is kept when the pooled score
reaches that relation's threshold, with the sentences that reach it alone (or the
best one) as evidence; the statement's confidence is the chance that such a score is
right, measured out of fold when the model was trained (``RelationModel.confidence``).
Polarity, modality and attribution come from the rules' statement for the same pair
when there is one, else from the sentence's cue words. Last, the violence stage
(``violence.py``) vets the attacks and kills statements by whether their sentence
reports an attack at all, and gives a sentence that does, naming nobody, an unknown
perpetrator's attack.

>>> from extractors.types import Article
>>> ext = RelationExtractor()
>>> stmts = ext.extract(Article("a", "شنت الطائرات الروسية غارات على مواقع داعش في الرقة."))
>>> ("russia", "attacks", "isis") in {(s.subject, s.predicate, s.object) for s in stmts}
True
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from ..dates import find_event_date
from ..lexicon import NER_DEFAULT, Analysis, LexiconExtractor
from ..types import Article, Statement
from .candidates import Candidate, SentenceContext, candidates, sentence_context
from .encoder import window
from .features import article_features
from .model import RelationModel, load_relation_model, pooled
from .violence import SIDES, ViolenceModel, load_violence_model, vet_article

__all__ = ["RelationExtractor"]

_DEFAULT = "default"


class RelationExtractor:
    """Trained relation extraction over the lexicon extractor's mentions.

    ``model``: the shipped model (default), a model directory, a ``RelationModel``,
    or None (only ``contexts``, for training). ``ner``: "lead" (default), "all",
    "triggers", "off", or a function ``sentences -> [(first, last, label)]``. ``violence``: the
    shipped sentence model (default), a model directory, a ``ViolenceModel``, or None
    for no violence stage.
    """

    name = "trained"

    def __init__(
        self,
        *,
        model: RelationModel | str | os.PathLike | None = _DEFAULT,
        lexicon: LexiconExtractor | None = None,
        threshold: float | None = None,
        ner: str | Callable | None = NER_DEFAULT,
        keep_rules: bool = True,
        violence: ViolenceModel | str | os.PathLike | None = _DEFAULT,
    ) -> None:
        self.lexicon = lexicon or LexiconExtractor(ner=ner)
        if isinstance(model, RelationModel) or model is None:
            self.model = model
        else:
            self.model = load_relation_model(None if model == _DEFAULT else model)
        self.threshold = threshold
        self.keep_rules = keep_rules  # the rules' statements stand beside the model's
        if isinstance(violence, ViolenceModel) or violence is None:
            self.violence = violence
        else:
            self.violence = load_violence_model(None if violence == _DEFAULT else violence)

    def pipe(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[Statement]]]:
        for article in articles:
            yield article, self.extract(article)

    def contexts(self, article: Article) -> tuple[list[SentenceContext], Analysis]:
        """Each sentence of the article with its mentions and signals."""
        analysis = self.lexicon.analyse(article)
        lex, types = self.lexicon.lex, self.lexicon.entity_type
        return [
            sentence_context(analysis, i, lex, types) for i in range(len(analysis.clauses))
        ], analysis

    def extract(self, article: Article) -> list[Statement]:
        statements = self._relations(article)
        if self.violence is None:
            return statements
        entities = self.lexicon.gaz.entities
        sides = (entities[SIDES[0]], entities[SIDES[1]])
        return vet_article(article, statements, self.violence, sides)

    def _relations(self, article: Article) -> list[Statement]:
        """The rules' statements and the model's, before the violence stage."""
        if self.model is None:
            raise ValueError("RelationExtractor without a model cannot extract")
        contexts, analysis = self.contexts(article)
        cands = [c for ctx in contexts for c in candidates(ctx)]
        kept = [s for s in analysis.statements if self.keep_rules]
        if not cands:
            return kept
        windows = [window(c) for c in cands] if self.model.encoder is not None else None
        probs = self.model.predict(article_features(cands), windows)
        pairs = [(c.subject.entity, c.object.entity) for c in cands]
        pool, top = pooled(probs, pairs)
        cut = self.model.cuts(self.threshold)
        rules = {(s.start, s.subject, s.predicate, s.object): s for s in analysis.statements}
        symmetric = {r for r, rel in self.lexicon.lex.relations.items() if rel.symmetric}
        best = {_key(stmt, symmetric): stmt for stmt in kept}
        for cand, row, pool_row, top_row in zip(cands, probs, pool, top, strict=True):
            # the pair's pooled score decides; its sentences that clear the cut alone
            # (or its best one) are the evidence
            for k in ((pool_row >= cut) & ((row >= cut) | (row == top_row))).nonzero()[0]:
                rel = self.model.relations[k]
                conf = self.model.confidence(float(pool_row[k]))
                stmt = self._statement(article, cand, rel, conf, rules)
                key = _key(stmt, symmetric)
                if key not in best or best[key].confidence < stmt.confidence:
                    best[key] = stmt
        return [self.lexicon.attach_entities(analysis.doc, s) for s in best.values()]

    def _statement(
        self, article: Article, cand: Candidate, rel: str, prob: float, rules: dict
    ) -> Statement:
        sent = cand.context.sentence
        subj, obj = cand.subject.entity, cand.object.entity
        rule = rules.get((sent.start, subj, rel, obj)) or rules.get((sent.start, obj, rel, subj))
        if rule is not None:
            return replace(rule, confidence=round(prob, 2), extractor=self.name)
        cues = cand.context.cues
        lo, hi = sorted((cand.subject.first, cand.object.first))
        negated = any(lo - 3 <= p <= hi for p in cues.get("negationCues", []))
        modality = "Reported" if "reportCues" in cues else None
        if "plannedCues" in cues:
            modality = "Planned"
        return Statement(
            subj,
            rel,
            obj,
            article.id,
            sent.start,
            sent.end,
            sent.text,
            round(prob, 2),
            negated,
            modality,
            None,
            "",
            self.name,
            find_event_date(sent.text, article.date) or article.date,
        )


def _key(stmt: Statement, symmetric: set[str]) -> tuple:
    """One statement per sentence, relation and pair (either order when symmetric)."""
    s, o, rel = stmt.subject, stmt.object, stmt.predicate
    return (stmt.start, rel, *sorted((s, o))) if rel in symmetric else (stmt.start, rel, s, o)
