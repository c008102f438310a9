"""The record as a publication of its own, built from the data package alone.

- :mod:`.rows` reads the package (checked against its hashes) into one row model;
- :mod:`.page` writes the record page, one self-contained HTML file whose tables hold
  every row; ``script.js`` and ``style.css`` beside it are inlined into it;
- :mod:`.printed` writes the printed record, a tagged archival PDF (``record.typ``).

:func:`write_record` writes both, together and whole.
"""

from __future__ import annotations

from pathlib import Path

from ukreport._io import output_folder, write_files
from ukreport.report.record.page import record_page
from ukreport.report.record.printed import printed_record
from ukreport.report.record.rows import Record, read_record

__all__ = ["HTML_NAME", "PDF_NAME", "Record", "read_record", "write_record"]

HTML_NAME = "record.html"
PDF_NAME = "record.pdf"


def write_record(
    data_dir: Path, out_dir: Path, *, essay: str = "essay.html", pdf: bool = True
) -> list[Path]:
    """Write the record page (and, with ``pdf``, the printed record) from the data
    package in ``data_dir`` into ``out_dir``; return the paths written.

    ``essay`` is the essay's address relative to ``out_dir``: each claim links to its
    row there. Nothing is replaced until every file is made (a bad package leaves the
    earlier record in place).
    """
    folder = output_folder(out_dir)
    record = read_record(data_dir)
    files = {folder / HTML_NAME: record_page(record, essay=essay).encode("utf-8")}
    if pdf:
        files[folder / PDF_NAME] = printed_record(record)
    write_files(files)
    return [out_dir / path.name for path in files]
