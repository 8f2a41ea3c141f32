#!/usr/bin/env bash
# Cluster benchmark, in one run on loopback (docs/BENCHMARKS.md, "Several nodes on
# PostgreSQL"):
#
#   backend  nginx, 1 worker, `return 200 "ok"`
#   sqlite   one gateway node on SQLite (the example, N tokio worker threads), its own
#            session, route under access = "policy"            wrk -> sqlite -> backend
#   node-a   gateway node on a fresh PostgreSQL database; a real login through the
#            simulated provider makes the session here          wrk -> node-a -> backend
#   node-b   a second node on the same database (--join), the session made on A
#   node-c   a third one, likewise
#
# Every node is the gateway example (gateway/examples/bench_gateway.rs), which builds
# the state and serves it as `gateway serve` does; each is measured alone with wrk on
# the policy route (session resolved, access model decided, assertion attached). It
# prints first, for each PostgreSQL node, its requests/s, p99 and CPU per request against
# the SQLite node's, and the database work per proxied request read from the database's
# own counters (target 0: sessions and grants are served from each node's memory):
#
#   - pg_stat_statements (calls), when the server preloads it (shared_preload_libraries);
#   - always: pg_stat_database.xact_commit + xact_rollback of the database, and
#     pg_stat_user_tables.seq_scan + idx_scan of the sessions table;
#
# read before and after the measured runs of the three nodes, minus the background
# (policy version checks, maintenance, the reads themselves) counted over an idle
# interval of the same length right after. PostgreSQL reports an idle backend's counts
# up to 10 s late: each reading waits STATS_FLUSH seconds after the last work.
#
# Usage: scripts/bench-cluster.sh   (as root it installs nginx, wrk and psql when missing)
#
# Environment (defaults in brackets):
#   PG_URL                 an administrative PostgreSQL URL (default GATEWAY_TEST_PG_URL,
#                          else postgres://postgres@127.0.0.1:5432/postgres); a fresh
#                          database is created there and dropped at the end
#   GATEWAY_THREADS [1]    tokio worker threads of every node
#   WRK_THREADS [1]  WRK_CONNECTIONS [32]  WRK_DURATION [10s]  WRK_WARMUP [2s]
#   ROUNDS [1]             measurement rounds (every target once per round)
#   STATS_FLUSH [11]       seconds waited before reading the database's counters
#   BENCH_PIN [1]          with taskset and >= 2 CPUs: wrk on the last CPU, the nodes on
#                          the others (PostgreSQL is not pinned: it may be shared)
#   GATEWAY_BIN            a built bench_gateway; otherwise this script builds it
#                          (cargo build --release -p gateway --example bench_gateway)
#   KEEP_TMP [0]           keep the temporary directory (logs, wrk outputs)
#
# Not part of the test suite: it takes about two minutes per round and needs quiet CPUs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_URL="${PG_URL:-${GATEWAY_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}}"
GATEWAY_THREADS="${GATEWAY_THREADS:-1}"
WRK_THREADS="${WRK_THREADS:-1}"
WRK_CONNECTIONS="${WRK_CONNECTIONS:-32}"
WRK_DURATION="${WRK_DURATION:-10s}"
WRK_WARMUP="${WRK_WARMUP:-2s}"
ROUNDS="${ROUNDS:-1}"
STATS_FLUSH="${STATS_FLUSH:-11}"
BENCH_PIN="${BENCH_PIN:-1}"
KEEP_TMP="${KEEP_TMP:-0}"

BENCH_NAME=bench-cluster
# shellcheck source=lib/bench.sh
. "$ROOT/scripts/lib/bench.sh"
bench_setup psql:postgresql-client python3:python3
psql -qAt "$PG_URL" -c 'SELECT 1' >/dev/null 2>&1 || die "PostgreSQL is not reachable at $PG_URL"

# --- the database ------------------------------------------------------------------------
DB="bench_cluster_$$_$RANDOM"
DB_CREATED=0
bench_cleanup() {
    [ "$DB_CREATED" = 1 ] && psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1
}

psql -q "$PG_URL" -c "CREATE DATABASE $DB" >/dev/null
DB_CREATED=1
DB_URL="$(python3 - "$PG_URL" "$DB" <<'EOF'
import sys, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1])
print(urllib.parse.urlunsplit((u.scheme, u.netloc, "/" + sys.argv[2], u.query, "")))
EOF
)"
# pg_stat_statements counts statements only when the server preloads it.
STATEMENTS=0
if psql -qAt "$PG_URL" -c 'SHOW shared_preload_libraries' | grep -q pg_stat_statements \
    && psql -q "$DB_URL" -c 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements' >/dev/null 2>&1; then
    STATEMENTS=1
fi

start_backend

start_example sqlite
SQLITE_PID="$EX_PID"
read -r _ SQLITE_URL SQLITE_COOKIE <<<"$EX_READY"
# Node A sets the database up (migrations, the grant) and logs in; B and C join it.
start_example node-a --database "$DB_URL"
A_PID="$EX_PID"
read -r _ A_URL COOKIE <<<"$EX_READY"
start_example node-b --database "$DB_URL" --join
B_PID="$EX_PID"
read -r _ B_URL _ <<<"$EX_READY"
start_example node-c --database "$DB_URL" --join
C_PID="$EX_PID"
read -r _ C_URL _ <<<"$EX_READY"

if command -v curl >/dev/null 2>&1; then
    # What each target answers, so that the figures are about the intended path.
    [ "$(curl -s -H "Cookie: $SQLITE_COOKIE" "$SQLITE_URL/bench-policy/")" = ok ] || die "the SQLite node does not answer the backend's ok"
    for url in "$A_URL" "$B_URL" "$C_URL"; do
        [ "$(curl -s -H "Cookie: $COOKIE" "$url/bench-policy/")" = ok ] || die "$url does not answer the backend's ok with the session made on A"
        code="$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept: application/json' "$url/bench-policy/")"
        [ "$code" = 401 ] || die "$url answers $code without a session (expected 401)"
    done
fi

# --- measurements ------------------------------------------------------------------------
# The database's own counters: "transactions sessions_scans statements" ("-": no
# pg_stat_statements). Each reading is one connection and one transaction of its own.
db_counters() {
    local statements="'-'"
    [ "$STATEMENTS" = 1 ] && statements="(SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()))::text"
    psql -qAt -F ' ' "$DB_URL" -c "SELECT
        (SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()),
        (SELECT coalesce(sum(seq_scan + coalesce(idx_scan, 0)), 0) FROM pg_stat_user_tables WHERE relname = 'sessions'),
        $statements"
}

# run_wrk label url pid warm [wrk args...]: a warm-up when warm = 1, one measurement;
# appends "round label rps p50_ms p99_ms non2xx socket_errors cpu_us requests" to
# $TMP/results, the CPU figure being the node's per request.
run_wrk() {
    local label="$1" url="$2" pid="$3" warm="$4"; shift 4
    [ "$warm" = 1 ] && wrk_warm "$url" "$@"
    local p0 p1 cpu
    p0="$(cpu_ticks "$pid")"
    wrk_measure "$label" "$TMP/wrk-$label-round$ROUND.txt" "$url" "$@"
    p1="$(cpu_ticks "$pid")"
    cpu="$(per_request_us $((p1 - p0)) "$REQUESTS")"
    echo "$ROUND $label $RPS $P50 $P99 $NON2XX $ERRORS $cpu $REQUESTS" >>"$TMP/results"
    log "  $label: $RPS req/s, p50 $P50 ms, p99 $P99 ms, non-2xx $NON2XX, socket errors $ERRORS, CPU/request $cpu us"
}

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
log "backend $BACKEND_URL; SQLite node $SQLITE_URL; PostgreSQL nodes $A_URL $B_URL $C_URL on database $DB ($GATEWAY_THREADS thread(s) each)"
log "wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION --latency (warm-up $WRK_WARMUP), $ROUNDS round(s)${WRK_CPUS:+, wrk on CPU $WRK_CPUS, nodes on CPU $SERVER_CPUS}"
: >"$TMP/results"
: >"$TMP/db"
for ROUND in $(seq "$ROUNDS"); do
    log "round $ROUND"
    run_wrk sqlite "$SQLITE_URL/bench-policy/" "$SQLITE_PID" 1 -H "Cookie: $SQLITE_COOKIE"
    # Warm every PostgreSQL node up outside the counted window, then let PostgreSQL
    # report what came before it.
    for url in "$A_URL" "$B_URL" "$C_URL"; do
        on_wrk "$WRK" -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$WRK_WARMUP" -H "Cookie: $COOKIE" "$url/bench-policy/" >/dev/null 2>&1 || true
    done
    sleep "$STATS_FLUSH"
    read -r x0 s0 q0 <<<"$(db_counters)"; t0="$(date +%s.%N)"
    run_wrk node-a "$A_URL/bench-policy/" "$A_PID" 0 -H "Cookie: $COOKIE"
    run_wrk node-b "$B_URL/bench-policy/" "$B_PID" 0 -H "Cookie: $COOKIE"
    run_wrk node-c "$C_URL/bench-policy/" "$C_PID" 0 -H "Cookie: $COOKIE"
    sleep "$STATS_FLUSH"
    read -r x1 s1 q1 <<<"$(db_counters)"; t1="$(date +%s.%N)"
    # The idle interval: as long as the busy one, the nodes up and nothing sent to them.
    idle="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')"
    log "  idle interval of $idle s (background database work) ..."
    sleep "$idle"
    read -r x2 s2 q2 <<<"$(db_counters)"
    requests="$(awk -v r="$ROUND" '$1 == r && $2 ~ /^node-/ { n += $9 } END { print n }' "$TMP/results")"
    echo "$ROUND $requests $((x1 - x0)) $((x2 - x1)) $((s1 - s0)) $((s2 - s1)) $( [ "$q0" = - ] && echo "- -" || echo "$((q1 - q0)) $((q2 - q1))") $idle" >>"$TMP/db"
done

LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# Every node answered 200 with the session: anything else is a failed run.
awk '$6 != 0 || $7 != 0 { bad = 1 } END { exit bad }' "$TMP/results" \
    || die "unexpected statuses or socket errors (every node must answer 200 with the session): $(cat "$TMP/results")"

# --- report ------------------------------------------------------------------------------
echo
echo "| round | database work per proxied request, net of background (target 0) | transactions | sessions-table scans | statements (pg_stat_statements) |"
echo "|---:|---|---:|---:|---:|"
awk '{
    tx = ($3 - $4) / $2; sc = ($5 - $6) / $2
    st = $7 == "-" ? "not loaded" : sprintf("%.4f", ($7 - $8) / $2)
    worst = tx > sc ? tx : sc; if ($7 != "-" && ($7 - $8) / $2 > worst) worst = ($7 - $8) / $2
    printf "| %d | %s (%d requests on A, B, C; busy %d tx, idle %d tx over %s s) | %.4f | %.4f | %s |\n", $1, (worst < 0.001 ? "**0** (< 0.001)" : sprintf("%.4f (miss)", worst)), $2, $3, $4, $9, tx, sc, st }' "$TMP/db"
echo
echo "| round | node | requests/s vs SQLite node | p99 vs SQLite node | CPU per request vs SQLite node |"
echo "|---:|---|---:|---:|---:|"
awk '{ rps[$1, $2] = $3; p99[$1, $2] = $5; cpu[$1, $2] = $8; if ($1 > last) last = $1 }
     END {
        split("node-a node-b node-c", nodes, " ")
        for (r = 1; r <= last; r++) for (i = 1; i <= 3; i++) {
            n = nodes[i]
            printf "| %d | %s | %.2f | %.2f | %s |\n", r, n, rps[r, n] / rps[r, "sqlite"], p99[r, n] / p99[r, "sqlite"], (cpu[r, "sqlite"] > 0 ? sprintf("%.2f", cpu[r, n] / cpu[r, "sqlite"]) : "-") } }' "$TMP/results"
echo
echo "Machine: $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo); PostgreSQL $(psql -qAt "$PG_URL" -c 'SHOW server_version'); $("$WRK" --version 2>&1 | awk 'NR == 1 { print $1, $2 }')"
echo "Load average (1, 5, 15 min) before: $LOAD_BEFORE, after: $LOAD_AFTER (the benchmark itself keeps about 2 busy: more means other work shared the CPUs)"
echo "Threads per node = $GATEWAY_THREADS; backend nginx: 1 worker; wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION --latency${WRK_CPUS:+; wrk pinned to CPU $WRK_CPUS, nodes to CPU $SERVER_CPUS}; PostgreSQL unpinned"
echo
echo "| round | node | requests/s | p50 (ms) | p99 (ms) | non-2xx | socket errors | node CPU µs/req |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|"
awk '{
    name = $2 == "sqlite" ? "one node on SQLite" : $2 == "node-a" ? "**node A** (PostgreSQL, session made here)" : $2 == "node-b" ? "**node B** (PostgreSQL)" : "**node C** (PostgreSQL)"
    printf "| %d | %s | %.0f | %.3f | %.3f | %s | %s | %s |\n", $1, name, $3, $4, $5, $6, $7, $8 }' "$TMP/results"
