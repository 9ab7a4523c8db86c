"""The dependency-tree extractor (``--extractor stanza``): statements read off Stanza's parses.

``StanzaExtractor`` runs Stanza's official Arabic pipeline (tokenize, mwt, pos,
lemma, depparse, ner) and reads statements off each sentence's tree; the
tree -> statements step is the pure function ``statements_from_doc``, testable on
hand-written CoNLL-U. Entity linking is the lexicon extractor's (gazetteer, titled
people, references). Stanza and torch load only when the extractor is built.
"""

from __future__ import annotations

import functools
import os

from .entities import NER_CLASSES, attach_entities, dedupe, entity_type, mint_id, types_ok
from .errors import InputError, ModelError
from .lexicon import LexiconExtractor
from .ner.resources import (
    STANZA_PROCESSORS,
    default_model_dir,
    import_stanza,
    official_models_missing,
    use_one_thread,
)
from .normalize import normalize, strip_clitics
from .types import Entity, Mention, Statement

__all__ = ["StanzaExtractor", "statements_from_doc"]

_FUTURE_PREFIX = "س"  # «سينسحب»: Stanza splits the prefix off as a word of its own
_RELATIVE = {"الذي", "التي", "الذين", "اللذين", "اللتين", "اللذان", "اللتان", "اللواتي", "من", "ما"}
_NAME_DEPS = {"flat", "flat:name", "appos", "nmod", "amod", "compound", "conj", "nummod"}
_EXPAND_DEPS = {"nmod", "nmod:poss", "amod", "flat", "flat:name", "appos", "compound", "det"}


class StanzaExtractor:
    """Statements read off Stanza's Arabic dependency trees (``--extractor stanza``).

    Needs Stanza's official Arabic models in ``model_dir`` (default: see
    ``extractors.ner.resources.default_model_dir``); fetch them once with
    ``khabar models download``. Entity linking is the lexicon extractor's
    (gazetteer, titled people, references), so both extractors mint the same ids.
    """

    name = "stanza"

    def __init__(
        self,
        *,
        model_dir: str | os.PathLike | None = None,
        gazetteer=None,
        triggers=None,
        threads: int = 1,
        batch_size: int = 8,
    ) -> None:
        root = default_model_dir(model_dir)
        missing = official_models_missing(root)
        if missing:
            raise ModelError(
                f"Stanza's Arabic models are not installed ({', '.join(missing)} missing); "
                f"fetch them once with: khabar models download --model-dir {root}",
                path=root,
            )
        stanza = import_stanza()
        use_one_thread(threads)
        self.model_dir = root
        self.batch_size = batch_size
        self.lexicon = LexiconExtractor(gazetteer=gazetteer, triggers=triggers)
        try:
            self.pipeline = stanza.Pipeline(
                lang="ar",
                dir=str(root),
                processors=STANZA_PROCESSORS,
                download_method=None,
                use_gpu=False,
                logging_level="ERROR",
            )
        except Exception as err:  # stanza raises plain exceptions for broken model dirs
            raise ModelError(
                f"cannot load Stanza's Arabic models ({err.__class__.__name__}: {err}); "
                f"fetch them again with: khabar models download --model-dir {root}",
                path=root,
            ) from err

    def extract(self, article) -> list:
        """All statements of one article."""
        return statements_from_doc(self.pipeline(article.text), article, lexicon=self.lexicon)

    def pipe(self, articles):
        """Stream (article, statements), parsing ``batch_size`` articles per Stanza call."""
        stanza = import_stanza()
        batch = []
        for article in articles:
            batch.append(article)
            if len(batch) >= self.batch_size:
                yield from self._run(stanza, batch)
                batch = []
        if batch:
            yield from self._run(stanza, batch)

    def _run(self, stanza, batch):
        docs = self.pipeline.bulk_process([stanza.Document([], text=a.text) for a in batch])
        for article, doc in zip(batch, docs, strict=True):
            yield article, statements_from_doc(doc, article, lexicon=self.lexicon)


@functools.lru_cache(maxsize=1)
def _default_lexicon():
    return LexiconExtractor()


def statements_from_doc(doc, article, *, lexicon=None) -> list:
    """Statements of ``article`` read off a parsed Stanza ``Document`` of its text.

    Pure: the Document may come from the pipeline or from CoNLL-U
    (``stanza.utils.conll.CoNLL.conll2doc``) as long as its tokens carry
    ``start_char``/``end_char`` into ``article.text``. Entity mentions come
    from ``lexicon`` (a ``LexiconExtractor``: gazetteer, titled people,
    references); names only the Stanza NER finds get minted ids.
    """
    lexicon = lexicon or _default_lexicon()
    if not doc.ents and any(t.ner for sent in doc.sentences for t in sent.tokens):
        doc.build_ents()  # a Document read from CoNLL-U has tags but no entity spans yet
    reader = _TreeReader(article, lexicon)
    found = (stmt for sent in doc.sentences for stmt in reader.read(sent))
    return [reader.with_entities(s) for s in dedupe(found, lexicon.lex.relations)]


class _Node:
    """A Stanza word with what the tree reader needs: offsets, normalized forms, children."""

    __slots__ = ("word", "id", "head", "deprel", "text", "norm", "lemma", "start", "end", "kids")

    def __init__(self, word, start: int, end: int) -> None:
        self.word = word
        self.id = word.id
        self.head = word.head or 0
        self.deprel = (word.deprel or "").lower()
        self.text = word.text or ""
        self.norm = normalize(self.text)
        self.lemma = normalize(word.lemma or "") or self.norm
        self.start, self.end = start, end
        self.kids: list[_Node] = []

    @property
    def base(self) -> str:
        return self.deprel.split(":")[0]


def _nodes(sent) -> dict[int, _Node]:
    """The words of a sentence by id, with offsets (a multi-word token's words split its span)."""
    nodes: dict[int, _Node] = {}
    for token in sent.tokens:
        words = token.words
        spans = [(token.start_char, token.end_char)] * len(words)
        exact = "".join(w.text for w in words) == token.text
        if len(words) > 1 and exact and token.start_char is not None:
            pos, spans = token.start_char, []
            for w in words:
                spans.append((pos, pos + len(w.text)))
                pos += len(w.text)
        for w, (start, end) in zip(words, spans, strict=True):
            if w.start_char is not None and w.end_char is not None:
                start, end = w.start_char, w.end_char
            nodes[w.id] = _Node(w, start, end)
    for node in nodes.values():
        if node.head in nodes:
            nodes[node.head].kids.append(node)
    return nodes


class _TreeReader:
    """Reads an article's sentences: mentions by offset, triggers by lemma, arguments by role."""

    def __init__(self, article, lexicon) -> None:
        self.article = article
        self.lexicon = lexicon
        self.gaz = lexicon.gaz
        self.lex = lexicon.lex
        self.mentions = [m for _s, ms in lexicon.mentions(article) for m in ms]
        self.minted: dict[str, Entity] = {}  # entity id -> Entity, for names not in the gazetteer
        self.surface: dict[str, set[str]] = {}
        for m in self.mentions:
            if not m.hidden:
                self.surface.setdefault(m.entity, set()).add(m.text)
        self.single = {k[0]: v for k, v in self.lex.forms.items() if len(k) == 1}
        self.cues = {
            name: {k[0] for k in forms if len(k) == 1} for name, forms in self.lex.cues.items()
        }

    # -- mentions ---------------------------------------------------------------
    def _mention_of(self, node: _Node, extra: list) -> Mention | None:
        """The mention covering a word: gazetteer/lexicon mentions first, then NER names."""
        for pool in (self.mentions, extra):
            best = None
            for m in pool:
                if m.start < node.end and node.start < m.end:
                    if best is None or (best.hidden and not m.hidden):
                        best = m
            if best is not None:
                return best
        return None

    def _ner_mentions(self, sent) -> list:
        """Mentions for the NER's PER/ORG/LOC names that no gazetteer mention overlaps."""
        out = []
        for ent in getattr(sent, "ents", None) or []:
            label = ent.type
            if label not in NER_CLASSES or ent.start_char is None:
                continue
            start, end = ent.start_char, ent.end_char
            if any(m.start < end and start < m.end for m in self.mentions):
                continue
            text = self.article.text[start:end]
            words = normalize(text).split()
            if not words or not any(len(w) >= 2 for w in words):
                continue
            key = " ".join(words)
            eid = mint_id(NER_CLASSES[label], key)
            self.minted.setdefault(eid, Entity(eid, NER_CLASSES[label], label_ar=text))
            self.surface.setdefault(eid, set()).add(text)
            out.append(Mention(start, end, text, eid))
        return out

    def _is_reference(self, m) -> bool:
        """Is a mention a head noun resolved by reference («الحكومة», «التنظيم»), not a name?"""
        return any(stem in self.gaz.head_nouns for _p, stem in strip_clitics(normalize(m.text)))

    def _type(self, eid: str) -> str:
        return entity_type(eid, self.gaz.entities, self.minted)

    # -- reading a sentence ---------------------------------------------------------
    def read(self, sent):
        nodes = _nodes(sent)
        if not nodes:
            return
        starts = [n.start for n in nodes.values() if n.start is not None]
        ends = [n.end for n in nodes.values() if n.end is not None]
        if not starts:
            raise InputError(
                "the parsed document has no character offsets (start_char/end_char)",
                path=self.article.path or self.article.id,
            )
        ctx = _Sentence(self, nodes, min(starts), max(ends), self._ner_mentions(sent))
        for node in sorted(nodes.values(), key=lambda n: n.id):
            yield from ctx.statements_at(node)

    def with_entities(self, stmt):
        """``stmt`` with its entities (gazetteer, then NER names) and their written names."""

        def find(eid: str) -> Entity | None:
            return self.gaz.entities.get(eid) or self.minted.get(eid)

        return attach_entities(stmt, find, self.surface)


class _Sentence:
    """One parsed sentence being read."""

    def __init__(self, reader: _TreeReader, nodes: dict[int, _Node], start, end, ner) -> None:
        self.r = reader
        self.nodes = nodes
        self.start, self.end = start, end
        self.ner = ner
        self.used: set[int] = set()  # words consumed by a two-word trigger

    # -- triggers -----------------------------------------------------------------
    def trigger_at(self, node: _Node):
        """(triggers, last node) when a trigger starts at ``node``: two-word forms first."""
        forms = self.r.lex.forms
        # the second word follows, or is the object: «أجرت واشنطن محادثات»
        seconds = [self.nodes.get(node.id + 1)] + [k for k in node.kids if k.base == "obj"]
        for nxt in (n for n in seconds if n is not None):
            for first in dict.fromkeys((node.norm, node.lemma)):
                for second in dict.fromkeys((nxt.norm, nxt.lemma)):
                    hit = forms.get((first, second))
                    if hit:
                        return hit, nxt
        for key in dict.fromkeys((node.norm, _strip_al(node.norm), node.lemma)):
            hit = self.r.single.get(key)
            if hit:
                return hit, node
        return None

    def statements_at(self, node: _Node):
        if node.id in self.used:
            return
        found = self.trigger_at(node)
        if found is None:
            return
        trigs, last = found
        if last is not node:
            self.used.add(last.id)
        kinds = {t.kind for t in trigs}
        for trig in trigs:
            if trig.kind == "title":
                if kinds == {"title"}:
                    yield from self._role(node, trig)
                continue
            yield from self._relation(node, last, trig)

    # -- roles: «وزير الخارجية السوري وليد المعلم» ------------------------------------
    def _role(self, node: _Node, trig):
        person = affiliation = None
        for n, _depth in self._subtree(node, 3):
            m = self.r._mention_of(n, self.ner)
            if m is None:
                continue
            if self.r._type(m.entity) == "Person" and not m.hidden:
                person = person or m
            elif affiliation is None:
                affiliation = m
        if person is None and node.deprel.startswith("appos") and node.head in self.nodes:
            m = self.r._mention_of(self.nodes[node.head], self.ner)
            if m is not None and self.r._type(m.entity) == "Person":
                person = m
        if person is None or affiliation is None or person.entity == affiliation.entity:
            return
        yield self._statement(person.entity, trig.relation, affiliation.entity, 0.8, node)

    # -- relations ------------------------------------------------------------------
    def _relation(self, node: _Node, last: _Node, trig):
        rel = self.r.lex.relations[trig.relation]
        conf = 0.85 if trig.kind == "active" else 0.75
        pairs = []  # (relation, subject, object, confidence)
        if (
            trig.kind == "passive"
        ):  # «الفصائل المدعومة من تركيا»: agent after من, patient is the head
            head = self.nodes.get(node.head)
            patient = self._actor(head) if head is not None else None
            agents = self._marked([node], {"من"}) if patient is not None else []
            pairs = [(rel, a, patient, 0.8) for a in agents]
        else:
            subjects, s_conf = self._subjects(node, trig)
            for r, objects, o_conf in self._objects(node, last, rel):
                pairs += [(r, s, o, min(conf, s_conf, o_conf)) for s in subjects for o in objects]
            if not pairs and rel.symmetric and len(subjects) > 1:  # «اجتمع X و Y»
                pairs = [
                    (rel, a, b, min(conf, s_conf) - 0.1)
                    for k, a in enumerate(subjects)
                    for b in subjects[k + 1 :]
                ]
            if not pairs and rel.symmetric:  # «محادثات بين X و Y»
                parties = self._marked([node], {"بين"})
                pairs = [
                    (rel, a, b, conf - 0.05)
                    for k, a in enumerate(parties)
                    for b in parties[k + 1 :]
                ]
        if not pairs:
            return
        negated = self._negated(node)
        modality, speaker = self._modality(node)
        for r, subj, obj, c in pairs:
            if subj is None or obj is None or subj.entity == obj.entity:
                continue
            if not self._types_ok(r, subj.entity, obj.entity):
                continue
            speaker_id = speaker.entity if speaker is not None else None
            if speaker_id in {subj.entity, obj.entity}:
                speaker_id = None
            if subj.hidden or obj.hidden:  # an adjective («الروسية») stands for the actor
                c -= 0.1
            if subj in self.ner or obj in self.ner:  # a name only the NER model found
                c -= 0.1
            yield self._statement(
                subj.entity,
                r.name,
                obj.entity,
                c,
                node,
                negated=negated,
                modality=modality,
                attributed_to=speaker_id,
            )

    def _subjects(self, node: _Node, trig) -> tuple[list, float]:
        """Subject mentions: nsubj, else shared with a coordinated verb, a relative clause's head,
        a governing verb (for «رفضت تركيا التفاوض …»), or the genitive of a noun trigger."""
        seen: set[int] = set()
        cur, conf = node, 0.85
        while cur is not None and cur.id not in seen:
            seen.add(cur.id)
            subj = [k for k in cur.kids if k.base == "nsubj" and k.deprel != "nsubj:pass"]
            for k in subj:
                if k.norm in _RELATIVE and cur.base in {"acl", "advcl"}:
                    head = self.nodes.get(cur.head)
                    found = self._actors(head) if head is not None else []
                else:
                    found = self._actors(k)
                if found:
                    return found, conf
            if cur is node and trig.kind == "noun":  # «انسحاب القوات الروسية من …»
                gen = [k for k in cur.kids if k.base == "nmod" and not _case_of(k)]
                for k in gen:
                    found = self._actors(k)
                    if found:
                        return found, 0.75
            head = self.nodes.get(cur.head)
            if head is None:
                return [], conf
            if cur.base == "conj":
                cur, conf = head, conf - 0.05
            elif cur.base in {"acl"}:  # relative clause or participle without a subject
                found = self._actors(head)
                return found, conf - 0.1
            elif cur.base in {"obj", "xcomp", "ccomp", "csubj"} and cur is node:
                cur, conf = head, conf - 0.1
            elif cur.base in {"obj", "xcomp"}:
                cur, conf = head, conf - 0.05
            else:
                return [], conf
        return [], conf

    def _objects(self, node: _Node, last: _Node, rel) -> list[tuple]:
        """Groups of (relation, object mentions, confidence): ``obj``, else ``obl``/``nmod``
        marked by one of the relation's prepositions (their ``case``).

        A marker that changes the relation («انسحب من X إلى Y» -> movesTo Y) makes its own group.
        """
        heads = [node] if last is node else [node, last]
        direct = [
            m
            for h in heads
            for k in h.kids
            if k.base in {"obj", "iobj"} and k is not last and not _case_of(k)
            for m in self._actors(k)
        ]
        if direct:
            return [(rel, direct, 0.85)]
        groups = []
        for marker, other in rel.becomes:
            found = self._marked(heads, {marker[0]}, rest=marker[1:])
            if found:
                groups.append((self.r.lex.relations[other], found, 0.8))
        markers = set(rel.markers) - ({"بين"} if rel.symmetric else set())
        found = self._marked(heads, markers)
        if found:
            groups.append((rel, found, 0.8))
        return groups

    def _marked(self, heads: list[_Node], markers: set[str], rest: tuple[str, ...] = ()) -> list:
        """Mentions under ``heads`` introduced by a preposition in ``markers`` (their ``case``)."""
        out = []
        for k in (k for h in heads for k in h.kids):
            if k.base not in {"obl", "nmod", "advcl", "obj"} or _case_of(k) not in markers:
                continue
            if rest:  # «إلى جانب X»: the marker's noun, then its genitive
                if rest[0] not in {k.norm, k.lemma}:
                    continue
                out += [m for g in k.kids if g.base == "nmod" for m in self._actors(g)]
                continue
            out += [m for m in self._actors(k) if m not in out]
        return out

    # -- argument words -> mentions ----------------------------------------------------
    def _actors(self, node: _Node) -> list:
        """The mention a word stands for, and those of its conjuncts («روسيا وإيران»)."""
        first = self._actor(node)
        out = [first] if first is not None else []
        for k in node.kids:
            if k.base == "conj":
                out += [m for m in self._actors(k) if m not in out]
        return out

    def _actor(self, node: _Node):
        """A word's mention, else the nearest in its modifiers: «قوات النظام», «القوات الروسية»."""
        m = self.r._mention_of(node, self.ner)
        if m is not None and not m.hidden:
            if self.r._is_reference(m):  # «الحكومة التركية»: the adjective says whose
                for k in node.kids:
                    nisba = self.r._mention_of(k, self.ner) if k.base == "amod" else None
                    if nisba is not None and nisba.hidden:
                        return nisba
            return m
        hidden = m
        for n, _depth in self._subtree(node, 2, deps=_EXPAND_DEPS):
            if n is node:
                continue
            found = self.r._mention_of(n, self.ner)
            if found is not None and not found.hidden:
                return found
            if found is not None and hidden is None:
                hidden = found
        return hidden

    def _subtree(self, node: _Node, depth: int, deps=_NAME_DEPS):
        """Breadth-first (node, depth) below ``node`` along ``deps``, ``depth`` levels deep.

        A prepositional phrase (a word with a ``case``) is another argument: not entered.
        """
        bases = {d.split(":")[0] for d in deps}
        frontier, out = [node], [(node, 0)]
        for level in range(1, depth + 1):
            nxt = [k for n in frontier for k in n.kids if k.base in bases and not _case_of(k)]
            out += [(k, level) for k in nxt]
            frontier = nxt
        return out

    # -- polarity, modality, speaker ------------------------------------------------------
    def _negated(self, node: _Node) -> bool:
        """«لم تنسحب», «لن تتفاوض» (advmod particles), «عدم انسحاب», «نفت … التفاوض»."""
        particles = self.r.cues.get("negationParticles", set())
        governors = self.r.cues.get("negationGovernors", set())
        cur, hops = node, 0
        while cur is not None and hops < 3:
            if any(k.norm in particles for k in cur.kids if k.base != "conj"):
                return True
            if _case_of(cur) in governors:
                return True
            head = self.nodes.get(cur.head)
            if head is None:
                return False
            if head.norm in governors or head.lemma in governors:
                return True
            if cur.base in {"obj", "xcomp", "ccomp"} and (
                head.lemma in self.r.cues.get("negationCues", ())
                or head.norm in self.r.cues.get("negationCues", ())
            ):
                return True
            if cur.base not in {"obj", "xcomp", "conj"}:
                return False
            cur, hops = head, hops + 1
        return False

    def _modality(self, node: _Node):
        """("Planned" | "Reported" | None, speaker mention or None)."""
        planned = self.r.cues.get("plannedCues", set())
        report = self.r.cues.get("reportCues", set())
        future = self.r.cues.get("futureParticles", set()) | {_FUTURE_PREFIX}
        sources = self.r.cues.get("sourcePrepositions", set())
        if any(k.norm in future for k in node.kids):
            return "Planned", None
        for k in node.kids:  # «بحسب المرصد»
            if k.base in {"obl", "nmod"} and (_case_of(k) in sources):
                return "Reported", self._actor(k)
        cur, hops = node, 0
        while cur is not None and hops < 4:
            head = self.nodes.get(cur.head)
            if head is None:
                return None, None
            if cur.base in {"obj", "xcomp"} and (head.lemma in planned or head.norm in planned):
                return "Planned", None
            if cur.base in {"ccomp", "parataxis", "obj"} and (
                head.lemma in report or head.norm in report
            ):
                speakers = [
                    m for k in head.kids if k.base == "nsubj" for m in [self._actor(k)] if m
                ]
                return "Reported", (speakers[0] if speakers else None)
            if cur.base not in {"ccomp", "xcomp", "obj", "conj", "advcl"}:
                return None, None
            cur, hops = head, hops + 1
        return None, None

    def _types_ok(self, rel, subj: str, obj: str) -> bool:
        return types_ok(rel, self.r._type(subj), self.r._type(obj))

    def _statement(self, subj, pred, obj, conf, node, **kwargs):
        text = self.r.article.text
        return Statement(
            subj,
            pred,
            obj,
            self.r.article.id,
            self.start,
            self.end,
            text[self.start : self.end],
            round(max(0.3, min(conf, 1.0)), 2),
            trigger=node.text,
            extractor="stanza",
            **kwargs,
        )


def _case_of(node: _Node) -> str | None:
    """The preposition on a word (its ``case`` child), normalized: «من», «مع», «ب» …"""
    for k in node.kids:
        if k.base == "case":
            return k.norm
    return None


def _strip_al(word: str) -> str:
    return word[2:] if word.startswith("ال") and len(word) > 4 else word
