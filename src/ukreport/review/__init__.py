"""Review: what changed in the data and the schemas between two revisions.

The modules: :mod:`~.revisions` (the tables as they were at a revision, or in a folder,
read through the one git module), :mod:`~.tables` (one table's rows matched by id),
:mod:`~.diff` (the data diff: added, removed and changed rows of every table) and
:mod:`~.diff_format` (it as text, Markdown or JSON), :mod:`~.schemadiff` (what changed
in the Table Schemas, and whether it breaks readers), :mod:`~.versions` (the version
bump a change needs) and :mod:`~.changelog` (the entry that records a release), put
together by :mod:`~.schemacheck` (``ukreport schema-check``).
"""
