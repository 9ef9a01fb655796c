#!/usr/bin/env bash
# The project's Neo4j server for scripts and CI: neo4j.sh start|stop|status|build
# Same as `zhize neo4j …`; needs only Python 3 (stdlib), Maven and a JDK 17/21.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
py="${PYTHON:-}"
if [ -z "$py" ]; then
  if [ -x "$root/.venv/bin/python" ]; then py="$root/.venv/bin/python"; else py="python3"; fi
fi
cd "$root"
exec "$py" -m zhize.neo4j_server "$@"
