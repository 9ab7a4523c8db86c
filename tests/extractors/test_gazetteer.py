import pytest

from extractors.gazetteer import load_gazetteer
from extractors.sentences import split_sentences

HADI = "abd-rabbuh-mansur-hadi"


def mentions(text):
    gaz = load_gazetteer()
    sent = split_sentences(text)[0]
    return [(m.text, m.entity) for m in gaz.find_mentions(sent) if not m.hidden]


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("وصل الوفد إلى واشنطن", "united-states"),
        ("قالت أنقرة إنها لن تقبل", "turkey"),
        ("أعلنت موسكو أمس", "russia"),
        ("هاجمت قسد مواقع التنظيم", "sdf"),
        ("قتل عنصر من تنظيم الدولة", "isis"),
        ("قصفت القوات النظامية البلدة", "syrian-government"),
        ("انسحب مقاتلو داعش", "isis"),
    ],
)
def test_metonyms_and_variants(text, entity):
    assert entity in [e for _t, e in mentions(text)]


def test_proclitics_are_stripped_and_offsets_point_at_the_name():
    text = "وواشنطن تدعم بالرقة لداعش"
    found = mentions(text)
    assert found == [("واشنطن", "united-states"), ("الرقة", "raqqa"), ("داعش", "isis")]
    gaz = load_gazetteer()
    for m in gaz.find_mentions(split_sentences(text)[0]):
        assert text[m.start : m.end] == m.text


def test_longest_match_wins():
    assert mentions("حزب الاتحاد الديمقراطي الكردي") == [("حزب الاتحاد الديمقراطي الكردي", "pyd")]


def test_a_name_stops_where_a_known_persons_name_closes_it():
    """«حكومة الرئيس اليمني عبد ربه منصور هادي» is the government, then Hadi: the pair
    the relation is read from, not one mention that hides the president."""
    found = mentions("عادت حكومة الرئيس اليمني عبد ربه منصور هادي إلى عدن")
    assert found[:2] == [("حكومة الرئيس اليمني", "yemen"), ("عبد ربه منصور هادي", HADI)]
    # a name that closes with a place's or a group's name stays whole
    assert ("هيئة تحرير الشام", "hts") in mentions("سيطرت هيئة تحرير الشام على إدلب")


def test_every_country_comes_from_cldr():
    gaz = load_gazetteer()
    # A country we never listed by hand still has its CLDR Arabic name.
    assert gaz.entities["norway"].label_ar == "النرويج"
    assert ("النرويج", "norway") in mentions("زار وفد النرويج")
    countries = [e for e in gaz.entities.values() if e.type == "Country"]
    assert len(countries) > 200


def test_a_user_adds_an_actor_in_turtle_only(tmp_path):
    extra = tmp_path / "mine.ttl"
    extra.write_text(
        "@prefix kh: <https://w3id.org/khabar/ontology#> .\n"
        "@prefix ent: <https://w3id.org/khabar/id/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'ent:liwa-test a kh:ArmedGroup ; rdfs:label "لواء الاختبار"@ar .\n',
        encoding="utf-8",
    )
    gaz = load_gazetteer(str(extra))
    sent = split_sentences("انسحب لواء الاختبار من البلدة")[0]
    assert [m.entity for m in gaz.find_mentions(sent)] == ["liwa-test"]


def test_two_places_joined_by_and_are_two_mentions():
    """«بلدتي كفريا والفوعة» names two towns: each is an entity of its own (as the
    annotators count them), not one place called «كفريا والفوعة»."""
    found = [e for _t, e in mentions("حاصر مقاتلو المعارضة بلدتي كفريا والفوعة منذ أشهر")]
    assert "kafriya" in found and "foua" in found
