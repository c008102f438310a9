"""A kernel started ahead of its document (while the build makes the data and the
figures) runs the cells exactly as a fresh one does, and stops without a trace when
it is not needed or the build is interrupted."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from ukreport.report.render.document import parse_text
from ukreport.report.render.execute import CellError, Kernel, execute

DOC = """\
---
title: T
---

```{python}
import sys
x = 20 + 1
x
```

```{python}
print("printed", x * 2)
sorted(name for name in ("ukreport.report.essay", "pandas") if name in sys.modules)
```

Inline: `{python} x + 1`.
"""


def kernels() -> set[int]:
    """The ipykernel processes this test process started."""
    me = psutil.Process()
    return {
        child.pid
        for child in me.children(recursive=True)
        if "ipykernel_launcher" in " ".join(child.cmdline())
    }


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir()]


@pytest.fixture
def temporary(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A temporary folder of this test's own (short enough for the kernel's sockets)."""
    folder = Path(tempfile.mkdtemp(prefix="uk", dir="/tmp"))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_kernel_started_ahead_gives_what_a_fresh_one_gives(
    tmp_path: Path, temporary: Path
) -> None:
    doc = parse_text(DOC, tmp_path / "doc.qmd")
    fresh = execute(doc)
    kernel = Kernel(tmp_path)
    ahead = kernel.run(doc)  # as soon as the last cell is done
    kernel.close()  # and the kernel shut down
    # The warm-up imported the essay's modules, and that is all it changed: the
    # outputs, execution counts included, are the same but for what was imported.
    counts = [o.get("execution_count") for cell in ahead.cells for o in cell]
    assert counts == [o.get("execution_count") for cell in fresh.cells for o in cell]
    assert ahead.cells[0] == fresh.cells[0]
    assert ahead.cells[1][0] == fresh.cells[1][0]  # the printed line
    assert ahead.inline == fresh.inline == ["22"]
    assert "'ukreport.report.essay'" in str(ahead.cells[1][1]["data"]["text/plain"])
    assert not kernels()
    assert not leftovers(temporary)


def test_a_kernel_not_needed_is_stopped(tmp_path: Path, temporary: Path) -> None:
    kernel = Kernel(tmp_path)
    kernel.close()
    assert not kernels()
    assert not leftovers(temporary)


def test_a_failing_cell_is_reported_at_its_line(tmp_path: Path, temporary: Path) -> None:
    doc = parse_text(DOC.replace("x = 20 + 1", "x = 1 / 0"), tmp_path / "doc.qmd")
    with pytest.raises(CellError, match=r"doc\.qmd:5: .*ZeroDivisionError"):
        Kernel(tmp_path).run(doc)
    assert not kernels()
    assert not leftovers(temporary)
