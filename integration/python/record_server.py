#!/usr/bin/env python3
"""A tiny HTTP server that records every request it receives and answers `200 {}`.

    record_server.py OUT.jsonl [--port N]

Listens on 127.0.0.1 only (port 0, the default, picks a free one) and prints
`LISTENING <port>` on its first stdout line once it accepts connections. Each request is
appended to OUT.jsonl as one JSON object per line, written and flushed *before* the response
is sent, so a client that has its response can read its request from the file:

    {"method": "POST", "raw_path": "/v2/apis/a%20b", "query": "x=1&y=2",
     "headers": [["Host", "127.0.0.1:1234"], ...], "body": "...", "body_base64": null}

`body` is the body decoded as UTF-8 (`body_base64` holds it when it is not UTF-8).

A request to `/__mark__/<label>` is not answered with `{}` but recorded as `{"mark": "<label>"}`
(204, no body): the test drivers send one before each case so the log can be split per case
even when a case sends no request or several.

The server runs until it is killed (SIGTERM/SIGINT) or its stdin reaches end of file (so it
dies with the process that started it when that one passes a pipe as stdin).
"""

import base64
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MARK_PREFIX = "/__mark__/"


class Recorder:
    def __init__(self, path):
        self.lock = threading.Lock()
        self.file = open(path, "a", encoding="utf-8")

    def write(self, obj):
        line = json.dumps(obj, ensure_ascii=False)
        with self.lock:
            self.file.write(line + "\n")
            self.file.flush()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as both clients pool connections
    server_version = "record-server/1"

    def log_message(self, format, *args):  # noqa: A002 - quiet: the log file is the record
        pass

    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size_line = self.rfile.readline().strip()
                size = int(size_line.split(b";")[0], 16)
                if size == 0:
                    # trailers up to the blank line
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()  # CRLF after each chunk
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self):
        body = self._read_body()
        raw_path, _, query = self.path.partition("?")
        if raw_path.startswith(MARK_PREFIX):
            self.server.recorder.write({"mark": raw_path[len(MARK_PREFIX):]})
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        try:
            text, b64 = body.decode("utf-8"), None
        except UnicodeDecodeError:
            text, b64 = None, base64.b64encode(body).decode("ascii")
        self.server.recorder.write(
            {
                "method": self.command,
                "raw_path": raw_path,
                "query": query,
                "headers": [[k, v] for k, v in self.headers.items()],
                "body": text,
                "body_base64": b64,
            }
        )
        payload = b"{}"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle


def main():
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        sys.exit("usage: record_server.py OUT.jsonl [--port N]")
    out, port = args[0], 0
    if len(args) == 3 and args[1] == "--port":
        port = int(args[2])
    elif len(args) != 1:
        sys.exit("usage: record_server.py OUT.jsonl [--port N]")

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    server.recorder = Recorder(out)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"LISTENING {server.server_address[1]}", flush=True)
    try:
        # Block until the parent closes our stdin (or kills us).
        while sys.stdin.buffer.read(4096):
            pass
    except KeyboardInterrupt:
        pass
    server.shutdown()


if __name__ == "__main__":
    main()
