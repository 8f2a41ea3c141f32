#!/usr/bin/env bash
# Proxy benchmark, in one run on loopback (docs/BENCHMARKS.md, "Proxy throughput and
# latency"):
#
#   backend  nginx, 1 worker, `return 200 "ok"`            wrk -> backend
#   nginx    nginx keepalive reverse proxy, N workers      wrk -> nginx   -> backend
#   gateway  gateway example, N tokio worker threads,      wrk -> gateway -> backend
#            a real session (cookie), route authenticated
#   gw-policy the same session on a route under access = "policy" (the access model
#            decides GET = bench/read in the person's organisation)
#   gw-401   the gateway without a cookie: refused, 401    wrk -> gateway
#   floor    (BENCH_FLOOR=1) bare hyper proxy, N threads   wrk -> hyper   -> backend
#
# and prints the ratios gateway/nginx against the targets first (throughput >= 1.0x
# nginx, p99 <= 1.2x nginx, for the authenticated and the policy route), then
# requests/s, p50 and p99 of each. Ratios are the result: absolute
# figures depend on the machine and on what else runs on it.
#
# Usage: scripts/bench-proxy.sh        (as root it installs nginx and wrk when missing)
#
# Environment (defaults in brackets):
#   GATEWAY_THREADS [1]    tokio worker threads of the gateway = nginx proxy workers
#   WRK_THREADS [1]  WRK_CONNECTIONS [32]  WRK_DURATION [10s]  WRK_WARMUP [2s]
#   ROUNDS [3]             measurement rounds (every target once per round, interleaved)
#   BENCH_PIN [1]          with taskset and >= 2 CPUs: wrk on the last CPU, the servers
#                          on the others (the same split for nginx and the gateway)
#   GATEWAY_BIN            a built bench_gateway; otherwise this script builds it
#                          (cargo build --release -p gateway --example bench_gateway)
#   BENCH_FLOOR [1]        also measure the floor of the gateway's stack: the example with
#                          --bare (hyper server + the same pooled hyper-util client, no
#                          gateway logic), to tell the stack's cost from the gateway's
#   KEEP_TMP [0]           keep the temporary directory (configs, logs, wrk outputs)
#
# Not part of the test suite: it takes about a minute per round and needs quiet CPUs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GATEWAY_THREADS="${GATEWAY_THREADS:-1}"
WRK_THREADS="${WRK_THREADS:-1}"
WRK_CONNECTIONS="${WRK_CONNECTIONS:-32}"
WRK_DURATION="${WRK_DURATION:-10s}"
WRK_WARMUP="${WRK_WARMUP:-2s}"
ROUNDS="${ROUNDS:-3}"
BENCH_PIN="${BENCH_PIN:-1}"
KEEP_TMP="${KEEP_TMP:-0}"
BENCH_FLOOR="${BENCH_FLOOR:-1}"

BENCH_NAME=bench-proxy
# shellcheck source=lib/bench.sh
. "$ROOT/scripts/lib/bench.sh"
bench_setup

start_backend

PROXY_PORT="$(free_port)"
nginx_conf proxy "$GATEWAY_THREADS" "
    upstream backend {
        server 127.0.0.1:$BACKEND_PORT;
        keepalive 128;
        keepalive_requests 100000000;
    }
    server {
        listen 127.0.0.1:$PROXY_PORT;
        location /bench/ {
            proxy_pass http://backend/;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
            proxy_set_header Host \$proxy_host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
        }
    }"
start_nginx proxy
PROXY_PID="${PIDS[-1]}"
PROXY_URL="http://127.0.0.1:$PROXY_PORT"
wait_http "$PROXY_URL"

start_example gateway
GATEWAY_PID="$EX_PID"
read -r _ GATEWAY_URL COOKIE <<<"$EX_READY"
FLOOR_URL=""
if [ "$BENCH_FLOOR" = 1 ]; then
    start_example floor --bare
    FLOOR_PID="$EX_PID"
    read -r _ FLOOR_URL _ <<<"$EX_READY"
fi
if command -v curl >/dev/null 2>&1; then
    # What each target answers, so that the figures are about the intended path.
    [ "$(curl -s "$PROXY_URL/bench/")" = ok ] || die "the nginx proxy does not answer the backend's ok"
    [ "$(curl -s -H "Cookie: $COOKIE" "$GATEWAY_URL/bench/")" = ok ] || die "the gateway does not answer the backend's ok"
    [ "$(curl -s -H "Cookie: $COOKIE" "$GATEWAY_URL/bench-policy/")" = ok ] || die "the gateway does not answer the backend's ok on the policy route"
    code="$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept: application/json' "$GATEWAY_URL/bench/")"
    [ "$code" = 401 ] || die "the gateway answers $code without a session (expected 401)"
    [ -z "$FLOOR_URL" ] || [ "$(curl -s "$FLOOR_URL/bench/")" = ok ] || die "the bare hyper proxy does not answer the backend's ok"
fi

# --- measurements ------------------------------------------------------------------------
# run_wrk label url "proxy pids" [wrk args...]: one warm-up, one measurement; appends
# "round label rps p50_ms p99_ms non2xx socket_errors proxy_cpu_us backend_cpu_us" to
# $TMP/results, the CPU figures being per request (proxy: 0 when there is none).
run_wrk() {
    local label="$1" url="$2" proxy_pids="$3"; shift 3
    wrk_warm "$url" "$@"
    local p0 b0 p1 b1 pcpu bcpu
    # shellcheck disable=SC2086 # pid lists
    p0="$(cpu_ticks $proxy_pids)"; b0="$(cpu_ticks "$BACKEND_PID")"
    wrk_measure "$label" "$TMP/wrk-$label-round$ROUND.txt" "$url" "$@"
    # shellcheck disable=SC2086
    p1="$(cpu_ticks $proxy_pids)"; b1="$(cpu_ticks "$BACKEND_PID")"
    pcpu="$(per_request_us $((p1 - p0)) "$REQUESTS")"
    bcpu="$(per_request_us $((b1 - b0)) "$REQUESTS")"
    echo "$ROUND $label $RPS $P50 $P99 $NON2XX $ERRORS $pcpu $bcpu" >>"$TMP/results"
    log "  $label: $RPS req/s, p50 $P50 ms, p99 $P99 ms, non-2xx $NON2XX, socket errors $ERRORS, CPU/request: proxy $pcpu us, backend $bcpu us"
}

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
log "backend $BACKEND_URL, nginx proxy $PROXY_URL ($GATEWAY_THREADS worker(s)), gateway $GATEWAY_URL ($GATEWAY_THREADS thread(s))"
log "wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION --latency (warm-up $WRK_WARMUP), $ROUNDS round(s)${WRK_CPUS:+, wrk on CPU $WRK_CPUS, servers on CPU $SERVER_CPUS}"
: >"$TMP/results"
for ROUND in $(seq "$ROUNDS"); do
    log "round $ROUND"
    run_wrk backend "$BACKEND_URL/" ""
    run_wrk nginx "$PROXY_URL/bench/" "$PROXY_PID"
    run_wrk gateway "$GATEWAY_URL/bench/" "$GATEWAY_PID" -H "Cookie: $COOKIE"
    run_wrk gw-policy "$GATEWAY_URL/bench-policy/" "$GATEWAY_PID" -H "Cookie: $COOKIE"
    run_wrk gw-401 "$GATEWAY_URL/bench/" "$GATEWAY_PID" -H "Accept: application/json"
    [ -z "$FLOOR_URL" ] || run_wrk floor "$FLOOR_URL/bench/" "$FLOOR_PID"
done

LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# The gateway answered 200 with the session and 401 without: anything else is a failed run.
awk '($2 == "gateway" || $2 == "gw-policy" || $2 == "floor") && $6 != 0 { bad = 1 } $2 == "gw-401" && $6 == 0 { bad = 1 } END { exit bad }' "$TMP/results" \
    || die "unexpected statuses (gateway must answer 200 with the cookie, 401 without): $(cat "$TMP/results")"

# --- report ------------------------------------------------------------------------------
echo
echo "Machine: $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo); $("$NGINX" -v 2>&1 | sed 's/^nginx version: //'); $("$WRK" --version 2>&1 | awk 'NR == 1 { print $1, $2 }')"
echo "Load average (1, 5, 15 min) before: $LOAD_BEFORE, after: $LOAD_AFTER (the benchmark itself keeps about 2 busy: more means other work shared the CPUs)"
echo "Gateway threads = nginx proxy workers = $GATEWAY_THREADS; backend nginx: 1 worker; wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION --latency${WRK_CPUS:+; wrk pinned to CPU $WRK_CPUS, servers to CPU $SERVER_CPUS}"
echo
echo "| round | gateway/nginx requests/s (target >= 1.00) | gateway/nginx p99 (target <= 1.20) | policy route/nginx requests/s (target >= 1.00) | policy route/nginx p99 (target <= 1.20) | gateway/nginx proxy CPU per request | nginx/backend requests/s | floor/nginx requests/s |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
awk 'function median(a, n,    i, j, x) { # insertion sort, then the middle
        for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
     function row(r) {
        n++
        t[n] = rps[r, "gateway"] / rps[r, "nginx"]; p[n] = p99[r, "gateway"] / p99[r, "nginx"]
        pt[n] = rps[r, "gw-policy"] / rps[r, "nginx"]; pp[n] = p99[r, "gw-policy"] / p99[r, "nginx"]
        c[n] = cpu[r, "nginx"] > 0 ? cpu[r, "gateway"] / cpu[r, "nginx"] : 0
        f = (r, "floor") in rps ? sprintf("%.2f", rps[r, "floor"] / rps[r, "nginx"]) : "-"
        printf "| %d | %.2f%s | %.2f%s | %.2f%s | %.2f%s | %.2f | %.2f | %s |\n", r, t[n], t[n] >= 1.0 ? "" : " (miss)", p[n], p[n] <= 1.2 ? "" : " (miss)", pt[n], pt[n] >= 1.0 ? "" : " (miss)", pp[n], pp[n] <= 1.2 ? "" : " (miss)", c[n], rps[r, "nginx"] / rps[r, "backend"], f }
     { rps[$1, $2] = $3; p99[$1, $2] = $5; cpu[$1, $2] = $8; if ($1 > last) last = $1 }
     END {
        for (r = 1; r <= last; r++) row(r)
        mt = median(t, n); mp = median(p, n); mc = median(c, n); mpt = median(pt, n); mpp = median(pp, n)
        printf "| median | %.2f%s | %.2f%s | %.2f%s | %.2f%s | %.2f | | |\n", mt, mt >= 1.0 ? "" : " (miss)", mp, mp <= 1.2 ? "" : " (miss)", mpt, mpt >= 1.0 ? "" : " (miss)", mpp, mpp <= 1.2 ? "" : " (miss)", mc }' "$TMP/results"
echo
echo "| round | target | requests/s | p50 (ms) | p99 (ms) | non-2xx | socket errors | proxy CPU µs/req | backend CPU µs/req |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|"
awk '{
    name = $2 == "backend" ? "backend direct (nginx `return 200`)" : $2 == "nginx" ? "nginx keepalive proxy" : $2 == "gateway" ? "**gateway, valid session**" : $2 == "gw-policy" ? "**gateway, policy route**" : $2 == "gw-401" ? "gateway, no session (401)" : "bare hyper proxy (floor)"
    printf "| %d | %s | %.0f | %.3f | %.3f | %s | %s | %s | %s |\n", $1, name, $3, $4, $5, $6, $7, $2 == "backend" ? "-" : $8, $2 == "gw-401" ? "-" : $9 }' "$TMP/results"
