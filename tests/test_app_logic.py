"""Page logic without a browser: URL parameters, messages, notes, escaping."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geomap.app.notes import about_html, notes_html
from geomap.app.state import (
    DEFAULT_DATE,
    DEFAULT_LAYERS,
    View,
    parse_view,
    url_params,
    view_from_map,
    view_to_params,
)
from geomap.core.model import Source
from geomap.web.html import esc, safe_url
from geomap.web.payload import payload_json

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "geomap" / "app" / "main.py"
PLACES = {"mosul", "raqqa"}


def run_app(
    monkeypatch: pytest.MonkeyPatch, opened: tuple[str, ...] = (), **params: str
) -> AppTest:
    """Run the page with URL ``params``; ``opened`` names expanders to open (their keys)."""
    monkeypatch.setenv("GEOMAP_ROOT", str(ROOT))
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    for key in opened:
        at.session_state[key] = True
    return at.run()


def html_bodies(at: AppTest) -> list[str]:
    """The fragments the page showed with ``st.html`` (notes, claims, alerts)."""
    return [e.proto.body for e in at.get("html")]


def warnings(at: AppTest) -> list[str]:
    return [b for b in html_bodies(at) if "gm-alert-warning" in b]


def test_parse_view_reads_good_values() -> None:
    view, messages = parse_view(
        {"date": "2016-07-04", "place": "mosul", "layers": "territory,captured_cities"}, PLACES
    )
    assert messages == []
    assert view == View(dt.date(2016, 7, 4), "mosul", ("territory", "captured_cities"))


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"date": "2016-02-30"}, "not a date"),
        ({"date": "yesterday"}, "not a date"),
        ({"date": "2013-12-31"}, "before the data starts"),
        ({"place": "atlantis"}, "not on this map"),
        ({"layers": "territory,lakes"}, "Unknown layer"),
    ],
)
def test_parse_view_explains_bad_values(params: dict[str, str], fragment: str) -> None:
    view, messages = parse_view(params, PLACES)
    assert len(messages) == 1 and fragment in messages[0]
    assert view.date == DEFAULT_DATE or "layers" in params
    assert view.place is None


def test_only_unknown_layers_fall_back_to_all() -> None:
    view, _ = parse_view({"layers": "lakes"}, PLACES)
    assert view.layers == DEFAULT_LAYERS


def test_view_round_trips_through_params() -> None:
    view = View(dt.date(2017, 10, 17), "raqqa", ("captured_cities",))
    assert parse_view(view_to_params(view), PLACES) == (view, [])
    assert view_to_params(View()) == {"date": DEFAULT_DATE.isoformat()}


def test_url_params_edit_the_query_as_the_map_script_does() -> None:
    # Same cases as tests/js/address.test.mjs (viewSearch): other keys stay where they are,
    # geomap's are set in place, new ones appended in URL_KEYS order, stale ones dropped.
    current = {"lang": ["ar"], "place": ["raqqa"], "date": ["2015-01-15"], "step": ["9"]}
    view = View(dt.date(2016, 3, 1), None, DEFAULT_LAYERS, "demo", 2)
    want = url_params(current, view)
    assert list(want.items()) == [
        ("lang", ["ar"]),
        ("date", ["2016-03-01"]),
        ("step", ["2"]),
        ("story", ["demo"]),
    ]
    assert url_params({}, View(place="mosul")) == {
        "date": [DEFAULT_DATE.isoformat()],
        "place": ["mosul"],
    }


def test_view_from_map_ignores_malformed_values() -> None:
    current = View()
    assert view_from_map(None, current, PLACES) == current
    assert view_from_map({"date": "nonsense", "place": "atlantis"}, current, PLACES) == current
    moved = view_from_map({"date": "2018-01-01", "place": "raqqa", "layers": []}, current, PLACES)
    assert moved == View(dt.date(2018, 1, 1), "raqqa", ())


def test_escaping_and_links() -> None:
    assert esc('<b a="x">&') == "&lt;b a=&quot;x&quot;&gt;&amp;"
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("https://example.org/x") == "https://example.org/x"
    assert "<" not in payload_json({"a": "</script>"}).replace("\\u003c", "")


def test_notes_and_about_escape_data(shipped: list) -> None:
    mosul = [f for f in shipped if f.id == "mosul"]
    # Validation refuses such text (the ``text`` rule); the pages escape it all the same.
    bad = Source.model_construct(
        title="<img src=x onerror=alert(1)>",
        publisher="P & Q",
        date="2017",
        url="https://example.org/?a=1&b=<2>",
        supports="test",
    )
    key = mosul[0].props.sources[0].key
    html = notes_html(mosul, {key: bad}, dt.date(2016, 1, 1))
    assert "<img" not in html and "&lt;img" in html
    assert "(on this date)" in html
    assert "P &amp; Q" in html
    about = about_html({"k": bad}, {"resources": [{"attribution": "A <i>", "licence": "CC0"}]})
    assert "<img" not in about and "A &lt;i&gt;" in about


def test_page_default_view(monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(monkeypatch)
    assert not at.exception
    assert warnings(at) == []
    assert at.session_state["view"] == View()
    # A link's first view is written into the address by the map script, in place (no
    # history entry); Python writes the address only when the view changes.
    assert "date" not in at.query_params
    assert any("km²" in m.value for m in at.markdown)


def test_page_restores_date_and_place(monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(monkeypatch, date="2016-03-01", place="mosul")
    assert not at.exception
    assert warnings(at) == []
    assert any("2016-03-01" in m.value for m in at.markdown)
    notes = [b for b in html_bodies(at) if 'gm-notes" data-place' in b]
    assert notes and "Mosul" in notes[0] and "gm-source" in notes[0]
    assert at.query_params["place"] == "mosul"


def test_page_bad_values_warn_and_show_default(monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(monkeypatch, date="2016-99-01", place="<script>", layers="nope")
    assert not at.exception
    texts = " ".join(warnings(at))
    assert "not a date" in texts and "not on this map" in texts and "Unknown layer" in texts
    assert "&lt;script&gt;" in texts and "<script>" not in texts
    view = at.session_state["view"]
    assert (view.date, view.place, view.layers) == (DEFAULT_DATE, None, DEFAULT_LAYERS)
    assert not any('gm-notes" data-place' in b for b in html_bodies(at))


@pytest.mark.parametrize(
    ("query", "place"),
    [
        ("Raqqah", "raqqa"),
        ("Dayr az Zawr", "deir-ez-zor"),
        ("الموصل", "mosul"),
        ("Tadmur", "palmyra"),
    ],
)
def test_search_opens_the_best_match(
    monkeypatch: pytest.MonkeyPatch, query: str, place: str
) -> None:
    at = run_app(monkeypatch, date="2016-03-01")
    at.text_input(key="search").input(query).run()
    assert not at.exception
    assert at.query_params["place"] == place
    assert any(f'gm-notes" data-place="{place}"' in b for b in html_bodies(at))
    # The other matches are listed, each a button that opens its place.
    assert at.button(key=f"hit-{place}")


def test_search_lists_matches_and_says_when_none(monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(monkeypatch, date="2016-03-01")
    at.text_input(key="search").input("Fallujah").run()
    assert at.query_params["place"] == "falluja"
    hits = [b.key for b in at.button if (b.key or "").startswith("hit-")]
    assert hits[0] == "hit-falluja" and len(hits) > 1
    at.button(key=hits[1]).click().run()
    assert at.query_params["place"] == hits[1].removeprefix("hit-")
    at.text_input(key="search").input("Xyzzyq").run()
    assert not at.exception
    assert any("No place matches" in b and "Xyzzyq" in b for b in html_bodies(at))


def test_fact_check_button_sets_date_and_place(monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(monkeypatch, opened=("exp_facts",))
    at.button(key="claim-mosul-1-5-million").click().run()
    assert not at.exception
    assert at.query_params["date"] == "2014-06-10"
    assert at.query_params["place"] == "mosul"
    verdicts = [b for b in html_bodies(at) if "data-claim='mosul-1-5-million'" in b]
    assert verdicts and "CONSISTENT" in verdicts[0]


def test_compare_panel_totals(monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(monkeypatch, opened=("exp_compare",), date="2017-06-26")
    at.toggle(key="cmp_on").set_value(True).run()
    assert not at.exception
    labels = {m.label: m.value for m in at.metric}
    assert labels["IS-held area"].endswith("km²")
    lost = float(labels["Lost by IS"].split()[0].replace(",", ""))
    assert lost > 20_000
    assert any("gm-city-change" in b and "Ramadi" in b for b in html_bodies(at))
    assert at.text_input(key="cmp_to").value == "2017-06-26"


def test_compare_dates_are_typed_and_a_bad_one_shows_no_figures(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    at = run_app(monkeypatch, opened=("exp_compare",), date="2017-06-26")
    at.toggle(key="cmp_on").set_value(True).run()
    before = {m.label: m.value for m in at.metric}["IS-held area"]
    at.text_input(key="cmp_to").input("2015-06-01").run()
    assert not at.exception
    after = {m.label: m.value for m in at.metric}["IS-held area"]
    assert after != before
    assert any("Figures for <b>2015-01-15</b> to <b>2015-06-01</b>" in b for b in html_bodies(at))
    at.text_input(key="cmp_from").input("2013-01-01").run()
    assert not at.exception
    assert not at.metric  # no old figures without their dates
    assert any("outside the map" in b for b in html_bodies(at))
    at.text_input(key="cmp_from").input("15 Jan").run()
    assert not at.metric
    assert any("is not a date" in b for b in html_bodies(at))


def test_every_command_to_the_map_is_new(monkeypatch: pytest.MonkeyPatch) -> None:
    # The map ignores a command whose nonce it has seen, so each must differ.
    at = run_app(monkeypatch, opened=("exp_facts",), date="2016-03-01")
    nonces = [at.session_state["cmd"]["nonce"]]
    for query in ("Raqqa", "Mosul", "Palmyra"):
        at.text_input(key="search").input(query).run()
        nonces.append(at.session_state["cmd"]["nonce"])
    at.button(key="claim-mosul-1-5-million").click().run()
    nonces.append(at.session_state["cmd"]["nonce"])
    assert len(set(nonces)) == len(nonces) == 5


def test_peak_claim_shows_the_peak_date(monkeypatch: pytest.MonkeyPatch, shipped: list) -> None:
    from geomap.core.claims import peak_km2

    at = run_app(monkeypatch, opened=("exp_facts",))
    at.button(key="claim-peak-size-of-britain").click().run()
    assert not at.exception
    peak_day = peak_km2(shipped)[0]
    assert dt.date(2014, 6, 1) < peak_day < dt.date(2015, 6, 1)
    assert at.query_params["date"] == peak_day.isoformat()


# ------------------------------------------------------------ the folder the app is served from


def test_served_app_is_a_fresh_copy_in_the_app_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What ``geomap serve`` runs with ``GEOMAP_APP_DIR`` set (serving it: a browser test)."""
    from geomap.data.paths import APP_DIR, STATIC_DIR, served_app

    monkeypatch.setenv("GEOMAP_APP_DIR", str(tmp_path))
    (tmp_path / "static" / "cache").mkdir(parents=True)
    (tmp_path / "static" / "cache" / "payload-old.json").write_text("{}")
    (tmp_path / "static" / "js").mkdir()
    (tmp_path / "static" / "js" / "boot.js").write_text("stale")
    script = served_app()
    assert script == tmp_path / "main.py"
    assert script.read_bytes() == (APP_DIR / "main.py").read_bytes()
    for name in ("js/boot.js", "js/main.js", "leaflet.css"):
        assert (tmp_path / "static" / name).read_bytes() == (STATIC_DIR / name).read_bytes()
    assert not any(p.is_symlink() for p in tmp_path.rglob("*"))  # Streamlit refuses them
    assert (tmp_path / "static" / "cache" / "payload-old.json").exists()
    monkeypatch.delenv("GEOMAP_APP_DIR")
    assert served_app() == APP_DIR / "main.py"


def test_payload_is_cached_in_the_app_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from geomap.web.payload_file import payload_reference, referenced_src

    monkeypatch.setenv("GEOMAP_APP_DIR", str(tmp_path))
    reference = payload_reference('{"records": []}')
    src = referenced_src(reference)
    assert src is not None and src.startswith("/app/static/cache/payload-")
    cached = tmp_path / "static" / "cache" / src.rsplit("/", 1)[1]
    assert cached.read_text(encoding="utf-8") == '{"records": []}'
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be")  # unwritable, even for root
    monkeypatch.setenv("GEOMAP_APP_DIR", str(blocked))
    assert payload_reference('{"other": 1}') == '{"other": 1}'  # inlined instead


def test_the_default_date_is_stated_and_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(monkeypatch)
    notes = [b for b in html_bodies(at) if "gm-default-date" in b]
    assert notes and "15 January 2015" in notes[0] and "km²" in notes[0]
    other = run_app(monkeypatch, date="2016-03-01")
    assert not any("gm-default-date" in b for b in html_bodies(other))


def test_charts_name_ground_as_the_legend_does(shipped: list) -> None:
    from geomap.app.charts import side_rows
    from geomap.core.model import GROUND_LABEL, Ground

    sides = {r["side"] for r in side_rows(shipped)}
    assert GROUND_LABEL[Ground.contested] in sides and GROUND_LABEL[Ground.open] in sides
    assert not sides & {"contested", "open"}
