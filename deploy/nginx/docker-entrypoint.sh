#!/bin/sh
# Entry point of the nginx image: renders deploy/nginx/nginx.conf.template (the same file the local
# stack renders with scripts/lib/nginx.ts) from the environment, checks it, runs nginx in the foreground.
set -eu

# Fixed by the image (frontend/Dockerfile); the rest comes from the environment ([nginx] in .env.example).
template=/etc/marketplace/nginx.conf.template
spa_root=/usr/share/marketplace
# The product-images volume, shared read-only with nginx (products-service writes it as IMAGE_DIR).
image_root=/var/lib/marketplace/images
listen_port=8080
auth_upstream="${NGINX_AUTH_UPSTREAM:-auth-service:3001}"
products_upstream="${NGINX_PRODUCTS_UPSTREAM:-products-service:3002}"
orders_upstream="${NGINX_ORDERS_UPSTREAM:-orders-service:3003}"
login_rate="${NGINX_LOGIN_RATE:-10r/m}"
login_burst="${NGINX_LOGIN_BURST:-5}"
signup_rate="${NGINX_SIGNUP_RATE:-5r/m}"
signup_burst="${NGINX_SIGNUP_BURST:-5}"
refresh_rate="${NGINX_REFRESH_RATE:-60r/m}"
refresh_burst="${NGINX_REFRESH_BURST:-30}"
event_streams="${NGINX_EVENT_STREAMS_PER_ADDRESS:-20}"
# Addresses whose X-Forwarded-For nginx believes: cloudflared and the host's port proxy reach nginx
# from the private Docker networks. Empty turns real_ip off.
real_ip_from="${NGINX_REAL_IP_FROM-10.0.0.0/8 172.16.0.0/12 192.168.0.0/16}"

prefix=/tmp/nginx
conf="$prefix/nginx.conf"
log_dir="$prefix/logs"

fail() {
  echo "marketplace-nginx: $*" >&2
  exit 1
}

# The values land inside nginx directives: the same characters the local renderer refuses are refused here.
check_value() {
  case "$2" in
    '' | *[!A-Za-z0-9._:/-]*) fail "unsafe or empty value for $1: '$2'" ;;
  esac
}

check_value NGINX_AUTH_UPSTREAM "$auth_upstream"
check_value NGINX_PRODUCTS_UPSTREAM "$products_upstream"
check_value NGINX_ORDERS_UPSTREAM "$orders_upstream"
check_value NGINX_LOGIN_RATE "$login_rate"
check_value NGINX_LOGIN_BURST "$login_burst"
check_value NGINX_SIGNUP_RATE "$signup_rate"
check_value NGINX_SIGNUP_BURST "$signup_burst"
check_value NGINX_REFRESH_RATE "$refresh_rate"
check_value NGINX_REFRESH_BURST "$refresh_burst"
check_value NGINX_EVENT_STREAMS_PER_ADDRESS "$event_streams"
for cidr in $real_ip_from; do
  check_value NGINX_REAL_IP_FROM "$cidr"
done
[ -r "$template" ] || fail "no template at $template"

mkdir -p "$log_dir" "$prefix/tmp/client_body" "$prefix/tmp/proxy" "$prefix/tmp/fastcgi" "$prefix/tmp/uwsgi" "$prefix/tmp/scgi" "$prefix/cache"
# The container's logs are its output streams.
ln -sf /dev/stdout "$log_dir/access.log"
ln -sf /dev/stderr "$log_dir/error.log"

sed \
  -e "s|{{LISTEN_PORT}}|$listen_port|g" \
  -e "s|{{AUTH_UPSTREAM}}|$auth_upstream|g" \
  -e "s|{{PRODUCTS_UPSTREAM}}|$products_upstream|g" \
  -e "s|{{ORDERS_UPSTREAM}}|$orders_upstream|g" \
  -e "s|{{SPA_ROOT}}|$spa_root|g" \
  -e "s|{{IMAGE_ROOT}}|$image_root|g" \
  -e "s|{{PREFIX}}|$prefix|g" \
  -e "s|{{LOG_DIR}}|$log_dir|g" \
  -e "s|{{LOGIN_RATE}}|$login_rate|g" \
  -e "s|{{LOGIN_BURST}}|$login_burst|g" \
  -e "s|{{SIGNUP_RATE}}|$signup_rate|g" \
  -e "s|{{SIGNUP_BURST}}|$signup_burst|g" \
  -e "s|{{REFRESH_RATE}}|$refresh_rate|g" \
  -e "s|{{REFRESH_BURST}}|$refresh_burst|g" \
  -e "s|{{EVENT_STREAMS}}|$event_streams|g" \
  "$template" >"$conf"

if grep -n '{{[A-Z0-9_]*}}' "$conf" >&2; then
  fail "the template has placeholders this entry point does not fill (above)"
fi

# Behind the tunnel the client's address arrives in X-Forwarded-For; the login limit and the logs
# must see it rather than cloudflared's. The template leaves this to the container (see its header).
if [ -n "$real_ip_from" ]; then
  real_ip="$prefix/real-ip.conf"
  : >"$real_ip"
  for cidr in $real_ip_from; do
    printf '    set_real_ip_from %s;\n' "$cidr" >>"$real_ip"
  done
  printf '    real_ip_header X-Forwarded-For;\n    real_ip_recursive on;\n' >>"$real_ip"
  sed -i "/^http {\$/r $real_ip" "$conf"
  grep -q 'real_ip_header' "$conf" || fail "could not add the real_ip settings: no 'http {' line in the template"
fi

nginx -t -q -p "$prefix/" -c "$conf" -e stderr
exec nginx -p "$prefix/" -c "$conf" -e stderr -g 'daemon off;'
