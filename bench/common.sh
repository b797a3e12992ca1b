# Shell helpers of bench/run and bench/soak: logging, stopping a process, free ports,
# waiting for an HTTP status.

log() { printf '[bench %(%T)T] %s\n' -1 "$*" >&2; }

stop_pid() { # pid, seconds to wait after TERM
    local pid="$1" wait="${2:-20}" i
    [ -n "$pid" ] || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < wait * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { # first free port from $1
    local p
    for ((p = $1; p < $1 + 200; p++)); do
        if port_free "$p"; then echo "$p"; return 0; fi
    done
    echo "no free port near $1" >&2
    return 1
}

http_status() { # port path -> status code of GET, or 000
    curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$1$2" 2>/dev/null || true
}

wait_http() { # port path expected-status (or "any") seconds what
    local i s
    for ((i = 0; i < $4 * 10; i++)); do
        s="$(http_status "$1" "$2")"
        [ "$s" = "$3" ] && return 0
        [ "$3" = any ] && [ "$s" != 000 ] && [ -n "$s" ] && return 0
        sleep 0.1
    done
    log "$5 did not answer $3 on 127.0.0.1:$1$2 within $4 s"
    return 1
}

