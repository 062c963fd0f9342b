// Redis for the local stack and tests: a reachable server, else a private redis-server in .local/redis.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { canUseApt, ensureApt } from './apt.mjs';
import { findFreePort, redactUrl, waitUntil } from './net.mjs';
import { SetupError, rel, repoRoot, tailOf, waitForExit, which } from './proc.mjs';

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const redisHome = path.join(repoRoot, '.local', 'redis');
const logFile = path.join(redisHome, 'redis.log');

const encode = (args) =>
  `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(String(a))}\r\n${a}\r\n`).join('')}`;

// Parses one RESP reply from `buf` at `at`; returns [value, nextOffset] or null when incomplete.
function parseReply(buf, at = 0) {
  const lineEnd = buf.indexOf('\r\n', at);
  if (lineEnd < 0) return null;
  const type = String.fromCharCode(buf[at]);
  const line = buf.toString('utf8', at + 1, lineEnd);
  const next = lineEnd + 2;
  if (type === '+') return [line, next];
  if (type === '-') return [new Error(line), next];
  if (type === ':') return [Number(line), next];
  if (type === '$') {
    const len = Number(line);
    if (len < 0) return [null, next];
    if (buf.length < next + len + 2) return null;
    return [buf.toString('utf8', next, next + len), next + len + 2];
  }
  if (type === '*') {
    const count = Number(line);
    const items = [];
    let offset = next;
    for (let i = 0; i < count; i += 1) {
      const parsed = parseReply(buf, offset);
      if (!parsed) return null;
      items.push(parsed[0]);
      offset = parsed[1];
    }
    return [items, offset];
  }
  throw new Error(`unexpected RESP type ${type}`);
}

/**
 * Sends commands one after another on a single connection (AUTH and SELECT from the URL first).
 * Resolves with the replies; an error reply rejects.
 */
export function redisCommands(url, commands, timeoutMs = 3000) {
  const { hostname, port, username, password, pathname } = new URL(url);
  const prelude = [];
  if (password)
    prelude.push(
      username
        ? ['AUTH', decodeURIComponent(username), decodeURIComponent(password)]
        : ['AUTH', decodeURIComponent(password)],
    );
  const db = pathname.replace('/', '');
  if (db) prelude.push(['SELECT', db]);
  const all = [...prelude, ...commands];
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname || '127.0.0.1', port: Number(port || 6379) });
    let buf = Buffer.alloc(0);
    const replies = [];
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('redis timeout')));
    socket.on('error', reject);
    socket.on('connect', () => socket.write(all.map(encode).join('')));
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const parsed = parseReply(buf);
        if (!parsed) break;
        replies.push(parsed[0]);
        buf = buf.subarray(parsed[1]);
      }
      if (replies.length < all.length) return;
      socket.end();
      const failed = replies.find((r) => r instanceof Error);
      if (failed) reject(failed);
      else resolve(replies.slice(prelude.length));
    });
  });
}

export async function isRedisReachable(url) {
  try {
    const [reply] = await redisCommands(url, [['PING']], 1500);
    return reply === 'PONG';
  } catch {
    return false;
  }
}

/** Deletes keys by exact name and by SCAN pattern; used to tidy the namespaces of a throwaway stack. */
export async function deleteRedisKeys(url, { keys = [], patterns = [] } = {}) {
  const doomed = [...keys];
  for (const pattern of patterns) {
    let cursor = '0';
    do {
      const [[nextCursor, found]] = await redisCommands(url, [['SCAN', cursor, 'MATCH', pattern, 'COUNT', '1000']]);
      doomed.push(...found);
      cursor = nextCursor;
    } while (cursor !== '0');
  }
  if (doomed.length) await redisCommands(url, [['DEL', ...doomed]]);
  return doomed.length;
}

async function startPrivateRedis(binary) {
  mkdirSync(redisHome, { recursive: true });
  const port = await findFreePort(6380);
  const fd = openSync(logFile, 'a');
  // AOF with everysec and noeviction: the same durability rules as every other deployment.
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    redisHome,
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--maxmemory-policy',
    'noeviction',
    '--daemonize',
    'no',
  ];
  const child = spawn(binary, args, { cwd: redisHome, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  const url = `redis://127.0.0.1:${port}`;
  const ready = await waitUntil(() => isRedisReachable(url), {
    timeoutMs: 15_000,
    abort: () => (child.exitCode !== null ? `redis-server exited with code ${child.exitCode}` : null),
  });
  if (!ready.ok) {
    await waitForExit(child, 5000);
    throw new SetupError(
      `private Redis did not start (${ready.reason}). Last lines of ${rel(logFile)}:\n${tailOf(logFile)}`,
    );
  }
  return { url, child, stop: () => waitForExit(child, 10_000, 'SIGTERM') };
}

/** True when the server appends every write to its AOF, flushed every second, as production does. */
async function hasProductionDurability(url) {
  try {
    const [[, appendonly], [, fsync]] = await redisCommands(url, [
      ['CONFIG', 'GET', 'appendonly'],
      ['CONFIG', 'GET', 'appendfsync'],
    ]);
    return appendonly === 'yes' && fsync === 'everysec';
  } catch {
    return false;
  }
}

/**
 * A Redis URL: REDIS_URL (or the default) when it answers PING, else a private redis-server,
 * installing the distro package first when we are root. Returns { url, private, stop() }.
 * `durable` (the benchmarks): a reachable server without AOF everysec is passed over for a
 * private one that has it, so figures are measured with production's durability.
 */
export async function ensureRedisOnce({ durable = false } = {}) {
  const wanted = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  if ((await isRedisReachable(wanted)) && (!durable || (await hasProductionDurability(wanted)))) {
    return { url: wanted, private: false, stop: async () => {}, detail: `using ${redactUrl(wanted)}` };
  }
  let binary = which('redis-server');
  if (!binary && canUseApt()) {
    await ensureApt(['redis-server'], { why: 'Redis is needed' });
    if ((await isRedisReachable(wanted)) && (!durable || (await hasProductionDurability(wanted))))
      return { url: wanted, private: false, stop: async () => {}, detail: `using ${redactUrl(wanted)}` };
    binary = which('redis-server');
  }
  if (!binary) {
    throw new SetupError(
      `Redis is not reachable at ${redactUrl(wanted)} and redis-server was not found.\n` +
        'Install it (a private instance is then started in .local/redis) with:\n  sudo apt-get install -y redis-server\n' +
        'or point REDIS_URL at a server you can use.',
    );
  }
  const instance = await startPrivateRedis(binary);
  return { ...instance, private: true, detail: `private redis-server on ${instance.url}, data in ${rel(redisHome)}` };
}
