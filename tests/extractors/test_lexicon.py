"""The lexicon extractor on short Arabic sentences written for these tests."""

import pytest

from extractors.lexicon import LexiconExtractor
from extractors.triggers import load_triggers
from extractors.types import Article


def triples(text, extractor):
    return {
        (s.subject, s.predicate, s.object, s.negated) for s in extractor.extract(Article("t", text))
    }


def spo(text, extractor):
    """(subject, predicate, object) of every statement of ``text``."""
    return {t[:3] for t in triples(text, extractor)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # VSO: verb, subject, object
        ("اتهمت تركيا الأكراد بتهريب السلاح.", ("turkey", "accuses", "kurds", False)),
        # SVO with a preposition marking the object
        ("روسيا تتفاوض مع تركيا حول إدلب.", ("russia", "negotiatesWith", "turkey", False)),
        # verbal noun with «بين X و Y»
        (
            "انطلقت مفاوضات بين الحكومة السورية والمعارضة في جنيف.",
            ("syrian-government", "negotiatesWith", "syrian-opposition", False),
        ),
        # verbal noun with its agent and source: «انسحاب X من Y»
        ("أكدت مصادر انسحاب داعش من تدمر.", ("isis", "withdrawsFrom", "palmyra", False)),
        # passive participle: «X المدعومة من Y»
        (
            "تقدمت قوات سوريا الديمقراطية المدعومة من الولايات المتحدة نحو المدينة.",
            ("united-states", "supports", "sdf", False),
        ),
        # «بقيادة»
        (
            "شاركت القوات المسلحة السودانية بقيادة البرهان في الاجتماع.",
            ("abdel-fattah-al-burhan", "leads", "sudanese-armed-forces", False),
        ),
        # relational adjective as the agent: «الدعم الأميركي لـ»
        ("ساعد الدعم الأميركي لقسد في دحر التنظيم.", ("united-states", "supports", "sdf", False)),
        # relative clause whose verb carries the object pronoun
        (
            "قال التحالف الذي تقوده الولايات المتحدة إنه سيواصل عملياته.",
            ("united-states", "leads", "global-coalition", False),
        ),
        # movement to a place
        ("تحرك مقاتلو داعش من الرقة نحو تدمر.", ("isis", "movesTo", "palmyra", False)),
        # fighting «إلى جانب» someone is an alliance, not a fight
        (
            "يقاتل حزب الله إلى جانب الجيش السوري منذ سنوات.",
            ("hezbollah", "allyOf", "syrian-government", False),
        ),
    ],
)
def test_word_orders_and_constructions(text, expected, extractor):
    assert expected in triples(text, extractor)


def test_coordinated_subjects_each_get_the_relation(extractor):
    found = triples("روسيا وإيران تدعمان الحكومة السورية.", extractor)
    assert ("russia", "supports", "syrian-government", False) in found
    assert ("iran", "supports", "syrian-government", False) in found


def test_coordinated_objects_each_get_the_relation(extractor):
    found = triples("دعت الولايات المتحدة الجيش السوداني وقوات الدعم السريع إلى جدة.", extractor)
    assert ("united-states", "invites", "sudanese-armed-forces", False) in found
    assert ("united-states", "invites", "rapid-support-forces", False) in found


@pytest.mark.parametrize(
    "text",
    [
        "لم تتفاوض تركيا مع الحكومة السورية.",
        "تركيا لن تتفاوض مع الحكومة السورية.",
        "نفت تركيا أن تكون قد أجرت مفاوضات مع الحكومة السورية.",
        "قالت أنقرة: لا تفاوض مع الحكومة السورية.",
    ],
)
def test_denied_statements_are_negated(text, extractor):
    stmts = LexiconExtractor().extract(Article("t", text))
    talks = [s for s in stmts if s.predicate == "negotiatesWith"]
    assert talks, "the denied talks are still recorded"
    assert all(s.negated for s in talks)


def test_still_is_not_a_negation(extractor):
    found = triples("لا تزال روسيا تدعم الحكومة السورية.", extractor)
    assert ("russia", "supports", "syrian-government", False) in found


def test_titles_make_people_and_roles(extractor):
    text = (
        "قال وزير الخارجية الأردني أيمن الصفدي إن عمان ترفض التصعيد. وأضاف الصفدي أن الحوار مستمر."
    )
    stmts = extractor.extract(Article("t", text))
    roles = [s for s in stmts if s.predicate == "officialOf"]
    assert [(r.object) for r in roles] == ["jordan"]
    person = next(e for e in roles[0].entities if e.id == roles[0].subject)
    assert person.type == "Person" and person.label_ar == "أيمن الصفدي"
    # the short form in the next sentence is the same person
    assert "الصفدي" in person.alt_labels


def test_reported_speech_is_attributed(extractor):
    text = "وقال وزير الدفاع التركي كمال أرسلان إن روسيا قصفت مواقع المعارضة السورية."
    stmts = [s for s in extractor.extract(Article("t", text)) if s.predicate == "attacks"]
    assert stmts and stmts[0].modality == "Reported"
    assert stmts[0].attributed_to.startswith("person/")


def test_planned_statements_carry_modality(extractor):
    stmts = extractor.extract(Article("t", "ومن المقرر أن تستضيف قطر محادثات بين واشنطن وطهران."))
    talks = [s for s in stmts if s.predicate == "negotiatesWith"]
    assert talks and all(s.modality == "Planned" for s in talks)


def test_evidence_and_offsets_point_into_the_article(extractor):
    text = (
        "عنوان الخبر\n\nأعلنت الولايات المتحدة دعمها لقوات سوريا الديمقراطية."
        " وقصفت روسيا مواقع داعش."
    )
    for stmt in extractor.extract(Article("t", text)):
        assert text[stmt.start : stmt.end] == stmt.evidence
        assert 0 < stmt.confidence <= 1


def test_a_user_adds_a_trigger_in_turtle_only(tmp_path):
    extra = tmp_path / "mine.ttl"
    extra.write_text(
        '@prefix kh: <https://w3id.org/khabar/ontology#> .\nkh:attacks kh:trigger "دكّ", "دكت" .\n',
        encoding="utf-8",
    )
    text = "دكت روسيا مواقع داعش."
    assert not [
        s for s in LexiconExtractor().extract(Article("t", text)) if s.predicate == "attacks"
    ]
    ext = LexiconExtractor(triggers=load_triggers(str(extra)))
    assert ("russia", "attacks", "isis", False) in triples(text, ext)


def test_places_are_not_subjects(extractor):
    for s in extractor.extract(Article("t", "في الرقة هاجم داعش مواقع قسد.")):
        assert s.subject != "raqqa"


# --- issue #3: actors beyond the gazetteer, unnamed actors, modality, sources, dates ---


def test_organisations_and_places_named_after_a_head_word(extractor):
    text = "أطلقت حركة شهداء الوادي هجوما على بلدة كفر حمرة. وانسحبت الحركة لاحقا من كفر حمرة."
    stmts = extractor.extract(Article("t", text))
    attack = next(s for s in stmts if s.predicate == "attacks")
    ents = {e.id: e for e in attack.entities}
    assert attack.subject.startswith("org/") and ents[attack.subject].type == "Organization"
    assert attack.object.startswith("place/") and ents[attack.object].type == "Place"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("أعلنت حركة شباب بنغازي دعمها للحكومة.", "حركة شباب بنغازي"),
        ("وقال أمين عام حزب مستقبل مصر إن الحزب سيشارك.", "حزب مستقبل مصر"),
    ],
)
def test_a_head_word_and_a_construct_ending_in_a_place_name_one_organisation(extractor, text, name):
    # «حركة مشروع تونس»: an indefinite word, then a country or city the gazetteer
    # knows, is the organisation's name, not an organisation and a country
    mentions = [m for _s, ms in extractor.mentions(Article("t", text)) for m in ms]
    found = next(m for m in mentions if m.text == name)
    assert found.entity.startswith("org/")
    assert not any(m.entity in {"benghazi", "egypt"} for m in mentions if m is not found)


def test_a_town_after_its_head_word_stays_the_town(extractor):
    # the construct is read for organisations only: «بلدة مارع» is the town Marea
    text = "قصفت الطائرات بلدة مارع."
    mentions = [m for _s, ms in extractor.mentions(Article("t", text)) for m in ms]
    assert [(m.text, m.entity) for m in mentions] == [("مارع", "marea")]


def test_new_entities_keep_their_iri_across_articles(extractor):
    a = extractor.extract(Article("a", "هاجمت روسيا بلدة مارع."))
    b = extractor.extract(Article("b", "وقصفت الطائرات التركية بلدة مارع أمس."))
    assert {s.object for s in a} == {s.object for s in b} != set()


def test_unnamed_actors_are_generic_nodes(extractor):
    found = triples("قتل مسلحون ثلاثة جنود في هجوم على حاجز.", extractor)
    assert ("gunmen", "kills", "soldiers", False) in found


def test_named_group_wins_over_its_members(extractor):
    found = triples("قتل مسلحو داعش ثلاثة جنود.", extractor)
    assert ("isis", "kills", "soldiers", False) in found


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("ذكرت وكالة رويترز أن روسيا قصفت مواقع المعارضة.", "reuters"),
        ("قصفت روسيا مواقع المعارضة في إدلب، بحسب المرصد السوري لحقوق الإنسان.", "sohr"),
    ],
)
def test_reported_claims_are_attributed_to_their_source(text, source, extractor):
    (stmt,) = [s for s in extractor.extract(Article("t", text)) if s.predicate == "attacks"]
    assert stmt.modality == "Reported" and stmt.attributed_to == source


@pytest.mark.parametrize(
    "text", ["وسيلتقي بوتين أردوغان في أنقرة.", "ستشارك السعودية في محادثات مع إيران."]
)
def test_future_statements_are_planned(text, extractor):
    stmts = extractor.extract(Article("t", text))
    assert stmts and all(s.modality == "Planned" for s in stmts)


def test_statements_carry_the_event_date(extractor):
    import datetime as dt

    art = Article(
        "t", "قصفت روسيا مواقع داعش في 9 أكتوبر. واتهمت تركيا الأكراد.", date=dt.date(2019, 10, 20)
    )
    dates = {s.predicate: s.date for s in extractor.extract(art)}
    assert dates == {"attacks": dt.date(2019, 10, 9), "accuses": dt.date(2019, 10, 20)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # passive reading without diacritics: a counted noun after the verb is the victim
        (
            "قتل ثلاثة جنود أتراك في انفجار قرب الحدود.",
            ("unknown-perpetrator", "kills", "soldiers"),
        ),
        # an air strike on a place, author unnamed
        ("استهدفت غارة جوية مدينة إدلب فجر اليوم.", ("unknown-perpetrator", "attacks", "idlib")),
    ],
)
def test_violence_by_an_unnamed_author_is_kept(text, expected, extractor):
    stmts = extractor.extract(Article("t", text))
    assert expected in {(s.subject, s.predicate, s.object) for s in stmts}
    assert all(s.confidence <= 0.5 for s in stmts if s.subject == "unknown-perpetrator")


def test_named_killers_are_not_replaced_by_the_unknown_one(extractor):
    found = triples("قتل تنظيم داعش ثلاثة جنود.", extractor)
    assert ("isis", "kills", "soldiers", False) in found
    assert not any(s == "unknown-perpetrator" for s, *_ in found)


def test_agent_given_by_min_qibal(extractor):
    text = "قتل الضابط جراء استهداف سيارة المدنيين من قبل تنظيم داعش."
    assert ("isis", "attacks", "civilians", False) in triples(text, extractor)


def test_a_title_after_the_name_is_a_role(extractor):
    found = triples("وظهر أبو بكر البغدادي، زعيم تنظيم داعش، في تسجيل جديد.", extractor)
    assert ("abu-bakr-al-baghdadi", "leads", "isis", False) in found


@pytest.mark.parametrize(
    "text",
    ["تقدمت المعارضة المدعومة من تركيا نحو منبج."],
)
def test_a_name_that_states_its_backer(text, extractor):
    assert ("turkey", "supports", "syrian-national-army", False) in triples(text, extractor)


def test_a_participle_inside_a_name_states_an_alliance(extractor):
    found = triples("هاجمت الفصائل الموالية لتركيا مواقع الأكراد.", extractor)
    assert {
        ("syrian-national-army", "allyOf", "turkey", False),
        ("turkey", "allyOf", "syrian-national-army", False),
    } & found


def test_conditions_are_hypothetical(extractor):
    text = "إذا توصلت روسيا وإيران لاتفاق فستضطر دمشق لقبوله."
    stmts = [s for s in extractor.extract(Article("t", text)) if s.predicate == "agreesWith"]
    assert [(s.subject, s.object, s.modality) for s in stmts] == [
        ("russia", "iran", "Hypothetical")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قتل خمسة مدنيين في غارة روسية على ريف إدلب.", ("russia", "kills", "civilians")),
        (
            "أعلن المرصد مقتل 12 عنصرا من قوات النظام بقصف لتنظيم داعش.",
            ("isis", "kills", "syrian-government"),
        ),
    ],
)
def test_the_weapon_names_the_killer(text, expected, extractor):
    stmts = extractor.extract(Article("t", text))
    assert expected in {(s.subject, s.predicate, s.object) for s in stmts}


def test_an_event_noun_takes_its_genitive_as_author(extractor):
    found = triples("أكد مسؤول فائدة ضربات التحالف على مواقع داعش.", extractor)
    assert ("global-coalition", "attacks", "isis", False) in found


def test_a_described_head_noun_is_another_actor(extractor):
    text = "قاتل تنظيم داعش في الرقة. ومارسها التنظيم الشيعي الموالي لإيران في الكويت."
    assert not any(s == "isis" and o == "iran" for s, _p, o, _n in triples(text, extractor))


def test_the_weapon_before_the_killing_names_the_killer(extractor):
    text = "قالت مصادر إن قصف طائرات التحالف على بلدة صوران تسبب في مقتل عشرة عناصر من تنظيم داعش."
    assert ("global-coalition", "kills", "isis", False) in triples(text, extractor)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وتعد إيران من أبرز حلفاء النظام السوري.", ("iran", "allyOf", "syrian-government")),
        (
            "قال المرصد إن الدبابات التركية قصفت قرية يسيطر عليها الأكراد.",
            ("turkey", "attacks", "kurds"),
        ),
    ],
)
def test_partitives_and_adjectives_before_the_trigger(text, expected, extractor):
    assert expected in spo(text, extractor)


def test_a_pronoun_on_a_verb_after_a_noun_is_that_noun(extractor):
    text = "سمحت أنقرة لتحالف تقوده الولايات المتحدة باستخدام قاعدة إنجرليك."
    assert not [s for s in extractor.extract(Article("t", text)) if s.predicate == "leads"]


def test_the_actor_before_a_light_verb_is_the_author(extractor):
    text = "وافقت أنقرة على السماح لطائرات أمريكية بشن ضربات جوية ضد تنظيم داعش."
    assert ("united-states", "attacks", "isis", False) in triples(text, extractor)


def test_a_particle_negates_only_what_is_near(extractor):
    stmts = extractor.extract(Article("t", "ولم تتبن أي جهة حتى الآن الهجوم على مدينة إدلب."))
    assert all(not s.negated for s in stmts)
    stmts = extractor.extract(Article("t", "تركيا لم تدعم داعش عن قصد."))
    assert [(s.subject, s.object, s.negated) for s in stmts] == [("turkey", "isis", True)]


def test_the_object_follows_a_subject_with_its_own_prepositional_phrase(extractor):
    text = "وهاجم مسلحون من هيئة تحرير الشام حاجزا للجيش السوري قرب مدينة إدلب."
    assert ("gunmen", "attacks", "syrian-government", False) in triples(text, extractor)


def test_mention_text_after_lam_lam_starts_at_the_name():
    from extractors.gazetteer import load_gazetteer
    from extractors.sentences import split_sentences

    sent = split_sentences("حاجزا للجيش السوري")[0]
    (m,) = [m for m in load_gazetteer().find_mentions(sent) if not m.hidden]
    assert m.text == "لجيش السوري" and sent.text[m.start : m.end] == m.text


def test_his_country_is_the_state_of_the_official_speaking(extractor):
    text = "وقال وزير الخارجية التركي هاكان فيدان إن بلاده تتواصل مع الأمم المتحدة."
    stmts = [s for s in extractor.extract(Article("t", text)) if s.predicate == "communicatesWith"]
    assert [(s.subject, s.object, s.attributed_to) for s in stmts] == [
        ("turkey", "united-nations", "hakan-fidan")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "أفاد المرصد بأن طائرات التحالف الدولي قتلت 3042 من تنظيم داعش.",
            ("global-coalition", "kills", "isis"),
        ),
        (
            "تصدرت مباحثات وزيري خارجية روسيا والولايات المتحدة في فيينا.",
            ("russia", "negotiatesWith", "united-states"),
        ),
    ],
)
def test_counted_victims_and_talks_between_office_holders(text, expected, extractor):
    assert expected in spo(text, extractor)


def test_the_subject_of_a_light_verb_after_it(extractor):
    text = "توصل قادة أكراد في ميليشيات قسد إلى اتفاق مع تنظيم داعش يمنح مقاتليه ممرا آمنا."
    assert ("kurds", "agreesWith", "isis", False) in triples(text, extractor) or (
        "sdf",
        "agreesWith",
        "isis",
        False,
    ) in triples(text, extractor)


def test_coordination_reads_the_extractors_own_gazetteer(tmp_path):
    """«X و Y» is a list only of like kinds; the kinds come from the gazetteer in use."""
    from extractors.gazetteer import load_gazetteer
    from extractors.grammar import Clause, conjuncts

    mine = tmp_path / "mine.ttl"
    mine.write_text(
        "@prefix kh: <https://w3id.org/khabar/ontology#> .\n"
        "@prefix ent: <https://w3id.org/khabar/id/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'ent:zaid-harbi a kh:Person ; rdfs:label "زيد الحربي"@ar .\n'
        'ent:wadi-nour a kh:Place ; rdfs:label "وادي النور"@ar .\n',
        encoding="utf-8",
    )
    ext = LexiconExtractor(gazetteer=load_gazetteer(mine))
    ((sent, mentions),) = ext.mentions(Article("t", "استقبل الأسد زيد الحربي ووادي النور"))
    assert [m.entity for m in mentions][-2:] == ["zaid-harbi", "wadi-nour"]
    person = mentions[-2]
    assert conjuncts(Clause(sent, mentions, entity_type=ext.entity_type), person) == []
    assert ext.entity_type("wadi-nour") == "Place"
    like = {"zaid-harbi": "Person", "wadi-nour": "Person"}.get
    assert conjuncts(Clause(sent, mentions, entity_type=like), person) == [mentions[-1]]


def _spans_of(names: dict[str, str]):
    """An NER function (the ``ner`` hook's interface) that tags the given words: for
    testing what the extractor makes of NER output, whatever model produced it."""

    def ner(sents):
        return [[(i, i, names[w]) for i, w in enumerate(s) if w in names] for s in sents]

    return ner


def test_ner_scope_lead_reads_the_first_sentences_whole_and_triggers_below():
    asked: list[list[str]] = []

    def recording(sents):
        asked.extend(sents)
        return [[] for _ in sents]

    # ten sentences: the eighth names a newcomer outside any trigger's reach, the
    # ninth and tenth too; only the tenth has a trigger with one known actor before it
    lines = [f"جملة رقم {n} عن الطقس في المدينة." for n in range(7)]
    lines += ["وصل سمير حداد إلى المدينة.", "تحدث كمال نصار عن الطقس.", "قصفت روسيا قرية زهراء."]
    article = Article("t", " ".join(lines))
    LexiconExtractor(ner=recording, ner_scope="lead").extract(article)
    words = {w for sent in asked for w in sent}
    assert {"سمير", "حداد"} <= words  # the eighth sentence, whole
    assert "كمال" not in words  # the ninth: past the lead, no trigger
    assert "زهراء" in words  # the tenth: after «قصفت», whose subject is known
    asked.clear()
    LexiconExtractor(ner=recording, ner_scope="all").extract(article)
    assert "كمال" in {w for sent in asked for w in sent}


def test_ner_names_the_gazetteer_lacks_become_entities_but_class_nouns_do_not():
    text = "قصفت طائرات النظام بلدة عين ترما ثم قصفت المدينة. وهاجم داعش حمرايا."
    ext = LexiconExtractor(ner=_spans_of({"المدينة": "LOC", "حمرايا": "LOC"}), ner_scope="all")
    stmts = ext.extract(Article("t", text))
    objects = {s.object for s in stmts if s.predicate == "attacks"}
    assert any(o.startswith("place/hamraya-") for o in objects), objects
    found = {m.text: m.entity for _s, ms in ext.mentions(Article("t", text)) for m in ms}
    assert found["حمرايا"].startswith("place/")
    assert "المدينة" not in found  # a class noun alone names no place
    off = LexiconExtractor(ner_scope="off").extract(Article("t", text))
    assert not any("hamraya" in s.object for s in off)


def test_an_ner_word_right_after_a_class_noun_is_its_adjective():
    text = "قصفت طائرات النظام حيا سكنيا وسط مدينة عربين."
    ext = LexiconExtractor(ner=_spans_of({"سكنيا": "LOC"}), ner_scope="all")
    attacked = {s.object for s in ext.extract(Article("t", text)) if s.predicate == "attacks"}
    assert attacked == {"arbin"}


@pytest.mark.parametrize(
    ("text", "subject", "facility"),
    [
        ("قصفت طائرات التحالف مسجد الرحمة في مدينة الرقة.", "global-coalition", "masjd-al-rahma"),
        ("هاجم مسلحون فندق النخيل في العاصمة الليبية طرابلس.", "gunmen", "fandq-al-nakhil"),
        ("قصفت قوات النظام مستشفى الشفاء في حلب.", "syrian-government", "mastshfi-al-shafa"),
    ],
)
def test_hospitals_mosques_and_hotels_are_places_that_get_attacked(
    extractor, text, subject, facility
):
    (stmt,) = [s for s in extractor.extract(Article("t", text)) if s.predicate == "attacks"]
    assert stmt.subject == subject
    assert stmt.object.startswith(f"place/{facility}-")
    assert {e.id: e.type for e in stmt.entities}[stmt.object] == "Place"


def test_an_ner_person_right_after_a_head_word_is_no_person():
    """«مستشفى عائشة» is a hospital: the name after a head word is the head-word rule's."""
    text = "بثت وكالة أعماق صورا لقصف مستشفى عائشة في مدينة منبج."
    ext = LexiconExtractor(ner=_spans_of({"عائشة": "PER"}), ner_scope="all")
    found = {m.text: m.entity for _s, ms in ext.mentions(Article("t", text)) for m in ms}
    assert not any(e.startswith("person/") for e in found.values()), found


@pytest.mark.parametrize(
    "text",
    [
        "يخشى الخليج أن يحسن الاتفاق العلاقات بين طهران وواشنطن ويشجع إيران على دعم حلفائها.",
        "بعد محادثات في موسكو قالت دمشق إنها ستواصل دعم حلفائها في لبنان.",
    ],
)
def test_a_relational_noun_object_is_not_its_possessor(extractor, text):
    """«دعم حلفائها» supports its allies, not the country that «ها» refers to."""
    assert not [s for s in extractor.extract(Article("t", text)) if s.predicate == "supports"]


def test_a_possessed_object_still_refers_back(extractor):
    text = "حذر داعش من أن طائرات التحالف قصفت مواكبهم في الرقة."
    attacks = {(a, o) for a, p, o in spo(text, extractor) if p == "attacks"}
    assert ("global-coalition", "isis") in attacks


@pytest.mark.parametrize(
    "text",
    [
        "هاجمت قوات النظام داعش وقصفت مواقعه في تدمر.",
        "هاجم الجيش السوري مقاتلي داعش وقصف مواقعهم.",
    ],
)
def test_a_second_verb_shares_the_first_ones_subject(extractor, text):
    """«V1 S O وV2 …»: O is V1's object, not V2's subject."""
    attacks = {(a, o) for a, p, o in spo(text, extractor) if p == "attacks"}
    assert attacks == {("syrian-government", "isis")}


def test_a_second_verb_with_its_own_subject_keeps_it(extractor):
    text = "قصفت الطائرات الروسية حلب وهاجمت المعارضة المسلحة مواقع النظام في حماة."
    pairs = {(a, o) for a, p, o in spo(text, extractor) if p == "attacks"}
    assert ("russia", "syrian-opposition") not in pairs


@pytest.mark.parametrize(
    ("text", "triples"),
    [
        ("شن طيران التحالف العربي غارات على مواقع الحوثيين في صنعاء.",
         {("arab-coalition", "attacks", "houthis")}),
        ("قصف طيران التحالف مواقع داعش في الرقة.", {("global-coalition", "attacks", "isis")}),
        # the coalition's name says what it does: it supports Yemen (its legitimate government)
        (
            "أكد التحالف العربي لدعم الشرعية في اليمن أن الحوثيين خرقوا الهدنة.",
            {("arab-coalition", "supports", "yemen")},
        ),
    ],
)  # fmt: skip
def test_the_arab_coalition_in_yemen_is_not_the_coalition_against_isis(extractor, text, triples):
    found = spo(text, extractor)
    assert found == triples


@pytest.mark.parametrize(
    ("text", "triple"),
    [
        ("قصفت تركيا أهدافا تابعة لتنظيم داعش قرب الحدود.", ("turkey", "attacks", "isis")),
        ("قصفت الطائرات الروسية مواقع تابعة للمعارضة السورية في حماة.",
         ("russia", "attacks", "syrian-opposition")),
    ],
)  # fmt: skip
def test_what_belongs_to_a_name_makes_it_the_target(extractor, text, triple):
    """«مواقع تابعة لـ X»: the positions belong to X, so X is attacked."""
    found = spo(text, extractor)
    assert triple in found


def test_belonging_after_a_name_is_still_membership(extractor):
    text = "قالت جبهة النصرة التابعة لتنظيم القاعدة إنها سيطرت على المطار."
    found = spo(text, extractor)
    assert ("nusra-front", "memberOf", "al-qaeda") in found


def test_a_title_reaches_a_known_person_past_a_time_adverb_and_a_spelling_variant(extractor):
    """«آنذاك» is no name, and «أفيجدور ليبرمان» is the gazetteer's «أفيغدور ليبرمان»."""
    text = "وصف وزير الخارجية الإسرائيلي آنذاك أفيجدور ليبرمان الاتفاق بأنه خطأ."
    found = spo(text, extractor)
    assert found == {("avigdor-lieberman", "officialOf", "israel")}


def test_a_speaker_before_a_colon_is_not_the_subject_of_the_quote(extractor):
    text = 'وقال مدير المرصد رامي عبدالرحمن: "خطف تنظيم داعش 170 مدنيا الخميس بتهمة التخابر".'
    subjects = {a for a, p, _o in spo(text, extractor) if p in {"detains", "kidnaps", "attacks"}}
    assert not any(x.startswith("person/") for x in subjects), subjects


def _references(text, extractor):
    """(surface, entity) of every mention, sentence by sentence."""
    return [[(m.text, m.entity) for m in ms] for _s, ms in extractor.mentions(Article("t", text))]


def test_a_head_noun_refers_to_the_actor_the_article_named_with_it(extractor):
    """«الحركة» after «حركة فتح», «الوكالة» after «الوكالة الدولية للطاقة الذرية»."""
    text = "التقى وفد من حركة فتح مسؤولين مصريين في القاهرة. وقالت الحركة إن اللقاء كان إيجابيا."
    assert ("الحركة", "fatah") in _references(text, extractor)[1]
    text = "وصل وفد من الوكالة الدولية للطاقة الذرية إلى طهران. وقالت الوكالة إن إيران تعاونت معها."
    assert ("الوكالة", "iaea") in _references(text, extractor)[1]


def test_the_coalition_is_the_one_named_before(extractor):
    """Bare «التحالف» is the Arab coalition in a Yemen story, the global one elsewhere."""
    yemen = (
        "قصفت طائرات التحالف العربي مواقع الحوثيين في صعدة. وأعلن التحالف أن الغارات دمرت مخازن."
    )
    assert ("التحالف", "arab-coalition") in _references(yemen, extractor)[1]
    syria = "قصفت قوات التحالف مواقع داعش في الرقة."
    assert ("global-coalition", "attacks", "isis", False) in triples(syria, extractor)
    assert not any(e.startswith("armed/") for ms in _references(syria, extractor) for _t, e in ms)


def test_an_evaluative_adjective_keeps_a_head_noun_referring(extractor):
    """«التنظيم الإرهابي» after «تنظيم داعش» is ISIS; «القاعدة الجوية» is still a base."""
    text = "أعلن تنظيم داعش مسؤوليته عن الهجوم. وقام التنظيم الإرهابي بتفجير مسجد في القطيف."
    assert ("التنظيم", "isis") in _references(text, extractor)[1]
    text = "وصل الوزير إلى القاعدة الجوية الروسية في حميميم."
    assert not any(e == "al-qaeda" for _t, e in _references(text, extractor)[0])


def test_a_coalition_nobody_named_is_the_one_whose_theatre_the_article_names(extractor):
    """Bare «التحالف», no coalition named: the Saudi-led one where the story names Yemen
    and the Houthis (its kh:theatre), the global one where it names Syria and ISIS or
    neither side's theatre (kh:defaultHeadNoun)."""
    yemen = "شن طيران التحالف غارات على مواقع الحوثيين في مأرب شرقي اليمن."
    assert ("التحالف", "arab-coalition") in _references(yemen, extractor)[0]
    syria = "قال المتحدث إن التحالف قصف مواقع لداعش في سوريا."
    assert ("التحالف", "global-coalition") in _references(syria, extractor)[0]
    neither = "قال المتحدث إن التحالف سيواصل عملياته."
    assert ("التحالف", "global-coalition") in _references(neither, extractor)[0]


def test_a_head_noun_without_a_default_needs_an_actor_named_before(extractor):
    """«الجيش» is the Sudanese army only after the article named it (no kh:defaultHeadNoun)."""
    text = "انسحب الجيش من مدينة الحديدة بعد معارك مع الحوثيين."
    assert not any("sudan" in e for ms in _references(text, extractor) for _t, e in ms)
    text = "قال الجيش السوداني إنه صد هجوما. وأضاف أن الجيش استعاد بلدة كادقلي."
    assert ("الجيش", "sudanese-armed-forces") in _references(text, extractor)[1]


def test_government_forces_are_the_government_the_article_means(extractor):
    """«القوات الحكومية» are Iraq's after «الحكومة العراقية», Assad's in «… في سوريا»."""
    iraq = (
        "أعلنت الحكومة العراقية بدء عملية في الأنبار. "
        "وقالت إن القوات الحكومية استعادت مدينة الرمادي من داعش."
    )
    assert ("iraq", "controls", "ramadi", False) in triples(iraq, extractor)
    syria = "وتشن روسيا منذ عامين حملة جوية مساندة للقوات الحكومية في سوريا."
    assert ("russia", "supports", "syrian-government", False) in triples(syria, extractor)
