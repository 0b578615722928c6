"""KML for Google Earth: one folder per layer, styled like the app, with time spans.

Written with :mod:`xml.etree.ElementTree`, which escapes text and attributes
as XML. Google Earth shows a placemark's ``description`` as HTML, so every
data-supplied value in it is HTML-escaped first (and then XML-escaped by the
writer); links are kept only when they are http(s).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path

from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from geomap.core.feature import Feature
from geomap.core.layers import LAYERS
from geomap.core.model import Source
from geomap.core.sides import side_name
from geomap.core.style import STATUS_STYLE, shape_style
from geomap.export.data import COLUMNS, flat_properties
from geomap.export.job import Job
from geomap.export.plan import default_title
from geomap.export.shown import description, shown_on_date
from geomap.web.html import esc, period_text, source_items, status_label

KML_NS = "http://www.opengis.net/kml/2.2"


def kml_colour(hex_colour: str, opacity: float = 1.0) -> str:
    """``#RRGGBB`` and an opacity as KML's ``aabbggrr``."""
    rgb = hex_colour.lstrip("#")
    alpha = max(0, min(255, round(opacity * 255)))
    return f"{alpha:02x}{rgb[4:6]}{rgb[2:4]}{rgb[0:2]}".lower()


def _coords(seq: Sequence[tuple[float, ...]]) -> str:
    return " ".join(f"{x:.6f},{y:.6f}" for x, y, *_ in seq)


def _geometry(parent: ET.Element, geom: BaseGeometry) -> None:
    if geom.geom_type.startswith("Multi") or geom.geom_type == "GeometryCollection":
        multi = ET.SubElement(parent, "MultiGeometry")
        for part in getattr(geom, "geoms", []):
            _geometry(multi, part)
    elif isinstance(geom, Point):
        ET.SubElement(ET.SubElement(parent, "Point"), "coordinates").text = _coords(
            list(geom.coords)
        )
    elif isinstance(geom, LineString):
        line = ET.SubElement(parent, "LineString")
        ET.SubElement(line, "tessellate").text = "1"
        ET.SubElement(line, "coordinates").text = _coords(list(geom.coords))
    elif isinstance(geom, Polygon):
        poly = ET.SubElement(parent, "Polygon")
        ET.SubElement(poly, "tessellate").text = "1"
        rings = [("outerBoundaryIs", geom.exterior)] + [
            ("innerBoundaryIs", ring) for ring in geom.interiors
        ]
        for tag, ring in rings:
            linear = ET.SubElement(ET.SubElement(poly, tag), "LinearRing")
            ET.SubElement(linear, "coordinates").text = _coords(list(ring.coords))


def description_html(f: Feature, sources: Mapping[str, Source]) -> str:
    """HTML for a placemark balloon; every data value escaped."""
    p = f.props
    parts = []
    if p.status is not None:
        who = f" ({esc(side_name(p.controller))})" if p.controller else ""
        parts.append(f"<b>{esc(status_label(p.status))}</b>{who}")
    parts.append(esc(period_text(f)))
    certainty = f"confidence {esc(p.confidence.value)}"
    if p.approximate:
        certainty += ", approximate shape"
    parts.append(certainty)
    if p.notes:
        parts.append(esc(p.notes))
    parts.append("Sources:<ol>" + source_items([f], sources, supports=False) + "</ol>")
    return "<br>".join(parts)


def _style(doc: ET.Element, sid: str, line: str, width: float, fill: str | None) -> None:
    style = ET.SubElement(doc, "Style", id=sid)
    line_style = ET.SubElement(style, "LineStyle")
    ET.SubElement(line_style, "color").text = line
    ET.SubElement(line_style, "width").text = f"{width:g}"
    poly = ET.SubElement(style, "PolyStyle")
    ET.SubElement(poly, "color").text = fill or "00ffffff"
    ET.SubElement(poly, "fill").text = "1" if fill else "0"
    if fill is not None and sid.startswith("status-"):
        icon = ET.SubElement(style, "IconStyle")
        ET.SubElement(icon, "color").text = fill
        ET.SubElement(icon, "scale").text = "0.9"


def style_id(f: Feature) -> str:
    """Id of the shared style a record uses."""
    if f.geometry.geom_type == "Point":
        return f"status-{f.props.status.value if f.props.status else 'none'}"
    return f"kind-{f.props.layer}-{f.props.kind.value}-{f.props.confidence.value}"


def build_kml(
    features: Sequence[Feature], sources: Mapping[str, Source], title: str, credits: str
) -> ET.ElementTree:
    """The KML document of the records ``features``."""
    root = ET.Element("kml", xmlns=KML_NS)
    doc = ET.SubElement(root, "Document")
    ET.SubElement(doc, "name").text = title
    ET.SubElement(doc, "description").text = esc(credits)
    for status, (colour, _) in STATUS_STYLE.items():
        _style(doc, f"status-{status}", "ff000000", 1.5, kml_colour(colour))
    _style(doc, "status-none", "ff000000", 1.5, kml_colour("#999999"))
    done = set()
    for f in features:
        sid = style_id(f)
        if f.geometry.geom_type != "Point" and sid not in done:
            style = shape_style(f.props)
            fill = kml_colour(style.fill, style.fill_opacity) if style.fill_opacity else None
            _style(doc, sid, kml_colour(style.edge), style.width, fill)
            done.add(sid)
    for spec in LAYERS:
        records = [f for f in features if f.props.layer == spec.name]
        if not records:
            continue
        folder = ET.SubElement(doc, "Folder")
        ET.SubElement(folder, "name").text = spec.label
        for f in records:
            mark = ET.SubElement(folder, "Placemark", id=f.key.replace("@", "-"))
            ET.SubElement(mark, "name").text = f.props.name
            ET.SubElement(mark, "description").text = description_html(f, sources)
            span = ET.SubElement(mark, "TimeSpan")
            ET.SubElement(span, "begin").text = f.props.valid_from.isoformat()
            if f.props.valid_to is not None:
                ET.SubElement(span, "end").text = f.props.valid_to.isoformat()
            ET.SubElement(mark, "styleUrl").text = f"#{style_id(f)}"
            extended = ET.SubElement(mark, "ExtendedData")
            row = flat_properties(f)
            for name in COLUMNS:
                if row[name] is None:
                    continue
                data = ET.SubElement(extended, "Data", name=name)
                ET.SubElement(data, "value").text = str(row[name])
            _geometry(mark, f.geometry)
    return ET.ElementTree(root)


def write_kml(
    features: Sequence[Feature],
    path: Path,
    sources: Mapping[str, Source],
    title: str,
    credits: str,
) -> None:
    """Write the KML document to ``path`` (UTF-8, with an XML declaration)."""
    tree = build_kml(features, sources, title, credits)
    ET.indent(tree, space=" ")
    tree.write(path, encoding="utf-8", xml_declaration=True)


def write_kml_job(job: Job) -> None:
    """The KML of what the job's plan shows, titled as the static map would be."""
    title = job.plan.title or default_title(job.plan)
    write_kml(shown_on_date(job), job.path, job.dataset.sources, title, description(job))
