#!/usr/bin/env bash
# Installs goctopus on a standalone Tomcat 10.1 or 11, fresh from its zip or already in use:
#
#   tomcat-conf/install.sh CATALINA_BASE [CONTEXT_PATH]     (CONTEXT_PATH: "" or / for the root, else /push)
#
# Run from the project directory after `mvn -q -DskipTests package`. It copies
# target/goctopus.war and the files of tomcat-conf/ into CATALINA_BASE, and does the steps a
# fresh unzip needs that are easy to miss by hand:
#   - the zip's bin/*.sh are not executable: they are made so;
#   - at the root, Tomcat's own welcome application (webapps/ROOT) would shadow ROOT.war: it
#     is moved aside to CATALINA_BASE/ROOT.stock (not deleted);
#   - conf/Catalina/localhost/ exists only after Tomcat's first start: it is created. A context
#     file already there is kept (it holds your settings); the example is copied otherwise;
#   - conf/server.xml: the active HTTP connector on port 8080 (not a commented-out one) is
#     replaced with tomcat-conf/conf/server-connector.xml; the original is kept as
#     server.xml.orig. Run again, it changes nothing.
# PORT (default 8080) and ADDRESS (default 0.0.0.0) set the connector's; SHUTDOWN_PORT, when
# given, Tomcat's shutdown port (-1 disables it; stop Tomcat with SIGTERM then).
set -euo pipefail

BASE="${1:?usage: tomcat-conf/install.sh CATALINA_BASE [CONTEXT_PATH]}"
CONTEXT="${2:-}"
CONTEXT="${CONTEXT#/}"
NAME="${CONTEXT:-ROOT}"
case "$NAME" in
    */*) echo "install.sh: one path segment only (/push), not $2" >&2; exit 2 ;;
esac
PORT="${PORT:-8080}"
ADDRESS="${ADDRESS:-0.0.0.0}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WAR="$HERE/../target/goctopus.war"

[ -f "$BASE/conf/server.xml" ] || { echo "install.sh: $BASE/conf/server.xml not found: is $BASE a Tomcat?" >&2; exit 2; }
[ -f "$WAR" ] || { echo "install.sh: no $WAR: run mvn -q -DskipTests package first" >&2; exit 2; }

if [ -d "$BASE/bin" ]; then
    chmod +x "$BASE"/bin/*.sh
fi

# webapps/ROOT without ROOT.war beside it is Tomcat's own (once ROOT.war is there, Tomcat
# expands it into webapps/ROOT itself).
if [ "$NAME" = ROOT ] && [ -d "$BASE/webapps/ROOT" ] && [ ! -f "$BASE/webapps/ROOT.war" ]; then
    [ -e "$BASE/ROOT.stock" ] && rm -rf "$BASE/ROOT.stock"
    mv "$BASE/webapps/ROOT" "$BASE/ROOT.stock"
    echo "moved Tomcat's welcome application aside: $BASE/ROOT.stock"
fi
mkdir -p "$BASE/webapps" "$BASE/conf/Catalina/localhost" "$BASE/bin"
cp "$WAR" "$BASE/webapps/$NAME.war"
echo "deployed $BASE/webapps/$NAME.war"

CONTEXT_FILE="$BASE/conf/Catalina/localhost/$NAME.xml"
if [ -f "$CONTEXT_FILE" ]; then
    echo "kept $CONTEXT_FILE"
else
    cp "$HERE/conf/Catalina/localhost/ROOT.xml" "$CONTEXT_FILE"
    echo "wrote $CONTEXT_FILE: edit its values (the environment and -D properties win over them)"
fi

if [ -f "$BASE/bin/setenv.sh" ] && ! cmp -s "$HERE/bin/setenv.sh" "$BASE/bin/setenv.sh"; then
    echo "kept $BASE/bin/setenv.sh (yours); compare it with tomcat-conf/bin/setenv.sh"
else
    cp "$HERE/bin/setenv.sh" "$BASE/bin/setenv.sh"
    chmod +x "$BASE/bin/setenv.sh"
fi

# The connector: the first <Connector .../> with port="8080" outside comments. Comments are
# matched first and written back as they are, so a commented-out connector is never touched.
SERVER_XML="$BASE/conf/server.xml"
if grep -q 'maxConnections="100000"' "$SERVER_XML"; then
    echo "kept the connector in $SERVER_XML (already installed)"
else
    cp "$SERVER_XML" "$SERVER_XML.orig"
    CONNECTOR="$(sed -e "s/port=\"8080\"/port=\"$PORT\"/" -e "s/address=\"0.0.0.0\"/address=\"$ADDRESS\"/" \
        "$HERE/conf/server-connector.xml")" perl -0pi -e '
        my $done = 0;
        s{(<!--.*?-->)|(<Connector\b[^>]*?\bport="8080"[^>]*?/>)}{
            defined $1 ? $1 : $done++ ? $2 : $ENV{CONNECTOR}
        }gse;
        die "no active <Connector port=\"8080\" .../> found\n" unless $done;
    ' "$SERVER_XML"
    echo "replaced the HTTP connector in $SERVER_XML (the original: server.xml.orig)"
fi
if [ -n "${SHUTDOWN_PORT:-}" ]; then
    perl -0pi -e 's{<Server port="[^"]*"}{<Server port="'"$SHUTDOWN_PORT"'"}' "$SERVER_XML"
fi
echo "done: start Tomcat with $BASE/bin/catalina.sh run (or start)"
