# Copy to $CATALINA_BASE/bin/setenv.sh (or merge into yours).
# Lets the auth call forward the browser's Origin header to WS_AUTH_URL:
# the JDK's HTTP client under jersey-client drops them otherwise.
CATALINA_OPTS="$CATALINA_OPTS -Dsun.net.http.allowRestrictedHeaders=true"
# Secrets belong in the environment rather than in conf/:
# export WS_PASSWORD=change-me
