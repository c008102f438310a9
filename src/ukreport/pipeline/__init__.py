"""The pipeline: the one build graph, and what runs it, records it and checks it.

The modules: :mod:`~.graph` (the steps, declared once: their entry modules, inputs,
outputs and order, and Make's out-of-date rule), :mod:`~.deps` (the code each step
runs, the import closure of its entry modules, and ``deps.mk``, the Makefile's step
rules written from the graph), :mod:`~.runner` (``ukreport build``: the stale steps in
one process), :mod:`~.provenance` (the manifest: what every output was made from),
:mod:`~.verification` (``ukreport verify-manifest``: which outputs are stale now) and
:mod:`~.reproduce` (``ukreport verify``: two builds in fresh copies, compared byte for
byte). Nothing below this wing imports it.
"""
