"""Reading the data: safe readers, the compiled store and the :class:`~geomap.data.dataset.Dataset`.

Above the core, below everything that shows or writes the data.
"""
