"""The review app's HTTP server: stdlib ``http.server`` on 127.0.0.1, a JSON API over a ``ReviewSession``."""
from __future__ import annotations

import json
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Tuple
from urllib.parse import parse_qs, urlsplit

from ..errors import Messages, TerreurError
from .session import ReviewSession

STATIC_DIR = Path(__file__).resolve().parent.parent / "static" / "review"
HOST = "127.0.0.1"
STATIC_FILES = {"index.html": "text/html", "app.js": "text/javascript", "app.css": "text/css"}
CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'"
MAX_BODY = 8 * 1024 * 1024


class ReviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, session: ReviewSession, address: Tuple[str, int]) -> None:
        self.session = session
        super().__init__(address, ReviewHandler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"


class ReviewHandler(BaseHTTPRequestHandler):
    """The app's JSON API and its three static files; nothing else is served."""

    server: ReviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        pass  # the terminal shows the one-line summary, not every request

    def _host_ok(self) -> bool:
        # Another site could point its own host name at 127.0.0.1 (DNS rebinding)
        # and call the API from the reviewer's browser; only our names are served.
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        return host in ("127.0.0.1", "localhost", "[::1]")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(body)

    def _json(self, data: Any, status: int = HTTPStatus.OK) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json")

    def _error(self, status: int, message: str) -> None:
        self._json({"error": message}, status)

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        if not self._host_ok():
            return self._error(HTTPStatus.FORBIDDEN, "only localhost may use the review app")
        url = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(url.query).items()}
        session = self.server.session
        if url.path in ("/", "/index.html"):
            return self._static("index.html")
        if url.path.startswith("/static/"):
            return self._static(url.path[len("/static/"):])
        if url.path == "/api/config":
            return self._json(session.app_config())
        if url.path == "/api/doc":
            try:
                index = int(query.get("index", ""))
                session._check_index(index)
            except ValueError as err:
                return self._error(HTTPStatus.NOT_FOUND, str(err))
            return self._json(session.doc_payload(index))
        if url.path == "/api/next":
            try:
                after = int(query.get("after", "-1"))
            except ValueError:
                return self._error(HTTPStatus.BAD_REQUEST, "after must be a document index")
            return self._json({"next": session.next_unreviewed(after), "progress": session.progress()})
        if url.path == "/api/kb":
            return self._json({"results": session.search(query.get("q", ""), label=query.get("label"))})
        return self._error(HTTPStatus.NOT_FOUND, f"no such page: {url.path}")

    def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
        if not self._host_ok():
            return self._error(HTTPStatus.FORBIDDEN, "only localhost may use the review app")
        # A JSON content type cannot be sent cross-site without a CORS preflight,
        # which this server never answers.
        if (self.headers.get("Content-Type") or "").split(";")[0].strip() != "application/json":
            return self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send JSON (Content-Type: application/json)")
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "request too large")
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except json.JSONDecodeError as err:
            return self._error(HTTPStatus.BAD_REQUEST, f"not valid JSON: {err.msg}")
        session = self.server.session
        path = urlsplit(self.path).path
        try:
            if path == "/api/decide":
                if not isinstance(body, dict) or not isinstance(body.get("spans"), list):
                    raise ValueError("send {\"index\": n, \"spans\": [...], \"answer\": ...}")
                payload = session.decide(body.get("index"), body["spans"], answer=body.get("answer"), action=body.get("action", "edit"))  # type: ignore[arg-type]
                return self._json(payload)
            if path == "/api/undo":
                undone = session.undo()
                return self._json({"undone": undone is not None, "doc": undone, "progress": session.progress()})
        except ValueError as err:
            return self._error(HTTPStatus.BAD_REQUEST, str(err))
        except OSError as err:
            return self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"could not write {session.output_path}: {err}")
        return self._error(HTTPStatus.NOT_FOUND, f"no such endpoint: {path}")

    def _static(self, name: str) -> None:
        if name not in STATIC_FILES:
            return self._error(HTTPStatus.NOT_FOUND, f"no such file: {name}")
        self._send(HTTPStatus.OK, (STATIC_DIR / name).read_bytes(), STATIC_FILES[name])


def make_review_server(session: ReviewSession, *, port: int = 8080) -> ReviewServer:
    """The review app's server on 127.0.0.1 (call ``serve_forever()``; port 0 picks a free one).

    RETURNS (ReviewServer): the server; ``.url`` is its address. Raises TerreurError when the port is taken.
    """
    try:
        return ReviewServer(session, (HOST, port))
    except OSError as err:
        raise TerreurError(Messages.E113.format(host=HOST, port=port, detail=err.strerror or err))
