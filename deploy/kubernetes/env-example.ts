import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface EnvKey {
  key: string;
  /** The example value, as written after `KEY=`. */
  example: string;
  /** The comment lines right above the key. */
  comment: string;
}

/**
 * The keys of .env.example by section (`# [name]`), each section being one container of the stack.
 * The manifests take from it which keys each container reads; their values come from settings.ts.
 */
export function readEnvExample(file = path.resolve(__dirname, '../../.env.example')): Record<string, EnvKey[]> {
  const sections: Record<string, EnvKey[]> = {};
  let current: EnvKey[] | undefined;
  let comment: string[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const header = /^# \[([a-z-]+)\]$/.exec(line);
    const entry = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (header) {
      current = sections[header[1]!] = [];
      comment = [];
    } else if (entry && current) {
      current.push({ key: entry[1]!, example: entry[2]!, comment: comment.join(' ') });
      comment = [];
    } else if (line.startsWith('#')) {
      comment.push(line.replace(/^#\s?/, ''));
    } else {
      comment = [];
    }
  }
  return sections;
}
