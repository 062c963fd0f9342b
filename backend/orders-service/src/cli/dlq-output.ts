import type { DeadLetterEntry, DeadLetterPage } from '@market/kit';

export const HELP = `Dead letters of the stock saga: entries a consumer gave up on, kept in <stream>:dead.

Usage:
  npm run dlq -- list   [--stream NAME] [--oldest] [--limit N] [--cursor ID] [--json]
  npm run dlq -- show   [--stream NAME] ID [--json]
  npm run dlq -- replay [--stream NAME] ID
  npm run dlq -- replay --stream NAME --all [--type TYPE] [--group GROUP] [--reason TEXT]
  npm run dlq -- drop   [--stream NAME] ID
  npm run dlq -- drop   --stream NAME --all [--yes]
  (in a container: node dist/cli/dlq.js <the same arguments>)

Commands:
  list     A page of dead letters per stream, newest first (--oldest: oldest first), with the count;
           --limit 1..100 (default 20); --cursor continues where the previous page said.
  show     One dead letter: why it died, which group gave up, after how many deliveries, its fields.
  replay   Puts the original entry back on its stream and removes the dead letter, in one atomic
           step: two operators replaying at once put it back once. Consumers dedupe by event_id,
           so replaying an entry that was in fact applied changes nothing. --all replays every dead
           letter of the stream (oldest first) that matches --type, --group and --reason (text the
           reason contains), all of them without filters.
  drop     Deletes a dead letter for good. --all deletes every one there is when you confirm
           (later arrivals stay); --yes skips the question (needed when stdin is not a terminal).

Options:
  --stream NAME   A saga stream: ORDERS_STREAM or INVENTORY_STREAM (default orders_stream and
                  inventory_stream). Without it, list shows both and an ID is looked up in both.
  --json          Machine-readable output.

Environment: REDIS_URL (default redis://127.0.0.1:6379), ORDERS_STREAM, INVENTORY_STREAM.
Exit codes: 0 done, 1 Redis failed, 2 bad usage or input, 3 no such dead letter, 4 drop not confirmed.
`;

const clip = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

/** Left-aligned columns, two spaces apart; the last column is not padded. */
function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function formatPage(stream: string, page: DeadLetterPage, nextCommand: (cursor: string) => string): string {
  const count = `${page.total} dead letter${page.total === 1 ? '' : 's'}`;
  if (page.entries.length === 0)
    return `${stream}:dead — ${page.total === 0 ? 'no dead letters' : `${count}, none on this page`}`;
  const rows = page.entries.map((e) => [
    e.id,
    e.deadAt,
    e.group,
    String(e.deliveries),
    e.fields.type ?? '',
    e.fields.order_id ?? '',
    clip(e.reason.replace(/\s+/g, ' '), 70),
  ]);
  const lines = [
    `${stream}:dead — ${count}, showing ${page.entries.length}`,
    formatTable(['ID', 'DEAD AT', 'GROUP', 'DELIVERIES', 'TYPE', 'ORDER', 'REASON'], rows),
  ];
  if (page.next) lines.push(`next page: ${nextCommand(page.next)}`);
  return lines.join('\n');
}

export function formatEntry(entry: DeadLetterEntry): string {
  const width = Math.max(...Object.keys(entry.fields).map((key) => key.length), 0);
  return [
    `stream        ${entry.stream}`,
    `dead letter   ${entry.id}`,
    `original id   ${entry.originalId}`,
    `group         ${entry.group}`,
    `deliveries    ${entry.deliveries}`,
    `dead at       ${entry.deadAt}`,
    `reason        ${entry.reason}`,
    'fields:',
    ...Object.entries(entry.fields).map(([key, value]) => `  ${key.padEnd(width)}  ${value}`),
  ].join('\n');
}
