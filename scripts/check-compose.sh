#!/usr/bin/env bash
# Checks that docker-compose.yml is a valid Compose file (`docker compose config`), and that it refuses to start
# without JWT_SECRET. Needs only the Docker CLI and its compose plugin (or the standalone docker-compose), no engine.
# Without either it says so and exits 0: the file is then not checked.
set -euo pipefail
cd "$(dirname "$0")/.."

file=docker-compose.yml
dummy_secret=0123456789abcdef0123456789abcdef

if ! command -v docker >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
  echo "docker CLI not installed: compose file not checked"
  exit 0
fi

if command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose)
else
  echo "docker CLI has no compose plugin (and no docker-compose): compose file not checked"
  exit 0
fi

# With a secret the whole file must resolve.
JWT_SECRET="$dummy_secret" "${compose[@]}" -f "$file" config --quiet

# Without one it must stop and say what to set.
if output=$(env -u JWT_SECRET "${compose[@]}" -f "$file" config --quiet 2>&1); then
  echo "$file: expected '${compose[*]} config' to fail without JWT_SECRET, but it passed" >&2
  exit 1
fi
if ! grep -q 'set JWT_SECRET' <<<"$output"; then
  echo "$file: without JWT_SECRET, '${compose[*]} config' failed without naming JWT_SECRET:" >&2
  echo "$output" >&2
  exit 1
fi

echo "${compose[*]} config: ok"
