import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Schema } from './schema-arbitrary';

/** Listens on a port the kernel hands out, so the fuzz talks HTTP (streams included) to the app. */
export async function listen(app: Express): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function fetchDocument(baseUrl: string, path: string): Promise<Schema> {
  const res = await fetch(`${baseUrl}${path}`);
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  return (await res.json()) as Schema;
}

/** How many runs each operation gets; CONTRACT_RUNS raises it for a longer hunt. */
export const RUNS = Number(process.env.CONTRACT_RUNS ?? 40);
