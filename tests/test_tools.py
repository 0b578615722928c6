"""The build tools: one atomic writer for all, and the basemap package importable offline."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tools.atomic import atomic_path, geojson_text, write_geojson, write_json, write_text
from tools.basemap import admin1, countries, datapackage, places, rivers, topojson
from tools.basemap.outputs import Output, build_order, registered

TOOLS = ROOT / "tools"
FEATURES: list[dict[str, Any]] = [
    {"type": "Feature", "properties": {"id": "a", "name": "Ḥajīn"}, "geometry": None},
    {"type": "Feature", "properties": {"id": "b"}, "geometry": None},
]


def test_geojson_is_one_compact_feature_per_line(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "layer.geojson"
    write_geojson(path, FEATURES)
    text = path.read_text(encoding="utf-8")
    assert text == geojson_text(FEATURES)
    assert (
        text.splitlines()[1]
        == json.dumps(FEATURES[0], ensure_ascii=False, separators=(",", ":")) + ","
    )
    assert json.loads(text)["features"] == FEATURES


def test_a_failed_write_keeps_the_old_file_and_leaves_no_part(tmp_path: Path) -> None:
    path = tmp_path / "layer.geojson"
    write_text(path, "old\n")
    os.chmod(path, 0o640)
    with pytest.raises(RuntimeError), atomic_path(path) as tmp:
        tmp.write_text("half")
        raise RuntimeError("the build broke")
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["layer.geojson"]
    write_json(path, {"a": "é"})
    assert path.read_text(encoding="utf-8") == '{\n  "a": "é"\n}\n'
    assert path.stat().st_mode & 0o777 == 0o640, "a rewrite keeps the file's permissions"
    assert [p.name for p in tmp_path.iterdir()] == ["layer.geojson"]


def test_the_temporary_file_sits_beside_the_target_with_its_suffix(tmp_path: Path) -> None:
    with atomic_path(tmp_path / "igbp.tif") as tmp:
        assert tmp.parent == tmp_path and tmp.name.startswith(".igbp.tif.")
        assert tmp.name.endswith(".part.tif")


def test_no_tool_writes_files_but_through_the_atomic_writer() -> None:
    direct = re.compile(
        r"\.write_(text|bytes)\(|os\.replace\(|\.replace\(\w*path|open\([^)]*[\"']w"
    )
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted(TOOLS.rglob("*.py"))
        if path.name != "atomic.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if direct.search(line) and "atomic_path" not in line
    ]
    assert offenders == []


def test_build_layers_writes_through_the_shared_writer(tmp_path: Path) -> None:
    from tools.build_layers import write_layer

    write_layer(tmp_path / "x.geojson", FEATURES)
    assert (tmp_path / "x.geojson").read_text(encoding="utf-8") == geojson_text(FEATURES)


def test_basemap_registry() -> None:
    outputs = registered()
    assert [o.name for o in outputs] == ["countries", "admin1", "rivers", "places"]
    assert [o.file for o in outputs] == [f"{o.name}.geojson" for o in outputs]
    assert outputs == (countries.OUTPUT, admin1.OUTPUT, rivers.OUTPUT, places.OUTPUT)
    for o in outputs:
        assert callable(o.build) and callable(o.record)
    order = [o.name for o in build_order(outputs)]
    assert order.index("places") < order.index("rivers")
    shipped = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    geojson = [r["name"] for r in shipped["resources"] if r["format"] == "geojson"]
    assert geojson == [o.name for o in outputs], "the manifest's order is the registry's"


def test_build_order_refuses_unknown_and_circular_needs() -> None:
    def nothing(_: Any) -> Any:
        return []

    with pytest.raises(ValueError, match="no output builds"):
        build_order([Output("a", nothing, nothing, needs=("b",))])
    with pytest.raises(ValueError, match="cycle"):
        build_order([Output("a", nothing, nothing, ("b",)), Output("b", nothing, nothing, ("a",))])


def test_basemap_entry_runs_without_network() -> None:
    done = subprocess.run(
        [sys.executable, str(TOOLS / "build_basemap.py"), "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert "data/datapackage.json" in done.stdout.replace("``", "")


def test_topojson_reader_decodes_quantized_arcs() -> None:
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.5], "translate": [40.0, 30.0]},
        "arcs": [[[0, 0], [2, 0], [0, 2], [-2, 0], [0, -2]]],
        "objects": {"c": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "arcs": [[0]], "id": "1"},
            {"type": "Point", "coordinates": [0, 0]},
        ]}},
    }  # fmt: skip
    [f] = topojson.load_features(topology)
    assert f["id"] == "1"
    assert f["geometry"]["coordinates"][0] == [(40, 30), (41, 30), (41, 31), (40, 31), (40, 30)]


def test_place_names_match_across_spellings() -> None:
    cities = [
        {"countrycode": "SY", "name": "Ḩajīn", "alternatenames": [], "population": 1,
         "geonameid": 2},
        {"countrycode": "SY", "name": "Elsewhere", "alternatenames": ["Hajin"],
         "population": 9, "geonameid": 3},
    ]  # fmt: skip
    assert places.name_key("Al-Bāb") == "bab"
    assert places.find_place(cities, "SY", ["hajin"])["geonameid"] == 2  # type: ignore[index]
    assert places.find_place(cities, "IQ", ["hajin"]) is None


def test_manifest_keeps_entries_of_other_tools(tmp_path: Path) -> None:
    layer = tmp_path / "basemap" / "x.geojson"
    point = {"type": "Point", "coordinates": [40.0, 35.0]}
    write_geojson(layer, [{"type": "Feature", "properties": {}, "geometry": point}])
    other = {"name": "landcover", "format": "geotiff"}
    write_json(tmp_path / "datapackage.json", {"resources": [{"name": "x"}, other]})
    entry = datapackage.resource(tmp_path, layer, {"licence": "test"})
    path = datapackage.write_manifest(tmp_path, [entry])
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["description"] == datapackage.DESCRIPTION
    assert doc["resources"] == [entry, other]
    assert entry["path"] == "basemap/x.geojson" and entry["geometry_type"] == "Point"
