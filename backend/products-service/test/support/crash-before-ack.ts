/**
 * Preloaded into an inventory worker process by the crash tests (`node --import tsx --import
 * <this file> <worker entry>`; see crashBeforeAckArgs in worker-harness.ts): the first time the
 * worker is about to acknowledge an entry of ORDERS_STREAM — its batch's transaction committed,
 * the XACK not yet written to Redis — the process SIGKILLs itself. The product has no such hook:
 * the kill is injected from outside, in the Redis client the worker acknowledges with (ioredis
 * passes every command of a MULTI through sendCommand and writes them only after the last one,
 * so nothing of the acknowledgement reaches Redis).
 */
import { Redis } from 'ioredis';

const ordersStream = process.env.ORDERS_STREAM;
// eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with the client as `this` (apply below)
const sendCommand = Redis.prototype.sendCommand;

Redis.prototype.sendCommand = function sendOrCrash(this: Redis, ...args: Parameters<Redis['sendCommand']>) {
  const [command] = args;
  if (command.name === 'xack' && String(command.args[0]) === ordersStream) {
    process.stderr.write(
      `crash-before-ack: SIGKILL after COMMIT, before XACK of ${command.args.slice(2).map(String).join(' ')}\n`,
    );
    process.kill(process.pid, 'SIGKILL');
  }
  return sendCommand.apply(this, args);
};
