#!/usr/bin/env bash
# Walks docs/DEPLOYMENT.md on loopback: three gateway nodes on one PostgreSQL database
# (a fresh database, created here and dropped at the end), nginx in front of them with
# deploy/nginx.conf, the independent OpenID provider of tests/peers (npm oidc-provider),
# and both backends as separate processes trusting the gateway's JWKS. Then it checks
# what the guide promises:
#   - a login through the load balancer (the provider's real authorization code flow);
#   - that session used directly on each node;
#   - a proxied request reaching each backend, through each node, with an assertion the
#     backend verified (one issuer for the cluster: the load balancer's URL);
#   - a logout on one node seen at once on the others.
# Every process it starts is stopped, and the database dropped, on exit (even on failure).
#
# Usage: scripts/deploy-walkthrough.sh
#   BIN_DIR        where `gateway`, `prestations` and `vouchers` are (default
#                  target/release; `cargo build --release` builds them)
#   PG_URL         an administrative PostgreSQL URL (default GATEWAY_TEST_PG_URL, else
#                  postgres://postgres@127.0.0.1:5432/postgres)
#   KEEP_TMP=1     keep the working folder (configurations and logs)
# Needs: psql, nginx, node with tests/peers/node_modules (npm ci in tests/peers), python3.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN_DIR="${BIN_DIR:-$ROOT/target/release}"
PG_URL="${PG_URL:-${GATEWAY_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}}"
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
NODE="${E2E_NODE:-node}"
KEEP_TMP="${KEEP_TMP:-0}"

log() { printf 'walkthrough: %s\n' "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

for bin in gateway prestations vouchers; do
    [ -x "$BIN_DIR/$bin" ] || die "$BIN_DIR/$bin is missing: cargo build --release (or set BIN_DIR)"
done
command -v psql >/dev/null || die "psql is missing"
[ -x "$NGINX" ] || die "nginx is missing"
[ -d "$ROOT/tests/peers/node_modules/oidc-provider" ] || die "npm ci in tests/peers first"

TMP="$(mktemp -d)"
chmod 755 "$TMP" # nginx's workers run as another user
DB="walkthrough_$(date +%s)_$$"
PIDS=()
NGINX_PID=""
PROVIDER_FD_OPEN=0

cleanup() {
    local status=$?
    set +e
    [ -n "$NGINX_PID" ] && kill -QUIT "$NGINX_PID" 2>/dev/null
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    [ "$PROVIDER_FD_OPEN" = 1 ] && exec 7>&-
    for pid in "${PIDS[@]}" $NGINX_PID; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 \
        || log "could not drop database $DB"
    if [ "$status" -ne 0 ]; then
        for f in "$TMP"/*.log; do
            [ -f "$f" ] || continue
            log "--- last lines of $(basename "$f")"
            tail -n 15 "$f" >&2
        done
    fi
    if [ "$KEEP_TMP" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_url() { # url [what]: until it answers 200
    for _ in $(seq 300); do
        if curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    die "${2:-$1} does not answer"
}

LB_PORT="$(free_port)"
LB="http://127.0.0.1:$LB_PORT"
NODE_PORTS=("$(free_port)" "$(free_port)" "$(free_port)")
PRESTATIONS_PORT="$(free_port)"
VOUCHERS_PORT="$(free_port)"
CLIENT_SECRET="walkthrough-client-secret-$RANDOM$RANDOM"

# --- the provider: one client registered with the cluster's one public URL -------------
log "starting the OpenID provider"
cat >"$TMP/provider.json" <<EOF
{
  "host": "127.0.0.1",
  "port": 0,
  "keys_file": "$TMP/provider-keys.json",
  "rotate_keys": false,
  "clients": [{
    "client_id": "gateway",
    "client_secret": "$CLIENT_SECRET",
    "redirect_uris": ["$LB/auth/callback"],
    "post_logout_redirect_uris": ["$LB/auth/logged-out"],
    "backchannel_logout_uri": "$LB/auth/backchannel-logout",
    "backchannel_logout_session_required": true,
    "grant_types": ["authorization_code"],
    "response_types": ["code"]
  }],
  "accounts": [{
    "account_id": "walker",
    "name": "Wanda Walker",
    "email": "wanda@example.be",
    "acr": "eidas-substantial",
    "amr": ["eid"]
  }],
  "acr_values": ["eidas-substantial"]
}
EOF
mkfifo "$TMP/provider.stdin"
(cd "$ROOT/tests/peers" && NODE_ENV=test exec "$NODE" oidc-provider.mjs "$TMP/provider.json") \
    <"$TMP/provider.stdin" >"$TMP/provider.log" 2>&1 &
PIDS+=($!)
exec 7>"$TMP/provider.stdin" # the provider exits when this closes
PROVIDER_FD_OPEN=1
ISSUER=""
for _ in $(seq 300); do
    ISSUER="$(awk '/^READY /{print $3; exit}' "$TMP/provider.log")"
    [ -n "$ISSUER" ] && break
    sleep 0.1
done
[ -n "$ISSUER" ] || die "the provider did not start"

# --- the database: fresh, shared by the three nodes -------------------------------------
log "creating database $DB"
psql -q "$PG_URL" -c "CREATE DATABASE $DB" >/dev/null
DB_URL="$(python3 - "$PG_URL" "$DB" <<'EOF'
import sys, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1])
print(urllib.parse.urlunsplit((u.scheme, u.netloc, "/" + sys.argv[2], u.query, "")))
EOF
)"

# --- the gateway's configuration: the same file for every node but `listen` -------------
# Secrets in the environment, never in the file (docs/DEPLOYMENT.md, "Secrets").
export GATEWAY_SECRET_KEY="$(python3 -c 'import base64,os; print(base64.b64encode(os.urandom(32)).decode())')"
export GATEWAY_DATABASE_URL="$DB_URL"
export GATEWAY_WALK_CLIENT_SECRET="$CLIENT_SECRET"
for i in 0 1 2; do
    cat >"$TMP/gateway-$i.toml" <<EOF
[server]
listen = "127.0.0.1:${NODE_PORTS[$i]}"
# The cluster's one public URL: the load balancer.
public_url = "$LB"
shutdown_grace_secs = 2

[database]
url = "postgres://set-by-GATEWAY_DATABASE_URL/"
max_connections = 4

[assertion]
# One issuer for every node: backends trust this one.
issuer = "$LB"

[[providers]]
id = "eid"
label = "eID"
issuer = "$ISSUER"
client_id = "gateway"
client_secret_env = "GATEWAY_WALK_CLIENT_SECRET"
acr_values = ["eidas-substantial"]

[[applications]]
id = "prestations"
name = "Prestations"
levels = ["read", "modify"]
methods = { GET = "read", POST = "modify" }

[[applications]]
id = "vouchers"
name = "Vouchers"
levels = ["read", "modify"]

[[routes]]
prefix = "/prestations"
upstream = "http://127.0.0.1:$PRESTATIONS_PORT"
application = "prestations"
access = "authenticated"
strip_prefix = false

[[routes]]
prefix = "/vouchers"
upstream = "http://127.0.0.1:$VOUCHERS_PORT"
application = "vouchers"
access = "authenticated"
strip_prefix = false
EOF
    "$BIN_DIR/gateway" check-config --config "$TMP/gateway-$i.toml" >/dev/null
done

log "migrating once, then starting three gateway nodes"
"$BIN_DIR/gateway" migrate --config "$TMP/gateway-0.toml" >/dev/null
for i in 0 1 2; do
    "$BIN_DIR/gateway" serve --config "$TMP/gateway-$i.toml" >"$TMP/gateway-$i.log" 2>&1 &
    PIDS+=($!)
done
for i in 0 1 2; do wait_url "http://127.0.0.1:${NODE_PORTS[$i]}/readyz" "gateway node $i"; done

# --- the load balancer ---------------------------------------------------------------------
log "starting nginx in front of the nodes"
UPSTREAMS=""
for p in "${NODE_PORTS[@]}"; do UPSTREAMS+="        server 127.0.0.1:$p max_fails=1 fail_timeout=2s;\n"; done
sed -e "s#@DIR@#$TMP/nginx#g" -e "s#@LISTEN@#127.0.0.1:$LB_PORT#g" \
    -e "s#^@UPSTREAMS@#$UPSTREAMS#" -e "s#^daemon on;#daemon off;#" \
    "$ROOT/deploy/nginx.conf" >"$TMP/nginx.conf"
mkdir -p "$TMP/nginx"
"$NGINX" -p "$TMP/nginx" -e "$TMP/nginx/error.log" -c "$TMP/nginx.conf" </dev/null >"$TMP/nginx.log" 2>&1 &
NGINX_PID=$!
wait_url "$LB/readyz" "the load balancer"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$LB/metrics")" = 404 ] \
    || die "/metrics must not pass the load balancer"

# --- the backends: their only tie to the gateway is its JWKS, issuer and audience --------
log "starting the backends"
for name in prestations vouchers; do
    upper="$(echo "$name" | tr a-z A-Z)"
    port_var="${upper}_PORT"
    env "${upper}_DATABASE_URL=sqlite://$TMP/$name.db" \
        "${upper}_JWKS_URL=$LB/.well-known/jwks.json" \
        "${upper}_ISSUER=$LB" \
        "${upper}_LISTEN=127.0.0.1:${!port_var}" \
        "${upper}_BASE_PATH=/$name" \
        "$BIN_DIR/$name" >"$TMP/$name.log" 2>&1 &
    PIDS+=($!)
    wait_url "http://127.0.0.1:${!port_var}/$name/readyz" "$name"
done

# --- the checks ------------------------------------------------------------------------------
log "checking login, sessions, backends and logout across the nodes"
python3 - "$LB" "$ISSUER" "${NODE_PORTS[@]}" <<'EOF'
import http.client, json, sys, urllib.parse

lb, issuer, node_ports = sys.argv[1], sys.argv[2], sys.argv[3:]
nodes = [f"http://127.0.0.1:{p}" for p in node_ports]

def fail(msg):
    print(f"walkthrough: FAILED: {msg}", file=sys.stderr)
    sys.exit(1)

def request(method, url, cookies, body=None, headers=None):
    """One request without following redirects; `cookies` (name -> value) is sent and
    updated from Set-Cookie."""
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    h = dict(headers or {})
    if cookies:
        h["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body is not None:
        body = urllib.parse.urlencode(body)
        h["Content-Type"] = "application/x-www-form-urlencoded"
    path = u.path + ("?" + u.query if u.query else "")
    conn.request(method, path or "/", body=body, headers=h)
    r = conn.getresponse()
    data = r.read().decode("utf-8", "replace")
    for k, v in r.getheaders():
        if k.lower() == "set-cookie":
            name, _, rest = v.partition("=")
            value = rest.split(";", 1)[0]
            if "max-age=0" in v.lower() or value == "":
                cookies.pop(name.strip(), None)
            else:
                cookies[name.strip()] = value
    conn.close()
    return r.status, r.getheader("Location"), data

# Separate jars: the provider's cookies and the gateway's (same host, other ports).
gw, idp = {}, {}
def jar(url):
    return idp if url.startswith(issuer) else gw

# 1. Login through the load balancer: the gateway sends us to the provider, we pick the
#    account on its interaction page, the provider sends us back to the LB's callback.
url, posted = f"{lb}/auth/login/eid?return_to=/", False
for _ in range(30):
    if url.startswith(f"{issuer}/interaction/") and not posted:
        status, location, _ = request("POST", url, idp, {"account_id": "walker"})
        posted = True
    else:
        status, location, body = request("GET", url, jar(url))
    if status in (301, 302, 303, 307, 308):
        url = urllib.parse.urljoin(url, location)
        if url.startswith(lb + "/") and not url.startswith(f"{lb}/auth/"):
            break
        continue
    if status == 200 and url.startswith(f"{issuer}/interaction/"):
        continue
    if status == 200:
        break
    fail(f"login stopped at {url}: {status} {body[:300]}")
session_cookie = {k: v for k, v in gw.items() if k.endswith("gw_session")}
if not session_cookie:
    fail(f"no session cookie after the login (cookies: {sorted(gw)})")

def api(method, url, cookies, **kw):
    h = {"Accept": "application/json"}
    h.update(kw.pop("headers", {}))
    status, _, body = request(method, url, dict(cookies), headers=h, **kw)
    try:
        return status, json.loads(body)
    except ValueError:
        return status, {"raw": body[:300]}

# 2. The session works on every node, each asked directly.
csrf = None
for i, node in enumerate(nodes):
    status, s = api("GET", f"{node}/auth/session", session_cookie)
    if status != 200 or not s.get("authenticated"):
        fail(f"node {i}: the session opened through the load balancer is unknown: {s}")
    csrf = s["csrf"]
    print(f"walkthrough: node {i} knows the session of {s['user']['name']}")

# 3. Each backend, reached through each node, verified the assertion (one issuer).
for i, node in enumerate(nodes + [lb]):
    for backend in ("prestations", "vouchers"):
        status, who = api("GET", f"{node}/{backend}/whoami", session_cookie)
        if status != 200:
            fail(f"{backend} through {node}: {status} {who}")
        if who.get("name") != "Wanda Walker" or who.get("issuer") != lb:
            fail(f"{backend} through {node}: not Wanda Walker's assertion from the cluster's "
                 f"issuer {lb}: {json.dumps(who)[:300]}")
print("walkthrough: both backends verified the assertion through every node")

# 4. Logout on node 0; nodes 1 and 2 refuse the session at once.
status, out = api("POST", f"{nodes[0]}/auth/logout", session_cookie,
                  headers={"X-CSRF-Token": csrf})
if status != 200 or not out.get("logged_out"):
    fail(f"logout on node 0: {status} {out}")
for i, node in enumerate(nodes[1:], start=1):
    status, s = api("GET", f"{node}/auth/session", session_cookie)
    if s.get("authenticated"):
        fail(f"node {i} still accepts the session after the logout on node 0")
    status, _ = api("GET", f"{node}/prestations/whoami", session_cookie)
    if status == 200:
        fail(f"node {i} still forwards for the ended session")
print("walkthrough: the logout on node 0 is seen by nodes 1 and 2")
EOF
log "ok: 3 nodes, 1 database, nginx, the provider, 2 backends"
