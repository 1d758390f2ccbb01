"""The push flows against a real privacyIDEA, driven through the `tessera` CLI.

Run by tests/push/run with the venv's Python:
    flows.py <server-base-url> <proxy-port> <workdir> <tessera-binary>

Between the CLI and the server sits a loopback proxy (in this process) that records every
request and reply and can tamper with poll replies: the enrollment's registration URL points at
it. Every flow checks both sides: the CLI's JSON/exit status and the server's own view
(/validate/polltransaction, /validate/check, /token/). Ends with "N passed, M failed".
"""
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BASE, PROXY_PORT, WORK, TESSERA = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"  ok    {name}")
    else:
        failed += 1
        print(f"  FAIL  {name}  {detail}")


# ---------------------------------------------------------------- the server side (peer/admin.py)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "peer"))
import admin as peer_admin  # noqa: E402

ADMIN = peer_admin.Admin(BASE, WORK)
token_init, token_info, trigger = ADMIN.token_init, ADMIN.token_info, ADMIN.trigger
status, finalize, set_config = ADMIN.status, ADMIN.finalize, ADMIN.set_config


def http(method, path, data=None, headers=None):
    return peer_admin.http(BASE, method, path, data, headers)


# ---------------------------------------------------------------- the recording proxy
class Proxy:
    mode = "pass"          # or "tamper-question"
    log = []               # (method, path, request body bytes, reply json)
    lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def _forward(self, method):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        req = urllib.request.Request(BASE + self.path, data=body, method=method)
        if body is not None:
            req.add_header("Content-Type", self.headers.get("Content-Type", "application/x-www-form-urlencoded"))
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                code, raw, date = r.status, r.read(), r.headers.get("Date")
        except urllib.error.HTTPError as e:
            code, raw, date = e.code, e.read(), e.headers.get("Date")
        try:
            reply = json.loads(raw)
        except ValueError:
            reply = None
        if (Proxy.mode == "tamper-question" and method == "GET" and reply
                and isinstance(reply.get("result", {}).get("value"), list)):
            for ch in reply["result"]["value"]:
                ch["question"] = ch["question"].replace("alice", "mallory")
            raw = json.dumps(reply).encode()
        with Proxy.lock:
            Proxy.log.append((method, self.path, body, reply))
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        if date:
            self.send_header("Date", date)
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self):
        self._forward("GET")

    def do_POST(self):
        self._forward("POST")


def last_logged(method, pred=lambda body, reply: True):
    with Proxy.lock:
        for m, path, body, reply in reversed(Proxy.log):
            if m == method and pred(body, reply):
                return path, body, reply
    return None, None, None


# ---------------------------------------------------------------- the CLI
def cli(user, *args, stdin=None):
    return tessera(user, "push", *args, stdin=stdin)


def vault_path(user):
    return os.path.join(WORK, "phones", user, "vault.db")


def tessera(user, *args, stdin=None):
    # Each user's phone is its own vault; the fast KDF keeps vault creation cheap in tests.
    env = dict(os.environ, TESSERA_VAULT=vault_path(user), TESSERA_PASSWORD="phone-" + user,
               TESSERA_TEST_FAST_KDF="1")
    p = subprocess.run([TESSERA, *args], capture_output=True, text=True, env=env, input=stdin,
                       timeout=120)
    return p.returncode, p.stdout, p.stderr


def cli_json(user, *args, stdin=None):
    rc, out, err = cli(user, *args, stdin=stdin)
    try:
        return rc, json.loads(out) if out.strip() else None, err
    except ValueError:
        return rc, None, err + " | stdout: " + out


def poll(user, *extra):
    rc, reqs, err = cli_json(user, "poll", "--json", *extra)
    return rc, reqs or [], err


def find(reqs, state=None, nonce=None):
    for r in reqs:
        if (state is None or r["state"] == state) and (nonce is None or r["id"] == nonce):
            return r
    return None


def history(user):
    return cli_json(user, "history", "--json")[1] or []


# ---------------------------------------------------------------- flows
def main():
    server = ThreadingHTTPServer(("127.0.0.1", PROXY_PORT), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        flows()
    except Exception:  # a flow that crashes is a failure, and the summary line still comes
        import traceback
        traceback.print_exc()
        check("the flows ran to the end", False, "(crashed; see the traceback above)")
    finally:
        server.shutdown()
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


def flows():
    print("enrollment (two-step rollout, RSA-4096 keys on both sides; three phones in parallel)")
    users = ["alice", "bob", "carol"]
    links = {u: token_init(u) for u in users}
    bad_link = token_init("alice")[1].replace("enrollment_credential=", "enrollment_credential=0")
    results = {}

    def enroll(user, link, key):
        os.makedirs(os.path.dirname(vault_path(user)), exist_ok=True)
        rc, _, err = tessera(user, "init")
        if rc != 0:
            results[key] = (rc, None, "tessera init failed: " + err, 0.0)
            return
        t0 = time.time()
        results[key] = cli_json(user, "enroll", link, "--json") + (time.time() - t0,)

    jobs = [(u, links[u][1], u) for u in users] + [("intruder", bad_link, "bad")]
    threads = [threading.Thread(target=enroll, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for user in users:
        serial = links[user][0]
        rc, out, err, secs = results[user]
        check(f"{user}: tessera push enroll exits 0 ({secs:.1f} s)", rc == 0 and out and out["serial"] == serial, err)
        info = token_info(serial)
        check(f"{user}: server shows {serial} enrolled and active",
              info and info["rollout_state"] == "enrolled" and info["active"], info and info["rollout_state"])
    raw = open(vault_path("alice"), "rb").read()
    check("the device private key is sealed in the vault (no record field names in clear)",
          links["alice"][0].encode() in raw and b"device_key_pkcs8" not in raw)
    env_wrong = dict(os.environ, TESSERA_VAULT=vault_path("alice"), TESSERA_PASSWORD="wrong")
    p = subprocess.run([TESSERA, "push", "poll", "--json"], capture_output=True, text=True, env=env_wrong)
    check("the push commands need the vault password", p.returncode != 0 and "wrong password" in p.stderr,
          p.stderr)
    rc, _, err, _ = results["bad"]
    check("a wrong enrollment credential is refused by the server and the CLI exits non-zero",
          rc != 0 and "enrollment failed" in err, err)

    print("accept")
    tid, _ = trigger("alice")
    rc, reqs, err = poll("alice")
    r = find(reqs, "pending")
    check("poll lists the request as pending with title, question and an expiry",
          rc == 0 and r and r["title"] == "privacyIDEA loopback" and "alice" in r["question"]
          and r["options"] is None and r["expires_at"] - r["received_at"] == 120, f"{rc} {reqs} {err}")
    rc2, reqs2, _ = poll("alice")
    check("a second poll does not duplicate the request (nonce de-dup)",
          rc2 == 0 and len([x for x in reqs2 if x["state"] == "pending"]) == 1, reqs2)
    check("server: challenge pending before the answer", status(tid)[0] == "pending")
    rc, out, err = cli_json("alice", "approve", r["id"], "--json")
    check("approve exits 0, no display code", rc == 0 and out["display_code"] is None, f"{rc} {out} {err}")
    check("server: polltransaction says accept", status(tid) == ("accept", True), status(tid))
    check("server: the login finalizes with ACCEPT", finalize("alice", tid) == "ACCEPT")
    check("poll shows the request approved", (find(poll("alice")[1], nonce=r["id"]) or {}).get("state") == "approved")

    print("replayed answer")
    rc, _, err = cli("alice", "approve", r["id"])
    check("approving again exits non-zero: no longer pending", rc != 0 and "no longer pending" in err, err)
    path, body, reply = last_logged("POST", lambda b, rep: b and b"nonce=" in b and b"decline" not in b)
    replay = http("POST", urllib.parse.urlparse(path).path, dict(urllib.parse.parse_qsl(body.decode())))
    check("server: the captured signed answer, replayed, is refused (value false)",
          replay["result"].get("value") is False, replay)
    check("server: the finalized login cannot be finalized again", finalize("alice", tid) == "REJECT")

    print("deny (not-me, cancel)")
    for reason, server_status in [("not-me", "declined"), ("cancel", "cancelled")]:
        tid, _ = trigger("alice")
        r = find(poll("alice")[1], "pending")
        rc, out, err = cli_json("alice", "deny", r["id"], "--reason", reason, "--json")
        check(f"deny --reason {reason} exits 0, state denied/{reason}",
              rc == 0 and out["state"] == "denied" and out["reason"] == reason, f"{rc} {out} {err}")
        check(f"server: polltransaction says {server_status}", status(tid)[0] == server_status, status(tid))
        check(f"server: the login is rejected", finalize("alice", tid) == "REJECT")
        path, body, _ = last_logged("POST", lambda b, rep: b and b"decline=1" in b)
        want = {"not-me": b"decline_reason=unknown_trigger", "cancel": b"decline_reason=cancelled"}[reason]
        check(f"the signed decline carries {want.decode()}", body and want in body, body)
        rc, _, err = cli("alice", "approve", r["id"])
        check("approving a denied request exits non-zero", rc != 0 and "no longer pending" in err, err)

    print("number matching (require_presence)")
    tid, mc = trigger("bob")
    right = mc.get("presence_answer")
    r = find(poll("bob")[1], "pending")
    ok = r and r["kind"] == "choose_one" and len(r["options"]) == 3 and right in r["options"]
    check("poll shows 3 options including the one the login screen shows", ok, f"{r} {right}")
    if ok:
        wrong = next(o for o in r["options"] if o != right)
        rc, _, err = cli("bob", "approve", r["id"], "--answer", "not-an-option")
        check("an answer outside the options is refused locally", rc != 0 and "not one of the options" in err, err)
        rc, _, err = cli("bob", "approve", r["id"], "--answer", wrong)
        check("the wrong option: exit non-zero, request stays open", rc != 0 and "stays open" in err, err)
        check("server: still pending after the wrong option", status(tid)[0] == "pending", status(tid))
        again = find(poll("bob")[1], nonce=r["id"])
        check("CLI: still pending, the wrong answer remembered",
              again and again["state"] == "pending" and again["rejected_answers"] == [wrong], again)
        rc, out, err = cli_json("bob", "approve", r["id"], "--answer", right, "--json")
        check("the right option approves", rc == 0 and out["request"]["state"] == "approved", f"{rc} {out} {err}")
        check("server: accept, and the login finalizes", status(tid)[0] == "accept" and finalize("bob", tid) == "ACCEPT")

    print("code to phone")
    tid, _ = trigger("carol")
    r = find(poll("carol")[1], "pending")
    rc, out, err = cli_json("carol", "approve", r["id"], "--json")
    code = (out or {}).get("display_code")
    check("approve --json prints a display code", rc == 0 and code and len(code) == 2 and code.isdigit(),
          f"{rc} {out} {err}")
    check("server: the wrong code is rejected",
          finalize("carol", tid, "xx" if code != "xx" else "yy") == "REJECT")
    check("server: the displayed code completes the login", finalize("carol", tid, code) == "ACCEPT")
    check("history records the code", any(h.get("display_code") == code for h in history("carol")))

    print("expiry")
    set_config("PushChallengeValidityTime", "3")
    tid, _ = trigger("alice")
    r = find(poll("alice", "--ttl", "3")[1], "pending")
    check("the request arrives with a 3 s window", r and r["expires_at"] - r["received_at"] == 3, r)
    time.sleep(4.2)
    rc, _, err = cli("alice", "approve", r["id"])
    check("approving after expiry exits non-zero: expired", rc != 0 and "expired" in err, err)
    after = find(poll("alice")[1], nonce=r["id"])
    check("CLI: the request is expired", after and after["state"] == "expired", after)
    check("history records the expiry", any(h["event"] == "expired" and h.get("request_id") == r["id"]
                                            for h in history("alice")))
    check("server: the expired challenge is not answerable; the login is rejected",
          finalize("alice", tid) == "REJECT")
    set_config("PushChallengeValidityTime", None)

    print("tampered signature (the proxy rewrites the question in the poll reply)")
    tid, _ = trigger("alice")
    Proxy.mode = "tamper-question"
    rc, reqs, err = poll("alice")
    Proxy.mode = "pass"
    pending = [x for x in reqs if x["state"] == "pending"]
    check("the altered request is refused with a clear reason",
          not pending and "signature does not verify" in err, f"{reqs} {err}")
    check("history records the refusal", any(h["event"] == "refused" and "signature" in h["reason"]
                                              for h in history("alice")))
    check("server: nothing was answered", status(tid)[0] == "pending")
    r = find(poll("alice")[1], "pending")
    check("the genuine request is accepted on the next poll", r is not None and "mallory" not in r["question"])
    _, _, reply = last_logged("GET", lambda b, rep: rep and rep.get("result", {}).get("value"))
    genuine = reply["result"]["value"][0]
    forged = dict(genuine, question="Sign in as mallory?")
    rc, _, err = cli("alice", "receive", "-", stdin=json.dumps(forged))
    check("receive: a forged push payload is refused", rc != 0 and "signature does not verify" in err, err)
    other = dict(genuine, serial="PIPU99999999")
    rc, _, err = cli("alice", "receive", "-", stdin=json.dumps(other))
    check("receive: an unknown serial is refused", rc != 0 and "no enrolled token" in err, err)
    rc, _, err = cli("bob", "receive", "-", stdin=json.dumps(genuine))
    check("receive: alice's request on bob's phone is refused", rc != 0 and "no enrolled token" in err, err)
    rc, out, err = cli_json("alice", "receive", "-", "--json", stdin=json.dumps(genuine))
    check("receive: the genuine payload is the same pending request (de-dup)",
          rc == 0 and out["id"] == r["id"] and out["state"] == "pending", f"{out} {err}")
    cli("alice", "deny", r["id"], "--reason", "cancel")
    rc, _, err = cli("alice", "receive", "-", stdin=json.dumps(genuine))
    check("receive: the same payload after the answer is refused as a replay", rc != 0 and "replayed" in err, err)
    big = dict(genuine, question="x" * 5000)
    rc, _, err = cli("alice", "receive", "-", stdin=json.dumps(big))
    check("receive: an oversized field is refused", rc != 0 and "too large" in err, err)
    rc, _, err = cli("alice", "receive", "-", stdin="{not json")
    check("receive: a malformed payload is refused", rc != 0 and "malformed" in err, err)
    check("server: cancelled after the cleanup deny", status(tid)[0] == "cancelled")

    print("stale poll timestamp and clock drift")
    tid, _ = trigger("alice")
    rc, _, err = cli("alice", "poll", "--json", "--simulate-clock-skew", "-300", "--no-resync")
    _, _, reply = last_logged("GET")
    check("a poll 300 s in the past is refused, exit non-zero, with the measured offset",
          rc != 0 and "±60 s window" in err and "off by about 30" in err, err)
    check("server: it answered ERR10 'not in valid range'",
          reply and reply["result"].get("error", {}).get("code") == 10
          and "valid range" in reply["result"]["error"]["message"], reply)
    check("history records the refusal", any(h["event"] == "refused" and "window" in h["reason"]
                                              for h in history("alice")))
    rc, reqs, err = poll("alice", "--simulate-clock-skew", "-300")
    check("with resync the client corrects its clock from the reply and the poll succeeds",
          rc == 0 and find(reqs, "pending") is not None, f"{rc} {err}")
    rc, st, _ = cli_json("alice", "status", "--json")
    check("a simulated skew is not saved as the clock offset", rc == 0 and abs(st["clock_offset_seconds"]) <= 2, st)
    r = find(reqs, "pending")
    if r:
        cli("alice", "deny", r["id"], "--reason", "not-me")
    check("server: the request answered after resync is declined", status(tid)[0] == "declined")

    print("history")
    rc, h, err = cli_json("alice", "history", "--json")
    events = [e["event"] for e in h or []]
    check("alice's history has received, approved, denied, refused entries with context and time",
          rc == 0 and all(x in events for x in ["received", "approved", "denied", "refused"])
          and all(isinstance(e["at"], int) for e in h)
          and any(e.get("context", {}).get("title") == "privacyIDEA loopback" for e in h), events)


    print("push-service (FCM) token: at enrollment and the signed new_fb_token update")
    fb = lambda serial: ((token_info(serial) or {}).get("info") or {}).get("firebase_token")
    # The peer is poll-only; the link is edited to poll_only=False so the client treats the server
    # as one that pushes (privacyIDEA stores and updates firebase_token whatever its gateway).
    serial, link = token_init("dave")
    os.makedirs(os.path.dirname(vault_path("dave")), exist_ok=True)
    tessera("dave", "init")
    rc, out, err = cli_json("dave", "enroll", link.replace("poll_only=True", "poll_only=False"),
                            "--fcm-token", "fcm-rollout-token:APA91b", "--json")
    check("enroll --fcm-token exits 0", rc == 0 and out and out["serial"] == serial, err)
    check("server: tokeninfo firebase_token is the token sent at enrollment",
          fb(serial) == "fcm-rollout-token:APA91b", fb(serial))
    check("server: alice's poll-only enrollment holds no_firebase_token",
          fb(links["alice"][0]) == "no_firebase_token", fb(links["alice"][0]))
    rc, out, err = cli("dave", "fcm-token", "fcm-new-token_2:APA91b", "--json")
    rows = [json.loads(x) for x in out.splitlines() if x.strip()]
    check("fcm-token exits 0 and reports the token updated",
          rc == 0 and rows == [{"serial": serial, "outcome": "updated", "reason": None}], f"{rc} {out} {err}")
    check("server: firebase_token is the new token", fb(serial) == "fcm-new-token_2:APA91b", fb(serial))
    rc, st, _ = cli_json("dave", "status", "--json")
    check("status shows the token as not poll-only with a push-service token",
          rc == 0 and st["tokens"][0]["poll_only"] is False and st["tokens"][0]["push_service_token_set"], st)
    rc, out, err = cli("dave", "fcm-token", "fcm-stale", "--simulate-clock-skew", "-400", "--json")
    rows = [json.loads(x) for x in out.splitlines() if x.strip()]
    check("an update 400 s in the past (outside ±5 min) exits non-zero, one-line error, token failed",
          rc != 0 and len(rows) == 1 and rows[0]["outcome"] == "failed" and "valid range" in err
          and len(err.strip().splitlines()) == 1 and "fcm-stale" not in err, f"{rc} {out} {err}")
    check("server: the stale update left firebase_token unchanged", fb(serial) == "fcm-new-token_2:APA91b",
          fb(serial))
    check("history records the failed update", any(h["event"] == "failed" and "push-service token" in h["reason"]
                                                   for h in history("dave")), history("dave")[-1:])
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())
    forged = http("POST", "/ttype/push", {"new_fb_token": "fcm-forged", "serial": serial, "timestamp": stamp,
                                          "signature": "A" * 824})
    check("server: an update with a forged signature is refused (ERR10)",
          forged.get("result", {}).get("status") is False
          and forged["result"].get("error", {}).get("code") == 10, forged)
    check("server: firebase_token unchanged after the forgery", fb(serial) == "fcm-new-token_2:APA91b", fb(serial))
    rc, out, err = cli("alice", "fcm-token", "fcm-for-alice", "--json")
    rows = [json.loads(x) for x in out.splitlines() if x.strip()]
    check("alice (poll-only enrollment): the update is skipped and nothing is sent",
          rc == 0 and rows and all(r["outcome"] == "skipped_poll_only" for r in rows)
          and fb(links["alice"][0]) == "no_firebase_token", f"{rc} {out} {err}")
    rc, _, err = cli("dave", "fcm-token", "has space")
    check("an unusable token is refused locally with a one-line error",
          rc != 0 and "push-service token" in err and len(err.strip().splitlines()) == 1, err)


if __name__ == "__main__":
    main()
