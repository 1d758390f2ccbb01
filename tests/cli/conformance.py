#!/usr/bin/env python3
"""Drives the `tessera` CLI against independent implementations.

Usage: conformance.py PATH/TO/tessera

Checks, on random inputs from a seeded generator (TESSERA_CLI_SEED to change it):
  - `tessera code` against pyotp (TOTP, HOTP, Steam) and Debian's oathtool (TOTP, HOTP);
    secrets 1-64 bytes, SHA1/256/512, 6-10 digits, periods 1 s to 2^31 s, times up to 2^64-1
    (far past 2038), HOTP counters up to 2^64-1, secrets written with lower case, padding and spaces;
  - `tessera uri inspect --json` against the values the URI was built from, and against
    Google Authenticator migration payloads encoded here by a small protobuf writer;
  - bad input: non-zero exit, nothing on stdout, exactly one line on stderr, no panic, no secret;
  - `--help` on every command and subcommand.
Ends with "N passed, M failed"; exits 1 if anything failed.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import json
import os
import random
import re
import shutil
import subprocess
import sys
import urllib.parse

import pyotp
from pyotp.contrib import Steam

BIN = sys.argv[1]
OATHTOOL = shutil.which("oathtool")
SEED = int(os.environ.get("TESSERA_CLI_SEED", "20261128"))
rng = random.Random(SEED)

ALGS = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}
PYOTP_MAX_TIME = 253402300799  # pyotp's datetime path stops at year 9999

results: dict[str, list[int]] = {}
failures: list[str] = []


# pyotp refuses secrets under 112 bits (a NIST policy, not part of the algorithm); the corpus and
# real apps have shorter ones, so the reference accepts any length.
class AnyTOTP(pyotp.TOTP):
    min_secret_length_bits = 0


class AnyHOTP(pyotp.HOTP):
    min_secret_length_bits = 0


class AnySteam(Steam):
    min_secret_length_bits = 0


def record(group: str, ok: bool, detail: str) -> None:
    results.setdefault(group, [0, 0])[0 if ok else 1] += 1
    if not ok:
        failures.append(f"[{group}] {detail}")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=30)


def b32(data: bytes) -> str:
    return base64.b32encode(data).decode().rstrip("=")


def messy_secret(data: bytes) -> str:
    """The secret as real exporters write it: sometimes lower case, padded, or grouped."""
    text = base64.b32encode(data).decode()
    if rng.random() < 0.5:
        text = text.rstrip("=")
    if rng.random() < 0.25:
        text = text.lower()
    if rng.random() < 0.15:
        text = " ".join(text[i : i + 4] for i in range(0, len(text), 4))
    return text


LABEL_CHARS = "abcXYZ019 .-_@+&=?/#%é漢"


def random_text(max_len: int = 10) -> str:
    text = "".join(rng.choice(LABEL_CHARS) for _ in range(rng.randint(0, max_len)))
    return text.lstrip(" ")


def quote(text: str) -> str:
    return urllib.parse.quote(text, safe="@")


def build_uri(kind: str, issuer: str, name: str, secret: str, params: dict) -> str:
    label = (quote(issuer) + ":" if issuer else "") + quote(name)
    query = [("secret", quote(secret))]
    if issuer:
        query.append(("issuer", quote(issuer)))
    query += [(k, quote(str(v))) for k, v in params.items()]
    rng.shuffle(query)
    return f"otpauth://{kind}/{label}?" + "&".join(f"{k}={v}" for k, v in query)


def random_time() -> int:
    return rng.choice(
        [
            lambda: rng.randint(0, 2**31 - 1),
            lambda: rng.randint(2**31, 2**35),  # 2038 .. ~3058
            lambda: rng.randint(2**35, 2**63),
            lambda: rng.randint(2**63, 2**64 - 1),
        ]
    )()


def random_period() -> int:
    return rng.choice([30, 30, 60, rng.randint(1, 300), rng.randint(1, 2**31)])


def pyotp_totp(data: bytes, alg: str, digits: int, period: int, t: int) -> str:
    otp = AnyTOTP(b32(data), digits=digits, digest=ALGS[alg])
    # pyotp 2.12 refuses intervals over 120 s in its constructor (NIST policy); the algorithm is
    # the same for any period, so set it afterwards.
    otp.interval = period
    if t <= PYOTP_MAX_TIME:
        return otp.at(t)  # pyotp's own time-step computation
    return otp.generate_otp(t // period)  # beyond pyotp's datetime range


def check_code(group: str, uri: str, t: int | None, want: str) -> None:
    args = ["code", uri] + (["--at", str(t)] if t is not None else [])
    p = run(*args)
    got = p.stdout.strip()
    ok = p.returncode == 0 and got == want and p.stdout == want + "\n" and p.stderr == ""
    record(group, ok, f"{uri} --at {t}: want {want!r}, got {got!r} rc={p.returncode} stderr={p.stderr.strip()!r}")


def totp_vs_pyotp(n: int) -> None:
    for _ in range(n):
        data = rng.randbytes(rng.randint(1, 64))
        alg, digits, period, t = rng.choice(list(ALGS)), rng.randint(6, 10), random_period(), random_time()
        params = {"algorithm": alg if rng.random() < 0.8 else alg.lower(), "digits": digits, "period": period}
        uri = build_uri(rng.choice(["totp", "TOTP"]), random_text(), random_text(), messy_secret(data), params)
        check_code("totp vs pyotp", uri, t, pyotp_totp(data, alg, digits, period, t))


def hotp_vs_pyotp(n: int) -> None:
    for _ in range(n):
        data = rng.randbytes(rng.randint(1, 64))
        alg, digits = rng.choice(list(ALGS)), rng.randint(6, 10)
        counter = rng.choice([rng.randint(0, 1000), rng.randint(0, 2**64 - 1)])
        uri = build_uri("hotp", random_text(), random_text(), messy_secret(data),
                        {"algorithm": alg, "digits": digits, "counter": counter})
        want = AnyHOTP(b32(data), digits=digits, digest=ALGS[alg]).at(counter)
        # HOTP ignores --at: the code is the one at the URI's counter.
        check_code("hotp vs pyotp", uri, rng.choice([None, random_time()]), want)


def steam_vs_pyotp(n: int) -> None:
    for _ in range(n):
        data = rng.randbytes(rng.randint(5, 40))
        t = rng.randint(0, PYOTP_MAX_TIME)
        secret = b32(data)
        uri = rng.choice(
            [
                f"steam://{secret}",
                build_uri("steam", "Steam", random_text(), messy_secret(data), {}),
                build_uri("totp", random_text(), random_text(), messy_secret(data),
                          {"encoder": "steam", "digits": 5}),
            ]
        )
        check_code("steam vs pyotp", uri, t, AnySteam(secret).at(t))


def vs_oathtool(n: int) -> None:
    if not OATHTOOL:
        record("oathtool", False, "oathtool is not installed; these checks were NOT run")
        return
    for i in range(n):
        data = rng.randbytes(rng.randint(1, 64))
        digits = rng.randint(6, 8)  # oathtool supports 6, 7 and 8
        padded = base64.b32encode(data).decode()
        if i % 3 == 0:  # oathtool's HOTP is SHA1 only
            counter = rng.randint(0, 2**63 - 1)
            uri = build_uri("hotp", random_text(), random_text(), messy_secret(data),
                            {"digits": digits, "counter": counter})
            ref = subprocess.run([OATHTOOL, "-b", "-d", str(digits), "-c", str(counter), padded],
                                 capture_output=True, text=True)
            t = None
        else:
            alg, period = rng.choice(list(ALGS)), rng.choice([30, 60, rng.randint(1, 3600)])
            t = rng.randint(0, 2**35)  # oathtool parses dates up to about year 3000 reliably
            uri = build_uri("totp", random_text(), random_text(), messy_secret(data),
                            {"algorithm": alg, "digits": digits, "period": period})
            ref = subprocess.run([OATHTOOL, f"--totp={alg.lower()}", "-b", "-d", str(digits),
                                  "-s", str(period), "-N", f"@{t}", padded],
                                 capture_output=True, text=True)
        if ref.returncode != 0:
            record("oathtool", False, f"oathtool failed on {uri}: {ref.stderr.strip()}")
            continue
        check_code("code vs oathtool", uri, t, ref.stdout.strip())


def inspect_json(n: int) -> None:
    for _ in range(n):
        data = rng.randbytes(rng.randint(1, 64))
        issuer, name = random_text(), random_text()
        kind = rng.choice(["totp", "hotp", "steam"])
        if kind == "totp":
            alg, digits, period = rng.choice(list(ALGS)), rng.randint(4, 10), random_period()
            params = {"algorithm": alg, "digits": digits, "period": period}
            want_extra = {"period": period}
        elif kind == "hotp":
            alg, digits, counter = rng.choice(list(ALGS)), rng.randint(4, 10), rng.randint(0, 2**64 - 1)
            params = {"algorithm": alg, "digits": digits, "counter": counter}
            want_extra = {"counter": counter}
        else:
            alg, digits, params, want_extra = "SHA1", 5, {}, {"period": 30}
        uri = build_uri(kind, issuer, name, messy_secret(data), params)
        want = {"type": kind, "issuer": issuer, "name": name, "secret": b32(data),
                "algorithm": alg, "digits": digits, **want_extra}
        p = run("uri", "inspect", uri, "--json")
        try:
            got = json.loads(p.stdout)
        except json.JSONDecodeError:
            got = None
        record("uri inspect --json", p.returncode == 0 and got == want,
               f"{uri}: want {want}, got {p.stdout.strip()!r} stderr={p.stderr.strip()!r}")


# --- Google Authenticator migration payloads, written by a minimal protobuf encoder ---

def varint(v: int) -> bytes:
    v &= (1 << 64) - 1  # negative int32/int64 as two's complement, like protobuf
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v:
            return bytes(out)


def field_varint(tag: int, v: int) -> bytes:
    return varint(tag << 3) + varint(v) if v else b""


def field_bytes(tag: int, data: bytes) -> bytes:
    return varint(tag << 3 | 2) + varint(len(data)) + data if data else b""


def migration_inspect(n: int) -> None:
    alg_code = {"SHA1": 1, "SHA256": 2, "SHA512": 3}
    for _ in range(n):
        accounts, body, want = rng.randint(1, 6), b"", []
        for _ in range(accounts):
            data = rng.randbytes(rng.randint(1, 40))
            issuer, name = random_text().replace(":", ""), random_text().replace(":", "")
            alg, digits, hotp = rng.choice(list(ALGS)), rng.choice([6, 8]), rng.random() < 0.3
            counter = rng.randint(0, 2**63 - 1) if hotp else 0
            stored_name = f"{issuer}:{name}" if issuer and rng.random() < 0.5 else name
            msg = (field_bytes(1, data) + field_bytes(2, stored_name.encode()) + field_bytes(3, issuer.encode())
                   + field_varint(4, alg_code[alg]) + field_varint(5, 1 if digits == 6 else 2)
                   + field_varint(6, 1 if hotp else 2) + field_varint(7, counter))
            body += field_bytes(1, msg)
            entry = {"type": "hotp" if hotp else "totp", "issuer": issuer, "name": name, "secret": b32(data),
                     "algorithm": alg, "digits": digits}
            entry.update({"counter": counter} if hotp else {"period": 30})
            want.append(entry)
        body += field_varint(2, 1) + field_varint(3, 1) + field_varint(5, rng.randint(-(2**31), 2**31 - 1))
        uri = "otpauth-migration://offline?data=" + urllib.parse.quote(base64.b64encode(body).decode(), safe="")
        p = run("uri", "inspect", uri, "--json")
        try:
            got = json.loads(p.stdout)
        except json.JSONDecodeError:
            got = None
        record("migration inspect --json", p.returncode == 0 and got == want,
               f"{uri}: want {want}, got {p.stdout.strip()!r} stderr={p.stderr.strip()!r}")


# --- bad input ---

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
BAD = [
    ["code", f"otpauth://totp/A:b?secret={SECRET[:-1]}1"],  # not Base32
    ["code", f"otpauth://totp/A:b?secret={SECRET}A"],  # impossible length
    ["code", "otpauth://totp/A:b?issuer=A"],  # no secret
    ["code", "otpauth://totp/A:b?secret="],
    ["code", f"otpauth://hotp/A:b?secret={SECRET}"],  # hotp without counter
    ["code", f"otpauth://hotp/A:b?secret={SECRET}&counter=-1"],
    ["code", f"otpauth://hotp/A:b?secret={SECRET}&counter=18446744073709551616"],
    ["code", f"otpauth://totp/A:b?secret={SECRET}&digits=11"],
    ["code", f"otpauth://totp/A:b?secret={SECRET}&digits=3"],
    ["code", f"otpauth://totp/A:b?secret={SECRET}&digits=six"],
    ["code", f"otpauth://totp/A:b?secret={SECRET}&period=0"],
    ["code", f"otpauth://totp/A:b?secret={SECRET}&period=99999999999"],
    ["code", f"otpauth://totp/A:b?secret={SECRET}&algorithm=MD5"],
    ["code", f"otpauth://totp/A:b?secret={SECRET}&algorithm={SECRET}"],
    ["code", f"otpauth://xotp/A:b?secret={SECRET}"],
    ["code", f"otpauth:///A:b?secret={SECRET}"],
    ["code", f"otpauth://totp/a:b:c?secret={SECRET}"],
    ["code", f"otpauth://totp/A:b?secret={SECRET}&secret={SECRET}"],
    ["code", f"otpauth://totp/A%ZZ:b?secret={SECRET}"],
    ["code", f"https://example.com/?secret={SECRET}"],
    ["code", SECRET],
    ["code", ""],
    ["code", f"otpauth://totp/A:b?secret={SECRET}", "--at", "-1"],
    ["code", f"otpauth://totp/A:b?secret={SECRET}", "--at", "tomorrow"],
    ["code", f"otpauth://totp/A:b?secret={SECRET}", "--at", "18446744073709551616"],
    ["code", "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC"],
    ["code", "otpauth://totp/" + "x" * 100000 + f"?secret={SECRET}&digits=12"],
    ["uri", "inspect", f"otpauth://totp/A:b?secret={SECRET}1", "--json"],
    ["uri", "inspect", f"otpauth://hotp/A:b?secret={SECRET}"],
    ["uri", "inspect", "otpauth-migration://offline?data=invaliddata", "--json"],
    ["uri", "inspect", "otpauth-migration://offline?data=rSQ04U9PcneFhvjOxzmevg%3D%3D", "--json"],
    ["uri", "inspect", "otpauth-migration://offline?datafail=CjEK", "--json"],
    ["uri", "inspect", "otpauth-migration://offline?data=%%%", "--json"],
    ["uri", "inspect", "not a uri at all"],
]


def bad_input() -> None:
    for args in BAD:
        p = run(*args)
        lines = p.stderr.splitlines()
        ok = (
            p.returncode not in (0, None)
            and p.stdout == ""
            and len(lines) == 1
            and lines[0].startswith("tessera: error: ")
            and "panicked" not in p.stderr
            and SECRET not in p.stderr
            and SECRET[:16] not in p.stderr
        )
        shown = [a[:120] for a in args]
        record("bad input", ok, f"{shown}: rc={p.returncode} stdout={p.stdout[:80]!r} stderr={p.stderr[:300]!r}")


def help_everywhere() -> None:
    def subcommands(help_text: str) -> list[str]:
        block = re.search(r"^Commands:\n((?:  .*\n?)+)", help_text, re.M)
        if not block:
            return []
        names = [line.split()[0] for line in block.group(1).splitlines() if line.strip()]
        return [n for n in names if n != "help"]

    todo, seen = [[]], 0
    while todo:
        path = todo.pop()
        p = run(*path, "--help")
        record("--help", p.returncode == 0 and "Usage:" in p.stdout,
               f"tessera {' '.join(path)} --help: rc={p.returncode} {p.stderr.strip()!r}")
        seen += 1
        todo += [path + [c] for c in subcommands(p.stdout)]
    record("--help", seen >= 4, f"only {seen} commands found")


def main() -> int:
    print(f"tessera CLI conformance: binary {BIN}, seed {SEED}, pyotp {importlib.metadata.version('pyotp')}, "
          f"oathtool {OATHTOOL or 'MISSING'}")
    totp_vs_pyotp(300)
    hotp_vs_pyotp(100)
    steam_vs_pyotp(60)
    vs_oathtool(150)
    inspect_json(100)
    migration_inspect(30)
    bad_input()
    help_everywhere()
    for f in failures[:40]:
        print("FAIL", f)
    if len(failures) > 40:
        print(f"... and {len(failures) - 40} more failures")
    for group, (ok, bad) in results.items():
        print(f"  {group:28} {ok:4} passed, {bad} failed")
    passed = sum(ok for ok, _ in results.values())
    failed = sum(bad for _, bad in results.values())
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
