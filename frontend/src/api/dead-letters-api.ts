import { api } from './http-client';
import type { CursorPage, DeadLetter, DeadLetterOrder, DeadLetterStreamSummary, ReplayedDeadLetter } from './contracts';

const BASE = '/orders/admin/dead-letters';
const streamPath = (stream: string) => `${BASE}/${encodeURIComponent(stream)}`;
const entryPath = (stream: string, id: string) => `${streamPath(stream)}/${encodeURIComponent(id)}`;

export async function listDeadLetterStreams(signal?: AbortSignal): Promise<DeadLetterStreamSummary[]> {
  return (await api.get<{ data: DeadLetterStreamSummary[] }>(BASE, { signal })).data.data;
}

export interface DeadLetterQuery {
  pageSize: number;
  cursor?: string;
  order?: DeadLetterOrder;
}

export async function listDeadLetters(
  stream: string,
  query: DeadLetterQuery,
  signal?: AbortSignal,
): Promise<CursorPage<DeadLetter>> {
  return (await api.get<CursorPage<DeadLetter>>(streamPath(stream), { params: query, signal })).data;
}

export async function replayDeadLetter(stream: string, id: string): Promise<ReplayedDeadLetter> {
  return (await api.post<ReplayedDeadLetter>(`${entryPath(stream, id)}/replay`)).data;
}

export async function dropDeadLetter(stream: string, id: string): Promise<void> {
  await api.delete(entryPath(stream, id));
}
