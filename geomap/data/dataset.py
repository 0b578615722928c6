"""One :class:`Dataset`: everything geomap reads from a data root, loaded once and lazily.

A command, an export or the app makes one ``Dataset`` and passes it down in
place of a data root. Nothing is read when it is made; each part is read the
first time it is asked for and then kept:

- a layer's records (:meth:`Dataset.layer`) come from the compiled store
  (:mod:`geomap.data.store`) when it matches ``layers/``, so asking for the
  territory never parses the 20 MB control layer; without a store they are read
  from the GeoJSON files, the canonical data;
- the bibliography, the base geography, the datapackage, the land pieces, the
  stories, the claims and the place index each on first use.

A stale store (built from other layer files) is refused with
:class:`~geomap.data.store.StaleStoreError`, never used.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from geomap.core.claims import Claim, Places, Result, check_all
from geomap.core.errors import DataError
from geomap.core.feature import Feature
from geomap.core.framing import place_index
from geomap.core.layers import LAYERS, layer_names
from geomap.core.model import Source
from geomap.core.story import Story
from geomap.core.timeline import periods_by_id
from geomap.data import store
from geomap.data.claims import load_claims
from geomap.data.gazetteer import Gazetteer, load_gazetteer
from geomap.data.io import (
    BASEMAP_NAMES,
    layer_paths,
    load_basemap,
    load_datapackage,
    load_features,
    load_sources,
)
from geomap.data.paths import data_dir, layers_dir, project_root
from geomap.data.pieces import Piece, load_pieces
from geomap.data.stories import load_stories, story_paths


class Dataset:
    """The data of one root (``layers/`` and ``data/``), read lazily, each part once.

    Parameters
    ----------
    root
        The folder holding ``layers/`` and ``data/``; default
        :func:`geomap.data.paths.project_root`.
    use_store
        Read layers from the compiled store when it is there (default). ``False``
        reads the GeoJSON files, as ``geomap validate`` and the build do.
    """

    def __init__(self, root: Path | None = None, *, use_store: bool = True) -> None:
        self.root = (root or project_root()).resolve()
        self.use_store = use_store
        self._layers: dict[str, list[Feature]] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Dataset({str(self.root)!r})"

    def replaced(
        self,
        *,
        features: Iterable[Feature] | None = None,
        sources: Mapping[str, Source] | None = None,
    ) -> Dataset:
        """A copy of this dataset with its records or bibliography replaced (tests, previews).

        The other parts are read from the same root, on first use as usual.
        """
        copy = Dataset(self.root, use_store=self.use_store)
        if features is not None:
            by_layer: dict[str, list[Feature]] = {name: [] for name in layer_names()}
            for f in features:
                by_layer.setdefault(f.props.layer, []).append(f)
            copy._layers = by_layer
        if sources is not None:
            copy.__dict__["sources"] = dict(sources)
        return copy

    # ------------------------------------------------------------------ paths

    @property
    def layers_dir(self) -> Path:
        """The folder of layer files."""
        return layers_dir(self.root)

    @property
    def data_dir(self) -> Path:
        """The folder of base geography, bibliography, claims and stories."""
        return data_dir(self.root)

    def input_files(self) -> list[Path]:
        """Every file the dataset may read (for cache stamps)."""
        files = [*layer_paths(self.root), self.data_dir / "sources.json"]
        files.append(self.layers_dir / "land_pieces.json")
        files.append(store.manifest_path(self.root))
        files += [self.data_dir / "basemap" / f"{n}.geojson" for n in BASEMAP_NAMES]
        files += [self.data_dir / "datapackage.json", self.data_dir / "claims.json"]
        files.append(self.data_dir / "gazetteer.json")
        files += story_paths(self.root)
        return files

    # ----------------------------------------------------------------- layers

    @cached_property
    def _store(self) -> store.Store | None:
        """The compiled store, ``None`` when there is none or it is not wanted."""
        return store.open_store(self.root) if self.use_store else None

    def layer(self, name: str) -> list[Feature]:
        """The records of one layer, in file order (read on first use).

        Raises
        ------
        DataError
            An unknown layer, or a layer file that does not follow the schema.
        """
        if name not in layer_names():
            raise DataError(f"unknown layer {name!r}: one of {', '.join(layer_names())}")
        with self._lock:
            if name not in self._layers:
                st = self._store
                if st is not None:
                    self._layers[name] = st.layer(name)
                else:
                    spec = next(s for s in LAYERS if s.name == name)
                    self._layers[name] = load_features([self.layers_dir / spec.file])
            return self._layers[name]

    def layers(self, names: Iterable[str] | None = None) -> list[Feature]:
        """The records of the named layers (default every layer), in registry order."""
        wanted = set(names) if names is not None else None
        out: list[Feature] = []
        for spec in LAYERS:
            if wanted is None or spec.name in wanted:
                out += self.layer(spec.name)
        return out

    @cached_property
    def features(self) -> list[Feature]:
        """Every record of every layer, in registry order."""
        return self.layers()

    def state(self, day: dt.date, layers: Sequence[str] | None = None) -> list[Feature]:
        """The records valid on ``day``, from the named layers only (default every layer).

        A layer not loaded yet is answered by the store's date columns, so only the
        records valid that day are built.
        """
        wanted = set(layers) if layers is not None else None
        out: list[Feature] = []
        for spec in LAYERS:
            if wanted is not None and spec.name not in wanted:
                continue
            st = self._store
            if st is not None and spec.name not in self._layers:
                out += st.state(spec.name, day)
            else:
                out += [f for f in self.layer(spec.name) if f.props.valid_on(day)]
        return out

    @cached_property
    def periods(self) -> dict[str, list[Feature]]:
        """Every thing's records by id, oldest first."""
        return periods_by_id(self.features)

    @cached_property
    def pieces(self) -> list[Piece] | None:
        """The land model's pieces, or ``None`` when the file is missing or stale."""
        return load_pieces(self.root)

    # ------------------------------------------------------------------- data

    @cached_property
    def sources(self) -> dict[str, Source]:
        """The bibliography, ``data/sources.json``, by key."""
        return load_sources(self.root)

    @cached_property
    def basemap(self) -> Mapping[str, list[dict[str, Any]]]:
        """The raw features of every base-geography file, by name."""
        return {name: load_basemap(name, self.root) for name in BASEMAP_NAMES}

    @cached_property
    def datapackage(self) -> dict[str, Any] | None:
        """``data/datapackage.json``, or ``None`` when it is missing or unreadable."""
        return load_datapackage(self.root)

    @cached_property
    def places(self) -> Places:
        """Basemap places by id: their GeoJSON properties."""
        out: dict[str, Mapping[str, Any]] = {}
        for raw in self.basemap["places"]:
            props = raw.get("properties") or {}
            if props.get("id"):
                out[str(props["id"])] = props
        return out

    @cached_property
    def gazetteer(self) -> Gazetteer:
        """Every name of every place (``data/gazetteer.json``), with search."""
        return load_gazetteer(self.root)

    @cached_property
    def arabic_names(self) -> dict[str, str]:
        """Arabic names by thing id, from the gazetteer (none when it cannot be read)."""
        try:
            entries = self.gazetteer.entries
        except DataError:
            return {}
        return {tid: e.name_ar for tid, e in entries.items() if e.name_ar}

    @cached_property
    def place_index(self) -> dict[str, tuple[float, float, float, float]]:
        """The frame (W, S, E, N) of every named thing: layer ids and basemap places."""
        return place_index(self.features, self.basemap["places"])

    @cached_property
    def stories(self) -> dict[str, Story]:
        """Every story of ``data/stories/``, by id (raises :class:`DataError` on a bad one)."""
        return load_stories(self.root)

    @cached_property
    def claims(self) -> list[Claim]:
        """The fact-check registry, ``data/claims.json``."""
        return load_claims(self.root)

    @cached_property
    def claim_results(self) -> list[Result]:
        """Every claim checked against the layers, then every disputed date."""
        return check_all(self.features, self.claims, self.sources, self.places)
