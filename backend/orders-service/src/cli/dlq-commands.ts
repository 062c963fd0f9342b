import { parseArgs } from 'node:util';
import { AppError, type DeadLetterFilter, type DeadLetters } from '@market/kit';
import { formatEntry, formatPage, HELP } from './dlq-output';

export const EXIT = { done: 0, failed: 1, usage: 2, notFound: 3, notConfirmed: 4 } as const;

export interface DlqIo {
  out(text: string): void;
  err(text: string): void;
  /** Asks a yes/no question; false when nobody can answer (stdin is not a terminal). */
  confirm(question: string): Promise<boolean>;
}

class UsageError extends Error {}

/** node:util parseArgs refuses an unknown option or a missing value with these codes. */
const isParseArgsError = (error: unknown) =>
  String((error as { code?: unknown } | null)?.code).startsWith('ERR_PARSE_ARGS');

const OPTIONS = {
  stream: { type: 'string' },
  oldest: { type: 'boolean' },
  limit: { type: 'string' },
  cursor: { type: 'string' },
  json: { type: 'boolean' },
  all: { type: 'boolean' },
  type: { type: 'string' },
  group: { type: 'string' },
  reason: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Flags = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/**
 * `npm run dlq -- list|show|replay|drop …` against the dead letters of the configured saga
 * streams; returns the exit code. Writes results to `io.out`, problems to `io.err`.
 */
export async function runDlq(argv: string[], deadLetters: DeadLetters, io: DlqIo): Promise<number> {
  try {
    const { values: flags, positionals } = parseArgs({
      args: argv,
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    });
    const [command, ...rest] = positionals;
    if (flags.help || command === 'help') {
      io.out(HELP);
      return EXIT.done;
    }
    if (flags.stream !== undefined && !deadLetters.streams.includes(flags.stream)) {
      throw new UsageError(`--stream must be one of ${deadLetters.streams.join(', ')}`);
    }
    switch (command) {
      case 'list':
        return await list(deadLetters, flags, rest, io);
      case 'show':
      case 'replay':
      case 'drop':
        return await onEntries(command, deadLetters, flags, rest, io);
      default:
        throw new UsageError(command ? `unknown command "${command}"` : 'name a command');
    }
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.err(`${(error as Error).message}\n\n${HELP}`);
      return EXIT.usage;
    }
    if (error instanceof AppError && error.status === 400) {
      io.err(error.message);
      return EXIT.usage;
    }
    io.err(`dead letters unavailable: ${(error as Error).message}`);
    return EXIT.failed;
  }
}

async function list(deadLetters: DeadLetters, flags: Flags, rest: string[], io: DlqIo): Promise<number> {
  if (rest.length > 0) throw new UsageError('list takes no id');
  const limit = flags.limit === undefined ? undefined : Number(flags.limit);
  if (flags.cursor !== undefined && flags.stream === undefined) throw new UsageError('--cursor needs --stream');
  const streams = flags.stream ? [flags.stream] : deadLetters.streams;
  const order = flags.oldest ? 'oldest' : 'newest';
  const pages = [];
  for (const stream of streams)
    pages.push({ stream, page: await deadLetters.list(stream, { order, limit, cursor: flags.cursor }) });
  if (flags.json) {
    io.out(
      JSON.stringify(
        pages.map(({ stream, page }) => ({ stream, ...page })),
        null,
        2,
      ),
    );
    return EXIT.done;
  }
  const next = (stream: string) => (cursor: string) =>
    [
      'npm run dlq -- list --stream',
      stream,
      flags.oldest ? '--oldest' : '',
      flags.limit ? `--limit ${flags.limit}` : '',
      '--cursor',
      cursor,
    ]
      .filter(Boolean)
      .join(' ');
  io.out(pages.map(({ stream, page }) => formatPage(stream, page, next(stream))).join('\n\n'));
  return EXIT.done;
}

async function onEntries(
  command: 'show' | 'replay' | 'drop',
  deadLetters: DeadLetters,
  flags: Flags,
  rest: string[],
  io: DlqIo,
): Promise<number> {
  if (flags.all) {
    if (command === 'show') throw new UsageError('show takes one id, not --all');
    if (rest.length > 0) throw new UsageError(`${command} takes an id or --all, not both`);
    if (!flags.stream) throw new UsageError(`${command} --all needs --stream`);
    return command === 'replay'
      ? replayAll(deadLetters, flags.stream, flags, io)
      : dropAll(deadLetters, flags.stream, flags, io);
  }
  if (rest.length !== 1) throw new UsageError(`${command} takes one dead letter id (or --all)`);
  if (flags.type !== undefined || flags.group !== undefined || flags.reason !== undefined)
    throw new UsageError('--type, --group and --reason go with --all');
  const id = rest[0]!;
  const stream = await streamHolding(deadLetters, flags.stream, id, io);
  if (!stream) return EXIT.notFound;
  if (command === 'show') {
    const entry = await deadLetters.show(stream, id);
    if (!entry) return missing(stream, id, io);
    io.out(flags.json ? JSON.stringify(entry, null, 2) : formatEntry(entry));
  } else if (command === 'replay') {
    const replayedAs = await deadLetters.replay(stream, id);
    if (!replayedAs) return missing(stream, id, io);
    io.out(`replayed ${id} onto ${stream} as ${replayedAs}`);
  } else {
    if (!(await deadLetters.drop(stream, id))) return missing(stream, id, io);
    io.out(`dropped ${id} from ${stream}:dead`);
  }
  return EXIT.done;
}

function missing(stream: string, id: string, io: DlqIo): number {
  io.err(`no dead letter ${id} in ${stream}:dead (replayed or dropped already?)`);
  return EXIT.notFound;
}

/** The stream named, or the one saga stream whose dead letters hold `id`. */
async function streamHolding(
  deadLetters: DeadLetters,
  named: string | undefined,
  id: string,
  io: DlqIo,
): Promise<string | undefined> {
  if (named) return named;
  const holding = [];
  for (const stream of deadLetters.streams) if (await deadLetters.show(stream, id)) holding.push(stream);
  if (holding.length > 1)
    throw new UsageError(`${id} is a dead letter of ${holding.join(' and ')}: name one with --stream`);
  if (holding.length === 0)
    io.err(`no dead letter ${id} in ${deadLetters.streams.map((s) => `${s}:dead`).join(' or ')}`);
  return holding[0];
}

async function replayAll(deadLetters: DeadLetters, stream: string, flags: Flags, io: DlqIo): Promise<number> {
  const filter: DeadLetterFilter = { type: flags.type, group: flags.group, reasonContains: flags.reason };
  const replayed = await deadLetters.replayAll(stream, filter);
  io.out(`replayed ${replayed} dead letter${replayed === 1 ? '' : 's'} onto ${stream}`);
  return EXIT.done;
}

async function dropAll(deadLetters: DeadLetters, stream: string, flags: Flags, io: DlqIo): Promise<number> {
  if (flags.type !== undefined || flags.group !== undefined || flags.reason !== undefined)
    throw new UsageError('drop --all takes no filter; drop them one by one');
  const newest = await deadLetters.list(stream, { limit: 1 });
  const last = newest.entries[0];
  if (!last) {
    io.out(`${stream}:dead holds no dead letters`);
    return EXIT.done;
  }
  if (!flags.yes && !(await io.confirm(`Drop all ${newest.total} dead letters of ${stream} for good?`))) {
    io.err('nothing dropped (answer y, or pass --yes)');
    return EXIT.notConfirmed;
  }
  const dropped = await deadLetters.dropAll(stream, last.id);
  io.out(`dropped ${dropped} dead letter${dropped === 1 ? '' : 's'} from ${stream}:dead`);
  return EXIT.done;
}
