"""The preview's web server: the page, the last good build, and a stream of build events.

The standard library's threading HTTP server is enough for one reader's browser. It
listens on 127.0.0.1 only and answers only requests addressed to that address or to
``localhost`` (a page elsewhere that points a host name at 127.0.0.1 gets nothing).
Each open page holds one Server-Sent Events connection, on which it is told of every
finished build; closing the server ends those connections and releases the port.

A thread serves each connection, but only so many at once: beyond that a connection is
answered 503 and closed, and one that sends nothing, or reads nothing of what it is
sent, is closed after a while, so idle connections cannot pile up threads. A reader
who closes the page while it is sent is no error.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import secrets
import socket
import socketserver
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from ukreport.errors import UkreportError
from ukreport.report.preview.builder import Build
from ukreport.report.preview.page import EVENTS_PATH, PAGE_PATH, inject, placeholder

__all__ = ["HOST", "Hub", "PreviewServer"]

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"
"""The only address the preview listens on: it is for the person at this machine."""
_KEEPALIVE = 15.0
"""Seconds between comments on an idle event stream, which notice a closed page."""
IDLE_SECONDS = 10.0
"""How long a connection may send nothing (before its request) or read nothing (of
what it is sent) before it is closed."""
MAX_CONNECTIONS = 32
"""Connections served at once, event streams included (one an open page): a reader's
tabs are far fewer; more are refused until one ends."""
_STOP_SECONDS = 5.0
"""How long stopping waits for the connections' threads to end once they are closed."""
_BUSY = (
    b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"Retry-After: 1\r\nConnection: close\r\n\r\n"
    b"The preview is serving as many connections as it takes; close a tab and reload.\n"
)
_GONE = (ConnectionError, TimeoutError)
"""What writing to a connection raises once the reader has closed it or stopped reading."""


class Hub:
    """The latest build and the last good page, shared by the builder and the server's
    threads; event streams wait here for the next build."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.session = secrets.token_hex(8)
        self._changed = threading.Condition()
        self._number = 0
        self._latest: Build | None = None
        self._page: bytes | None = None
        self._page_number = 0
        self._closed = False

    def publish(self, build: Build) -> int:
        """Make ``build`` the latest and wake every event stream; return its number."""
        with self._changed:
            self._number += 1
            self._latest = build
            if build.page is not None:
                self._page, self._page_number = build.page, self._number
            self._changed.notify_all()
            return self._number

    def close(self) -> None:
        """End every event stream."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def event(self) -> dict[str, Any] | None:
        """The latest build as the page's script reads it; ``None`` before the first."""
        with self._changed:
            if self._latest is None:
                return None
            return {
                "session": self.session,
                "build": self._number,
                "page": self._page_number,
                "error": self._latest.error,
                "detail": self._latest.detail,
            }

    def wait(self, after: int, timeout: float) -> int | None:
        """Wait until a build newer than ``after`` is published; return its number, or
        ``None`` when ``timeout`` passes first or the hub is closed."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._number > after, timeout)
            if self._closed or self._number <= after:
                return None
            return self._number

    @property
    def closed(self) -> bool:
        return self._closed

    def served_page(self) -> bytes:
        """The page for a browser: the last good one with the script (and the overlay
        if the latest build failed), or a placeholder that says what is happening."""
        with self._changed:
            error = self._latest.error if self._latest is not None else None
            detail = self._latest.detail if self._latest is not None else None
            page, number = self._page, self._page_number
        if page is None:
            page = placeholder(self.source, error)
        return inject(page, session=self.session, number=number, error=error, detail=detail)

    def built_page(self) -> tuple[bytes, int] | None:
        """The last good page as built, and the number of its build."""
        with self._changed:
            return None if self._page is None else (self._page, self._page_number)


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.idle_seconds)

    def handle(self) -> None:
        try:
            super().handle()
        except _GONE as error:  # the page was closed, or stopped reading, mid-response
            logger.debug("%s went away: %s", self.address_string(), error)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s " + format, self.address_string(), *args)

    def _send(self, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.headers.get("Host", "") not in self.server.hosts:
            self.send_error(HTTPStatus.FORBIDDEN, "the preview answers only at " + self.server.url)
            return
        path = urlsplit(self.path).path
        hub = self.server.hub
        if path in {"/", "/index.html"}:
            self._send(hub.served_page(), "text/html; charset=utf-8")
        elif path == PAGE_PATH:
            built = hub.built_page()
            if built is None:
                self.send_error(HTTPStatus.NOT_FOUND, "no page has been built yet")
                return
            page, number = built
            self._send(page, "text/html; charset=utf-8", {"X-Preview-Page": str(number)})
        elif path == EVENTS_PATH:
            self._events()
        elif path == "/favicon.ico":
            self.send_response(HTTPStatus.NO_CONTENT)
            self.end_headers()
        else:
            self.send_error(HTTPStatus.NOT_FOUND)

    def _events(self) -> None:
        """Send the latest build now and each new one as it is published, until the page
        or the server closes."""
        hub = self.server.hub
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        try:
            self.wfile.write(b"retry: 500\n\n")
            seen = 0
            event = hub.event()
            while not hub.closed:
                if event is not None:
                    seen = event["build"]
                    self.wfile.write(f"event: build\ndata: {json.dumps(event)}\n\n".encode())
                else:
                    self.wfile.write(b": waiting\n\n")
                self.wfile.flush()
                event = hub.event() if hub.wait(seen, _KEEPALIVE) is not None else None
        except _GONE:
            logger.debug("an event stream closed")


class PreviewServer(ThreadingHTTPServer):
    """The HTTP server on 127.0.0.1:``port`` (0: a free port), serving from ``hub``."""

    daemon_threads = True
    request_queue_size = MAX_CONNECTIONS  # a page's burst of requests waits to be accepted

    def __init__(
        self,
        hub: Hub,
        port: int,
        *,
        idle_seconds: float = IDLE_SECONDS,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        self.hub = hub
        self.idle_seconds = idle_seconds
        self._slots = threading.BoundedSemaphore(max_connections)
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Condition()
        try:
            super().__init__((HOST, port), _Handler)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise UkreportError(
                    f"port {port} on {HOST} is in use: choose another with --port N "
                    "(--port 0 picks a free one)"
                ) from error
            raise
        self.port: int = self.server_address[1]
        self.url = f"http://{HOST}:{self.port}/"
        self.hosts = {f"{HOST}:{self.port}", f"localhost:{self.port}"}
        self._thread: threading.Thread | None = None

    def server_bind(self) -> None:
        # HTTPServer's own looks up the host's name, which can stall; it is known here.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = HOST, self.server_address[1]

    @property
    def connections(self) -> int:
        """The connections being served now (each on a thread of its own)."""
        with self._open_lock:
            return len(self._open)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve ``request`` on a thread of its own if fewer than the most are served,
        else answer 503 and close it at once."""
        if not self._slots.acquire(blocking=False):
            logger.debug("refused %s: serving as many connections as it takes", client_address)
            with contextlib.suppress(OSError):
                request.setblocking(False)  # the accepting thread never waits on a reader
                request.send(_BUSY)
            self.shutdown_request(request)
            return
        with self._open_lock:
            self._open.add(request)
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._done(request)
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._done(request)

    def _done(self, request: socket.socket) -> None:
        with self._open_lock:
            self._open.discard(request)
            self._open_lock.notify_all()
        self._slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A reader gone is no error; anything else is logged (never printed)."""
        error = sys.exc_info()[1]
        if isinstance(error, _GONE):
            logger.debug("%s went away: %s", client_address, error)
        else:
            logger.error("the preview server failed on a request", exc_info=True)

    def start(self) -> None:
        """Serve from a background thread."""
        self._thread = threading.Thread(target=self.serve_forever, name="preview-server")
        self._thread.daemon = True
        self._thread.start()

    def stop(self) -> None:
        """End the event streams and the open connections, stop serving and release the
        port."""
        self.hub.close()
        if self._thread is not None:
            self.shutdown()
            self._thread.join()
        with self._open_lock:
            still = list(self._open)
        for request in still:  # an idle connection would hold its thread until it times out
            with contextlib.suppress(OSError):
                request.shutdown(socket.SHUT_RDWR)
        with self._open_lock:  # their threads see the end at once; wait for them to finish
            self._open_lock.wait_for(lambda: not self._open, timeout=_STOP_SECONDS)
        self.server_close()
