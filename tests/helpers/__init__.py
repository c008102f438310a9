"""Code the tests share: paths, table edits, git repositories, HTML and PDF reading, and
the report built end to end. Plain functions and constants; the fixtures are in
``tests/conftest.py``."""
