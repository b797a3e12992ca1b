# Copy to $CATALINA_BASE/bin/setenv.sh (or merge into yours).
# Lets the auth call forward the browser's Origin header to WS_AUTH_URL:
# the JDK's HTTP client under jersey-client drops it otherwise.
CATALINA_OPTS="$CATALINA_OPTS -Dsun.net.http.allowRestrictedHeaders=true"
# Tomcat's per-websocket frame input buffer is 8 KB by default; inbound frames here are tiny ACKs.
CATALINA_OPTS="$CATALINA_OPTS -Dorg.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE=2048"
# Secrets belong in the environment rather than in conf/:
# export WS_PASSWORD=change-me
