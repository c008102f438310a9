"""The review: what changed between two versions of the data, and what the change needs.

- :mod:`.revisions`: the sides compared — files at a git revision (read through the
  one git module, :mod:`ukreport._git`), in a folder, or on disk;
- :mod:`.tables`: each side's tables keyed by id, read as ``ukreport validate`` reads
  them;
- :mod:`.diff`: ``ukreport diff``, rows and columns added, removed, changed and
  renamed, each row with its source;
- :mod:`.renames`: which removed and added rows are one row under a new id;
- :mod:`.impact`: the claims a change touches and the report's counts before and after;
- :mod:`.diff_format`: a diff as text or JSON (and Markdown, from :mod:`.diff_markdown`);
- :mod:`.diff_cells`: a cell as a reviewer reads it, web addresses whole;
- :mod:`.schemadiff`: every difference between two Table Schemas, and how much each
  breaks;
- :mod:`.versions`: the version number a schema change needs (Semantic Versioning);
- :mod:`.changelog`: the release notes a new version needs;
- :mod:`.releases`: the releases ``CHANGELOG.md`` records and the commits that cut
  them, so every clone knows the last release without tags;
- :mod:`.schemacheck`: ``ukreport schema-check``, which holds the version and the
  release notes to the schema and data changes since the last release;
- :mod:`.dist`: ``ukreport dist``, the release's files with the same bytes everywhere.
"""
