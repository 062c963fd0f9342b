#!/bin/sh
# Starts redis-server with one ACL user per service, each limited to its keys and the commands it
# uses; compose's redis runs it, and so does test/ops/redis-acl.test.ts against a private server.
# The configuration and the users arrive on stdin (no password in a file or a process list); the
# users as SHA-256 digests of their passwords. Extra arguments go to redis-server (e.g. --port).
#
# Environment (redis.env, rendered by ansible/roles/app from the vault):
#   REDIS_PASSWORD            the default user: operators and the health check, every command
#   REDIS_AUTH_PASSWORD       user "auth": its rate-limit counters and the users' valid-after
#   REDIS_PRODUCTS_PASSWORD   user "products": consumes ORDERS_STREAM, writes INVENTORY_STREAM
#   REDIS_ORDERS_PASSWORD     user "orders": writes ORDERS_STREAM, consumes INVENTORY_STREAM,
#                             replays and deletes the dead letters of both (its admin pages and
#                             dlq CLI), the order-status channel (PUBLISH, SUBSCRIBE), adds to
#                             ORDER_EVENTS_STREAM (order.status_changed)
#   REDIS_NOTIFICATIONS_PASSWORD user "notifications": consumes ORDER_EVENTS_STREAM and
#                             USER_EVENTS_STREAM in its group, dead-letters its order events
#   ORDERS_STREAM, INVENTORY_STREAM, USER_EVENTS_STREAM, ORDER_EVENTS_STREAM, RATE_LIMIT_PREFIX
#                             as the services have them (defaults below)
#   REDIS_MAXMEMORY           512mb unless set
# The threat this answers: one shared password let any service forge order.placed or
# inventory.result. Now only orders may add to ORDERS_STREAM and only products to INVENTORY_STREAM,
# apart from orders putting a dead inventory reply back for its own consumer (replay); and only auth
# may add to USER_EVENTS_STREAM (user.deleted: the workers erase a user's data on it).
set -eu

: "${REDIS_PASSWORD:?REDIS_PASSWORD is not set}"
: "${REDIS_AUTH_PASSWORD:?REDIS_AUTH_PASSWORD is not set}"
: "${REDIS_PRODUCTS_PASSWORD:?REDIS_PRODUCTS_PASSWORD is not set}"
: "${REDIS_ORDERS_PASSWORD:?REDIS_ORDERS_PASSWORD is not set}"
: "${REDIS_NOTIFICATIONS_PASSWORD:?REDIS_NOTIFICATIONS_PASSWORD is not set}"
orders="${ORDERS_STREAM:-orders_stream}"
inventory="${INVENTORY_STREAM:-inventory_stream}"
users="${USER_EVENTS_STREAM:-user_events_stream}"
events="${ORDER_EVENTS_STREAM:-order_events_stream}"
rl="${RATE_LIMIT_PREFIX:-rl:}"
for name in "$orders" "$inventory" "$users" "$events" "$rl"; do
  case "$name" in
    '' | *[!0-9A-Za-z_:.-]*) echo "start-redis: key names are letters, digits and _ : . - only: '$name'" >&2; exit 1 ;;
  esac
done

digest() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }

# Every client: the connection handshake ioredis sends (CLIENT SETNAME, SELECT, the INFO of
# its ready check) and PING for /ready.
connection='+ping +info +hello +auth +quit +select +client|setname +client|id +time'
# A consumer of a stream: its group, reading, acknowledging, claiming, trimming what every group has
# read, its failure counts (a hash per group); it dead-letters in a MULTI (XADD to <stream>:dead, XACK).
consumer='+xreadgroup +xack +xclaim +xautoclaim +xgroup|create +xgroup|createconsumer +xgroup|delconsumer +xtrim +xinfo|consumers +xpending +hincrby +hmget +hdel'
# The saga metrics (/metrics) of every process: lengths, groups, pending counts of both streams.
readings='+xlen +xinfo|groups +xinfo|consumers +xinfo|stream +xpending +xrange +xrevrange'
# The valid-after of each user (session revocation): auth-service writes it, every verifier reads it.
valid_after='auth:valid-after:*'
# Sign-in challenges that have signed someone in (each signs in once): auth-service's alone.
second_step='auth:second-step:*'

# Rate limits (rate-limiter-flexible: a Lua script via EVALSHA, EVAL when not cached; MULTI GET PTTL;
# DEL), the valid-after (SET EX, GET) and the spent challenges (SET NX EX, DEL).
auth="-@all $connection +evalsha +eval +get +set +del +pttl +expire +incrby +multi +exec +discard"
# Both services read both streams and their dead letters (metrics, admin pages) and the valid-after.
reads="-@all $connection $readings +get +multi +exec +discard %R~${orders} %R~${orders}:* %R~${inventory} %R~${inventory}:* %R~${users} %R~${users}:* %R~${valid_after}"
# The workers (the mailer too) consume the account events in a group of their own; a bad entry goes to its dead letters.
# The mailer trims the streams it reads by what their groups consumed (XINFO GROUPS), as every consumer does.
user_events="(~${users} ~${users}:failures:* $consumer) (~${users}:dead +xadd)"

# Users may be given in the configuration itself, read here from stdin: no file holds them. Each
# selector (in parentheses) grants its commands on its keys only: consuming a stream is granted on
# that stream alone, adding entries (XADD) only where the user is the writer.
exec redis-server - "$@" <<CONF
appendonly yes
appendfsync everysec
maxmemory ${REDIS_MAXMEMORY:-512mb}
maxmemory-policy noeviction
user default on #$(digest "$REDIS_PASSWORD") ~* &* +@all
user auth on #$(digest "$REDIS_AUTH_PASSWORD") resetchannels $auth ~${rl}* ~${valid_after} ~${second_step} (~${users} +xadd)
user products on #$(digest "$REDIS_PRODUCTS_PASSWORD") resetchannels $reads (~${orders} ~${orders}:failures:* $consumer) (~${inventory} ~${orders}:dead +xadd) $user_events
user orders on #$(digest "$REDIS_ORDERS_PASSWORD") resetchannels $reads &${orders}:order-status +publish +subscribe +unsubscribe (~${inventory} ~${inventory}:failures:* $consumer) (~${orders} ~${inventory} ~${inventory}:dead ~${events} +xadd) (~${orders} ~${inventory} ~${events} ~${orders}:dead ~${inventory}:dead ~${events}:dead +eval +evalsha) (~${orders}:dead ~${inventory}:dead ~${events}:dead +xdel +xtrim) %R~${events} %R~${events}:* $user_events
user notifications on #$(digest "$REDIS_NOTIFICATIONS_PASSWORD") resetchannels -@all $connection +multi +exec +discard (~${events} ~${events}:failures:* $consumer) (~${events}:dead +xadd) (~${events} ~${users} +xinfo|groups) $user_events
CONF
