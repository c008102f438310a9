"""The floor a report build cannot beat: one process that does the least of each step.

Imports pandas, pandera and matplotlib, executes one notebook cell on a Jupyter kernel
(IPC transport), and runs pandoc and typst once each on a one-line document. ``make
report`` does all of this and real work besides; ``bench_report.py`` compares the two.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

started = time.perf_counter()

import matplotlib  # noqa: E402
import nbformat  # noqa: E402
import pandas  # noqa: E402
import pandera.pandas  # noqa: E402
import pypandoc  # noqa: E402
import typst  # noqa: E402
from jupyter_client.manager import KernelManager  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

del matplotlib, pandas, pandera


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
        manager = KernelManager(transport="ipc", connection_file=str(folder / "kernel.json"))
        NotebookClient(notebook, km=manager, timeout=60).execute()
        text = pypandoc.convert_text("# Floor\n\nOne line.", "typst", format="markdown")
        (folder / "floor.typ").write_text(text, encoding="utf-8")
        typst.compile(str(folder / "floor.typ"), output=str(folder / "floor.pdf"))
        pypandoc.convert_text(
            "# Floor",
            "html",
            format="markdown",
            extra_args=["--standalone", "--metadata", "title=Floor"],
        )
    print(f"{time.perf_counter() - started:.3f}")


if __name__ == "__main__":
    main()
