// A local stack for the operator tests, which run under jest's CommonJS and cannot load the ES-module
// scripts: node --import tsx launch-stack.mts <port> <dbSuffix> <streamSuffix>. Prints one line
// `STACK_READY {json}` once every service and nginx answer; on SIGTERM stops them and drops the
// stack's databases and stream keys.
import path from 'node:path';
import { dropStackData, startStack } from '../../../scripts/lib/stack.js';
import { repoRoot } from '../../../scripts/lib/proc.js';

const [port, dbSuffix = '', streamSuffix = ''] = process.argv.slice(2);
const stack = await startStack({
  port: Number(port),
  dbSuffix,
  streamSuffix,
  build: false,
  logDir: path.join(repoRoot, '.local', 'logs', `operator${dbSuffix}`),
  signupRate: '600r/m',
  signupBurst: 100,
  authLimits: { SIGNUP_RATE_LIMIT_PER_IP: 10_000 },
});
const ready = {
  url: stack.url,
  adminUrl: stack.adminUrl,
  redisUrl: stack.redisUrl,
  databases: stack.databases,
  mail: stack.mail,
  services: stack.services.map(({ group, port: servicePort, url, pid }) => ({ group, port: servicePort, url, pid })),
};
process.stdout.write(`STACK_READY ${JSON.stringify(ready)}\n`);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void stack
      .stop()
      .then(() => dropStackData(stack.adminUrl, stack.redisUrl, { dbSuffix, streamSuffix }))
      .finally(() => process.exit(0));
  });
}
