"""The server side of a push flow against the throw-away privacyIDEA that peer/server starts:
the admin (enroll a push token for a user → its otpauth://pipush link), the login client (trigger
a challenge with /validate/check, finalize it) and the server's view (/validate/polltransaction,
/token/). Imported by tests/push/flows.py; also usable from other languages' test suites through
a small loopback JSON endpoint:

    admin.py serve <server-base-url> <workdir> <port>

Every endpoint is a GET answering JSON (users are those peer/server creates: alice, bob (number
matching), carol (code to phone), dave; each one's PIN is "<user>pin"):
    /enroll?user=U                      -> {"serial", "link"}       (a new push token, clientwait)
    /token?serial=S                     -> {"rollout_state", "active", "firebase_token"}
    /delete?serial=S                    -> {"deleted"}                (removes a token at the server)
    /trigger?user=U                     -> {"transaction_id", "presence_answer"}
    /status?transaction_id=T            -> {"status", "value"}      (pending/accept/declined/…)
    /finalize?user=U&transaction_id=T[&pass=P] -> {"authentication"} (ACCEPT/REJECT)
    /ready                              -> {"ready": true}
    /redirect                           -> 302 to /ready (for checking a transport follows none)
A bad request answers 400 {"error": …}. The endpoint binds 127.0.0.1 only and holds the admin
password of a server that lives for one test run.
"""
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REALM = "testrealm"


def http(base, method, path, data=None, headers=None):
    """One JSON request to privacyIDEA; an HTTP error status still returns the JSON body."""
    url = base + path
    body = None
    if data is not None and method == "GET":
        url += "?" + urllib.parse.urlencode(data)
    elif data is not None:
        body = urllib.parse.urlencode(data).encode()
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read())
    except urllib.error.HTTPError as e:
        return json.loads(e.read())


class Admin:
    """The admin and login-client side of one privacyIDEA started by peer/server in `workdir`."""

    def __init__(self, base, workdir):
        self.base = base
        self.workdir = workdir
        self._jwt = None

    def http(self, method, path, data=None, headers=None):
        return http(self.base, method, path, data, headers)

    def headers(self):
        if self._jwt is None:
            with open(os.path.join(self.workdir, "data", "admin.pw")) as f:
                pw = f.read().strip()
            self._jwt = self.http("POST", "/auth", {"username": "admin", "password": pw})["result"]["value"]["token"]
        return {"Authorization": self._jwt}

    def token_init(self, user):
        """A new push token for `user` (PIN "<user>pin"): (serial, otpauth://pipush link)."""
        r = self.http("POST", "/token/init", {"type": "push", "genkey": "1", "user": user, "realm": REALM,
                                              "pin": user + "pin"}, self.headers())
        return r["detail"]["serial"], r["detail"]["pushurl"]["value"]

    def token_info(self, serial):
        r = self.http("GET", "/token/", {"serial": serial}, self.headers())
        toks = r["result"]["value"]["tokens"]
        return toks[0] if toks else None

    def trigger(self, user):
        """The login client: PIN → push challenge. Returns (transaction_id, multi_challenge[0])."""
        r = self.http("POST", "/validate/check", {"user": user, "realm": REALM, "pass": user + "pin"})
        d = r.get("detail", {})
        mc = (d.get("multi_challenge") or [{}])[0]
        return d.get("transaction_id"), mc

    def status(self, tid):
        """The server's view of a challenge: (challenge_status, value)."""
        r = self.http("GET", "/validate/polltransaction", {"transaction_id": tid})
        return r.get("detail", {}).get("challenge_status"), r["result"].get("value")

    def finalize(self, user, tid, password=""):
        """The login client completes the sign-in: "ACCEPT" or "REJECT"."""
        r = self.http("POST", "/validate/check", {"user": user, "realm": REALM, "pass": password,
                                                  "transaction_id": tid})
        return r["result"].get("authentication")

    def set_config(self, key, value):
        """Sets (or, with None, deletes) a system config entry."""
        if value is None:
            return self.http("DELETE", "/system/" + key, None, self.headers())
        body = json.dumps({key: value}).encode()
        h = dict(self.headers(), **{"Content-Type": "application/json"})
        req = urllib.request.Request(self.base + "/system/setConfig", data=body, method="POST", headers=h)
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read())


def serve(base, workdir, port):
    admin = Admin(base, workdir)

    def need(q, name):
        v = q.get(name)
        if not v:
            raise ValueError(f"missing parameter {name}")
        return v

    routes = {
        "/ready": lambda q: {"ready": True},
        "/enroll": lambda q: dict(zip(("serial", "link"), admin.token_init(need(q, "user")))),
        "/token": lambda q: (lambda t: {"rollout_state": t.get("rollout_state"), "active": t.get("active"),
                                        "firebase_token": (t.get("info") or {}).get("firebase_token")})(
            admin.token_info(need(q, "serial")) or {}),
        "/delete": lambda q: {"deleted": admin.http("DELETE", "/token/" + urllib.parse.quote(need(q, "serial")),
                                                    None, admin.headers())["result"]["value"]},
        "/trigger": lambda q: (lambda t: {"transaction_id": t[0],
                                          "presence_answer": t[1].get("presence_answer")})(
            admin.trigger(need(q, "user"))),
        "/status": lambda q: dict(zip(("status", "value"), admin.status(need(q, "transaction_id")))),
        "/finalize": lambda q: {"authentication": admin.finalize(need(q, "user"), need(q, "transaction_id"),
                                                                 q.get("pass", ""))},
    }

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            url = urllib.parse.urlparse(self.path)
            if url.path == "/redirect":
                self.send_response(302)
                self.send_header("Location", "/ready")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            q = dict(urllib.parse.parse_qsl(url.query))
            code, route = 200, routes.get(url.path)
            try:
                if route is None:
                    code, reply = 404, {"error": f"no endpoint {url.path}"}
                else:
                    reply = route(q)
            except Exception as e:  # a failing admin call is the test's failure, reported to it
                code, reply = 400, {"error": f"{type(e).__name__}: {e}"}
            raw = json.dumps(reply).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    if len(sys.argv) != 5 or sys.argv[1] != "serve":
        sys.exit("usage: admin.py serve <server-base-url> <workdir> <port>")
    serve(sys.argv[2], sys.argv[3], int(sys.argv[4]))
