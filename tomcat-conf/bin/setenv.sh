# Copy to $CATALINA_BASE/bin/setenv.sh (or merge into yours).
# Lets the auth call forward the browser's Origin header to WS_AUTH_URL:
# the JDK's HTTP client under jersey-client drops it otherwise.
CATALINA_OPTS="$CATALINA_OPTS -Dsun.net.http.allowRestrictedHeaders=true"
# The JDK keeps 5 idle connections per host for the auth call unless told otherwise: with
# more calls under way at once, most would open a new connection. Match WS_AUTH_MAX_INFLIGHT.
CATALINA_OPTS="$CATALINA_OPTS -Dhttp.maxConnections=64"
# Tomcat's per-websocket frame buffers (input, output, text encoder) are 8 KB each by default.
# Inbound frames here are tiny ACKs; outbound messages longer than this go out as several
# frames of one message (clients reassemble them). 1 KB each keeps idle sockets cheap.
CATALINA_OPTS="$CATALINA_OPTS -Dorg.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE=1024"
# On Java 21+ virtual threads run the batched websocket writes (WS_WRITES=auto), and request work
# too with useVirtualThreads="true" on the connector (conf/server-connector.xml): one carrier more
# than the cores, as the launcher sets (bench/README.md).
CATALINA_OPTS="$CATALINA_OPTS -Djdk.virtualThreadScheduler.parallelism=$(( $(nproc) + 1 ))"
# Secrets belong in the environment rather than in conf/:
# export WS_PASSWORD=change-me
