"""Execute a document's Python cells and inline expressions in a Jupyter kernel.

Runs exactly as Quarto's Jupyter engine does (nbclient driving ipykernel), with the
kernel on IPC sockets in a private temporary folder rather than on TCP ports, using the
same interpreter as the caller so that it sees the same packages.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import signal
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from ukreport import paths
from ukreport._io import temporary_folder
from ukreport.errors import RenderError
from ukreport.report.render.document import Cell, Document, InlineExpr

__all__ = ["SETUP", "CellError", "Executed", "execute"]

logger = logging.getLogger(__name__)

Output = dict[str, Any]

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_CELL_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")

# Hidden first cell: PNG figures at print resolution, and the inline-value helper.
SETUP = """\
%config InlineBackend.figure_formats = ["png"]
%config InlineBackend.print_figure_kwargs = {"bbox_inches": "tight", "dpi": 200}
from ukreport.report.render.escape import inline_value as __ukreport_inline_value
"""


class CellError(RenderError):
    """A cell raised; ``ename``/``evalue`` name the exception, ``traceback`` is its text."""

    def __init__(
        self,
        path: Path,
        line: int | None,
        message: str,
        *,
        ename: str,
        evalue: str,
        traceback: str,
    ) -> None:
        super().__init__(path, line, message)
        self.ename = ename
        self.evalue = evalue
        self.traceback = traceback


@dataclass(frozen=True)
class Executed:
    """Outputs of every cell (same order as ``Document.cells``) and every inline value."""

    cells: list[list[Output]]
    inline: list[str]


class _CurrentPythonSpecs(KernelSpecManager):
    """Always answer with an ipykernel on ``sys.executable``, whatever is installed."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        return KernelSpec(
            argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            display_name=f"Python {sys.version_info.major}.{sys.version_info.minor} (ukreport)",
            language="python",
            resource_dir="",
        )


def _kernel_env(ipython_dir: Path | None = None) -> dict[str, str]:
    """The caller's environment, plus this package on PYTHONPATH for the helpers.

    With ``ipython_dir``, the kernel gets that fresh IPython folder instead of the
    user's ``~/.ipython``, whose startup files and ``ipython_kernel_config.py`` would
    run in the kernel and could change the report.
    """
    env = dict(os.environ)
    if ipython_dir is not None:
        env["IPYTHONDIR"] = str(ipython_dir)
    package_root = str(paths.SOURCE_ROOT)
    parts = [package_root, *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(parts))
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    env.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    return env


_SOCKET_PATH_MAX = 107
"""The longest path a Unix socket may have (``sun_path`` is 108 bytes on Linux)."""


def _socket_dir() -> str:
    """Where the kernel's private folder of IPC sockets goes: the temporary folder,
    unless its path is so long (pytest's per-test folders are) that the sockets' paths
    would not fit in a Unix socket address; then ``/tmp``."""
    base = tempfile.gettempdir()
    longest = Path(base, "ukreport-kernel-4194304-xxxxxxxx", "kernel-ipc-99")
    if len(os.fsencode(longest)) > _SOCKET_PATH_MAX and Path("/tmp").is_dir():
        return "/tmp"
    return base


def _code_cell(source: str) -> Any:
    """A notebook code cell (nbformat is untyped)."""
    return nbformat.v4.new_code_cell(source)  # type: ignore[no-untyped-call]


def _inline_code(expr: InlineExpr) -> str:
    return f"__ukreport_inline_value((\n{expr.expr}\n))"


def _statement_line(traceback: str, first_code_line: int) -> int | None:
    """Map IPython's "Cell In[n], line k" to a line of the source document."""
    match = _CELL_LINE.search(traceback)
    return first_code_line + int(match.group(1)) - 1 if match else None


def _cell_failed(doc: Document, exc: CellExecutionError, where: Cell | InlineExpr) -> CellError:
    traceback = _ANSI.sub("", exc.traceback)
    if isinstance(where, Cell):
        statement = _statement_line(traceback, where.code_line)
        at = f" (line {statement})" if statement is not None else ""
        what = f"the cell starting at line {where.line} failed{at}"
    else:
        what = f"the inline expression `{{python}} {where.expr}` failed"
    message = f"{what}: {exc.ename}: {exc.evalue}"
    return CellError(
        doc.path, where.line, message, ename=exc.ename, evalue=exc.evalue, traceback=traceback
    )


def execute(doc: Document, *, timeout: int = 120) -> Executed:
    """Run ``doc``'s cells, then its inline expressions, in a fresh kernel.

    The kernel's working directory is the document's folder. The first failure stops
    the run with :class:`CellError` naming the source line.
    """
    if not doc.cells and not doc.inline:
        return Executed([], [])
    sources: list[Cell | InlineExpr | None] = [None]
    nb_cells = [_code_cell(SETUP)]
    for cell in doc.cells:
        sources.append(cell)
        code = cell.code if cell.flag("eval", True) else ""
        nb_cells.append(_code_cell(code))
    for expr in doc.inline:
        sources.append(expr)
        nb_cells.append(_code_cell(_inline_code(expr)))
    nb = nbformat.v4.new_notebook(cells=nb_cells)  # type: ignore[no-untyped-call]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python", "language": "python"}

    cwd = doc.path.resolve().parent
    with temporary_folder("ukreport-kernel-", _socket_dir()) as tmp:
        km = AsyncKernelManager(
            kernel_name="python3",
            transport="ipc",
            connection_file=str(Path(tmp) / "kernel.json"),
            kernel_spec_manager=_CurrentPythonSpecs(),
        )
        client = NotebookClient(
            nb,
            km=km,
            timeout=timeout,
            allow_errors=False,
            record_timing=False,
            resources={"metadata": {"path": str(cwd)}},
        )
        logger.info("executing %d cells of %s", len(doc.cells), doc.path)
        try:
            with client.setup_kernel(env=_kernel_env(Path(tmp) / "ipython"), cleanup_kc=True):
                try:
                    for index, (nb_cell, source) in enumerate(zip(nb.cells, sources, strict=True)):
                        _run_one(doc, client, nb_cell, index, source=source, timeout=timeout)
                except KeyboardInterrupt:
                    # A kernel in the middle of a cell cannot shut down politely (it
                    # answers on closed sockets and prints a traceback): stop it at once.
                    client.shutdown_kernel = "immediate"
                    raise
        except KeyboardInterrupt:
            _kill(km)  # Ctrl-C while the kernel was starting: nbclient has not stopped it
            raise
        except DeadKernelError as exc:
            raise RenderError(doc.path, None, f"the Python kernel died: {exc}") from exc
        except RuntimeError as exc:
            if isinstance(exc, RenderError):
                raise
            raise RenderError(
                doc.path, None, f"could not run the Python kernel ({exc}); is ipykernel installed?"
            ) from exc

    pairs = list(zip(nb.cells, sources, strict=True))
    cell_outputs = [list(c.outputs) for c, s in pairs if isinstance(s, Cell)]
    inline = [_inline_text(doc, c.outputs, s) for c, s in pairs if isinstance(s, InlineExpr)]
    return Executed(cell_outputs, inline)


def _kill(km: AsyncKernelManager) -> None:
    """Stop the kernel of ``km`` and its process group, whatever state it was left in."""
    process = getattr(km.provisioner, "process", None)
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(OSError):
        os.killpg(process.pid, signal.SIGKILL)  # the kernel leads its own session
    process.wait()


def _run_one(
    doc: Document,
    client: NotebookClient,
    nb_cell: Any,
    index: int,
    *,
    source: Cell | InlineExpr | None,
    timeout: int,
) -> None:
    try:
        client.execute_cell(nb_cell, index)
    except CellTimeoutError as exc:
        line = source.line if source is not None else None
        raise RenderError(
            doc.path, line, f"cell did not finish within {timeout} s; raise the timeout"
        ) from exc
    except CellExecutionError as exc:
        if source is None:
            message = f"kernel setup failed: {exc.ename}: {exc.evalue}"
            raise RenderError(doc.path, None, message) from exc
        raise _cell_failed(doc, exc, source) from exc


def _inline_text(doc: Document, outputs: list[Output], expr: InlineExpr) -> str:
    """The Markdown of an inline value, from the helper's display output."""
    texts = [
        str(o["data"]["text/markdown"])
        for o in outputs
        if o.get("output_type") == "display_data" and "text/markdown" in o.get("data", {})
    ]
    if len(texts) != 1:
        raise RenderError(doc.path, expr.line, f"inline expression `{expr.expr}` gave no value")
    return texts[0]
