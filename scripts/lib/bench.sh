# Shared by the benchmark scripts (bench-proxy.sh, bench-cluster.sh); sourced, not run.
# The caller sets BENCH_NAME, GATEWAY_THREADS, WRK_*, BENCH_PIN, KEEP_TMP and ROOT, then
# calls bench_setup [command:package ...] (the tools it needs besides nginx and wrk). It
# may define bench_cleanup, run at exit before the temporary directory goes.

log() { printf '%s\n' "$*" >&2; }
die() { log "$BENCH_NAME: $*"; exit 1; }

# --- tools ------------------------------------------------------------------------------
install_tools() { # [command:package ...]
    local missing=() pair
    command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
    command -v wrk >/dev/null 2>&1 || missing+=(wrk)
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" -eq 0 ] || die "missing ${missing[*]}: install them (apt-get install ${missing[*]}) or run as root"
    log "installing ${missing[*]} ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    if ! apt-get install -y -qq "${missing[@]}" >/dev/null; then
        # Newer Debian releases have no nginx-light: the plain package does as well.
        apt-get install -y -qq "${missing[@]/nginx-light/nginx}" >/dev/null
    fi
}

# --- processes and cleanup ---------------------------------------------------------------
PIDS=()

cleanup() {
    local status=$?
    set +e
    # SIGTERM ends the examples (closing their stdin, when this shell exits, too).
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    declare -F bench_cleanup >/dev/null && bench_cleanup
    if [ "$KEEP_TMP" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
    exit "$status"
}

# bench_setup [command:package ...]: the tools, the gateway example (GATEWAY_BIN, built
# when not given), the temporary directory TMP with its cleanup, and the CPU split.
bench_setup() {
    install_tools "$@"
    NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
    WRK="$(command -v wrk)"
    if [ -z "${GATEWAY_BIN:-}" ]; then
        log "building the gateway example (release) ..."
        (cd "$ROOT" && cargo build --release --quiet -p gateway --example bench_gateway)
        GATEWAY_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/examples/bench_gateway"
    fi
    [ -x "$GATEWAY_BIN" ] || die "no gateway example at $GATEWAY_BIN"
    TMP="$(mktemp -d "${TMPDIR:-/tmp}/$BENCH_NAME.XXXXXX")"
    chmod 755 "$TMP" # nginx workers run as nobody when started by root
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    # CPU split: wrk on the last CPU, the servers on the others.
    NCPU="$(nproc)"
    SERVER_CPUS=""; WRK_CPUS=""
    if [ "$BENCH_PIN" = 1 ] && [ "$NCPU" -ge 2 ] && command -v taskset >/dev/null 2>&1; then
        WRK_CPUS="$((NCPU - 1))"
        SERVER_CPUS="0-$((NCPU - 2))"
        [ "$GATEWAY_THREADS" -le $((NCPU - 1)) ] \
            || log "note: $GATEWAY_THREADS gateway threads share $((NCPU - 1)) CPU(s) with the backend"
    fi
}

# Servers start as `exec_on_servers cmd... &`: the exec makes $! the server's own pid.
exec_on_servers() { if [ -n "$SERVER_CPUS" ]; then exec taskset -c "$SERVER_CPUS" "$@"; else exec "$@"; fi; }
on_wrk() { if [ -n "$WRK_CPUS" ]; then taskset -c "$WRK_CPUS" "$@"; else "$@"; fi; }

free_port() {
    if python3 -c 'import socket' >/dev/null 2>&1; then
        python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
        return
    fi
    local port
    while :; do
        port=$((20000 + RANDOM % 40000))
        ss -Htln "sport = :$port" | grep -q . || { echo "$port"; return; }
    done
}

wait_http() { # url: wait until something accepts connections there (bash /dev/tcp)
    local hostport="${1#http://}" host port
    hostport="${hostport%%/*}"; host="${hostport%:*}"; port="${hostport##*:}"
    for _ in $(seq 100); do
        if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    die "nothing listens on $1"
}

# --- nginx -------------------------------------------------------------------------------
nginx_conf() { # name workers body...
    local name="$1" workers="$2"; shift 2
    mkdir -p "$TMP/$name"
    cat >"$TMP/$name/nginx.conf" <<EOF
worker_processes $workers;
daemon off;
pid $TMP/$name/nginx.pid;
error_log $TMP/$name/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $TMP/$name/client_body;
    proxy_temp_path $TMP/$name/proxy;
    fastcgi_temp_path $TMP/$name/fastcgi;
    uwsgi_temp_path $TMP/$name/uwsgi;
    scgi_temp_path $TMP/$name/scgi;
    keepalive_requests 100000000;
    keepalive_timeout 75s;
$*
}
EOF
}

start_nginx() { # name
    local name="$1"
    exec_on_servers "$NGINX" -p "$TMP/$name" -e "$TMP/$name/error.log" -c "$TMP/$name/nginx.conf" \
        </dev/null >"$TMP/$name/stdout.log" 2>&1 &
    PIDS+=($!)
}

# start_backend: nginx, 1 worker, answering "ok" to everything; sets BACKEND_PORT,
# BACKEND_PID and BACKEND_URL.
start_backend() {
    BACKEND_PORT="$(free_port)"
    nginx_conf backend 1 "
    server {
        listen 127.0.0.1:$BACKEND_PORT;
        location / { default_type text/plain; return 200 \"ok\"; }
    }"
    start_nginx backend
    BACKEND_PID="${PIDS[-1]}"
    BACKEND_URL="http://127.0.0.1:$BACKEND_PORT"
    wait_http "$BACKEND_URL"
}

# start_example name [args...]: the gateway example on the server CPUs; sets EX_PID and
# EX_READY ("READY <url> <cookie>"). It reads its stdin until it closes: a FIFO held open
# by this shell ends it when this script ends, however it ends.
FD=8
start_example() {
    local name="$1"; shift
    mkfifo "$TMP/$name.stdin"
    exec_on_servers "$GATEWAY_BIN" --upstream "$BACKEND_URL" --threads "$GATEWAY_THREADS" "$@" \
        <"$TMP/$name.stdin" >"$TMP/$name.out" 2>"$TMP/$name.err" &
    EX_PID=$!
    PIDS+=("$EX_PID")
    FD=$((FD + 1))
    eval "exec $FD>\"\$TMP/\$name.stdin\""
    EX_READY=""
    for _ in $(seq 600); do
        EX_READY="$(grep -m1 '^READY ' "$TMP/$name.out" 2>/dev/null || true)"
        [ -n "$EX_READY" ] && return 0
        kill -0 "$EX_PID" 2>/dev/null || { cat "$TMP/$name.err" >&2; die "the $name example stopped"; }
        sleep 0.1
    done
    die "the $name example did not get ready in 60 s"
}

# --- measurements ------------------------------------------------------------------------
to_ms() { # wrk duration (us, ms, s, m) -> milliseconds
    awk -v v="$1" 'BEGIN {
        n = v + 0
        if (v ~ /us$/) n = n / 1000; else if (v ~ /ms$/) n = n; else if (v ~ /m$/) n = n * 60000; else if (v ~ /s$/) n = n * 1000
        printf "%.3f", n }'
}

# CPU time (clock ticks) used so far by these processes and their children (nginx
# workers); a gateway's threads are counted in its process.
CLK_TCK="$(getconf CLK_TCK)"
cpu_ticks() {
    local total=0 pid t
    for pid in "$@" $(for p in "$@"; do pgrep -P "$p"; done); do
        t="$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{ print $12 + $13 }')"
        total=$((total + ${t:-0}))
    done
    echo "$total"
}

# per_request_us ticks requests: CPU microseconds per request.
per_request_us() {
    awk -v d="$1" -v n="$2" -v hz="$CLK_TCK" 'BEGIN { printf "%.1f", d * 1e6 / hz / n }'
}

# wrk_warm url [wrk args...]: a warm-up run, its figures thrown away.
wrk_warm() {
    local url="$1"; shift
    on_wrk "$WRK" -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$WRK_WARMUP" "$@" "$url" >/dev/null 2>&1 || true
}

# wrk_measure label out url [wrk args...]: one measured run into the file `out`; sets
# RPS, REQUESTS, P50, P99 (ms), NON2XX and ERRORS from it.
wrk_measure() {
    local label="$1" out="$2" url="$3"; shift 3
    on_wrk "$WRK" -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$WRK_DURATION" --latency "$@" "$url" >"$out" 2>&1 \
        || die "wrk failed on $label: $(cat "$out")"
    RPS="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
    REQUESTS="$(awk '/ requests in / { print $1; exit }' "$out")"
    P50="$(to_ms "$(awk '$1 == "50%" { print $2; exit }' "$out")")"
    P99="$(to_ms "$(awk '$1 == "99%" { print $2; exit }' "$out")")"
    NON2XX="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")"
    NON2XX="${NON2XX:-0}"
    ERRORS="$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$out")"
    ERRORS="${ERRORS:-0}"
    [ -n "$RPS" ] && [ "${REQUESTS:-0}" -gt 0 ] || die "cannot read wrk's output for $label: $(cat "$out")"
}
