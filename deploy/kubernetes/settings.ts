/**
 * The value of every environment key the containers read, as the Kubernetes manifests set it. Which
 * keys a container gets comes from its section of .env.example (its meaning is explained there), so a
 * new key is one line here: a plain value lands in the container's ConfigMap, a `secret(...)` becomes a
 * secretKeyRef to a Secret the operator creates (README, "Kubernetes"). Rendering fails naming any key
 * of .env.example that has no line here.
 */
export type Setting =
  | string
  /** A key of a Secret; the key inside the Secret is the variable's own name. */
  | { secret: string; optional: boolean }
  /**
   * A key of the Secret of the container's own database (the one of its compose networks ending in -db):
   * `auth-database`, `products-database` or `orders-database`. Another URL of the same database is one more such line.
   */
  | { databaseSecret: true }
  /** A field of the pod itself, through the downward API. */
  | { podField: string };

const secret = (name: string, { optional = false } = {}): Setting => ({ secret: name, optional });

/** Values every container reading the key gets, unless CONTAINER_SETTINGS or the overlay says otherwise. */
export const SETTINGS: Record<string, Setting> = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'info',
  HOST: '0.0.0.0',
  DB_STATEMENT_TIMEOUT_MS: '15000',
  DB_LOCK_TIMEOUT_MS: '5000',
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '30000',
  // The runtime role (rows only); the migration owner's URL only in the migrate Jobs (CONTAINER_SETTINGS).
  DATABASE_URL: { databaseSecret: true },
  DATABASE_MIGRATION_URL: '',
  // Each service has a Redis user of its own (deploy/redis/start-redis.sh): CONTAINER_SETTINGS.
  JWT_ISSUER: 'marketplace-auth',
  JWT_AUDIENCE: 'marketplace',
  JWT_PRIVATE_KEY: secret('jwt-keys'),
  JWT_PUBLIC_KEY: secret('jwt-keys'),
  JWT_KEY_ID: '',
  JWKS_URL: '',
  ACCESS_TOKEN_TTL_SECONDS: '900',
  REFRESH_TOKEN_TTL_SECONDS: '1209600',
  REFRESH_REUSE_GRACE_SECONDS: '10',
  REFRESH_FAMILY_MAX_DAYS: '30',
  SESSION_PRUNE_INTERVAL_SECONDS: '3600',
  COOKIE_SECURE: 'true',
  BCRYPT_COST: '12',
  DEMO_MODE: 'false',
  DEMO_BUYER_PASSWORD: '',
  DEMO_SELLER_PASSWORD: '',
  ADMIN_EMAIL: 'admin@example.com',
  // Optional: without the Secret no admin is seeded (create one with the CLI, README "Operating it").
  ADMIN_PASSWORD: secret('admin-account', { optional: true }),
  LOGIN_RATE_LIMIT_PER_IP: '20',
  LOGIN_RATE_LIMIT_PER_ACCOUNT: '5',
  LOGIN_RATE_LIMIT_WINDOW_SECONDS: '900',
  SIGNUP_RATE_LIMIT_PER_IP: '10',
  SIGNUP_RATE_LIMIT_WINDOW_SECONDS: '3600',
  REFRESH_RATE_LIMIT_PER_IP: '60',
  REFRESH_RATE_LIMIT_WINDOW_SECONDS: '60',
  RATE_LIMIT_PREFIX: 'rl:',
  TOTP_REQUIRED_FOR_ADMINS: 'true',
  TOTP_EXEMPT_ADMIN_EMAIL: '',
  TOTP_ISSUER: 'Marketplace',
  TOTP_ENCRYPTION_KEYS: secret('totp-keys'),
  // The relay's URL holds its password.
  SMTP_URL: secret('smtp-relay'),
  SMTP_TLS_REJECT_UNAUTHORIZED: 'true',
  MAIL_FROM: 'Marketplace <no-reply@shop.example>',
  PUBLIC_BASE_URL: 'https://shop.example',
  RESET_MAIL_RATE_LIMIT_PER_IP: '20',
  RESET_MAIL_RATE_LIMIT_PER_EMAIL: '3',
  VERIFICATION_MAIL_RATE_LIMIT_PER_ACCOUNT: '3',
  MAIL_RATE_LIMIT_WINDOW_SECONDS: '3600',
  // auth-service checks, and notifications-worker signs, the mails' unsubscribe links with it.
  UNSUBSCRIBE_SECRET: secret('unsubscribe-secret'),
  // Every process of the saga must agree on these.
  ORDERS_STREAM: 'orders_stream',
  INVENTORY_STREAM: 'inventory_stream',
  USER_EVENTS_STREAM: 'user_events_stream',
  ORDER_EVENTS_STREAM: 'order_events_stream',
  ORDER_EVENTS_MAXLEN: '100000',
  // Replicas of a worker are members of one consumer group, each named after its pod.
  CONSUMER_NAME: { podField: 'metadata.name' },
  STREAM_MAXLEN: '1000000',
  STREAM_BLOCK_MS: '2000',
  STREAM_CLAIM_IDLE_MS: '30000',
  STREAM_MAX_DELIVERIES: '5',
  STREAM_HANDLER_TIMEOUT_MS: '30000',
  STREAM_CONSUMER_EXPIRY_MS: '3600000',
  STREAM_BATCH_SIZE: '64',
  STREAM_BATCH_WAIT_MS: '50',
  CATALOG_CACHE_SECONDS: '10',
  // The product-images volume (a ReadWriteMany claim shared with nginx); IMAGE_STORE=s3 leaves it unused.
  IMAGE_STORE: 'disk',
  IMAGE_DIR: '/var/lib/marketplace/images',
  IMAGE_PUBLIC_BASE_URL: '/images',
  IMAGE_MAX_BYTES: '5242880',
  IMAGE_MAX_PIXELS: '40000000',
  S3_ENDPOINT: '',
  S3_REGION: 'us-east-1',
  S3_BUCKET: '',
  S3_ACCESS_KEY_ID: '',
  S3_SECRET_ACCESS_KEY: secret('s3-credentials', { optional: true }),
  S3_FORCE_PATH_STYLE: 'true',
  PENDING_REPUBLISH_AFTER_SECONDS: '30',
  REPUBLISH_BACKOFF_MAX_SECONDS: '300',
  ORDER_DEADLINE_SECONDS: '900',
  CART_TTL_DAYS: '30',
  SSE_HEARTBEAT_SECONDS: '15',
  ORDERS_MAX_BACKLOG: '5000',
  SELLER_ADDRESS_RETENTION_DAYS: '30',
  // The APIs' Services, by name (ClusterIP: stable while their pods come and go).
  NGINX_AUTH_UPSTREAM: 'auth-service:3001',
  NGINX_PRODUCTS_UPSTREAM: 'products-service:3002',
  NGINX_ORDERS_UPSTREAM: 'orders-service:3003',
  NGINX_LOGIN_RATE: '10r/m',
  NGINX_LOGIN_BURST: '5',
  NGINX_SIGNUP_RATE: '5r/m',
  NGINX_SIGNUP_BURST: '5',
  NGINX_REFRESH_RATE: '60r/m',
  NGINX_REFRESH_BURST: '30',
  NGINX_EVENT_STREAMS_PER_ADDRESS: '20',
  // cloudflared reaches nginx from the pod network.
  NGINX_REAL_IP_FROM: '10.0.0.0/8 172.16.0.0/12 192.168.0.0/16',
  TUNNEL_TOKEN: secret('tunnel-token'),
};

/** Values that differ between containers reading the same key. */
const authRedis = secret('auth-redis');
const productsRedis = secret('products-redis');
const ordersRedis = secret('orders-redis');
const notificationsRedis = secret('notifications-redis');
const migrationOwner: Setting = { databaseSecret: true };

export const CONTAINER_SETTINGS: Record<string, Record<string, Setting>> = {
  'auth-service': { PORT: '3001', REDIS_URL: authRedis },
  // The consumers run in the workers, never in the API processes.
  'products-service': { PORT: '3002', RUN_INVENTORY_WORKER: 'false', REDIS_URL: productsRedis },
  'orders-service': { PORT: '3003', RUN_ORDERS_WORKER: 'false', REDIS_URL: ordersRedis },
  'products-worker': { PORT: '3004', REDIS_URL: productsRedis },
  'orders-worker': { PORT: '3005', REDIS_URL: ordersRedis },
  // Each mail is its own SMTP transaction: a small batch keeps a retry small.
  'notifications-worker': { PORT: '3006', REDIS_URL: notificationsRedis, STREAM_BATCH_SIZE: '16' },
  'auth-migrate': { DATABASE_MIGRATION_URL: migrationOwner },
  'products-migrate': { DATABASE_MIGRATION_URL: migrationOwner },
  'orders-migrate': { DATABASE_MIGRATION_URL: migrationOwner },
  'notifications-migrate': { DATABASE_MIGRATION_URL: migrationOwner },
};
