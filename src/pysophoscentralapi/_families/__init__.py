"""The declarations of the API's same-shaped collections (see :mod:`pysophoscentralapi._collection`).

One module per API area; each collection is one :class:`~pysophoscentralapi._collection.Collection`
constant. :data:`ALL` lists every declared collection (the CLI, the emulator and the tests walk it).
"""
