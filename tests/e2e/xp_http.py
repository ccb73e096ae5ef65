"""Small HTTP helpers shared by cross_project.py and bad_input.py (standard library only).

call() sends one request with http.client (no redirects followed, the path sent exactly as
given, so %ff or ../ reach the server untouched) and never raises: a transport failure is
a status string starting with "ERR". Every request has a timeout.
"""
import http.client
import json
import urllib.parse


class Resp:
    def __init__(self, status, body=b"", headers=None):
        self.status = status
        self.body = body
        self.headers = headers  # http.client.HTTPMessage (case-insensitive get) or None
        self.json = None
        if body:
            try:
                self.json = json.loads(body)
            except ValueError:
                pass

    def header(self, name):
        return self.headers.get(name) if self.headers is not None else None

    @property
    def ok(self):
        return isinstance(self.status, int) and 200 <= self.status < 300

    def text(self, limit=300):
        t = self.body.decode("utf-8", "replace")
        return t if len(t) <= limit else t[:limit] + "..."


def call(method, url, token=None, body=None, raw=None, ctype="application/json",
         headers=None, timeout=30):
    u = urllib.parse.urlsplit(url)
    path = u.path or "/"
    if u.query:
        path += "?" + u.query
    h = {}
    if token:
        h["X-Auth-Token"] = token
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = ctype
    elif raw is not None:
        data = raw
        h["Content-Type"] = ctype
    h.update(headers or {})
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        return Resp(r.status, r.read(), r.msg)
    except Exception as e:  # noqa: BLE001 - a transport failure is a result, not a crash
        return Resp("ERR %s: %s" % (type(e).__name__, e))
    finally:
        conn.close()
