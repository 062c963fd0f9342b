#!/bin/sh
# Entry point of the backend service images: fills in what only the running container knows, then
# hands PID 1 to the service so it receives SIGTERM and drains itself.
set -eu

# Replicas of one service share a consumer group, so each needs its own consumer name. The kit's
# default (consumer-<pid>) is the same in every container; the container's hostname is its id.
# auth-service reads no streams and ignores it.
if [ -z "${CONSUMER_NAME:-}" ]; then
  CONSUMER_NAME="$(hostname)"
  export CONSUMER_NAME
fi

exec "$@"
