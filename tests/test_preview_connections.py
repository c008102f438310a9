"""The preview's server under connections a browser would not make, on a free port:
many idle ones hold only so many threads, a reader gone mid-page is no error, and the
event stream outlives the idle limit."""

from __future__ import annotations

import http.client
import json
import logging
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from ukreport.report.preview.builder import Build
from ukreport.report.preview.page import EVENTS_PATH, PAGE_PATH
from ukreport.report.preview.server import HOST, Hub, PreviewServer

PAGE = b"<!DOCTYPE html>\n<html><head><title>Essay</title></head><body><p>Text.</p></body></html>\n"


def wait_until(check: Callable[[], bool], seconds: float = 30.0) -> None:
    """Wait for ``check`` to hold; fail after ``seconds`` (a hang, not a timing)."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "waited too long"
        time.sleep(0.02)


def get(server: PreviewServer, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection(HOST, server.port, timeout=10)
    connection.request("GET", path, headers={"Host": f"{HOST}:{server.port}"})
    return connection.getresponse()


def connect(server: PreviewServer) -> socket.socket:
    return socket.create_connection((HOST, server.port), timeout=10)


def reset(sock: socket.socket) -> None:
    """Close as a browser killed mid-page does: at once, with a reset."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


@pytest.fixture
def serving() -> Iterator[Callable[..., PreviewServer]]:
    """Start a server with the given limits; every one started is stopped after."""
    started: list[PreviewServer] = []

    def start(**limits: float) -> PreviewServer:
        server = PreviewServer(Hub("reports/essay.qmd"), 0, **limits)  # type: ignore[arg-type]
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def test_idle_connections_hold_only_so_many_threads(serving: Callable[..., PreviewServer]) -> None:
    # Idle far longer than the test: the held ones stay, however slowly the 100 connect.
    server = serving(idle_seconds=600.0, max_connections=4)
    server.hub.publish(Build((), (), page=PAGE))
    threads = threading.active_count()
    idle = [connect(server) for _ in range(100)]
    try:
        wait_until(lambda: server.connections == 4)
        time.sleep(0.2)  # the other 96 are turned away, none gets a thread
        assert threading.active_count() <= threads + 4
        assert server.connections == 4
        # One turned away is told why (or is closed before it reads it).
        said = idle[-1].recv(200)
        assert said.startswith(b"HTTP/1.0 503 Service Unavailable") or said == b"", said
    finally:
        for sock in idle:
            sock.close()


def test_idle_connections_are_closed_after_the_limit(
    serving: Callable[..., PreviewServer],
) -> None:
    server = serving(idle_seconds=1.0, max_connections=4)
    server.hub.publish(Build((), (), page=PAGE))
    threads = threading.active_count()
    idle = [connect(server) for _ in range(4)]
    try:
        # Each is closed once idle for the limit, and a page is served again.
        assert [sock.recv(10) for sock in idle] == [b""] * 4
        wait_until(lambda: server.connections == 0)
        assert get(server, "/").status == 200
        wait_until(lambda: threading.active_count() <= threads + 1)
    finally:
        for sock in idle:
            sock.close()


def test_stopping_closes_idle_connections_at_once(serving: Callable[..., PreviewServer]) -> None:
    server = serving(idle_seconds=600.0, max_connections=4)
    idle = [connect(server) for _ in range(4)]
    wait_until(lambda: server.connections == 4)
    stopping = threading.Thread(target=server.stop)
    stopping.start()
    stopping.join(timeout=30)  # not the ten minutes they may stay idle
    assert not stopping.is_alive()
    assert server.connections == 0
    for sock in idle:
        sock.close()


def test_the_event_stream_outlives_the_idle_limit(serving: Callable[..., PreviewServer]) -> None:
    server = serving(idle_seconds=0.5, max_connections=4)
    response = get(server, EVENTS_PATH)
    assert response.readline() == b"retry: 500\n"
    time.sleep(1.5)  # three times the idle limit, with nothing sent either way
    server.hub.publish(Build((), (("render", 0.5),), page=PAGE))
    while not (line := response.readline()).startswith(b"data: "):
        assert line, "the stream was closed"
    assert json.loads(line[6:])["build"] == 1


@pytest.mark.parametrize("path", ["/", PAGE_PATH])
def test_a_reader_gone_mid_page_is_no_error(
    serving: Callable[..., PreviewServer],
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    path: str,
) -> None:
    server = serving()
    big = PAGE.replace(b"<p>Text.</p>", b"<p>Text.</p>" * 1_000_000)  # 12 MB: it blocks
    server.hub.publish(Build((), (), page=big))
    caplog.set_level(logging.DEBUG, logger="ukreport")
    for _ in range(3):
        sock = connect(server)
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {HOST}:{server.port}\r\n\r\n".encode())
        assert sock.recv(1000).startswith(b"HTTP/1.0 200 OK")
        reset(sock)
        wait_until(lambda: server.connections == 0)
    assert get(server, "/").status == 200  # still serving
    err = capfd.readouterr().err
    assert "Traceback" not in err
    assert "Error" not in err
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert any("went away" in r.getMessage() for r in caplog.records)
