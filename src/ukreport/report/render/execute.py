"""Execute a document's Python cells and inline expressions in a Jupyter kernel.

Runs exactly as Quarto's Jupyter engine does (nbclient driving ipykernel), with the
kernel on IPC sockets in a private temporary folder rather than on TCP ports, using the
same interpreter as the caller so that it sees the same packages.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import re
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ukreport._io import temporary_folder
from ukreport.errors import RenderError
from ukreport.report.render import kernelspec
from ukreport.report.render.document import Cell, Document, InlineExpr
from ukreport.report.render.kernelspec import current_python_specs, kernel_env, socket_dir

if TYPE_CHECKING:  # Jupyter is imported when a kernel runs: frozen outputs need none
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

__all__ = ["SETUP", "WARM_UP", "CellError", "Executed", "Kernel", "execute"]

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


def _code_cell(source: str) -> Any:
    """A notebook code cell (nbformat is untyped)."""
    import nbformat

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


def _notebook(doc: Document) -> tuple[Any, list[Cell | InlineExpr | None]]:
    """The notebook that runs ``doc``: the setup cell, its cells, its inline values; and
    where in ``doc`` each notebook cell comes from (``None`` for the setup cell)."""
    import nbformat

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
    return nb, sources


def _kernel_failed(path: Path, exc: BaseException) -> RenderError:
    """The error for a kernel that would not start or died, naming the document."""
    from nbclient.exceptions import DeadKernelError

    if isinstance(exc, RenderError):
        return exc
    if isinstance(exc, DeadKernelError):
        return RenderError(path, None, f"the Python kernel died: {exc}")
    return RenderError(
        path, None, f"could not run the Python kernel ({exc}); is ipykernel installed?"
    )


def _session(
    cwd: Path,
    next_doc: Callable[[], tuple[Document, int] | None],
    *,
    warm_up: str | None = None,
    started: Callable[[AsyncKernelManager], None] | None = None,
    finished: Callable[[Executed], None] | None = None,
    data_dir: Path | None = None,
    figures_dir: Path | None = None,
) -> Executed | None:
    """Start a kernel in ``cwd``, run ``warm_up`` in it (imports, say), then run the
    document ``next_doc()`` gives with its cell timeout; ``None`` from it stops the
    kernel unused. ``started(km)`` hands the kernel's manager to a caller that may have
    to kill it; ``finished(executed)`` hands over the outputs as soon as the last cell
    is done, before the kernel is shut down (which takes a few tenths of a second)."""
    import nbformat
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, DeadKernelError

    with temporary_folder("ukreport-kernel-", socket_dir()) as tmp:
        km = AsyncKernelManager(
            kernel_name="python3",
            transport="ipc",
            connection_file=str(Path(tmp) / "kernel.json"),
            kernel_spec_manager=current_python_specs(),
        )
        if started is not None:
            started(km)
        client = NotebookClient(
            nbformat.v4.new_notebook(),  # type: ignore[no-untyped-call]
            km=km,
            timeout=120,
            allow_errors=False,
            record_timing=False,
            resources={"metadata": {"path": str(cwd)}},
        )
        job: tuple[Document, int] | None = None
        try:
            with client.setup_kernel(
                env=kernel_env(Path(tmp) / "ipython", data_dir, figures_dir), cleanup_kc=True
            ):
                try:
                    if warm_up:
                        warm = _code_cell(warm_up)
                        client.nb = nbformat.v4.new_notebook(cells=[warm])  # type: ignore[no-untyped-call]
                        with contextlib.suppress(CellExecutionError):  # the cells will say
                            client.execute_cell(warm, 0, store_history=False)
                    job = next_doc()
                    if job is None:
                        return None
                    doc, timeout = job
                    nb, sources = _notebook(doc)
                    client.nb = nb
                    client.timeout = timeout
                    logger.info("executing %d cells of %s", len(doc.cells), doc.path)
                    for index, (nb_cell, source) in enumerate(zip(nb.cells, sources, strict=True)):
                        _run_one(doc, client, nb_cell, index, source=source, timeout=timeout)
                    executed = _collected(doc, nb, sources)
                    if finished is not None:
                        finished(executed)
                except KeyboardInterrupt:
                    # A kernel in the middle of a cell cannot shut down politely (it
                    # answers on closed sockets and prints a traceback): stop it at once.
                    client.shutdown_kernel = "immediate"
                    raise
        except KeyboardInterrupt:
            _kill(km)  # Ctrl-C while the kernel was starting: nbclient has not stopped it
            raise
        except (DeadKernelError, RuntimeError) as exc:
            if job is None:  # it failed before the document came: wait for it, to name it
                job = next_doc()
                if job is None:
                    return None
            raise _kernel_failed(job[0].path, exc) from exc
    return executed


def _collected(doc: Document, nb: Any, sources: list[Cell | InlineExpr | None]) -> Executed:
    """The outputs of the notebook's cells that come from ``doc``, in its order."""
    pairs = list(zip(nb.cells, sources, strict=True))
    cell_outputs = [list(c.outputs) for c, s in pairs if isinstance(s, Cell)]
    inline = [_inline_text(doc, c.outputs, s) for c, s in pairs if isinstance(s, InlineExpr)]
    return Executed(cell_outputs, inline)


def execute(
    doc: Document,
    *,
    timeout: int = 120,
    kernel: Kernel | None = None,
    data_dir: Path | None = None,
    figures_dir: Path | None = None,
) -> Executed:
    """Run ``doc``'s cells, then its inline expressions, in a fresh kernel whose cells
    read the data in ``data_dir`` and show the figures in ``figures_dir`` (or in
    ``kernel``, started ahead of time for them).

    The kernel's working directory is the document's folder. The first failure stops
    the run with :class:`CellError` naming the source line.
    """
    if not doc.cells and not doc.inline:
        if kernel is not None:
            kernel.close()
        return Executed([], [])
    if kernel is not None:
        return kernel.run(doc, timeout=timeout)
    executed = _session(
        doc.path.resolve().parent,
        lambda: (doc, timeout),
        data_dir=data_dir,
        figures_dir=figures_dir,
    )
    assert executed is not None
    return executed


WARM_UP = "import pandas, pyarrow.parquet, ukreport.report.essay\n"
"""What a kernel started ahead imports while it waits: the libraries every essay's
cells import. Importing a module earlier changes nothing it does, and the cells run
as in a fresh kernel: the warm-up is not in the history and counts no execution."""


class Kernel:
    """A kernel started before its document is ready, on a thread of its own.

    The build starts it while the data and figures are being made, so that the
    kernel's start and the cells' imports overlap that work instead of following it.
    :meth:`run` gives it the document and returns when its last cell is done; the
    kernel then shuts down on its thread while the build goes on. :meth:`close` waits
    for that, or stops the kernel unused (the cells' outputs were frozen); whoever
    starts a kernel closes it. Ctrl-C during :meth:`run` kills it. Its cells read the
    data package in ``data_dir`` (by default the packaged data) and show the figures in
    ``figures_dir``.
    """

    def __init__(
        self,
        cwd: Path,
        *,
        warm_up: str = WARM_UP,
        data_dir: Path | None = None,
        figures_dir: Path | None = None,
    ) -> None:
        self._data_dir = data_dir
        self._figures_dir = figures_dir
        self._jobs: queue.Queue[tuple[Document, int] | None] = queue.Queue(maxsize=1)
        self._done: Future[Executed | None] = Future()
        self._km: AsyncKernelManager | None = None
        self._thread = threading.Thread(
            target=self._serve, args=(cwd.resolve(), warm_up), name="ukreport-kernel", daemon=True
        )
        self._thread.start()

    def _serve(self, cwd: Path, warm_up: str) -> None:
        from jupyter_core.utils import ensure_event_loop

        try:
            result = _session(
                cwd,
                self._jobs.get,
                warm_up=warm_up,
                started=self._started,
                finished=self._finished,
                data_dir=self._data_dir,
                figures_dir=self._figures_dir,
            )
        except BaseException as exc:  # handed to the caller of run()
            if self._done.done():  # the outputs were handed over; the shutdown failed
                logger.warning("the essay's kernel did not shut down cleanly: %s", exc)
                if self._km is not None:
                    _kill(self._km)  # it must not outlive the build
            else:
                self._done.set_exception(exc)
        else:
            if not self._done.done():
                self._done.set_result(result)
        finally:
            ensure_event_loop().close()  # the loop nbclient ran on, this thread's own

    def _started(self, km: AsyncKernelManager) -> None:
        self._km = km

    def _finished(self, executed: Executed) -> None:
        self._done.set_result(executed)

    def run(self, doc: Document, *, timeout: int = 120) -> Executed:
        """``doc``'s outputs, run on this kernel (once: the kernel then shuts down)."""
        self._jobs.put((doc, timeout))
        try:
            executed = self._done.result()
        finally:
            if not self._done.done() and self._km is not None:
                _kill(self._km)  # interrupted: the kernel must not outlive the build
                self._thread.join(timeout=10)
        assert executed is not None
        return executed

    def close(self) -> None:
        """Stop the kernel without running anything, or, after :meth:`run`, wait until
        it has shut down."""
        with contextlib.suppress(queue.Full):
            self._jobs.put_nowait(None)
        try:
            with kernelspec.quiet_shutdown():
                self._thread.join()
        except KeyboardInterrupt:  # Ctrl-C while it shuts down: stop it at once
            if self._km is not None:
                _kill(self._km)
            raise


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
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

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
