"""The web benchmark's load generators, against a small local HTTP server: they count
requests, count statuses of 400 and more as errors, send each target's cookie, reconnect when
the server closes connections."""

import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from demo.loadgen import Target, percentile, python_run, wrk_run, wrk_script

COOKIE = "sessionid=abc; csrftoken=def"


class Handler(BaseHTTPRequestHandler):
    """HTTP/1.0: the connection closes after every answer. /ok needs the cookie."""

    def do_GET(self) -> None:
        if self.path == "/ok" and self.headers.get("Cookie") == COOKIE:
            status = 200
        elif self.path == "/ok":
            status = 403
        else:
            status = 500
        body = b"x"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_python_generator_counts_requests_and_errors(server):
    targets = [Target("/ok", COOKIE), Target("/fail", COOKIE)]
    result = python_run(base_url=server, targets=targets, clients=2, duration=60, max_requests=20)
    assert result.requests == 20
    assert result.errors == 10
    assert 0 < result.p50_ms <= result.p95_ms


def test_python_generator_sends_each_targets_cookie(server):
    result = python_run(
        base_url=server,
        targets=[Target("/ok", "sessionid=other")],
        clients=1,
        duration=60,
        max_requests=3,
    )
    assert (result.requests, result.errors) == (3, 3)  # 403 without the right session


def test_percentile_is_nearest_rank():
    assert percentile(list(range(1, 101)), 95) == 95
    assert percentile([5.0], 50) == 5.0
    assert percentile([], 50) == 0.0


def test_wrk_script_refuses_targets_it_could_not_quote():
    assert '{"/ok", "sessionid=abc; csrftoken=def"}' in wrk_script([Target("/ok", COOKIE)])
    with pytest.raises(ValueError):
        wrk_script([Target("/città")])


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk non installato")
def test_wrk_counts_errors_and_sends_cookies(server):
    good = wrk_run(base_url=server, targets=[Target("/ok", COOKIE)], clients=2, duration=1)
    assert good.requests > 0
    assert good.errors == 0
    mixed = wrk_run(
        base_url=server, targets=[Target("/ok", COOKIE), Target("/fail")], clients=2, duration=1
    )
    assert 0 < mixed.errors < mixed.requests
