#!/usr/bin/env bash
# ./mmdgan infra start|stop|status [kafka|s3] — a real Kafka broker (KRaft, one node) and a real S3-compatible server
# (S3Proxy, filesystem backend) on loopback, for development and for the integration tests.
#
# Everything lives under .infra/ (git-ignored): the jars (fetched from Maven Central on first start), data, logs
# and pid files. `stop` ends exactly the processes `start` began (by pid file, checked against the command line).
#
# Ports and the store's development credentials can be overridden:
#   MMDGAN_KAFKA_PORT (9092), MMDGAN_KAFKA_CONTROLLER_PORT (9093), MMDGAN_S3_PORT (9000),
#   MMDGAN_S3_ACCESS_KEY (mmdgan-dev), MMDGAN_S3_SECRET_KEY (mmdgan-dev-secret), MMDGAN_INFRA_DIR (.infra)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${MMDGAN_INFRA_DIR:-$ROOT/.infra}"
KAFKA_PORT="${MMDGAN_KAFKA_PORT:-9092}"
CONTROLLER_PORT="${MMDGAN_KAFKA_CONTROLLER_PORT:-9093}"
S3_PORT="${MMDGAN_S3_PORT:-9000}"
S3_ACCESS_KEY="${MMDGAN_S3_ACCESS_KEY:-mmdgan-dev}"
S3_SECRET_KEY="${MMDGAN_S3_SECRET_KEY:-mmdgan-dev-secret}"

usage() {
  echo "usage: ./mmdgan infra start|stop|status [kafka|s3]" >&2
  exit 2
}

# Main class each service runs: how stop and status recognise the processes start began.
main_class() {
  case "$1" in
    kafka) echo kafka.Kafka ;;
    s3) echo org.gaul.s3proxy.Main ;;
  esac
}

port_of() {
  case "$1" in
    kafka) echo "$KAFKA_PORT" ;;
    s3) echo "$S3_PORT" ;;
  esac
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Whether nothing listens on a port, waiting up to 15 s for a process that is still going away.
port_free() {
  local i
  for i in $(seq 1 60); do
    port_open "$1" || return 0
    sleep 0.25
  done
  return 1
}

# The pid recorded for a service, if that process is still the one start began.
live_pid() {
  local pidfile="$STATE/$1.pid" pid
  [[ -f "$pidfile" ]] || return 1
  pid="$(cat "$pidfile")"
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  # Read the whole command line first: `tr | grep -q` under pipefail fails at random when grep exits early.
  local cmd
  cmd="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmd" == *"$(main_class "$1")"* ]] && echo "$pid"
}

fetch_jars() {
  local name="$1" dir="$STATE/lib/$1"
  if [[ ! -f "$dir/.complete" ]]; then
    echo "infra: fetching the $name jars from Maven Central..." >&2
    rm -rf "$dir"
    mvn -q -B -ntp -f "$ROOT/infra/$name/pom.xml" dependency:copy-dependencies -DoutputDirectory="$dir" \
      > "$STATE/fetch-$name.log" 2>&1 || { cat "$STATE/fetch-$name.log" >&2; exit 1; }
    touch "$dir/.complete"
  fi
}

wait_for_port() {
  local service="$1" port="$2" pid i
  pid="$(cat "$STATE/$service.pid")"
  for i in $(seq 1 120); do
    port_open "$port" && return 0
    # kill -0, not live_pid: right after the fork the child's command line is still the shell's.
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "infra: $service exited during start; last lines of $STATE/$service.log:" >&2
      grep -v DEBUG "$STATE/$service.log" | tail -20 >&2
      return 1
    fi
    sleep 0.5
  done
  echo "infra: $service did not open port $port within 60 s (log: $STATE/$service.log)" >&2
  return 1
}

start_kafka() {
  if live_pid kafka >/dev/null; then echo "kafka already running"; return; fi
  port_free "$KAFKA_PORT" || { echo "infra: port $KAFKA_PORT is taken by another process; set MMDGAN_KAFKA_PORT" >&2; exit 1; }
  fetch_jars kafka
  local dir="$STATE/kafka"
  mkdir -p "$dir"
  cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
PROPS
  cat > "$dir/log4j2.properties" <<'PROPS'
rootLogger.level=WARN
rootLogger.appenderRef.stdout.ref=STDOUT
appender.stdout.type=Console
appender.stdout.name=STDOUT
appender.stdout.layout.type=PatternLayout
appender.stdout.layout.pattern=%d %p %c{1} %m%n
PROPS
  local cp="$STATE/lib/kafka/*"
  if [[ ! -f "$dir/data/meta.properties" ]]; then
    local id
    id="$(java -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)"
    java -Dlog4j2.configurationFile="$dir/log4j2.properties" -cp "$cp" kafka.tools.StorageTool format \
      -t "$id" -c "$dir/server.properties" > "$dir/format.log" 2>&1 || { cat "$dir/format.log" >&2; exit 1; }
  fi
  nohup java -Xmx512m -XX:+UseSerialGC -Dlog4j2.configurationFile="$dir/log4j2.properties" -cp "$cp" \
    kafka.Kafka "$dir/server.properties" > "$STATE/kafka.log" 2>&1 < /dev/null &
  echo $! > "$STATE/kafka.pid"
  wait_for_port kafka "$KAFKA_PORT"
  echo "kafka started: 127.0.0.1:$KAFKA_PORT (pid $(cat "$STATE/kafka.pid"))"
}

start_s3() {
  if live_pid s3 >/dev/null; then echo "s3 already running"; return; fi
  port_free "$S3_PORT" || { echo "infra: port $S3_PORT is taken by another process; set MMDGAN_S3_PORT" >&2; exit 1; }
  fetch_jars s3proxy
  local dir="$STATE/s3"
  mkdir -p "$dir/data"
  cat > "$dir/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_ACCESS_KEY
s3proxy.credential=$S3_SECRET_KEY
jclouds.provider=filesystem
jclouds.filesystem.basedir=$dir/data
PROPS
  LOG_LEVEL=warn nohup java -Xmx256m -XX:+UseSerialGC -cp "$STATE/lib/s3proxy/*" org.gaul.s3proxy.Main \
    --properties "$dir/s3proxy.properties" > "$STATE/s3.log" 2>&1 < /dev/null &
  echo $! > "$STATE/s3.pid"
  wait_for_port s3 "$S3_PORT"
  echo "s3 started: http://127.0.0.1:$S3_PORT (pid $(cat "$STATE/s3.pid"), access key $S3_ACCESS_KEY)"
}

stop_one() {
  local pid
  if pid="$(live_pid "$1")"; then
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    for _ in $(seq 1 40); do port_open "$(port_of "$1")" || break; sleep 0.25; done
    echo "$1 stopped (pid $pid)"
  else
    echo "$1 not running"
  fi
  rm -f "$STATE/$1.pid"
}

status() {
  local ok=0 s pid
  for s in kafka s3; do
    if pid="$(live_pid "$s")" && port_open "$(port_of "$s")"; then
      echo "$s running: 127.0.0.1:$(port_of "$s") (pid $pid)"
    else
      echo "$s stopped"
      ok=3
    fi
  done
  return $ok
}

[[ $# -eq 1 || $# -eq 2 ]] || usage
SERVICES=(kafka s3)
if [[ $# -eq 2 ]]; then
  case "$2" in kafka|s3) SERVICES=("$2") ;; *) usage ;; esac
fi
mkdir -p "$STATE"
case "$1" in
  start) for s in "${SERVICES[@]}"; do "start_$s"; done ;;
  stop) for s in "${SERVICES[@]}"; do stop_one "$s"; done ;;
  status) status ;;
  *) usage ;;
esac
