#!/usr/bin/env python3
"""Decrypts an Aegis vault file following Aegis docs/vault.md only (independent of Tessera's
Rust code) and prints its db content as JSON: a password slot (type 1) gives the key
scrypt(password, salt, n, r, p, 32) that unwraps the master key (AES-256-GCM, key || tag); the
master key decrypts base64(db) || header.params.tag.

usage: aegis_decrypt.py <file> <password>
"""
import base64
import hashlib
import json
import sys

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def main() -> int:
    path, password = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as f:
        vault = json.load(f)
    assert vault["version"] == 1, "vault version"
    header = vault["header"]
    master = None
    for slot in header["slots"]:
        if slot["type"] != 1:
            continue
        kek = hashlib.scrypt(
            password.encode("utf-8"),
            salt=bytes.fromhex(slot["salt"]),
            n=slot["n"],
            r=slot["r"],
            p=slot["p"],
            dklen=32,
            maxmem=128 * 1024 * 1024,
        )
        params = slot["key_params"]
        try:
            master = AESGCM(kek).decrypt(
                bytes.fromhex(params["nonce"]),
                bytes.fromhex(slot["key"]) + bytes.fromhex(params["tag"]),
                None,
            )
            break
        except Exception:  # wrong password for this slot
            continue
    if master is None:
        print("no password slot opens with this password", file=sys.stderr)
        return 2
    db = AESGCM(master).decrypt(
        bytes.fromhex(header["params"]["nonce"]),
        base64.b64decode(vault["db"]) + bytes.fromhex(header["params"]["tag"]),
        None,
    )
    json.dump(json.loads(db), sys.stdout, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
