"""The Streamlit shell of geomap (the only place that imports streamlit)."""
