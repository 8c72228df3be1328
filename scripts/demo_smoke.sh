#!/usr/bin/env bash
# Smoke test of `maatwerk demo`: start it on a free port with a throw-away data directory,
# wait until the login page answers, log in as the demo clinician (password + TOTP) with
# scripts/demo_login_check.py, check that the background worker started beside it runs the
# periodic tick (`maatwerk worker-status`), and stop everything again whatever happens.
#
# Environment: DEMO_PORT (default 8765), DEMO_START_TIMEOUT (seconds, default 120), and
# DEMO_EMAIL / DEMO_PASSWORD / DEMO_TOTP_SECRET / DEMO_NAME (read by demo_login_check.py).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${DEMO_PORT:-8765}"
TIMEOUT="${DEMO_START_TIMEOUT:-120}"
BASE_URL="http://127.0.0.1:${PORT}"
PYTHON=.venv/bin/python
MAATWERK="${DEMO_MAATWERK:-.venv/bin/maatwerk}"  # override only to test this script

for tool in "$PYTHON" "$MAATWERK"; do
    if [[ ! -x "$tool" ]]; then
        echo "demo_smoke: $tool not found; run 'make install' first" >&2
        exit 1
    fi
done

# The port must be free: otherwise we would be testing whatever else is listening there.
if ! "$PYTHON" - "$PORT" <<'EOF'
import socket
import sys

with socket.socket() as s:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", int(sys.argv[1])))
    except OSError as error:
        sys.exit(f"demo_smoke: port {sys.argv[1]} on 127.0.0.1 is not free ({error})")
EOF
then
    exit 1
fi

# A fresh, empty data directory: its own SQLite database and secret key, nothing reused.
# The smoke test always runs on the embedded SQLite default.
MAATWERK_DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/maatwerk-demo.XXXXXX")"
export MAATWERK_DATA_DIR
unset DATABASE_URL
LOG="$(mktemp "${TMPDIR:-/tmp}/maatwerk-demo-log.XXXXXX")"
SERVER_PID=""

stop_server() {
    [[ -n "$SERVER_PID" ]] || return 0
    # The server runs in its own process group (setsid), so children such as an
    # autoreloader's worker are stopped with it.
    kill -TERM -- "-$SERVER_PID" 2>/dev/null || kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.2
    done
    kill -KILL -- "-$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}

show_log() {
    echo "----- maatwerk demo log ($LOG) -----" >&2
    cat "$LOG" >&2 || true
    echo "----- end of log -----" >&2
}

on_exit() {
    local status=$?
    stop_server
    if [[ $status -ne 0 ]]; then
        show_log
        echo "demo_smoke: FAILED (exit $status)" >&2
    fi
    rm -rf "$MAATWERK_DATA_DIR" "$LOG"
    exit "$status"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "demo_smoke: starting '$MAATWERK demo --port $PORT' (data in $MAATWERK_DATA_DIR)"
setsid "$MAATWERK" demo --port "$PORT" </dev/null >"$LOG" 2>&1 &
SERVER_PID=$!

http_status() {
    "$PYTHON" - "$1" <<'EOF'
import sys
import urllib.error
import urllib.request

try:
    with urllib.request.urlopen(sys.argv[1], timeout=5) as response:
        print(response.status)
except urllib.error.HTTPError as error:
    print(error.code)
except Exception:
    print(0)
EOF
}

echo "demo_smoke: waiting up to ${TIMEOUT}s for ${BASE_URL}/accounts/login/"
deadline=$((SECONDS + TIMEOUT))
while :; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        wait "$SERVER_PID" && server_status=0 || server_status=$?
        SERVER_PID=""
        echo "demo_smoke: the demo server exited (status $server_status) before it answered" >&2
        exit 1
    fi
    status="$(http_status "${BASE_URL}/accounts/login/")"
    if [[ "$status" == "200" ]]; then
        break
    fi
    if ((SECONDS >= deadline)); then
        echo "demo_smoke: ${BASE_URL}/accounts/login/ did not answer 200 within ${TIMEOUT}s" \
            "(last status: $status)" >&2
        exit 1
    fi
    sleep 1
done
echo "demo_smoke: login page answers 200 after $((SECONDS + TIMEOUT - deadline))s"

"$PYTHON" scripts/demo_login_check.py "$BASE_URL"

# The worker enqueues the tick of the current minute as it starts and runs it at once;
# worker-status exits 0 once a tick has finished (in the same data directory).
echo "demo_smoke: waiting up to ${TIMEOUT}s for the background worker's first periodic tick"
deadline=$((SECONDS + TIMEOUT))
until "$MAATWERK" worker-status >/dev/null 2>&1; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "demo_smoke: the demo exited before its worker ran a tick" >&2
        exit 1
    fi
    if ((SECONDS >= deadline)); then
        "$MAATWERK" worker-status >&2 || true
        echo "demo_smoke: the background worker ran no periodic tick within ${TIMEOUT}s" >&2
        exit 1
    fi
    sleep 1
done
"$MAATWERK" worker-status
echo "demo_smoke: passed"
