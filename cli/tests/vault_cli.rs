//! The `tessera` vault commands as processes: the CLI contract and the faults of issue 3 (wrong
//! password, damaged files, SIGKILL during writes, concurrent writers, secrets in trace logs).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;

/// RFC 6238's SHA-1 test secret ("12345678901234567890") in Base32.
const RFC_B32: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const PASSWORD: &str = "pharmacist-pass-4821";

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn vault(&self) -> PathBuf {
        self.dir.path().join("vault.db")
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_tessera"));
        c.args(args)
            .env("TESSERA_VAULT", self.vault())
            .env("TESSERA_PASSWORD", PASSWORD)
            .env("TESSERA_TEST_FAST_KDF", "1")
            .env("XDG_DATA_HOME", self.dir.path().join("xdg"))
            .env_remove("TESSERA_LOG")
            .env_remove("TESSERA_NEW_PASSWORD")
            .stdin(Stdio::null());
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert!(
            o.status.success(),
            "tessera {args:?} failed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> Vec<Value> {
        serde_json::from_str::<Value>(&self.ok(args))
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    }

    fn files(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(self.dir.path()).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                out.extend(std::fs::read(p).unwrap());
            }
        }
        out
    }
}

fn uri(n: usize) -> (String, String) {
    // A distinct 20-byte secret per n, in Base32.
    let secret = format!("tessera-kill-{n:07}");
    let b32 = base32(secret.as_bytes());
    (
        format!("otpauth://totp/Loop:user{n}?secret={b32}&issuer=Loop"),
        b32,
    )
}

fn base32(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buf, mut bits) = (0u32, 0);
    for &b in bytes {
        buf = (buf << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            out.push(A[((buf >> (bits - 5)) & 31) as usize] as char);
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(A[((buf << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn sha(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

#[test]
fn contract_flow() {
    let env = Env::new();
    let out = env.ok(&["init"]);
    assert!(out.contains("Recovery key"), "{out}");
    let totp = env.ok(&[
        "add",
        &format!("otpauth://totp/ACME:bob?secret={RFC_B32}&issuer=ACME"),
    ]);
    let totp = totp.trim().to_owned();
    assert_eq!(totp.len(), 36, "a UUID: {totp}");
    let hotp = env.ok(&[
        "add",
        &format!("otpauth://hotp/Bank:me?secret={RFC_B32}&counter=0&digits=6"),
    ]);
    let hotp = hotp.trim().to_owned();

    let list = env.json(&["list", "--json"]);
    assert_eq!(list.len(), 2);
    let t = &list[0];
    assert_eq!(t["id"], totp.as_str());
    assert_eq!(t["type"], "totp");
    assert_eq!(t["issuer"], "ACME");
    assert_eq!(t["name"], "bob");
    assert_eq!(t["algorithm"], "SHA1");
    assert_eq!(t["digits"], 6);
    assert_eq!(t["period"], 30);
    assert!(t.get("counter").is_none() && t.get("secret").is_none());
    assert_eq!(list[1]["type"], "hotp");
    assert_eq!(list[1]["counter"], 0);
    assert!(list[1].get("period").is_none());

    let codes = env.json(&["codes", "--json", "--at", "59"]);
    assert_eq!(codes[0]["id"], totp.as_str());
    assert_eq!(codes[0]["code"], "287082");
    assert_eq!(codes[0]["seconds_remaining"], 1);
    assert_eq!(codes[0]["issuer"], "ACME");
    assert_eq!(codes[0]["name"], "bob");
    let keys: Vec<&String> = codes[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["code", "id", "issuer", "name", "seconds_remaining"]);

    // HOTP: RFC 4226 codes for counters 0 and 1; a unique prefix is accepted.
    assert_eq!(env.ok(&["next", &hotp]).trim(), "755224");
    assert_eq!(env.ok(&["next", &hotp[..8]]).trim(), "287082");
    assert_eq!(env.json(&["list", "--json"])[1]["counter"], 2);

    env.ok(&["rename", &totp, "NHS:jane@nhs.net"]);
    let list = env.json(&["list", "--json"]);
    assert_eq!(
        (list[0]["issuer"].as_str(), list[0]["name"].as_str()),
        (Some("NHS"), Some("jane@nhs.net"))
    );

    // Duplicate add fails clearly and adds nothing.
    let o = env.run(&["add", &format!("otpauth://totp/Again:x?secret={RFC_B32}")]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("already in the vault"));

    let o = env
        .cmd(&["passwd"])
        .env("TESSERA_NEW_PASSWORD", "new-pass")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        !env.run(&["list"]).status.success(),
        "old password no longer works"
    );
    let o = env
        .cmd(&["remove", &totp])
        .env("TESSERA_PASSWORD", "new-pass")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = env
        .cmd(&["list", "--json"])
        .env("TESSERA_PASSWORD", "new-pass")
        .output()
        .unwrap();
    let list: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);

    // Unknown id: clear error.
    let o = env
        .cmd(&["next", "ffffffff"])
        .env("TESSERA_PASSWORD", "new-pass")
        .output()
        .unwrap();
    assert!(!o.status.success() && String::from_utf8_lossy(&o.stderr).contains("no account"));
}

#[test]
fn plain_tessera_without_a_vault_helps() {
    let env = Env::new();
    let o = env.cmd(&[]).env_remove("TESSERA_VAULT").output().unwrap();
    assert!(o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    let default = env.dir.path().join("xdg/tessera/vault.db");
    assert!(out.contains(&default.display().to_string()), "{out}");
    assert!(
        out.contains("tessera init") && out.contains("tessera add"),
        "{out}"
    );
    assert!(out.contains("otpauth://totp/Demo"), "{out}");
    assert!(!default.exists(), "nothing created");
    // With a vault: the live codes.
    env.ok(&["init"]);
    env.ok(&["add", &format!("otpauth://totp/ACME:bob?secret={RFC_B32}")]);
    let out = env.ok(&[]);
    assert!(out.contains("ACME (bob)"), "{out}");
}

#[test]
fn wrong_password_fails_and_leaves_the_vault_untouched() {
    let env = Env::new();
    env.ok(&["init"]);
    env.ok(&["add", &format!("otpauth://totp/ACME:bob?secret={RFC_B32}")]);
    let before = sha(&env.vault());
    for args in [
        &["list", "--json"][..],
        &["add", "otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP"],
        &["passwd"],
    ] {
        let o = env
            .cmd(args)
            .env("TESSERA_PASSWORD", "not-it")
            .env("TESSERA_NEW_PASSWORD", "x")
            .output()
            .unwrap();
        assert!(!o.status.success());
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("wrong password"), "{err}");
        assert!(o.stdout.is_empty());
    }
    assert_eq!(sha(&env.vault()), before, "vault file unchanged");
    assert_eq!(env.json(&["list", "--json"]).len(), 1);
}

#[test]
fn damaged_and_foreign_files_are_named_and_never_overwritten() {
    let env = Env::new();
    env.ok(&["init"]);
    for n in 0..150 {
        env.ok(&["add", &uri(n).0]);
    }
    let good = std::fs::read(env.vault()).unwrap();
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("truncated", good[..good.len() / 3].to_vec(), "truncated"),
        (
            "foreign text",
            b"# my notes\nnothing to see\n".to_vec(),
            "not an SQLite database",
        ),
        ("empty", Vec::new(), "empty"),
        (
            "garbled",
            {
                let mut g = good.clone();
                g[4096..].iter_mut().for_each(|b| *b ^= 0x5A);
                g
            },
            "corrupted",
        ),
    ];
    for (name, bytes, expect) in cases {
        std::fs::write(env.vault(), &bytes).unwrap();
        for args in [&["list", "--json"][..], &["add", &uri(999).0], &["init"]] {
            let o = env.run(args);
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(!o.status.success(), "{name} {args:?}");
            let expect = if args == ["init"] {
                "already exists"
            } else {
                expect
            };
            assert!(err.contains(expect), "{name} {args:?}: {err}");
            assert!(!err.contains("panicked"), "{err}");
            assert_eq!(
                std::fs::read(env.vault()).unwrap(),
                bytes,
                "{name} {args:?} untouched"
            );
        }
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", env.vault().display()));
        }
    }
    // Another application's SQLite database.
    std::fs::remove_file(env.vault()).unwrap();
    std::fs::write(env.vault(), sqlite_foreign()).unwrap();
    let o = env.run(&["list"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("another application"));
}

/// A minimal valid SQLite file of "another application": an empty database with page size 4096
/// and application_id 0 — copied from a fresh vault with the application_id zeroed.
fn sqlite_foreign() -> Vec<u8> {
    let env = Env::new();
    env.ok(&["init"]);
    let mut b = std::fs::read(env.vault()).unwrap();
    b[68..72].copy_from_slice(&[0, 0, 0, 0]);
    b
}

/// Tiny deterministic PRNG (xorshift) seeded from the clock; the seed is printed for replay.
struct Rng(u64);
impl Rng {
    fn new() -> Rng {
        let seed = std::env::var("TESSERA_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        eprintln!("random seed: {seed} (TESSERA_TEST_SEED to replay)");
        Rng(seed)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn sigkill_during_writes_loses_nothing_reported() {
    let env = Env::new();
    env.ok(&["init"]);
    // How long one add takes here, to spread the kills over its whole life.
    let start = std::time::Instant::now();
    env.ok(&["add", &uri(100_000).0]);
    let span = (start.elapsed().as_micros() as u64).max(1000) * 2;
    let mut rng = Rng::new();
    let mut reported = vec![];
    let mut killed = 0;
    for n in 0..60 {
        let mut child = env
            .cmd(&["add", &uri(n).0])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(rng.below(span)));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            killed += 1;
        }
        let o = child.wait_with_output().unwrap();
        let out = String::from_utf8_lossy(&o.stdout).trim().to_owned();
        if !out.is_empty() {
            reported.push(out);
        }
        if n % 15 == 14 {
            env.ok(&["list", "--json"]); // opens after the kills
        }
    }
    eprintln!(
        "{killed} of 60 adds killed, {} reported done",
        reported.len()
    );
    let list = env.json(&["list", "--json"]);
    let ids: Vec<&str> = list.iter().map(|e| e["id"].as_str().unwrap()).collect();
    for id in &reported {
        assert!(ids.contains(&id.as_str()), "reported {id} is missing");
    }
    // Every stored entry still opens (codes need the secrets).
    let codes = env.json(&["codes", "--json", "--at", "1000"]);
    assert_eq!(codes.len(), list.len());
    assert!(
        codes
            .iter()
            .all(|c| c["code"].as_str().is_some_and(|s| s.len() == 6))
    );
    // The killed adds whose commit had not happened can simply be retried.
    for n in 0..60 {
        let o = env.run(&["add", &uri(n).0]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            o.status.success() || err.contains("already in the vault"),
            "{err}"
        );
    }
    assert_eq!(env.json(&["list", "--json"]).len(), 61);
}

#[test]
fn two_writers_at_once_lose_nothing() {
    let env = Env::new();
    env.ok(&["init"]);
    let results: Vec<(bool, String, String)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|w| {
                let env = &env;
                s.spawn(move || {
                    (0..12)
                        .map(|i| {
                            let o = env.run(&["add", &uri(1000 * (w + 1) + i).0]);
                            (
                                o.status.success(),
                                String::from_utf8_lossy(&o.stdout).trim().to_owned(),
                                String::from_utf8_lossy(&o.stderr).into_owned(),
                            )
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let list = env.json(&["list", "--json"]);
    let ids: Vec<&str> = list.iter().map(|e| e["id"].as_str().unwrap()).collect();
    let mut ok = 0;
    for (success, id, err) in &results {
        if *success {
            ok += 1;
            assert!(ids.contains(&id.as_str()), "{id} lost");
        } else {
            assert!(err.contains("busy"), "a failure must say busy: {err}");
        }
    }
    assert_eq!(ids.len(), ok, "nothing extra, nothing lost");
    eprintln!("{ok} of 24 concurrent adds succeeded (the rest reported busy)");
}

#[test]
fn trace_logs_and_files_never_hold_secrets() {
    let env = Env::new();
    let secret_b32 = "KRSXG43FOJQS2ZDPONSS243FMNZGK5A";
    let mut all = Vec::new();
    let mut run = |args: &[&str], extra: &[(&str, &str)]| {
        let mut c = env.cmd(args);
        c.env("TESSERA_LOG", "trace");
        for (k, v) in extra {
            c.env(k, v);
        }
        let o = c.output().unwrap();
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        all.extend(o.stderr);
        all.extend(o.stdout);
    };
    run(&["init"], &[]);
    let u = format!("otpauth://totp/Trace:t?secret={secret_b32}&issuer=Trace");
    let h = format!("otpauth://hotp/TraceH:h?secret={secret_b32}A&counter=5");
    run(&["add", &u], &[]);
    run(&["add", &h], &[]);
    run(&["list", "--json"], &[]);
    run(&["list"], &[]);
    run(&["codes", "--json"], &[]);
    run(&[], &[]);
    run(
        &["passwd"],
        &[("TESSERA_NEW_PASSWORD", "second-secret-pass")],
    );
    let text = String::from_utf8_lossy(&all).into_owned();
    assert!(
        text.contains("TRACE") || text.contains("DEBUG"),
        "logging was on: {text}"
    );
    let raw = b"Tessera-dose-secret"; // the Base32 secret decoded
    for needle in [
        secret_b32.as_bytes(),
        &raw[..],
        PASSWORD.as_bytes(),
        b"second-secret-pass",
    ] {
        assert!(
            !contains(&all, needle),
            "{} in output",
            String::from_utf8_lossy(needle)
        );
        assert!(
            !contains(&env.files(), needle),
            "{} in files",
            String::from_utf8_lossy(needle)
        );
    }
}

#[test]
fn sigkill_during_passwd_leaves_exactly_one_working_password() {
    let env = Env::new();
    env.ok(&["init"]);
    env.ok(&["add", &uri(1).0]);
    let mut rng = Rng::new();
    let mut current = PASSWORD.to_owned();
    for round in 0..20 {
        let next = format!("password-round-{round}");
        let mut child = env
            .cmd(&["passwd"])
            .env("TESSERA_PASSWORD", &current)
            .env("TESSERA_NEW_PASSWORD", &next)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(rng.below(40_000)));
        let _ = child.kill();
        let o = child.wait_with_output().unwrap();
        let reported = String::from_utf8_lossy(&o.stdout).contains("Password changed");
        let works = |pw: &str| {
            env.cmd(&["list", "--json"])
                .env("TESSERA_PASSWORD", pw)
                .output()
                .unwrap()
                .status
                .success()
        };
        let (old_ok, new_ok) = (works(&current), works(&next));
        assert!(old_ok ^ new_ok, "round {round}: old {old_ok}, new {new_ok}");
        if reported {
            assert!(
                new_ok,
                "round {round}: reported done but the new password fails"
            );
        }
        if new_ok {
            current = next;
        }
    }
}
