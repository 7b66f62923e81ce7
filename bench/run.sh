#!/usr/bin/env bash
# The agentnet platform benchmark (bench/README.md).
#
#   bench/run.sh [-Dbench.warmup=SECONDS] [-Dbench.measure=SECONDS] [-Dbench.rounds=N]
#                [-Dbench.users=N] [-Dbench.http.port=PORT] [-Dbench.https.port=PORT]
#                [-Dgatling.simulationClass=CLASS] [other Maven arguments]
#
# Needs the built server (mvn -DskipTests -DskipITs install at the repository root). Copies it to a
# bench-owned Liberty user directory (bench/target/bench/usr) with its own ports (default 9280 and
# 9643), so that it never meets a developer's server: not its ports, database, keystore or PID
# file. Measures the node's start-to-ready time (first start of the fresh copy, then a restart),
# runs the Gatling simulations (mvn -Pbench verify in bench/), prints the results table, and stops
# the server it started, whatever happens.
#
# Then the discovery benchmark (ARS): for each size of -Dbench.ars.sizes (default 10000,100000) it
# stops the server, loads agents into its database up to that size (ArsLoader), starts it (start-to-
# ready: the discovery index loads at start), takes the heap used after a full GC (jcmd), and runs
# ArsDiscoverySimulation, whose run has its own baseline rows.
#
# Environment: BENCH_HTTP_PORT, BENCH_HTTPS_PORT (the -D arguments win), BENCH_WLP_DIR (the built
# Liberty, default ear/target/liberty/wlp), BENCH_READY_TIMEOUT (seconds, default 300),
# BENCH_RESTART=0 (no restart measurement), BENCH_VERBOSE=1 (show Maven and Gatling output),
# BENCH_ARS=0 (no discovery benchmark), BENCH_ARS_ONLY=1 (only the discovery benchmark),
# BENCH_ARS_LATENCY_USERS (default 2: after each discovery run, the same rows again with this many
# users, for latency without queueing; 0 = none),
# BENCH_ACA_ONLY=1 (only the certificate issuance rows and the baseline rows they are read against:
# NodeApiSimulation and CertificateIssuanceSimulation, no restart, no discovery),
# BENCH_ENFORCEMENT=1 (only the cost of enforcement: the discovery load against the same loaded
# database with traffic control on and off, -Dbench.enforcement.agents agents (default 10000),
# BENCH_ENFORCEMENT_ROUNDS pairs of runs (default 1: off, then on; a second pair runs on, off),
# each Gatling user its own agent; prints the on/off ratios).
#
# Traffic control (docs/agw.md) stays on in every run, with limits far above any load here (server.env),
# so that the rows measure the admitted path rather than 429s.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")
WLP_DIR=${BENCH_WLP_DIR:-$REPO_DIR/ear/target/liberty/wlp}
SERVER=agentnet
HTTP_PORT=${BENCH_HTTP_PORT:-9280}
HTTPS_PORT=${BENCH_HTTPS_PORT:-9643}
ARS_SIZES=10000,100000
ENFORCEMENT_AGENTS=10000
AGW_AGENTS=100000
AGW_USERS=64
# node B of the relay benchmark (domain b.example)
B_HTTP_PORT=9284
B_HTTPS_PORT=9285
# the stock Eureka server of the heartbeat benchmark (BENCH_EUREKA=0: without it)
EUREKA_PORT=9289
for arg in "$@"; do
    case $arg in
        -Dbench.http.port=*) HTTP_PORT=${arg#*=} ;;
        -Dbench.https.port=*) HTTPS_PORT=${arg#*=} ;;
        -Dbench.ars.sizes=*) ARS_SIZES=${arg#*=} ;;
        -Dbench.agw.agents=*) AGW_AGENTS=${arg#*=} ;;
        -Dbench.enforcement.agents=*) ENFORCEMENT_AGENTS=${arg#*=} ;;
        -Dbench.users=*) BENCH_USERS_ARG=${arg#*=} ;;
        -Dbench.agw.users=*) AGW_USERS=${arg#*=} ;;
        -Dbench.relay.b.http.port=*) B_HTTP_PORT=${arg#*=} ;;
        -Dbench.relay.b.https.port=*) B_HTTPS_PORT=${arg#*=} ;;
        -Dbench.eureka.port=*) EUREKA_PORT=${arg#*=} ;;
    esac
done
ARS=${BENCH_ARS:-1}
ARS_LATENCY_USERS=${BENCH_ARS_LATENCY_USERS:-2}
ARS_ONLY=${BENCH_ARS_ONLY:-0}
AGW_ONLY=${BENCH_AGW_ONLY:-0}
RELAY_ONLY=${BENCH_RELAY_ONLY:-0}
# the nodes' database: embedded Derby (the build's default) or a fresh PostgreSQL database of the
# machine's server for each node (agentnet_bench, and agentnet_bench_b for the relay's node B)
DB=${BENCH_DB:-derby}
[[ $DB == derby || $DB == postgresql ]] || { printf '[bench] ERROR: BENCH_DB is derby or postgresql, not %s\n' "$DB" >&2; exit 1; }
ENFORCEMENT=${BENCH_ENFORCEMENT:-0}
ENFORCEMENT_ROUNDS=${BENCH_ENFORCEMENT_ROUNDS:-1}
# the heartbeat interval the bench server holds agents to (and the loaded agents have): long
# enough that none of the loaded agents, which never heartbeat, is silenced during the run
AGW_INTERVAL_SECONDS=3600
EUREKA=0
if [[ $AGW_ONLY == 1 ]]; then
    ARS=0
    EUREKA=${BENCH_EUREKA:-1}
fi
READY_TIMEOUT=${BENCH_READY_TIMEOUT:-300}
RESTART=${BENCH_RESTART:-1}
ACA_ONLY=${BENCH_ACA_ONLY:-0}
if [[ $ACA_ONLY == 1 ]]; then
    [[ $ARS_ONLY == 1 ]] && { printf '[bench] ERROR: BENCH_ACA_ONLY and BENCH_ARS_ONLY exclude each other\n' >&2; exit 1; }
    ARS=0       # the other simulations (the discovery one is excluded from the first Gatling run anyway)
    RESTART=0
fi
VERBOSE=${BENCH_VERBOSE:-0}
if [[ $ENFORCEMENT == 1 ]]; then
    ARS=0       # only the enforcement runs, below
    RESTART=0
fi
if [[ $RELAY_ONLY == 1 ]]; then
    ARS=0
    RESTART=0   # node A starts once; the restart measurement belongs to the platform run
fi

WORK=$BENCH_DIR/target/bench
USER_DIR=$WORK/usr                                  # WLP_USER_DIR of the bench-owned server
SERVER_DIR=$USER_DIR/servers/$SERVER
PID_FILE=$USER_DIR/servers/.pid/$SERVER.pid          # Liberty's own PID file of that server
MESSAGES=$SERVER_DIR/logs/messages.log
MAVEN_LOG=$WORK/maven.log
B_USER_DIR=$WORK/usr-b                              # node B of the relay benchmark
B_SERVER_DIR=$B_USER_DIR/servers/$SERVER
B_PID_FILE=$B_USER_DIR/servers/.pid/$SERVER.pid
B_MESSAGES=$B_SERVER_DIR/logs/messages.log

say() { printf '[bench] %s\n' "$*"; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

# Runs Liberty's server script on the bench-owned copy only.
server_cmd() { WLP_USER_DIR=$USER_DIR "$WLP_DIR/bin/server" "$@"; }

bench_server_pid() {
    local pid
    [[ -f $PID_FILE ]] || return 1
    pid=$(tr -dc '0-9' < "$PID_FILE")
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# ---- checks: nothing is started before all of them pass -------------------------------------
command -v curl >/dev/null || die "curl is needed (apt-get install curl)"
command -v mvn >/dev/null || die "mvn is needed"
[[ -x $WLP_DIR/bin/server && -f $WLP_DIR/usr/servers/$SERVER/server.xml ]] \
    || die "no built server in $WLP_DIR: run 'mvn -DskipTests -DskipITs install' at the repository root first"
ls "$WLP_DIR/usr/servers/$SERVER/apps/"*.ear >/dev/null 2>&1 \
    || die "the built server in $WLP_DIR has no application: run 'mvn -DskipTests -DskipITs install' first"
[[ $HTTP_PORT =~ ^[0-9]+$ && $HTTPS_PORT =~ ^[0-9]+$ ]] || die "ports must be numbers"
if [[ $ARS == 1 || $ARS_ONLY == 1 ]]; then
    [[ $ARS_SIZES =~ ^[0-9]+(,[0-9]+)*$ ]] || die "-Dbench.ars.sizes must be agent counts separated by commas, not '$ARS_SIZES'"
    command -v jcmd >/dev/null || die "jcmd (the JDK's) is needed for the heap figures of the discovery benchmark"
fi
if pid=$(bench_server_pid); then
    die "a bench server from an earlier run is still running (PID $pid). Stop it with:
    WLP_USER_DIR=$USER_DIR $WLP_DIR/bin/server stop $SERVER"
fi
PORTS=("$HTTP_PORT" "$HTTPS_PORT")
[[ $RELAY_ONLY == 1 ]] && PORTS+=("$B_HTTP_PORT" "$B_HTTPS_PORT")
[[ $EUREKA == 1 ]] && PORTS+=("$EUREKA_PORT")
for port in "${PORTS[@]}"; do
    port_in_use "$port" && die "port $port is already in use: choose others with -Dbench.http.port=... -Dbench.https.port=..."
done

# ---- a fresh bench-owned copy of the built server -------------------------------------------
# Configuration, application and shared resources (JDBC drivers) are copied; the state a server
# creates when it runs (database, keystores, logs, transaction and message logs, the
# configuration the application writes into configDropins) is not, so every run starts alike.
say "copying the built server to $USER_DIR"
rm -rf "$USER_DIR"
mkdir -p "$USER_DIR/servers"
if [[ -d $WLP_DIR/usr/shared ]]; then
    cp -a "$WLP_DIR/usr/shared" "$USER_DIR/"
fi
cp -a "$WLP_DIR/usr/servers/$SERVER" "$USER_DIR/servers/"
rm -rf "$SERVER_DIR"/{workarea,logs,data,messaging,tranlog,apps/expanded,derby.log} \
       "$SERVER_DIR"/resources/security/{key.p12,trust.p12,ltpa.keys,aca-ca.p12,node-identity.p12} \
       "$SERVER_DIR"/configDropins/overrides/{admin-user.xml,truststore.xml,node-identity.xml}
# The ports: Liberty takes bootstrap.properties before environment variables (AGENTNET_HTTP_PORT
# is ignored while bootstrap.properties sets agentnet.http.port, as the build's does), so the
# copy's bootstrap.properties gets the bench ports.
BOOTSTRAP=$SERVER_DIR/bootstrap.properties
touch "$BOOTSTRAP"
sed -i '/^[[:space:]]*agentnet\.https\?\.port[[:space:]]*[=:]/d' "$BOOTSTRAP"
printf 'agentnet.http.port=%s\nagentnet.https.port=%s\n' "$HTTP_PORT" "$HTTPS_PORT" >> "$BOOTSTRAP"
# The built server's bootstrap.properties also carries the integration tests' tuning (ear/pom.xml:
# 2 s agent heartbeats, a sweep every second, short relay retries, a peer base URL on the IT port);
# bootstrap properties win over the environment, so the copy drops them and runs with the defaults.
sed -i -E '/^[[:space:]]*agentnet\.(agw|jobs)\./d' "$BOOTSTRAP"
# BENCH_JVM_OPTIONS: options added to the node's jvm.options (space-separated; e.g. a JIT setting to compare)
for option in ${BENCH_JVM_OPTIONS:-}; do
    printf '%s\n' "$option" >> "$SERVER_DIR/jvm.options"
done
# the database (the built server's bootstrap.properties names the integration tests' one)
sed -i -E '/^[[:space:]]*agentnet\.db(\.name)?[[:space:]]*[=:]/d' "$BOOTSTRAP"
printf 'agentnet.db=%s\nagentnet.db.name=agentnet_bench\n' "$DB" >> "$BOOTSTRAP"
if [[ $DB == postgresql ]]; then
    "$REPO_DIR/scripts/postgresql-setup.sh" --fresh agentnet_bench agentnet >/dev/null || die "PostgreSQL set-up failed"
fi
if grep -rqs 'agentnet\.https\?\.port' "$SERVER_DIR/configDropins"; then
    die "$SERVER_DIR/configDropins sets agentnet.http(s).port, which would override the bench ports"
fi

# Traffic control on, with limits no load here reaches (one agent asks ~1000 discoveries/s): the rows
# measure the cost of the admitted path, never a 429. BENCH_ENFORCEMENT=1 toggles it (set_enforcement).
# The relay's one target agent would otherwise have 4 pushes at once at most (delivery concurrency,
# 0 = no cap), and the rest wait for the cap's retry delay (1 s).
printf '\nAGENTNET_AGW_LIMITS_DISCOVERY_LIMIT=1000000000\nAGENTNET_AGW_LIMITS_MESSAGE_LIMIT=1000000000\nAGENTNET_AGW_LIMITS_PEER_SYNC_LIMIT=1000000000\nAGENTNET_AGW_LIMITS_DELIVERY_CONCURRENCY=0\n' \
    >> "$SERVER_DIR/server.env"

if [[ $AGW_ONLY == 1 ]]; then
    [[ $AGW_AGENTS =~ ^[0-9]+$ && $AGW_USERS =~ ^[0-9]+$ ]] || die "-Dbench.agw.agents and -Dbench.agw.users must be numbers"
    # MicroProfile Config reads the environment (server.env): the gateway's interval for this run
    printf '\nAGENTNET_AGW_HEARTBEAT_INTERVAL=PT%sS\n' "$AGW_INTERVAL_SECONDS" >> "$SERVER_DIR/server.env"
fi

if [[ $RELAY_ONLY == 1 ]]; then
    if [[ -f $B_PID_FILE ]] && kill -0 "$(tr -dc '0-9' < "$B_PID_FILE")" 2>/dev/null; then
        die "node B of an earlier relay run is still running: WLP_USER_DIR=$B_USER_DIR $WLP_DIR/bin/server stop $SERVER"
    fi
    # node B: a second copy (its own database, keystores, ACA), domain b.example
    rm -rf "$B_USER_DIR"
    mkdir -p "$B_USER_DIR/servers"
    [[ -d $USER_DIR/shared ]] && cp -a "$USER_DIR/shared" "$B_USER_DIR/"
    cp -a "$SERVER_DIR" "$B_USER_DIR/servers/"
    sed -i '/^[[:space:]]*agentnet\.https\?\.port[[:space:]]*[=:]/d' "$B_SERVER_DIR/bootstrap.properties"
    printf 'agentnet.http.port=%s\nagentnet.https.port=%s\n' "$B_HTTP_PORT" "$B_HTTPS_PORT" >> "$B_SERVER_DIR/bootstrap.properties"
    sed -i '/^[[:space:]]*agentnet\.db\.name[[:space:]]*[=:]/d' "$B_SERVER_DIR/bootstrap.properties"
    printf 'agentnet.db.name=agentnet_bench_b\n' >> "$B_SERVER_DIR/bootstrap.properties"
    if [[ $DB == postgresql ]]; then
        "$REPO_DIR/scripts/postgresql-setup.sh" --fresh agentnet_bench_b agentnet >/dev/null || die "PostgreSQL set-up of node B failed"
    fi
    printf '\nAGENTNET_DOMAIN_NAME=b.example\nAGENTNET_AGW_PEER_BASE_URL=https://localhost:%s\n' "$B_HTTPS_PORT" >> "$B_SERVER_DIR/server.env"
    printf '\nAGENTNET_AGW_PEER_BASE_URL=https://localhost:%s\n' "$HTTPS_PORT" >> "$SERVER_DIR/server.env"
fi

# The operator password of this run (the certificate benchmark makes enrollment tokens as the
# operator): random, given to the server and to Gatling through the environment only, never written.
AGENTNET_ADMIN_PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
export AGENTNET_ADMIN_PASSWORD

# ---- from here on, the server is ours: always stop it -----------------------------------------
STARTED=0
stop_bench_server() {
    [[ $STARTED == 1 ]] || return 0
    STARTED=0
    say "stopping the bench server"
    WLP_USER_DIR=$USER_DIR timeout 120 "$WLP_DIR/bin/server" stop "$SERVER" >>"$WORK/server.log" 2>&1 || true
    local pid
    if pid=$(bench_server_pid); then
        # only the PID in the bench copy's own PID file: never any other server
        say "server stop did not end it: killing PID $pid"
        kill "$pid" 2>/dev/null || true
        sleep 5
        if pid=$(bench_server_pid); then
            kill -9 "$pid" 2>/dev/null || true
        fi
    fi
}
B_STARTED=0
stop_node_b() {
    [[ $B_STARTED == 1 ]] || return 0
    B_STARTED=0
    say "stopping node B"
    WLP_USER_DIR=$B_USER_DIR timeout 120 "$WLP_DIR/bin/server" stop "$SERVER" >>"$WORK/server-b.log" 2>&1 || true
    local pid
    if [[ -f $B_PID_FILE ]]; then
        pid=$(tr -dc '0-9' < "$B_PID_FILE")
        # only the PID in node B's own PID file
        if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            sleep 5
            kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
        fi
    fi
}
# The stock Eureka server (heartbeat benchmark): a plain java process of ours, by its PID.
EUREKA_PID=
EUREKA_JAR=$BENCH_DIR/eureka/target/stock-eureka-server.jar
stop_eureka() {
    [[ -n $EUREKA_PID ]] || return 0
    say "stopping the stock Eureka server"
    kill "$EUREKA_PID" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$EUREKA_PID" 2>/dev/null || break; sleep 1; done
    kill -9 "$EUREKA_PID" 2>/dev/null || true
    EUREKA_PID=
}
# Starts it with the node's heap (2 GB, jvm.options) and waits until GET /eureka/apps answers; arguments go to Maven.
start_eureka() {
    say "packaging and starting the stock Eureka server (bench/eureka, Spring Cloud Netflix) on port $EUREKA_PORT"
    mvn -B -q -f "$BENCH_DIR/eureka/pom.xml" "$@" package -DskipTests >>"$MAVEN_LOG" 2>&1 \
        || die "could not package bench/eureka: see $MAVEN_LOG"
    java -Xms1g -Xmx2g -jar "$EUREKA_JAR" --server.port="$EUREKA_PORT" >"$WORK/eureka.log" 2>&1 &
    EUREKA_PID=$!
    local deadline=$(( $(date +%s) + READY_TIMEOUT ))
    until curl -fs -o /dev/null "http://127.0.0.1:$EUREKA_PORT/eureka/apps"; do
        kill -0 "$EUREKA_PID" 2>/dev/null || die "the Eureka server ended: see $WORK/eureka.log"
        (( $(date +%s) < deadline )) || die "the Eureka server was not up within $READY_TIMEOUT s: see $WORK/eureka.log"
        sleep 2
    done
}
MAVEN_PID=
on_exit() {
    local rc=$?
    if [[ -n $MAVEN_PID ]] && kill -0 "$MAVEN_PID" 2>/dev/null; then
        # interrupted during the load: end Maven and the Gatling JVM it forked (by their PIDs)
        say "stopping Maven (PID $MAVEN_PID) and its Gatling run"
        pkill -TERM -P "$MAVEN_PID" 2>/dev/null || true
        kill -TERM "$MAVEN_PID" 2>/dev/null || true
        wait "$MAVEN_PID" 2>/dev/null || true
    fi
    stop_bench_server
    stop_node_b
    stop_eureka
    exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Starts the server and waits for GET /health/ready to answer 200 with status UP; sets READY_MS
# to the milliseconds from the start command. (Not run in a subshell: STARTED must reach the trap.)
start_until_ready() {
    local t0 code deadline
    t0=$(now_ms)
    STARTED=1
    if ! server_cmd start "$SERVER" >>"$WORK/server.log" 2>&1; then
        bench_server_pid >/dev/null || die "the server did not start: see $WORK/server.log and $SERVER_DIR/logs"
    fi
    deadline=$(( t0 + READY_TIMEOUT * 1000 ))
    while :; do
        code=$(curl -s -o "$WORK/ready.json" -w '%{http_code}' --max-time 5 \
            "http://127.0.0.1:$HTTP_PORT/health/ready" 2>/dev/null) || code=000
        if [[ $code == 200 ]] && grep -q '"status" *: *"UP"' "$WORK/ready.json"; then
            # the answer must come from this server, not from a process that took the port meanwhile
            grep -Eq "CWWKO0219I:.*defaultHttpEndpoint .*[^0-9]$HTTP_PORT([^0-9]|\$)" "$MESSAGES" \
                || die "a process other than the bench server answers on port $HTTP_PORT"
            break
        fi
        if grep -qs 'CWWKO0221E' "$MESSAGES"; then
            die "the server could not open its ports (CWWKO0221E in $MESSAGES): choose others with -Dbench.http.port=... -Dbench.https.port=..."
        fi
        (( $(now_ms) < deadline )) || die "not ready after $READY_TIMEOUT s (last status $code): see $SERVER_DIR/logs/messages.log"
        bench_server_pid >/dev/null || die "the server stopped while starting: see $SERVER_DIR/logs/messages.log"
        sleep 0.1
    done
    READY_MS=$(( $(now_ms) - t0 ))
}

ms_to_s() { local tenths=$(( ($1 + 50) / 100 )); printf '%d.%d' $(( tenths / 10 )) $(( tenths % 10 )); }

mkdir -p "$WORK"
: >"$WORK/server.log"
say "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); database $DB; JVM options added: ${BENCH_JVM_OPTIONS:-none}; commit $(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo '?')"
say "starting the fresh server on ports $HTTP_PORT/$HTTPS_PORT"
start_until_ready
FIRST_MS=$READY_MS
say "first start: ready in $(ms_to_s "$FIRST_MS") s"
MAVEN_ARGS=(-Dbench.start.first.ms="$FIRST_MS")
if [[ $RESTART == 1 ]]; then
    stop_bench_server
    say "restarting"
    start_until_ready
    RESTART_MS=$READY_MS
    say "restart: ready in $(ms_to_s "$RESTART_MS") s"
    MAVEN_ARGS+=(-Dbench.start.restart.ms="$RESTART_MS")
fi

# The heap the node uses after a full GC (its live data), in bytes: jcmd GC.run, then the "used"
# figures of GC.heap_info's heap or generation lines (G1: one heap line; Serial/Parallel: one per generation).
heap_used() {
    local pid
    pid=$(bench_server_pid) || { echo -1; return; }
    jcmd "$pid" GC.run >/dev/null 2>&1 || { echo -1; return; }
    jcmd "$pid" GC.heap_info 2>/dev/null | awk '
        /(heap|generation) +total [0-9]+K, used [0-9]+K/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); kb += v } }
        END { print (kb > 0 ? kb * 1024 : -1) }'
}

# "discovery index loaded: N agents in X ms" of the server's latest start (AgentDirectory), in ms.
index_load_ms() {
    grep -ho 'discovery index loaded: [0-9]* agents in [0-9]* ms' "$MESSAGES" 2>/dev/null | tail -n 1 \
        | sed -E 's/.* in ([0-9]+) ms/\1/' | grep . || echo -1
}

# ---- load: the simulations, then the table -----------------------------------------------------
SINCE=$(now_ms)
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
RESULTS=$BENCH_DIR/target/bench/results.md
rm -f "$RESULTS"
: >"$MAVEN_LOG"

# One Maven run of Gatling (and the table of every report since SINCE); extra arguments after
# the user's, so that they win.
run_gatling() {
    local cmd=(mvn -B -f "$BENCH_DIR/pom.xml" -Pbench verify
               -Dbench.http.port="$HTTP_PORT" -Dbench.https.port="$HTTPS_PORT" -Dbench.since="$SINCE"
               -Dbench.server.dir="$SERVER_DIR"
               -Dbench.load.before="$LOAD_BEFORE" "${MAVEN_ARGS[@]}" "$@")
    # Maven runs in the background and the script waits for it, so that an interrupt reaches the
    # trap at once (bash runs traps only between commands).
    if [[ $VERBOSE == 1 ]]; then
        "${cmd[@]}" > >(tee -a "$MAVEN_LOG") 2>&1 &
    else
        "${cmd[@]}" >>"$MAVEN_LOG" 2>&1 &
    fi
    MAVEN_PID=$!
    local rc=0
    wait "$MAVEN_PID" || rc=$?
    MAVEN_PID=
    if [[ $rc != 0 ]]; then
        [[ $VERBOSE == 1 ]] || { echo; tail -n 40 "$MAVEN_LOG"; }
        die "the benchmark failed (Maven exit $rc): see $MAVEN_LOG"
    fi
}

if [[ $ARS_ONLY != 1 && $AGW_ONLY != 1 && $RELAY_ONLY != 1 && $ENFORCEMENT != 1 ]]; then
    say "running the Gatling simulations (log: $MAVEN_LOG)"
    if [[ $ACA_ONLY == 1 ]]; then
        run_gatling -Dgatling.includes=org.agentnet.bench.NodeApiSimulation,org.agentnet.bench.CertificateIssuanceSimulation "$@"
    else
        run_gatling "$@"
    fi
fi

if [[ $ARS == 1 || $ARS_ONLY == 1 ]]; then
    # the node as it started above, with no agents: the heap the loaded agents are compared with
    ARS_SERVERS="0:${RESTART_MS:-$FIRST_MS}:$(heap_used):$(index_load_ms)"
    IFS=, read -ra SIZES <<<"$ARS_SIZES"
    for size in "${SIZES[@]}"; do
        stop_bench_server
        say "loading the database up to $size agents (ArsLoader)"
        loader=(mvn -B -q -f "$BENCH_DIR/pom.xml" "$@" compile exec:java
                -Dexec.mainClass=org.agentnet.bench.ars.ArsLoader -Dexec.args="$SERVER_DIR $size")
        "${loader[@]}" >>"$MAVEN_LOG" 2>&1 || { tail -n 30 "$MAVEN_LOG"; die "the loader failed: see $MAVEN_LOG"; }
        grep -ao '\[bench\] ARS loader.*' "$MAVEN_LOG" | tail -n 1 || true
        say "starting with $size agents"
        start_until_ready
        heap=$(heap_used)
        index_ms=$(index_load_ms)
        say "$size agents: ready in $(ms_to_s "$READY_MS") s (index loaded in $index_ms ms), heap used after a full GC $(( heap / 1048576 )) MB"
        ARS_SERVERS+=",$size:$READY_MS:$heap:$index_ms"
        say "running the discovery simulation with $size agents"
        run_gatling "$@" -Dgatling.simulationClass=org.agentnet.bench.ArsDiscoverySimulation \
            -Dbench.ars.agents="$size" -Dbench.ars.servers="$ARS_SERVERS"
        if [[ $ARS_LATENCY_USERS != 0 ]]; then
            # latency without queueing: the same rows with as few users as the machine has cores, so
            # that p50/p99 are the time to serve a request rather than the time waiting behind 15 others
            say "running the discovery simulation with $size agents and $ARS_LATENCY_USERS user(s) (latency)"
            run_gatling "$@" -Dgatling.simulationClass=org.agentnet.bench.ArsDiscoverySimulation \
                -Dbench.ars.agents="$size" -Dbench.ars.servers="$ARS_SERVERS" -Dbench.users="$ARS_LATENCY_USERS"
        fi
    done
fi

# "heartbeat table loaded: N accessed agents" of the server's latest start (AgentHeartbeats).
heartbeat_table_size() {
    grep -ho 'heartbeat table loaded: [0-9]* accessed agents' "$MESSAGES" 2>/dev/null | tail -n 1 \
        | sed -E 's/.*loaded: ([0-9]+) .*/\1/' | grep . || echo -1
}

if [[ $AGW_ONLY == 1 ]]; then
    # the heartbeat benchmark: AGW_AGENTS registered and accessed agents loaded, then the load
    AGW_SERVERS="0:${RESTART_MS:-$FIRST_MS}:$(heap_used):-1"
    stop_bench_server
    # the benchmark's own agents (one per Gatling user, made through the API in its set-up) make up the rest
    (( AGW_AGENTS > AGW_USERS )) || die "-Dbench.agw.agents must be larger than -Dbench.agw.users"
    say "loading $(( AGW_AGENTS - AGW_USERS )) registered and accessed agents (AgwLoader, interval $AGW_INTERVAL_SECONDS s); the $AGW_USERS agents of the simulation make $AGW_AGENTS"
    loader=(mvn -B -q -f "$BENCH_DIR/pom.xml" "$@" compile exec:java
            -Dexec.mainClass=org.agentnet.bench.agw.AgwLoader -Dexec.args="$SERVER_DIR $(( AGW_AGENTS - AGW_USERS )) $AGW_INTERVAL_SECONDS")
    "${loader[@]}" >>"$MAVEN_LOG" 2>&1 || { tail -n 30 "$MAVEN_LOG"; die "the loader failed: see $MAVEN_LOG"; }
    grep -ao '\[bench\] AGW loader.*' "$MAVEN_LOG" | tail -n 1 || true
    say "starting with $AGW_AGENTS accessed agents"
    start_until_ready
    heap=$(heap_used)
    table=$(heartbeat_table_size)
    say "$AGW_AGENTS agents: ready in $(ms_to_s "$READY_MS") s, heartbeat table of $table agents, heap used after a full GC $(( heap / 1048576 )) MB"
    AGW_SERVERS+=",$AGW_AGENTS:$READY_MS:$heap:-1"
    EUREKA_ARGS=()
    if [[ $EUREKA == 1 ]]; then
        start_eureka "$@"
        EUREKA_ARGS=(-Dbench.eureka.port="$EUREKA_PORT" -Dbench.eureka.pid="$EUREKA_PID")
    fi
    say "running the heartbeat simulation ($AGW_USERS agents heartbeating; load average $(cut -d' ' -f1-3 /proc/loadavg))"
    run_gatling "$@" -Dgatling.simulationClass=org.agentnet.bench.AgwHeartbeatSimulation \
        -Dbench.users="$AGW_USERS" -Dbench.agw.agents="$AGW_AGENTS" -Dbench.ars.servers="$AGW_SERVERS" "${EUREKA_ARGS[@]}"
    stop_eureka
    # the keep-alive rows' sub-millisecond latencies and the node's CPU per response (not in the table)
    grep -ao '\[bench\] keep-alive load: .*' "$MAVEN_LOG" | tee -a "$RESULTS" || true
    say "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
fi

# Traffic control on or off for the next start of the bench server (MicroProfile Config reads server.env).
set_enforcement() {
    local enabled=false
    [[ $1 == on ]] && enabled=true
    sed -i '/^AGENTNET_AGW_LIMITS_ENABLED=/d' "$SERVER_DIR/server.env"
    printf 'AGENTNET_AGW_LIMITS_ENABLED=%s\n' "$enabled" >> "$SERVER_DIR/server.env"
    # >>> POLICY (for the lead to check at the merge): access-policy enforcement (org.agentnet.agw.policy,
    # agentnet.agw.policy.enabled, the policy branch's setting; unknown to, and ignored by, a node
    # without it) is toggled with the limits, so that "on" measures both. The bench agents must pass
    # the policies in force (the policy branch gives the bench an ALLOW policy for the loaded domains).
    sed -i '/^AGENTNET_AGW_POLICY_ENABLED=/d' "$SERVER_DIR/server.env"
    printf 'AGENTNET_AGW_POLICY_ENABLED=%s\n' "$enabled" >> "$SERVER_DIR/server.env"
    # <<< POLICY
}

# Averages the rows of the runs named "limits on" and "limits off" in the results table and prints,
# per discovery row, requests/s and the ratio to the HTTPS baseline of the same run in both modes.
enforcement_summary() {
    awk -F'|' '
        function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
        /, limits (on|off)\)/ {
            name = trim($2); mode = (name ~ /, limits on\)/) ? "on" : "off"
            base = name; sub(/, limits (on|off)\)/, ")", base)
            rps[base, mode] += trim($4); vs[base, mode] += trim($9); n[base, mode]++
            if (!(base in seen)) { seen[base] = 1; order[++count] = base }
        }
        END {
            print "| row | off: requests/s | on: requests/s | on/off | off: vs HTTPS | on: vs HTTPS | on/off |"
            print "|---|---:|---:|---:|---:|---:|---:|"
            for (i = 1; i <= count; i++) {
                b = order[i]
                if (n[b, "on"] == 0 || n[b, "off"] == 0) continue
                off = rps[b, "off"] / n[b, "off"]; on = rps[b, "on"] / n[b, "on"]
                voff = vs[b, "off"] / n[b, "off"]; von = vs[b, "on"] / n[b, "on"]
                printf "| %s | %.1f | %.1f | %.3f | %.2f | %.2f | %.3f |\n", b, off, on, (off > 0 ? on / off : 0), voff, von, (voff > 0 ? von / voff : 0)
                if (b ~ /api\/v1\/ars\/agents/) { son += on; soff += off; svon += von; svoff += voff; k++ }
            }
            if (k > 0) printf "| discovery rows together | %.1f | %.1f | %.3f | %.2f | %.2f | %.3f |\n", soff, son, son / soff, svoff / k, svon / k, svon / svoff
        }' "$RESULTS"
}

if [[ $ENFORCEMENT == 1 ]]; then
    [[ $ENFORCEMENT_AGENTS =~ ^[0-9]+$ && $ENFORCEMENT_ROUNDS =~ ^[0-9]+$ ]] \
        || die "-Dbench.enforcement.agents and BENCH_ENFORCEMENT_ROUNDS must be numbers"
    IDENTITIES=${BENCH_USERS_ARG:-16}
    ENFORCEMENT_SERVERS="0:$FIRST_MS:$(heap_used):$(index_load_ms)"
    stop_bench_server
    say "loading the database up to $ENFORCEMENT_AGENTS agents (ArsLoader)"
    loader=(mvn -B -q -f "$BENCH_DIR/pom.xml" "$@" compile exec:java
            -Dexec.mainClass=org.agentnet.bench.ars.ArsLoader -Dexec.args="$SERVER_DIR $ENFORCEMENT_AGENTS")
    "${loader[@]}" >>"$MAVEN_LOG" 2>&1 || { tail -n 30 "$MAVEN_LOG"; die "the loader failed: see $MAVEN_LOG"; }
    for (( round = 1; round <= ENFORCEMENT_ROUNDS; round++ )); do
        modes=(off on)
        (( round % 2 == 0 )) && modes=(on off)   # the second pair the other way round: drift favours neither
        for mode in "${modes[@]}"; do
            set_enforcement "$mode"
            say "round $round: traffic control $mode; starting with $ENFORCEMENT_AGENTS agents"
            start_until_ready
            say "ready in $(ms_to_s "$READY_MS") s; discovery load, $IDENTITIES agents asking (load average $(cut -d' ' -f1-3 /proc/loadavg))"
            run_gatling "$@" -Dgatling.simulationClass=org.agentnet.bench.ArsDiscoverySimulation \
                -Dbench.ars.agents="$ENFORCEMENT_AGENTS" -Dbench.ars.servers="$ENFORCEMENT_SERVERS" \
                -Dbench.ars.identities="$IDENTITIES" -Dbench.ars.label="limits $mode"
            if [[ $mode == on ]]; then
                grep -h 'agentnet_traffic_' <(curl -sk -u "admin:$AGENTNET_ADMIN_PASSWORD" \
                    "https://127.0.0.1:$HTTPS_PORT/metrics?scope=application" 2>/dev/null) | grep -v '^#' | sed 's/^/[bench]   /' || true
            fi
            stop_bench_server
        done
    done
    say "load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    enforcement_summary | tee "$WORK/enforcement.md"
fi

if [[ $RELAY_ONLY == 1 ]]; then
    say "starting node B (domain b.example) on ports $B_HTTP_PORT/$B_HTTPS_PORT"
    B_STARTED=1
    t0=$(now_ms)
    WLP_USER_DIR=$B_USER_DIR "$WLP_DIR/bin/server" start "$SERVER" >>"$WORK/server-b.log" 2>&1 || true
    deadline=$(( t0 + READY_TIMEOUT * 1000 ))
    until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$B_HTTP_PORT/health/ready" 2>/dev/null) == 200 ]]; do
        (( $(now_ms) < deadline )) || die "node B not ready after $READY_TIMEOUT s: see $B_MESSAGES"
        sleep 0.5
    done
    grep -Eq "CWWKO0219I:.*defaultHttpEndpoint .*[^0-9]$B_HTTP_PORT([^0-9]|\$)" "$B_MESSAGES" \
        || die "a process other than node B answers on port $B_HTTP_PORT"
    say "node B ready in $(ms_to_s $(( $(now_ms) - t0 ))) s"
    say "running the relay simulation (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    run_gatling "$@" -Dgatling.simulationClass=org.agentnet.bench.AgwRelaySimulation -Dbench.rounds=1 \
        -Dbench.relay.b.http.port="$B_HTTP_PORT" -Dbench.relay.b.https.port="$B_HTTPS_PORT"
    say "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
    grep -ao '\[bench\] relay: .*' "$MAVEN_LOG" | tail -n 2 || true
    stop_node_b
fi

if [[ $VERBOSE != 1 && -f $RESULTS ]]; then
    # the table, as ResultsTable printed it (the last run's covers every report since SINCE)
    echo
    cat "$RESULTS"
    grep '^Gatling report: ' "$MAVEN_LOG" | sort -u || true
fi
stop_bench_server
bench_server_pid >/dev/null && die "the bench server is still running"
say "bench server stopped"
