"""Place names: the spelling normaliser, the gazetteer and ``geomap find``."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geomap.cli import main
from geomap.core.names import fold, match_score, skeleton
from geomap.data.dataset import Dataset
from geomap.data.gazetteer import Entry, Gazetteer

#: Every spelling the app issue lists, with the place it must find first.
SPELLINGS = [
    ("Hajin", "hajin"),
    ("Raqqa", "raqqa"),
    ("Raqqah", "raqqa"),
    ("Deir ez-Zor", "deir-ez-zor"),
    ("Deir al-Zour", "deir-ez-zor"),
    ("Dayr az Zawr", "deir-ez-zor"),
    ("Mosul", "mosul"),
    ("Kobani", "kobani"),
    ("Kobane", "kobani"),
    ("Ayn al-Arab", "kobani"),
    ("Fallujah", "falluja"),
    ("Albu Kamal", "abu-kamal"),
    ("الموصل", "mosul"),
    ("هجين", "hajin"),
    ("هَجِين", "hajin"),  # with diacritics
    ("Tadmur", "palmyra"),
    ("Sousa", "susah"),
]


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Dataset().gazetteer


@pytest.mark.parametrize(("query", "place"), SPELLINGS)
def test_every_spelling_finds_its_place_first(gazetteer: Gazetteer, query: str, place: str) -> None:
    found = gazetteer.find(query, limit=3)
    assert found and found[0].entry.id == place, [m.entry.id for m in found]


@pytest.mark.parametrize(
    ("query", "wrong"), [("Tadmur", "tabqa-dam"), ("Sousa", "south-hasakah-dam")]
)
def test_no_misleading_fuzzy_match(gazetteer: Gazetteer, query: str, wrong: str) -> None:
    assert wrong not in [m.entry.id for m in gazetteer.find(query)]


def test_every_thing_of_the_map_is_in_the_gazetteer(gazetteer: Gazetteer) -> None:
    from geomap.web.payload import things

    ids = {t.id for t in things(Dataset().features)}
    assert ids == set(gazetteer.entries), "run `python tools/build_gazetteer.py`"


def test_the_big_places_have_arabic_names(gazetteer: Gazetteer) -> None:
    for pid in ("mosul", "raqqa", "hajin", "palmyra", "deir-ez-zor", "abu-kamal"):
        assert gazetteer.arabic(pid), pid


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Deir ez-Zor", "Dayr az Zawr"),
        ("Raqqa", "Ar-Raqqah"),
        ("Falluja", "Al-Fallujah"),
        ("Tal Afar", "Tall 'Afar"),
        ("Kobani", "Kobanê"),
        ("Qaim", "al-Kaim"),
    ],
)
def test_transliterations_meet(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)
    assert match_score(a, b) >= 70


def test_unrelated_names_do_not_meet() -> None:
    assert match_score("Hit", "Haditha") == 0
    assert match_score("Mosul", "Manbij") == 0
    assert match_score("", "Mosul") == 0


names = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "Zs", "Pd")), max_size=30)


@given(names)
def test_a_name_meets_itself(name: str) -> None:
    assert match_score(name, name) == (100 if fold(name) else 0)


@given(names, names)
def test_scores_stay_in_range(a: str, b: str) -> None:
    assert 0 <= match_score(a, b) <= 100


def test_ranking_prefers_the_usual_name_then_bigger_places() -> None:
    g = Gazetteer(
        [
            Entry("c-site", "Old Sukhna", None, ("Sukhna",), "site", "settlements"),
            Entry("b-village", "Sukhna", None, (), "village", "settlements"),
            Entry("a-city", "Sukhnah", None, (), "city", "settlements"),
        ]
    )
    # Equal scores: a usual name before a variant, then a city before a village.
    assert [m.entry.id for m in g.find("Sukhna")] == ["a-city", "b-village", "c-site"]
    assert g.find("   ") == []


def test_find_command_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["find", "Dayr az Zawr", "--limit", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[1] == "deir-ez-zor" and "(as Dayr al-Zawr)" in out[0]
    assert main(["find", "هجين", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["id"] == "hajin" and rows[0]["name_ar"] == "هجين"


@pytest.mark.parametrize("limit", ["0", "101", "many"])
def test_find_refuses_a_bad_limit(capsys: pytest.CaptureFixture[str], limit: str) -> None:
    assert main(["find", "Mosul", "--limit", limit]) == 2
    assert "--limit" in capsys.readouterr().err


def test_find_prints_no_terminal_escapes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["find", "\x1b[31mMosul"]) == 0
    out = capsys.readouterr()
    assert "\x1b" not in out.out + out.err


def test_only_names_in_the_arabic_alphabet_are_shown_as_arabic() -> None:
    from geomap.core.names import is_standard_arabic

    assert is_standard_arabic("الموصل") and is_standard_arabic("دير الزور")
    assert is_standard_arabic("حَلَب")  # with its marks
    assert not is_standard_arabic("mwsڵ")  # Latin with a Kurdish letter
    assert not is_standard_arabic("کۆبانی")  # Kurdish letters
    assert not is_standard_arabic("Mosul") and not is_standard_arabic("")
