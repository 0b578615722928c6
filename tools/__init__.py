"""Build scripts: base geography and layers (run by hand; see the README)."""
