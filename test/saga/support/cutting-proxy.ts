import net from 'node:net';

export interface CuttingProxy {
  port: number;
  /** How many connections were cut while carrying a matching reply. */
  cuts: number;
  /** Cut the next connection whose reply from Redis contains all of `needles` (the reply is dropped). */
  armCut(needles: string[]): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of Redis that can lose one reply and cut its socket: the server has
 * delivered the entry (it sits in the consumer's pending list) but the client never saw it,
 * which is what a network cut under a blocking XREADGROUP does.
 */
export async function startCuttingProxy(target: { host: string; port: number }): Promise<CuttingProxy> {
  const sockets = new Set<net.Socket>();
  let armed: string[] | undefined;
  const proxy: CuttingProxy = {
    port: 0,
    cuts: 0,
    armCut(needles) {
      armed = needles;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      const text = chunk.toString('latin1');
      if (armed && armed.every((needle) => text.includes(needle))) {
        armed = undefined;
        proxy.cuts += 1;
        cut();
        return;
      }
      client.write(chunk);
    });
    client.on('close', () => {
      sockets.delete(client);
      upstream.destroy();
    });
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  proxy.port = (server.address() as net.AddressInfo).port;
  return proxy;
}
