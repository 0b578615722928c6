"""The rules of ``geomap validate``, each with what it means (one definition each)."""

from __future__ import annotations

from geomap.validate.registry import define_rule

READ = define_rule(
    "read",
    "the input cannot be read at all: missing, not a regular file (a folder, a FIFO, a "
    "device), not permitted, larger than the size cap, or not UTF-8 text; "
    "geomap validate then exits 2",
)
JSON = define_rule(
    "json",
    "the file is not valid JSON (syntax, NaN or Infinity, nesting deeper than the cap, "
    "an integer too long), not a FeatureCollection, or not a geomap file at all",
)
TEXT = define_rule(
    "text",
    "a string holds a control character, or a name, note or citation holds markup (an "
    "HTML tag, a Markdown link or image, a blank line): geomap shows text as plain text",
)
SCHEMA = define_rule(
    "schema",
    "properties do not follow geomap.core.model.FeatureProperties, or the geometry type "
    "does not fit the kind",
)
GEOMETRY = define_rule(
    "geometry", "shapely finds the geometry invalid (its reason is given) or empty"
)
RFC7946 = define_rule(
    "rfc7946",
    "coordinates out of lon/lat range, rings not following the right-hand rule "
    "(exterior counter-clockwise, holes clockwise), or a crs member",
)
INTERVAL = define_rule(
    "interval",
    "valid_from not before valid_to, overlapping periods of one id, or dates outside "
    "2003-01-01 .. today",
)
SOURCES = define_rule(
    "sources",
    "a feature without sources, a source key missing from data/sources.json, or a "
    "bibliography entry that does not follow geomap.core.model.Source",
)
ID = define_rule("id", "one id used in two layers")
SPATIAL = define_rule(
    "spatial",
    "a fact of geography fails (geomap.validate.facts): a place outside its country, a "
    "river town far from its river, territory outside the land of Syria and Iraq, the "
    "Idlib front outside its governorates, a pocket stage outside the IS-held territory of its "
    "first day",
)
CONSISTENCY = define_rule(
    "consistency",
    "a city shown as held lies outside the territory of the same period, or a city not "
    "held by the Islamic State lies inside it",
)
CONTROLLER = define_rule(
    "controller",
    "a controller or contested_by that is not a side of the controlled vocabulary "
    "(geomap.core.sides), or a place contested by the side that holds it",
)
GROUND = define_rule(
    "ground",
    "an area's ground disagrees with its kind or its controller: held and desert ground "
    "name the side that held them and contested and open ground name none; territory, "
    "pocket and front are held ground and the desert zone is desert ground",
)
CONTROL = define_rule(
    "control",
    "who held what does not add up: two periods of one place that overlap with different "
    "controllers, the IS desert zone overlapping IS-held ground, control areas of one date "
    "that overlap or leave land uncovered, or a place outside its controller's area",
)
MANIFEST = define_rule("manifest", "a base-geography file does not match data/datapackage.json")
CLAIMS = define_rule(
    "claims",
    "an entry of data/claims.json does not follow geomap.core.claims.Claim, uses an unknown "
    "unit or one that measures something else than its method, or names a place or "
    "feature that does not exist",
)
STORY = define_rule(
    "story",
    "a story in data/stories/ does not follow geomap.core.story.Story, or names a date outside "
    "the timeline, a place, layer, source key or claim that does not exist",
)
PIECES = define_rule(
    "pieces",
    "layers/land_pieces.json is of another version or display setting, was built from other "
    "layer files than those beside it, or holds a piece that is not a polygon of finite "
    "coordinates: the app then sends every record whole; rebuild it with "
    "python tools/build_layers.py",
)
STORE = define_rule(
    "store",
    "the compiled store (layers/store/) was built from other layer files than those beside "
    "it, names a layer file that is missing, or lacks a layer's table: rebuild it with "
    "python tools/build_layers.py --store",
)
