#!/usr/bin/env python3
"""A reverse proxy on loopback that adds a fixed delay to every request: a registry some milliseconds away.

    delay-proxy.py LISTEN_PORT UPSTREAM_PORT DELAY_MS

One thread per connection, HTTP/1.1 keep-alive, bodies buffered (the latency case moves manifests, not layers).
"""
import http.client, sys, time
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
listen, upstream, delay = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]) / 1000
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def handle_one(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else None
        time.sleep(delay)
        c = http.client.HTTPConnection("127.0.0.1", upstream)
        # Headers one by one: clients send several Accept headers, which a dict would fold into the last.
        c.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
        for k, v in self.headers.items():
            c.putheader(k, v)
        c.endheaders(body)
        r = c.getresponse(); data = r.read()
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ("transfer-encoding", "connection", "content-length"): self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)) if self.command != "HEAD" else r.getheader("Content-Length", "0"))
        self.end_headers()
        if self.command != "HEAD": self.wfile.write(data)
        c.close()
    do_GET = do_HEAD = do_PUT = do_POST = do_PATCH = do_DELETE = handle_one
ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", listen), H).serve_forever()
