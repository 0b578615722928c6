"""The pure core: model, dates, timeline, geodesy, units, sides, layers, claims and stories.

Also text, areas and compare. Nothing here reads or writes files or talks to a
browser; the floors above (:mod:`geomap.data`, :mod:`geomap.web`, then export,
validate, app and cli) pass it plain values. A test checks that no core module
imports from a higher floor.
"""
