#!/usr/bin/env bash
# Runs every check and test of the workspace, installing first what the tests need:
#   Debian packages (as root, only the missing ones): chromium chromium-driver nginx-light
#     wrk postgresql python3 nodejs npm pkg-config libssl-dev
#   Python modules: aiosmtpd pyotp        npm packages of tests/peers (npm ci)
# then: cargo fmt --check, cargo clippy -D warnings, cargo test (2 test threads), each
# test binary under an overall timeout so that a hung peer fails the run, not stalls it.
# Works as root or not, with or without a terminal (CI=true, no stdin).
# Environment: GATEWAY_TEST_PG_URL (a PostgreSQL superuser URL; default: 127.0.0.1:5432
# when it answers with trust auth, else a throwaway cluster started for this run;
# GATEWAY_TEST_PG=throwaway forces the latter), TEST_THREADS (default 2),
# TEST_BINARY_TIMEOUT (seconds one test binary may run, default 1200), E2E_PYTHON (the
# Python to install aiosmtpd and pyotp into and that the tests run; default python3).
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
exec </dev/null

log() { printf '\n==> %s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; fi
fi
can_install_debs() { [ "$(id -u)" -eq 0 ] || [ -n "$SUDO" ]; }

# ---------------------------------------------------------------- Debian packages
have_pg_server() { compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null; }
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
have_pg_server || missing+=(postgresql)
command -v python3 >/dev/null 2>&1 || missing+=(python3 python3-pip)
# webauthn-rs links OpenSSL.
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
pkg-config --exists openssl 2>/dev/null || missing+=(libssl-dev)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
# npm comes with some Node.js builds; Debian's npm package would conflict with those.
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
    if can_install_debs; then
        log "installing Debian packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        $SUDO apt-get update -qq || warn "apt-get update failed"
        resolved=()
        for p in "${missing[@]}"; do
            # nginx-light is gone from newer Debian releases: take nginx there.
            if [ "$p" = nginx-light ] && ! apt-cache show nginx-light >/dev/null 2>&1; then p=nginx; fi
            resolved+=("$p")
        done
        [[ " ${resolved[*]} " == *" chromium "* ]] && resolved+=(fonts-dejavu-core)
        $SUDO apt-get install -y -qq --no-install-recommends "${resolved[@]}" >/dev/null \
            || warn "apt-get install ${resolved[*]} failed"
    else
        warn "missing Debian packages (not root, no sudo): ${missing[*]}; the tests needing them will fail"
    fi
fi

# ---------------------------------------------------------------- Python modules
PYTHON=${E2E_PYTHON:-python3}
if ! "$PYTHON" -c 'import aiosmtpd, pyotp' 2>/dev/null; then
    log "installing Python modules aiosmtpd and pyotp"
    pip_flags=(--quiet --disable-pip-version-check --no-input)
    if ! "$PYTHON" -c 'import sys, os, sysconfig; sys.exit(0 if sys.prefix != sys.base_prefix or os.access(sysconfig.get_paths()["purelib"], os.W_OK) else 1)'; then
        pip_flags+=(--user)
    fi
    "$PYTHON" -m ensurepip --upgrade >/dev/null 2>&1 || true
    if ! "$PYTHON" -m pip install "${pip_flags[@]}" aiosmtpd pyotp; then
        # A Debian-managed interpreter refuses pip (PEP 668): Debian's packages, else --user.
        if can_install_debs; then
            $SUDO apt-get install -y -qq --no-install-recommends python3-aiosmtpd python3-pyotp >/dev/null \
                || warn "installing python3-aiosmtpd python3-pyotp failed"
        else
            "$PYTHON" -m pip install --quiet --user --break-system-packages aiosmtpd pyotp \
                || warn "could not install aiosmtpd and pyotp"
        fi
    fi
fi

# The tests run the interpreter the modules were installed into, by its full path.
if PYTHON_PATH=$(command -v "$PYTHON"); then
    export E2E_PYTHON="$PYTHON_PATH"
    "$E2E_PYTHON" -c 'import aiosmtpd, pyotp' 2>/dev/null \
        || warn "$E2E_PYTHON lacks aiosmtpd or pyotp; the tests needing them will fail"
else
    warn "no $PYTHON; the tests needing aiosmtpd and pyotp will fail"
fi

# ---------------------------------------------------------------- npm packages
PEERS="$ROOT/tests/peers"
if [ -f "$PEERS/package-lock.json" ] && command -v npm >/dev/null 2>&1; then
    stamp="$PEERS/node_modules/.e2e-lock-sha256"
    want=$(sha256sum "$PEERS/package-lock.json" | cut -d' ' -f1)
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        log "npm ci in tests/peers"
        if (cd "$PEERS" && npm ci --no-audit --no-fund --loglevel=error); then
            echo "$want" >"$stamp"
        else
            warn "npm ci failed"
        fi
    fi
fi

# ---------------------------------------------------------------- PostgreSQL
# Every crate's tests use GATEWAY_TEST_PG_URL (default 127.0.0.1:5432) and must fail, not
# skip, without it: when nothing usable answers there, start a throwaway cluster for this
# run (as the postgres user when root, fsync off) and stop it at exit.
PG_TMP=""
PG_BIN=""
pg_as() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
stop_throwaway_pg() {
    if [ -n "$PG_TMP" ]; then
        pg_as "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m immediate -w stop >/dev/null 2>&1 || true
        rm -rf "$PG_TMP"
    fi
}
start_throwaway_pg() {
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$PG_BIN" ]; then
        warn "no PostgreSQL server binaries to start a throwaway cluster"
        return 1
    fi
    # /tmp: every parent folder must be enterable by the server's user.
    PG_TMP=$(mktemp -d /tmp/gateway-test-pg.XXXXXX)
    trap stop_throwaway_pg EXIT
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || { warn "no postgres user to run PostgreSQL"; return 1; }
        chown postgres: "$PG_TMP"
    fi
    if ! pg_as "$PG_BIN/initdb" -D "$PG_TMP/data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
        >"$PG_TMP/initdb.log" 2>&1; then
        cat "$PG_TMP/initdb.log" >&2
        return 1
    fi
    local try port
    for try in 1 2 3; do
        port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
        if pg_as "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 60 -o \
            "-c listen_addresses=127.0.0.1 -p $port -k $PG_TMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
            start >/dev/null 2>&1; then
            export GATEWAY_TEST_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
            return 0
        fi
    done
    tail -n 20 "$PG_TMP/server.log" >&2
    return 1
}

default_pg="postgres://postgres@127.0.0.1:5432/postgres"
if [ -n "${GATEWAY_TEST_PG_URL:-}" ]; then
    log "PostgreSQL: using GATEWAY_TEST_PG_URL"
elif [ "${GATEWAY_TEST_PG:-}" != "throwaway" ] && command -v psql >/dev/null 2>&1 \
    && psql "$default_pg" -Atqc 'SELECT 1' >/dev/null 2>&1; then
    export GATEWAY_TEST_PG_URL="$default_pg"
    log "PostgreSQL: using $GATEWAY_TEST_PG_URL"
elif start_throwaway_pg; then
    log "PostgreSQL: throwaway cluster at $GATEWAY_TEST_PG_URL (data in $PG_TMP)"
else
    warn "PostgreSQL: none reachable and no throwaway cluster could start; its tests will fail"
fi

# ---------------------------------------------------------------- cargo
if [ "${CI:-}" = "true" ]; then
    # A clean CI build: no incremental state, less debug info to write and link.
    export CARGO_INCREMENTAL=0
    export CARGO_PROFILE_DEV_DEBUG=line-tables-only
    export CARGO_TERM_COLOR=never
fi
THREADS=${TEST_THREADS:-2}
BINARY_TIMEOUT=${TEST_BINARY_TIMEOUT:-1200}
LOGDIR=$(mktemp -d "${TMPDIR:-/tmp}/gateway-test.XXXXXX")

names=()
results=()
times=()
run_step() {
    local name=$1
    shift
    log "$name: $*"
    local start=$SECONDS
    "$@" 2>&1 | tee "$LOGDIR/$name.log"
    local status=${PIPESTATUS[0]}
    names+=("$name")
    results+=("$status")
    times+=($((SECONDS - start)))
    return "$status"
}

# Builds every test binary, then runs each under `timeout` (from its package's folder,
# as cargo does), then the doctests under the same bound. A binary that outlives its
# bound is killed (SIGTERM, SIGKILL 30 s later; the peers it started exit when its end of
# their stdin closes) and counts as one failed test. Output goes on as cargo's would.
run_tests() {
    local artifacts="$LOGDIR/test-binaries.json"
    cargo test --workspace --no-run --message-format=json-render-diagnostics >"$artifacts" || return $?
    local list
    list=$(python3 -c '
import json, os, sys
for line in open(sys.argv[1]):
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["profile"]["test"]:
        print(os.path.dirname(m["manifest_path"]), m["target"]["name"], m["executable"], sep="\t")
' "$artifacts") || return 1
    [ -n "$list" ] || { echo "no test binary was built"; return 1; }
    local status=0 dir name exe code
    while IFS=$'\t' read -r dir name exe; do
        printf '\n     Running %s (%s)\n' "$name" "${exe#"$ROOT"/}"
        (cd "$dir" && CARGO_MANIFEST_DIR="$dir" timeout -k 30 "$BINARY_TIMEOUT" "$exe" --test-threads="$THREADS" </dev/null)
        code=$?
        if [ "$code" -eq 124 ] || [ "$code" -eq 137 ]; then
            echo "error: $name ran longer than ${BINARY_TIMEOUT}s and was stopped"
        fi
        [ "$code" -eq 0 ] || status=1
    done <<<"$list"
    printf '\n   Doc-tests\n'
    timeout -k 30 "$BINARY_TIMEOUT" cargo test --workspace --doc --no-fail-fast -- --test-threads="$THREADS" || status=1
    return "$status"
}

run_step fmt cargo fmt --all -- --check
run_step clippy cargo clippy --workspace --all-targets --keep-going -- -D warnings
run_step test run_tests

# ---------------------------------------------------------------- summary
passed=0
failed=0
ignored=0
while read -r p f i; do
    passed=$((passed + p))
    failed=$((failed + f))
    ignored=$((ignored + i))
done < <(sed -nE 's/^test result: [a-zA-Z]+\. ([0-9]+) passed; ([0-9]+) failed; ([0-9]+) ignored.*/\1 \2 \3/p' "$LOGDIR/test.log")

echo
echo "==================== summary ===================="
status=0
for idx in "${!names[@]}"; do
    if [ "${results[$idx]}" -eq 0 ]; then word=ok; else word=FAILED; status=1; fi
    printf '%-8s %-7s %5ss\n' "${names[$idx]}" "$word" "${times[$idx]}"
done
sed -nE 's/^---- (.*) stdout ----$/failed test: \1/p' "$LOGDIR/test.log"
sed -nE 's/^error: (.*) ran longer than ([0-9]+s) and was stopped$/timed out: \1 (after \2)/p' "$LOGDIR/test.log"
# A stopped binary printed no result line: it counts as one failed test.
failed=$((failed + $(grep -c '^error: .* ran longer than [0-9]*s and was stopped$' "$LOGDIR/test.log")))
echo "logs: $LOGDIR"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && [ "${results[2]}" -ne 0 ]; then
    # The tests did not build or run: count that as a failure in the closing line.
    failed=1
fi
echo "tests: $passed passed, $failed failed, $ignored skipped"
exit "$status"
