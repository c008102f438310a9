"""Validation: read the raw tables, hold them to the models, say what is wrong and where.

The modules, in the order a table meets them:

- :mod:`.table`: a CSV file read as text cells (``Table``), and why one cannot be
  (``Problem``);
- :mod:`.reading`: the reader — Arrow's fast path for a well-formed file, only regular
  files, up to a size;
- :mod:`.careful`: the careful path through Python's ``csv`` module, which names the
  line and column of every problem;
- :mod:`.cases`: pandera's failure cases and the rules across tables (ids into other
  tables, claims against the record), as batches of located failures;
- :mod:`.explain`: what each check means, in words — a message and a fix;
- :mod:`.report`: what validation found (``Failure``, ``Report``) as text, JSON or JUnit
  XML, and ``ValidationFailed``, which carries a report out of a step;
- :mod:`.validate`: the entry point — which files are which tables, and every failure in
  one run.

The rules themselves are the schemas' (:mod:`ukreport.schemas`: the models, the text
rules, the pandera checks); the display helpers validation shares with the review are
on the ground floor (:mod:`ukreport.display`). Importing this package imports none of
its modules.
"""
