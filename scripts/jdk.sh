# Sourced by the project's scripts: exports JAVA_HOME for a JDK >= 21 and puts it first on PATH.
# Looks at $JAVA_HOME, then `java` on the PATH, then every JDK under /usr/lib/jvm (newest first).
_tern_java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1; }
_tern_pick_jdk() {
  local c
  for c in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" \
           $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    c=${c%/}
    [ -n "$c" ] && [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    local v; v=$(_tern_java_major "$c/bin/java")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then echo "$c"; return 0; fi
  done
  return 1
}
if ! TERN_JDK=$(_tern_pick_jdk); then
  echo "tern: no JDK 21 or newer found (looked at JAVA_HOME, PATH and /usr/lib/jvm); install one, e.g. apt-get install openjdk-21-jdk" >&2
  return 1 2>/dev/null || exit 1
fi
export JAVA_HOME=$TERN_JDK
export PATH="$JAVA_HOME/bin:$PATH"
# RocksDB loads native code; newer JDKs warn about that and about Maven's use of sun.misc.Unsafe
export MAVEN_OPTS="${MAVEN_OPTS:-} --enable-native-access=ALL-UNNAMED $( [ "$(_tern_java_major "$JAVA_HOME/bin/java")" -ge 24 ] && echo --sun-misc-unsafe-memory-access=allow)"
