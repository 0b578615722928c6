"""Stories: the shipped tour, its checks, the link state, the payload and the exports."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from geomap.app.state import View, parse_view, view_from_map, view_to_params
from geomap.core.errors import DataError, UnreadableError
from geomap.core.feature import Feature
from geomap.core.story import Story, StoryStep, story_problems
from geomap.core.timeline import TIMELINE_END, TIMELINE_START
from geomap.data.dataset import Dataset
from geomap.data.io import load_basemap, load_sources
from geomap.data.stories import load_stories, read_story
from geomap.export import ExportError, ExportOptions, check_request, export
from geomap.export.story import story_frames
from geomap.validate import validate_paths
from geomap.validate.stories import check_story_file
from geomap.web.story_payload import stories_payload
from tests.conftest import ROOT
from tests.shingles import fingerprints, report_fingerprints

STORY = "hajin-2018"
STEP = {
    "title": "A step",
    "text": "A short text in our own words about what the map shows.",
    "date": "2016-07-04",
    "frame": "mosul",
    "place": "mosul",
    "layers": ["territory", "captured_cities"],
    "sources": ["nyt-hajin-2018-09"],
    "claims": ["mosul-1-5-million"],
}


def toml_story(steps: list[dict[str, object]], **head: object) -> str:
    """A story file's text (dates unquoted, as TOML dates)."""

    def value(v: object) -> str:
        if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            return v
        return json.dumps(v)

    top = {"title": "A test story", "summary": "A summary of the story, long enough.", **head}
    lines = [f"{k} = {value(v)}" for k, v in top.items()]
    lines.append('sources = ["nyt-hajin-2018-09"]')
    for step in steps:
        lines.append("[[steps]]")
        lines += [f"{k} = {value(v)}" for k, v in step.items()]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def story() -> Story:
    return load_stories(ROOT)[STORY]


# ------------------------------------------------------------------ the shipped story


def test_shipped_story_follows_the_report(story: Story) -> None:
    assert 9 <= len(story.steps) <= 12
    titles = " ".join(s.title for s in story.steps)
    for word in ("Hajin", "Sinjar", "Tal Afar", "Britain", "Mosul", "Raqqa", "1 percent"):
        assert word in titles
    assert "Idlib" in titles and "Baghuz" in titles
    assert story.steps[0].date == dt.date(2018, 9, 11) and story.steps[-1].place == "baghuz"
    assert all("nyt-hajin-2018-09" in s.sources for s in story.steps[:9])
    tied = {c for s in story.steps for c in s.claims}
    for claim in (
        "hajin-last-200-sq-mi",
        "sinjar-tal-afar-fell-in-days",
        "peak-size-of-britain",
        "all-but-1-percent",
        "mosul-1-5-million",
        "raqqa-over-200000",
    ):
        assert claim in tied


def test_shipped_stories_validate_clean() -> None:
    assert validate_paths([ROOT / "data" / "stories"]) == []


def test_story_text_is_our_own_words(story: Story) -> None:
    """No run of eight words of the report is taken over (fingerprints: tests/shingles.py)."""
    report = report_fingerprints()
    assert len(report) > 1000
    assert fingerprints("the remaining sliver of land under the group's control") <= report
    for text in [story.title, story.summary, *(s.text for s in story.steps)]:
        assert not fingerprints(text) & report, text


# ------------------------------------------------------------------ checks of a story file

#: A step changed in one way, the rule that must name it, and words of the message.
BROKEN_STEPS = [
    ({"date": "2013-12-31"}, "story", "outside the timeline"),
    ({"layers": ["territory", "roads"]}, "story", "'roads' is not a layer"),
    ({"place": "atlantis"}, "story", "'atlantis' is no feature id"),
    ({"frame": "nowhere"}, "story", "in neither the layers nor the places"),
    ({"sources": ["no-such-key"]}, "story", "not in sources.json"),
    ({"claims": ["no-such-claim"]}, "story", "not in claims.json"),
    ({"text": "A text with <b>markup</b> in it, which is not plain."}, "text", "markup"),
    ({"title": "Two\u202eway"}, "text", "control character"),
    ({"bbox": [40.0, 34.0, 39.0, 35.0]}, "story", "exactly one of frame"),
    ({"colour": "red"}, "story", "Extra inputs"),
]
#: Broken story files: name, text (None: Latin-1 bytes), the first rule and its words.
BAD_FILES = {
    "syntax.toml": ("title = ", "story", "not valid TOML"),
    "latin1.toml": (None, "read", "not UTF-8"),
    "empty.toml": ("", "story", "title"),
}
#: What the story check is given instead of the shipped data (the fast tests).
SMALL_DATA = {
    "sources": {"nyt-hajin-2018-09": {}},
    "things": {"mosul"},
    "places": set(),
    "claims": {"mosul-1-5-million"},
}


def write(tmp_path: Path, text: str, name: str = "tour.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def write_bad_files(tmp_path: Path) -> None:
    for name, (text, _rule, _words) in BAD_FILES.items():
        path = tmp_path / name
        if text is None:
            path.write_bytes('title = "Caf\xe9"\n'.encode("latin-1"))
        else:
            path.write_text(text, encoding="utf-8")


@pytest.mark.slow  # each reads every layer for its ids; with small data: the test below
@pytest.mark.parametrize(("change", "rule", "words"), BROKEN_STEPS)
def test_validate_names_each_problem(
    tmp_path: Path, change: dict[str, object], rule: str, words: str
) -> None:
    path = write(tmp_path, toml_story([STEP | change]))
    problems = validate_paths([path])
    assert problems, "the broken story passed"
    assert {p.rule for p in problems} == {rule}
    assert any(words in p.message for p in problems), [p.line() for p in problems]
    assert all(p.line().startswith(f"{path}: tour") for p in problems)


@pytest.mark.parametrize(("change", "rule", "words"), BROKEN_STEPS)
def test_story_check_names_each_problem(
    tmp_path: Path, change: dict[str, object], rule: str, words: str
) -> None:
    """The check ``geomap validate`` runs on a story file, given small data."""
    path = write(tmp_path, toml_story([STEP | change]))
    problems = check_story_file(path, **SMALL_DATA)
    assert problems, "the broken story passed"
    assert {p.rule for p in problems} == {rule}
    assert any(words in p.message for p in problems), [p.line() for p in problems]
    assert all(p.line().startswith(f"{path}: tour") for p in problems)


def test_story_check_passes_a_good_step(tmp_path: Path) -> None:
    assert check_story_file(write(tmp_path, toml_story([STEP])), **SMALL_DATA) == []


def assert_bad_files_reported(tmp_path: Path, problems_of: Callable[[Path], list[Any]]) -> None:
    """Each bad story file gets its rule and words first; the reader refuses the worst two."""
    write_bad_files(tmp_path)
    for name, (_text, rule, words) in BAD_FILES.items():
        problems = problems_of(tmp_path / name)
        assert [p.rule for p in problems][:1] == [rule], name
        assert words in problems[0].message, problems[0].line()
    with pytest.raises(UnreadableError):
        read_story(tmp_path / "latin1.toml")
    with pytest.raises(DataError, match="not valid TOML"):
        read_story(tmp_path / "syntax.toml")


@pytest.mark.slow  # validates three files; with small data: the test below
def test_bad_story_files_get_one_clear_line(tmp_path: Path) -> None:
    assert_bad_files_reported(tmp_path, lambda path: validate_paths([path]))


def test_bad_story_files_get_one_clear_line_from_the_story_check(tmp_path: Path) -> None:
    assert_bad_files_reported(tmp_path, lambda path: check_story_file(path, **SMALL_DATA))


def test_two_files_with_one_id_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "stories"
    folder.mkdir(parents=True)
    write(folder, toml_story([STEP], id="same"), "a.toml")
    write(folder, toml_story([STEP], id="same"), "b.toml")
    with pytest.raises(DataError, match="used by another file"):
        load_stories(tmp_path)
    assert load_stories(tmp_path / "elsewhere") == {}


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2025, 12, 31)))
def test_a_step_date_is_refused_exactly_outside_the_timeline(day: dt.date) -> None:
    story = Story.model_validate(
        {
            "id": "t",
            "title": "A test story",
            "summary": "A summary of the story, long enough.",
            "sources": ["k"],
            "steps": [STEP | {"date": day}],
        }
    )
    problems = story_problems(
        story,
        things={"mosul"},
        places=set(),
        layers={"territory", "captured_cities"},
        sources={"k", "nyt-hajin-2018-09"},
        claims={"mosul-1-5-million"},
    )
    assert bool(problems) == (not TIMELINE_START <= day <= TIMELINE_END)


# ------------------------------------------------------------------ links and the map's reports

STEPS = {STORY: 11, "other": 2}


@given(st.one_of(st.none(), st.text(max_size=6), st.integers(-5, 20).map(str)))
def test_a_link_step_is_kept_only_when_it_is_a_step(raw: str | None) -> None:
    params = {"story": STORY} if raw is None else {"story": STORY, "step": raw}
    view, messages = parse_view(params, {"mosul"}, STEPS)
    assert view.story == STORY and view.step is not None and 1 <= view.step <= 11
    try:
        wanted = int(raw.strip()) if raw is not None else 1
    except ValueError:
        wanted = 0
    if 1 <= wanted <= 11:
        assert view.step == wanted and messages == []
    else:
        assert view.step == 1 and len(messages) == 1


@given(st.sampled_from(sorted(STEPS)), st.integers(1, 11))
def test_a_story_view_survives_its_link(story: str, step: int) -> None:
    step = min(step, STEPS[story])
    view = View(story=story, step=step)
    again, messages = parse_view(view_to_params(view), {"mosul"}, STEPS)
    assert (again.story, again.step, messages) == (story, step, [])


def test_unknown_story_in_a_link_is_explained() -> None:
    view, messages = parse_view({"story": "nope", "step": "2"}, set(), STEPS)
    assert view.story is None and view.step is None
    assert "not one of this map's" in messages[0] and STORY in messages[0]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"story": STORY, "step": 4}, (STORY, 4)),
        ({"story": None, "step": None}, (None, None)),
        ({"story": STORY, "step": 40}, ("other", 1)),
        ({"story": STORY, "step": True}, ("other", 1)),
        ({"story": "<b>x</b>", "step": 1}, ("other", 1)),
        ({"date": "2016-07-04"}, ("other", 1)),
    ],
)
def test_the_map_report_sets_the_story_only_when_valid(
    value: dict[str, object], expected: tuple[str | None, int | None]
) -> None:
    current = View(story="other", step=1)
    view = view_from_map(value, current, {"mosul"}, STEPS)
    assert (view.story, view.step) == expected


# ------------------------------------------------------------------ payload


def test_payload_escapes_text_and_keeps_only_web_links(shipped: list[Feature]) -> None:
    story = Story.model_validate(
        {
            "id": "t",
            "title": 'Mosul & Raqqa "2017"',
            "summary": "A summary & more, long enough.",
            "sources": ["nyt-hajin-2018-09"],
            "steps": [
                STEP | {"date": dt.date(2016, 7, 4), "sources": ["nyt-hajin-2018-09", "gone"]}
            ],
        }
    )
    out = stories_payload([story], shipped, load_basemap("places", ROOT), load_sources(ROOT))
    assert out[0]["title"] == "Mosul &amp; Raqqa &quot;2017&quot;"
    step = out[0]["steps"][0]
    (south, west), (north, east) = step["bounds"]
    assert west < 43.13 < east and south < 36.34 < north  # Mosul
    assert step["day"] == (dt.date(2016, 7, 4) - dt.date(1970, 1, 1)).days
    body = step["body"]
    assert "<li>gone (not in the bibliography)</li>" in body
    assert "Sources (2)" in body and "<details" in body and " open>" not in body
    hrefs = re.findall(r'href="([^"]*)"', body)
    assert all(h.startswith(("https://", "http://")) for h in hrefs)


def test_step_body_escapes_and_has_one_owner(shipped: list[Feature]) -> None:
    """The card (payload) and the scrolling page show the same body, open on the page."""
    from geomap.web.story_payload import step_body

    # Validation refuses such text (the ``text`` rule); the body escapes it all the same.
    good = StoryStep.model_validate(STEP | {"date": dt.date(2016, 7, 4)})
    step = good.model_copy(update={"text": 'Text & <b>more</b> "quoted"'})
    folded = step_body(step, load_sources(ROOT), {})
    assert "Text &amp; &lt;b&gt;more&lt;/b&gt; &quot;quoted&quot;" in folded
    assert "<b>" not in folded and "Fact check" not in folded  # no claims, no fact check
    opened = step_body(step, load_sources(ROOT), {}, folded=False)
    assert opened == folded.replace(
        '<details class="gm-story-sources">', '<details class="gm-story-sources" open>'
    )


# ------------------------------------------------------------------ exports


@pytest.fixture(scope="module")
def story_gif(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gif") / "story.gif"
    return export(dataset, "gif", out, ExportOptions(story=STORY))


@pytest.mark.slow  # every step; two steps' frames: test_story_frames_are_captioned_and_differ
def test_gif_has_one_captioned_frame_per_step(story_gif: Path, story: Story) -> None:
    with Image.open(story_gif) as im:
        assert im.n_frames == len(story.steps)
        frames = []
        for i in range(im.n_frames):
            im.seek(i)
            assert im.info["duration"] == 6000
            frames.append(np.asarray(im.convert("RGB")).astype(int))
    assert_captioned_and_apart(frames)


def assert_captioned_and_apart(frames: list[np.ndarray]) -> None:
    """Story frames: 1000 x 720, a caption box in each, no two frames alike."""
    height, width = frames[0].shape[:2]
    assert (width, height) == (1000, 720)
    # The caption box: white, bottom left of the map, with dark type in it.
    for frame in frames:
        box = frame[int(height * 0.84) : int(height * 0.88), 25:250]
        assert np.mean(np.all(box >= 250, axis=2)) > 0.45  # the box (the land is greyer)
        assert np.mean(np.all(box < 80, axis=2)) > 0.03  # the type
        above = frame[int(height * 0.30) : int(height * 0.34), 25:250]
        assert np.mean(np.all(above >= 250, axis=2)) < 0.1  # the map, not a box
    # Each step has its own frame: no two frames alike.
    for a in range(len(frames)):
        for b in range(a + 1, len(frames)):
            assert np.mean(np.abs(frames[a] - frames[b]) > 30) > 0.01, (a, b)


def test_story_frames_are_captioned_and_differ(dataset: Dataset, story: Story) -> None:
    """The frames of two steps, as the GIF and MP4 exports draw them (every step: slow tests)."""
    plan = check_request(dataset, "gif", ExportOptions(story=STORY))
    two = story.model_copy(update={"steps": story.steps[:2]})
    calls: list[tuple[int, int]] = []
    frames = story_frames(dataset, dataclasses.replace(plan, story=two), lambda *a: calls.append(a))
    assert_captioned_and_apart([np.asarray(frame).astype(int) for frame in frames])
    assert calls == [(1, 2), (2, 2)]


@pytest.mark.slow  # the MP4 writer alone: test_export_maps.py::test_mp4_when_imageio_*
def test_mp4_story_holds_each_step(dataset: Dataset, tmp_path: Path, story: Story) -> None:
    import imageio_ffmpeg

    out = export(dataset, "mp4", tmp_path / "s.mp4", ExportOptions(story=STORY))
    frames, seconds = imageio_ffmpeg.count_frames_and_secs(str(out))
    assert frames == 24 * len(story.steps)
    assert seconds == pytest.approx(6 * len(story.steps), abs=0.5)


def test_story_page_is_self_contained(dataset: Dataset, tmp_path: Path, story: Story) -> None:
    out = export(dataset, "html", tmp_path / "s.html", ExportOptions(story=STORY))
    page = out.read_text(encoding="utf-8")
    assert len(re.findall(r"data-gm-step='\d+'", page)) == len(story.steps)
    assert "Content-Security-Policy" in page
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"https?:", page)
    assert '"storyScroll": "hajin-2018"' in page or '"storyScroll":"hajin-2018"' in page
    for step in story.steps:
        assert step.date.isoformat() in page
    links = re.findall(r'<a href="([^"]*)"', page.split("<script>")[0])
    assert links and all(h.startswith(("https://", "http://")) for h in links)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--format", "png"], "--story works with html, gif and mp4"),
        (["--format", "gif", "--from", "2015-01-01"], "--from cannot be used with --story"),
        (["--format", "html", "--date", "2016-01-01"], "--date cannot be used with --story"),
        (["--format", "html", "--layers", "territory"], "--layers cannot be used"),
        (["--format", "html", "--width", "900"], "apply to images"),
        (["--format", "gif", "--width", "90"], "width"),
    ],
)
def test_cli_refuses_story_exports_it_cannot_make(
    tmp_path: Path, args: list[str], words: str
) -> None:
    out = tmp_path / "x.out"
    run = subprocess.run(
        [sys.executable, "-m", "geomap.cli", "export", "--story", STORY, *args, "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert run.returncode == 2, run.stderr
    assert words in run.stderr and len(run.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_unknown_story_lists_the_stories(dataset: Dataset, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=f"unknown story 'nope'; stories are: {STORY}"):
        export(dataset, "html", tmp_path / "x.html", ExportOptions(story="nope"))


def test_a_story_with_markup_is_not_loaded(tmp_path: Path) -> None:
    """The app refuses such a story (and says why) rather than show its markup."""
    folder = tmp_path / "data" / "stories"
    folder.mkdir(parents=True)
    write(folder, toml_story([STEP | {"text": "Click [here](http://198.51.100.7/) to read more."}]))
    with pytest.raises(DataError, match="reads as markup"):
        load_stories(tmp_path)


@pytest.mark.parametrize(
    ("bbox", "message"),
    [
        ((40.0, 34.0, 40.000001, 34.000001), "smaller than 0.05"),
        ((-180.0, -90.0, 180.0, 90.0), "larger than the region"),
        ((41.0, 34.0, 40.0, 35.0), "need -180 <= W < E"),
    ],
    ids=["a millionth of a degree", "the whole world", "west of east"],
)
def test_a_step_frame_has_the_bounds_of_an_export_frame(
    bbox: tuple[float, ...], message: str
) -> None:
    """A frame too small to draw (its GIF hung for minutes) or as large as the world is
    refused when the story is read, with the export's own rule."""
    raw = {k: v for k, v in STEP.items() if k != "frame"} | {"bbox": bbox}
    with pytest.raises(ValueError, match=message):
        StoryStep.model_validate(raw)
    fine = {k: v for k, v in STEP.items() if k != "frame"} | {"bbox": (40.0, 34.0, 41.0, 35.0)}
    assert StoryStep.model_validate(fine).bbox == (40.0, 34.0, 41.0, 35.0)
