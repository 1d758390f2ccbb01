#!/usr/bin/env bash
# A throw-away privacyIDEA 3.14 on 127.0.0.1 for the push tests.
#   server.sh start <workdir> <port> <registration-url>   -> configures and starts; prints nothing
#   server.sh stop <workdir>                              -> stops the server by its PID file
# The slow, run-independent part (encryption key, audit keys, tables, admin) is built once into a
# template under $TESSERA_TOOLS and copied; each run gets its own SQLite file, so runs never share
# tokens. Policies: poll-only push; bob gets number matching, carol code-to-phone.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=/dev/null
. "$here/../../scripts/env.sh"
base="$TESSERA_TOOLS/privacyidea-3.14"
venv="$base/venv"
template="$base/template"

write_cfg() { # <dir>
  local dir=$1
  cat > "$dir/pi.cfg" <<CFG
SQLALCHEMY_DATABASE_URI = 'sqlite:///$dir/data/privacyidea.sqlite'
SECRET_KEY = '$(cat "$dir/data/secret_key")'
PI_PEPPER = '$(cat "$dir/data/pepper")'
PI_ENCFILE = '$dir/data/enckey'
PI_AUDIT_KEY_PRIVATE = '$dir/data/private.pem'
PI_AUDIT_KEY_PUBLIC = '$dir/data/public.pem'
PI_AUDIT_SQL_TRUNCATE = True
PI_LOGFILE = '$dir/data/privacyidea.log'
PI_LOGLEVEL = 20
PI_LOGCONFIG = '$dir/data/no-logging.cfg'
PI_NODE = 'localnode'
PI_NODE_UUID = '$(cat "$dir/data/uuid.txt")'
PI_UUID_FILE = '$dir/data/uuid.txt'
CFG
}

build_template() {
  [ -f "$template/.complete" ] && return 0
  echo "server.sh: building the privacyIDEA template (once; ~25 s)" >&2
  rm -rf "$template"; mkdir -p "$template/data"
  local py="$venv/bin/python"
  "$py" -c 'import secrets; print(secrets.token_hex(32))' > "$template/data/secret_key"
  "$py" -c 'import secrets; print(secrets.token_hex(32))' > "$template/data/pepper"
  "$py" -c 'import uuid; print(uuid.uuid4())' > "$template/data/uuid.txt"
  "$py" -c 'import secrets; print(secrets.token_urlsafe(18))' > "$template/data/admin.pw"
  write_cfg "$template"
  export PRIVACYIDEA_CONFIGFILE="$template/pi.cfg"
  (cd "$template" && "$venv/bin/pi-manage" setup create_enckey >/dev/null &&
    "$venv/bin/pi-manage" setup create_audit_keys >/dev/null &&
    "$venv/bin/pi-manage" setup create_tables >/dev/null &&
    "$venv/bin/pi-manage" admin add admin -p "$(cat "$template/data/admin.pw")" >/dev/null)
  touch "$template/.complete"
}

start() { # <workdir> <port> <registration-url>
  local dir=$1 port=$2 regurl=$3
  build_template
  mkdir -p "$dir/data"
  cp -p "$template/data/"* "$dir/data/"
  chmod u+w "$dir/data/"*
  write_cfg "$dir"
  export PRIVACYIDEA_CONFIGFILE="$dir/pi.cfg"
  # users: passwd format with sha512_crypt hashes of "<name>pw"
  "$venv/bin/python" - "$dir/data/users.passwd" <<'PY'
import sys
from passlib.hash import sha512_crypt
with open(sys.argv[1], "w") as f:
    for i, name in enumerate(["alice", "bob", "carol", "dave"]):
        f.write(f"{name}:{sha512_crypt.hash(name + 'pw')}:{1000 + i}:{1000 + i}:{name.title()}:/home/{name}:/bin/sh\n")
PY
  cat > "$dir/data/pi-config.json" <<JSON
{"resolver": {"flatfile": {"type": "passwdresolver", "resolvername": "flatfile",
                           "data": {"fileName": "$dir/data/users.passwd"}}},
 "realm": {"testrealm": {"default": true, "resolver": [{"name": "flatfile", "priority": null}]}},
 "policy": [
  {"name": "push-enroll", "scope": "enrollment", "active": true, "priority": 1,
   "action": {"push_firebase_configuration": "poll only",
              "push_registration_url": "$regurl",
              "push_ssl_verify": "0", "push_ttl": "10"}},
  {"name": "push-auth", "scope": "authentication", "active": true, "priority": 1,
   "action": {"push_ssl_verify": "0", "push_allow_polling": "allow",
              "push_title_on_mobile": "privacyIDEA loopback",
              "push_text_on_mobile": "Sign in as {username} from {client_ip} ({ua_browser})?"}},
  {"name": "push-presence-bob", "scope": "authentication", "active": true, "priority": 1,
   "user": ["bob"], "realm": ["testrealm"],
   "action": {"push_require_presence": "1", "push_presence_options": "NUMERIC",
              "push_presence_num_options": "3"}},
  {"name": "push-code2phone-carol", "scope": "authentication", "active": true, "priority": 1,
   "user": ["carol"], "realm": ["testrealm"], "action": {"push_code_to_phone": "1"}}]}
JSON
  (cd "$dir" && "$venv/bin/pi-manage" config import -i "$dir/data/pi-config.json" >"$dir/data/import.log" 2>&1) ||
    { cat "$dir/data/import.log" >&2; return 1; }
  cat > "$dir/wsgi.py" <<PY
from privacyidea.app import create_app
application = create_app(config_name="production", config_file="$dir/pi.cfg", silent=True)
PY
  "$venv/bin/gunicorn" --chdir "$dir" --bind "127.0.0.1:$port" --workers 1 --threads 8 --timeout 120 \
    --pid "$dir/data/server.pid" --daemon --no-control-socket \
    --access-logfile "$dir/data/access.log" --error-logfile "$dir/data/gunicorn.log" wsgi:application
  local i
  for i in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$port/healthz/" 2>/dev/null | grep -q ready; then return 0; fi
    sleep 0.5
  done
  echo "server.sh: privacyIDEA did not become ready; see $dir/data/gunicorn.log" >&2
  tail -20 "$dir/data/gunicorn.log" >&2 || true
  return 1
}

stop() { # <workdir>
  local pidfile="$1/data/server.pid" pid i
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) echo "usage: server.sh start <dir> <port> <registration-url> | stop <dir>" >&2; exit 2 ;;
esac
