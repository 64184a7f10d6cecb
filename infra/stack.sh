#!/usr/bin/env bash
# ./mmdgan up [--foreground] | status [--json] | logs NAME [-f] | down — the whole product on this machine, on loopback:
# the Kafka broker and S3 server of `./mmdgan infra`, then the trainer, evaluator and sampler services, and a demo run.
#
# Everything lives under one state folder, .mmdgan/ (git-ignored; MMDGAN_STATE_DIR): logs/NAME.log, NAME.pid, the
# broker's and store's state (infra/), each service's work folder (work/NAME) and the demo run's id. `down` ends exactly
# the processes `up` recorded there (each pid checked against its command line), nothing else.
#
# Ports: MMDGAN_HTTP_PORT moves all three services (trainer there, sampler +2, evaluator +4; default 8080), or one at a
# time MMDGAN_TRAINER_PORT, MMDGAN_SAMPLER_PORT, MMDGAN_EVALUATOR_PORT; broker and store as for `./mmdgan infra`
# (MMDGAN_KAFKA_PORT 9092, MMDGAN_KAFKA_CONTROLLER_PORT 9093, MMDGAN_S3_PORT 9000).
# Other settings: MMDGAN_DEMO=0 starts no demo run; MMDGAN_DEMO_STEPS (2000); MMDGAN_NO_BUILD=1 builds nothing;
# MMDGAN_UP_TIMEOUT (seconds a service may take to become ready, 180).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${MMDGAN_STATE_DIR:-$ROOT/.mmdgan}"
export MMDGAN_INFRA_DIR="${MMDGAN_INFRA_DIR:-$STATE/infra}"
BASE_PORT="${MMDGAN_HTTP_PORT:-8080}"
KAFKA_PORT="${MMDGAN_KAFKA_PORT:-9092}"
S3_PORT="${MMDGAN_S3_PORT:-9000}"
S3_ACCESS_KEY="${MMDGAN_S3_ACCESS_KEY:-mmdgan-dev}"
S3_SECRET_KEY="${MMDGAN_S3_SECRET_KEY:-mmdgan-dev-secret}"
UP_TIMEOUT="${MMDGAN_UP_TIMEOUT:-180}"
FASHION_DIR=/usr/share/datasets/fashion-mnist
# Start order; `down` goes the other way.
SERVICES=(trainer evaluator sampler)

usage() {
  cat >&2 <<'EOF'
usage: ./mmdgan up [--foreground]     start broker, store, services and a demo run; return when ready
       ./mmdgan status [--json]       each component's state, address and pid, and the runs
       ./mmdgan logs NAME [-f]        a component's log (kafka, s3, trainer, evaluator, sampler)
       ./mmdgan down                  stop everything `up` started, and nothing else
EOF
  exit 2
}

port_of() {
  case "$1" in
    trainer) echo "${MMDGAN_TRAINER_PORT:-$BASE_PORT}" ;;
    sampler) echo "${MMDGAN_SAMPLER_PORT:-$((BASE_PORT + 2))}" ;;
    evaluator) echo "${MMDGAN_EVALUATOR_PORT:-$((BASE_PORT + 4))}" ;;
    kafka) echo "$KAFKA_PORT" ;;
    s3) echo "$S3_PORT" ;;
  esac
}

port_variable() {
  case "$1" in
    trainer|sampler|evaluator) echo "MMDGAN_$(tr '[:lower:]' '[:upper:]' <<< "$1")_PORT (or MMDGAN_HTTP_PORT for all three)" ;;
    kafka) echo MMDGAN_KAFKA_PORT ;;
    s3) echo MMDGAN_S3_PORT ;;
  esac
}

module_of() { echo "$1-service"; }
jar_of() { echo "$ROOT/$(module_of "$1")/target/quarkus-app/quarkus-run.jar"; }

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The pid `up` recorded for a service, if that process is still the one it started (same jar on its command line).
live_pid() {
  local pidfile="$STATE/$1.pid" pid cmd
  [[ -f "$pidfile" ]] || return 1
  pid="$(cat "$pidfile")"
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  cmd="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmd" == *"$(jar_of "$1")"* ]] && echo "$pid"
}

# The pid of kafka or s3 as `./mmdgan infra` recorded it in this state folder.
infra_pid() {
  local pidfile="$MMDGAN_INFRA_DIR/$1.pid" pid cmd main
  [[ -f "$pidfile" ]] || return 1
  pid="$(cat "$pidfile")"
  case "$1" in kafka) main=kafka.Kafka ;; s3) main=org.gaul.s3proxy.Main ;; esac
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  cmd="$(tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline")" || return 1
  [[ "$cmd" == *"$main"* ]] && echo "$pid"
}

ready() {
  curl -fsS --max-time 3 "http://127.0.0.1:$(port_of "$1")/q/health/ready" >/dev/null 2>&1
}

# A service whose module has no gRPC service yet is a skeleton: nothing to start.
implemented() {
  grep -rqs "@GrpcService" "$ROOT/$(module_of "$1")/src/main/java"
}

log() { echo "mmdgan: $*" >&2; }

# --- up ------------------------------------------------------------------------------------------------------------

build_missing() {
  [[ "${MMDGAN_NO_BUILD:-0}" == 1 ]] && return 0
  local modules=() s jar
  for s in "${SERVICES[@]}"; do
    implemented "$s" || continue
    jar="$(jar_of "$s")"
    # Missing, or older than a source or build file of the service or of what it uses.
    if [[ ! -f "$jar" || -n "$(find "$ROOT/pom.xml" "$ROOT/proto" "$ROOT/mmd-core" "$ROOT/gan-engine" \
        "$ROOT/service-common" "$ROOT/$(module_of "$s")" -path '*/target' -prune -o -type f \
        \( -name '*.java' -o -name 'pom.xml' -o -name '*.proto' -o -name '*.properties' \) -newer "$jar" -print -quit)" ]]; then
      modules+=("$(module_of "$s")")
    fi
  done
  if [[ ${#modules[@]} -gt 0 ]]; then
    command -v mvn >/dev/null || { log "Maven (mvn) and JDK 17+ are needed to build the services; install them first"; exit 2; }
    local list
    list="$(IFS=,; echo "${modules[*]}")"
    log "building $list (first run or sources changed; a few minutes)..."
    mvn -q -B -Dstyle.color=never -f "$ROOT/pom.xml" -DskipTests -pl "$list" -am install >&2
    for s in "${modules[@]}"; do touch "$ROOT/$s/target/quarkus-app/quarkus-run.jar"; done
  fi
}

ensure_fashion_mnist() {
  [[ -f "$FASHION_DIR/train-images-idx3-ubyte.gz" ]] && return 0
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    log "installing Fashion-MNIST (Debian package dataset-fashion-mnist)..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q dataset-fashion-mnist >&2 \
      || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q dataset-fashion-mnist >&2; }
  else
    log "Fashion-MNIST is missing: run  sudo apt-get install dataset-fashion-mnist  (the demo run needs it)"
    return 1
  fi
}

check_port_free() {
  local name="$1" port
  port="$(port_of "$name")"
  if port_open "$port"; then
    log "port $port ($name) is in use by another process; set $(port_variable "$name") to another port"
    [[ "$name" == kafka || "$name" == s3 ]] && log "(if it is \`./mmdgan infra start\`'s, \`./mmdgan infra stop\` ends it)"
    exit 1
  fi
}

start_service() {
  local name="$1" port work pid
  if pid="$(live_pid "$name")"; then
    log "$name already running (pid $pid)"
    return 0
  fi
  check_port_free "$name"
  port="$(port_of "$name")"
  work="$STATE/work/$name"
  mkdir -p "$work" "$STATE/logs"
  local upper
  upper="$(tr '[:lower:]' '[:upper:]' <<< "$name")"
  # The same natives and memory cap as ./mmdgan: oneDNN/AVX2 where the CPU has AVX2, JavaCPP at 80% of the memory.
  local ext="" mem_kb jvm
  grep -qw avx2 /proc/cpuinfo 2>/dev/null && ext="-onednn-avx2"
  mem_kb="$(awk '/^MemTotal:/ {print $2}' /proc/meminfo 2>/dev/null || echo 0)"
  jvm=(-XX:+UseParallelGC -Xmx1g -Dorg.bytedeco.javacpp.platform.extension="$ext"
       -Dorg.bytedeco.javacpp.cachedir="$STATE/javacpp")
  [[ "$mem_kb" -gt 0 ]] && jvm+=(-Dorg.bytedeco.javacpp.maxPhysicalBytes=$((mem_kb * 1024 * 4 / 10)))
  # Its own session: a signal to the terminal's process group (or to `up`'s) does not reach it; `down` stops it.
  # shellcheck disable=SC2086
  env MMDGAN_HTTP_HOST=127.0.0.1 MMDGAN_HTTP_PORT="$port" QUARKUS_HTTP_PORT="$port" \
    MMDGAN_S3_ENDPOINT="http://127.0.0.1:$S3_PORT" MMDGAN_S3_ACCESS_KEY="$S3_ACCESS_KEY" \
    MMDGAN_S3_SECRET_KEY="$S3_SECRET_KEY" MMDGAN_KAFKA_BOOTSTRAP="127.0.0.1:$KAFKA_PORT" \
    "MMDGAN_${upper}_WORK_DIR=$work" MMDGAN_TRAINER_DATA_ROOTS="${MMDGAN_TRAINER_DATA_ROOTS:-$STATE/data}" \
    setsid nohup java "${jvm[@]}" ${MMDGAN_JAVA_OPTS:-} -jar "$(jar_of "$name")" > "$STATE/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$STATE/$name.pid"
  log "$name starting on 127.0.0.1:$port (pid $!, log $STATE/logs/$name.log)"
}

# Waits until every started service answers ready, with one live line; fails with the log of one that exited.
wait_ready() {
  local started=("$@") t0 now s line all pid
  t0=$(date +%s)
  while true; do
    all=1
    line=""
    for s in "${started[@]}"; do
      if ready "$s"; then
        line+=" $s ready"
      else
        all=0
        line+=" $s starting"
        if ! pid="$(cat "$STATE/$s.pid" 2>/dev/null)" || ! kill -0 "$pid" 2>/dev/null; then
          printf '\n' >&2
          log "$s exited during start; last lines of $STATE/logs/$s.log:"
          tail -25 "$STATE/logs/$s.log" >&2 || true
          return 1
        fi
      fi
    done
    now=$(date +%s)
    # One live line on a terminal; elsewhere (a log, CI) a line every 10 s.
    if [[ -t 2 ]]; then
      printf '\r\033[Kmmdgan:%s (%ds)' "$line" $((now - t0)) >&2
      [[ $all -eq 1 ]] && printf '\n' >&2
    elif [[ $all -eq 1 || $(( (now - t0) % 10 )) -eq 0 ]]; then
      echo "mmdgan:$line ($((now - t0))s)" >&2
    fi
    [[ $all -eq 1 ]] && return 0
    if (( now - t0 > UP_TIMEOUT )); then
      printf '\n' >&2
      log "not ready after ${UP_TIMEOUT}s (MMDGAN_UP_TIMEOUT); see ./mmdgan logs NAME"
      return 1
    fi
    sleep 1
  done
}

cli() {
  MMDGAN_TRAINER="127.0.0.1:$(port_of trainer)" "$ROOT/mmdgan" "$@"
}

# Builds the evaluator's Fashion-MNIST feature network on first use (a few minutes, with a progress bar), into the
# evaluator's work folder where it looks first; it uploads it to the bucket itself. Done before the demo run starts, so
# the first checkpoint finds it.
build_features() {
  local root="$STATE/work/evaluator/feature-nets"
  [[ -f "$root/fashion-mnist-cnn/v1/feature-net.properties" ]] && return 0
  [[ -d "$FASHION_DIR" ]] || return 0
  log "building the evaluator's feature network (fashion-mnist-cnn-v1; first start only)"
  "$ROOT/mmdgan" features train --dataset fashion-mnist --out "$root" >&2 \
    || log "the feature network could not be built; the evaluator will train it when the first checkpoint comes"
}

# The demo: Fashion-MNIST, dcgan-28, MMD GAN with gradient penalty and the rational-quadratic kernel mixture (the
# README's recipe), checkpoints every 250 steps: ~1 min apart on 2 cores. One per state folder: a second `up` finds it.
start_demo() {
  [[ "${MMDGAN_DEMO:-1}" == 0 ]] && return 0
  local id_file="$STATE/demo-run" id
  if [[ -s "$id_file" ]] && cli runs get "$(cat "$id_file")" >/dev/null 2>&1; then
    log "demo run $(cat "$id_file") already exists"
    return 0
  fi
  id="$(cli runs start --dataset fashion-mnist --arch dcgan-28 --loss mmd-gp --kernel rq-mix --critic-dim 128 \
    --batch 64 --n-critic 1 --lr-g 2e-4 --lr-d 2e-4 --beta2 0.999 --steps "${MMDGAN_DEMO_STEPS:-2000}" \
    --checkpoint-every 250 --seed 0 --json | sed -n 's/.*"run_id" *: *"\([^"]*\)".*/\1/p')"
  [[ -n "$id" ]] || { log "could not start the demo run"; return 1; }
  echo "$id" > "$id_file"
  log "demo run $id started (Fashion-MNIST, dcgan-28, mmd-gp + rq-mix; a checkpoint every 250 steps)"
}

print_addresses() {
  local s
  echo "dashboard:  http://127.0.0.1:$(port_of evaluator)/"
  for s in "${SERVICES[@]}"; do
    if live_pid "$s" >/dev/null; then
      printf 'gRPC %-10s 127.0.0.1:%s\n' "$s" "$(port_of "$s")"
    fi
  done
  echo "broker:     127.0.0.1:$KAFKA_PORT    store: http://127.0.0.1:$S3_PORT (bucket mmdgan)"
  [[ -s "$STATE/demo-run" ]] && echo "demo run:   $(cat "$STATE/demo-run")   (./mmdgan runs watch $(cat "$STATE/demo-run"))"
  echo "status:     ./mmdgan status    logs: ./mmdgan logs NAME [-f]    stop: ./mmdgan down"
}

# Before anything starts: every port that a component not yet running needs must be free.
preflight() {
  local s
  for s in kafka s3; do
    infra_pid "$s" >/dev/null || check_port_free "$s"
  done
  for s in "${SERVICES[@]}"; do
    implemented "$s" || continue
    live_pid "$s" >/dev/null || check_port_free "$s"
  done
}

up() {
  local foreground=0
  [[ "${1:-}" == --foreground ]] && foreground=1
  mkdir -p "$STATE/logs" "$STATE/data"
  preflight
  build_missing
  ensure_fashion_mnist || true
  "$ROOT/infra/infra.sh" start >&2
  local s started=()
  for s in "${SERVICES[@]}"; do
    if ! implemented "$s"; then
      log "$s: not implemented in this checkout yet, skipped"
      continue
    fi
    if [[ ! -f "$(jar_of "$s")" ]]; then
      log "$s: $(jar_of "$s") is missing (MMDGAN_NO_BUILD=1?), skipped"
      continue
    fi
    start_service "$s"
    started+=("$s")
  done
  [[ ${#started[@]} -gt 0 ]] && { wait_ready "${started[@]}" || exit 1; }
  if live_pid evaluator >/dev/null; then build_features; fi
  if live_pid trainer >/dev/null; then start_demo || true; fi
  print_addresses
  if [[ $foreground -eq 1 ]]; then
    trap 'echo; down; exit 0' INT TERM
    log "attached; Ctrl-C stops everything"
    if [[ -s "$STATE/demo-run" ]]; then
      cli runs watch "$(cat "$STATE/demo-run")" || true
    fi
    while true; do sleep 1; done
  fi
}

# --- status, logs, down ----------------------------------------------------------------------------------------------

# One line per component: name, state, address, pid (empty when none).
component_rows() {
  local s pid state
  for s in kafka s3; do
    if pid="$(infra_pid "$s")"; then
      port_open "$(port_of "$s")" && state=running || state=starting
    else
      pid=""; state=stopped
    fi
    echo "$s $state 127.0.0.1:$(port_of "$s") $pid"
  done
  for s in "${SERVICES[@]}"; do
    if pid="$(live_pid "$s")"; then
      ready "$s" && state=ready || state=starting
    elif ! implemented "$s"; then
      pid=""; state=not-implemented
    else
      pid=""; state=stopped
    fi
    echo "$s $state 127.0.0.1:$(port_of "$s") $pid"
  done
}

status() {
  local json=0 rows runs="[]"
  [[ "${1:-}" == --json ]] && json=1
  rows="$(component_rows)"
  if ready trainer 2>/dev/null && live_pid trainer >/dev/null; then
    runs="$(cli runs list --json 2>/dev/null | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["runs"]))' \
      2>/dev/null || echo '[]')"
  fi
  if [[ $json -eq 1 ]]; then
    python3 -c '
import json, sys
rows = [l.split(" ") for l in sys.argv[1].splitlines() if l.strip()]
comps = [{"name": r[0], "state": r[1], "address": r[2], "pid": int(r[3]) if len(r) > 3 and r[3] else None} for r in rows]
print(json.dumps({"components": comps, "runs": json.loads(sys.argv[2])}, indent=2))' "$rows" "$runs"
  else
    printf '%-10s %-16s %-18s %s\n' COMPONENT STATE ADDRESS PID
    while read -r name state address pid; do
      printf '%-10s %-16s %-18s %s\n' "$name" "$state" "$address" "${pid:--}"
    done <<< "$rows"
    if [[ "$runs" != "[]" ]]; then
      echo
      cli runs list 2>/dev/null || true
    fi
  fi
}

logs() {
  local name="${1:-}" file
  case "$name" in
    kafka|s3) file="$MMDGAN_INFRA_DIR/$name.log" ;;
    trainer|evaluator|sampler) file="$STATE/logs/$name.log" ;;
    *) log "logs: NAME is one of kafka, s3, trainer, evaluator, sampler"; exit 2 ;;
  esac
  [[ -f "$file" ]] || { log "no log for $name yet ($file)"; exit 1; }
  if [[ "${2:-}" == -f ]]; then exec tail -n 50 -F "$file"; else exec tail -n 200 "$file"; fi
}

stop_service() {
  local name="$1" pid
  if pid="$(live_pid "$name")"; then
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name did not stop within 30 s; killing it"
      kill -9 "$pid"
    fi
    echo "$name stopped (pid $pid)"
  fi
  rm -f "$STATE/$name.pid"
}

down() {
  local i
  for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do stop_service "${SERVICES[$i]}"; done
  "$ROOT/infra/infra.sh" stop
}

cmd="${1:-}"
[[ $# -gt 0 ]] && shift
case "$cmd" in
  up) [[ $# -le 1 && ( $# -eq 0 || "$1" == --foreground ) ]] || usage; up "$@" ;;
  status) [[ $# -le 1 && ( $# -eq 0 || "$1" == --json ) ]] || usage; status "$@" ;;
  logs) [[ $# -ge 1 && $# -le 2 ]] || usage; logs "$@" ;;
  down) [[ $# -eq 0 ]] || usage; down ;;
  *) usage ;;
esac
