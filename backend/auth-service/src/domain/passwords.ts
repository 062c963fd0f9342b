import bcrypt from 'bcrypt';
import { LIMITS } from '@market/contracts';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Compares against `hash`, or against a dummy hash of the same cost when there is no user, so both take as long. */
  verify(password: string, hash: string | undefined): Promise<boolean>;
}

/** Why a password cannot be used, or undefined. Bytes, not characters: bcrypt reads 72 bytes and silently drops the rest. */
export function passwordProblem(password: string): string | undefined {
  const bytes = Buffer.byteLength(password, 'utf8');
  if (bytes < LIMITS.passwordMinBytes) return `password must be at least ${LIMITS.passwordMinBytes} bytes long`;
  if (bytes > LIMITS.passwordMaxBytes) {
    return `password must be at most ${LIMITS.passwordMaxBytes} bytes (UTF-8); it is ${bytes} bytes (accented letters and emoji take 2 to 4 bytes each)`;
  }
  return undefined;
}

export function createPasswordHasher(cost: number): PasswordHasher {
  let dummy: Promise<string> | undefined;
  return {
    hash: (password) => bcrypt.hash(password, cost),
    async verify(password, hash) {
      dummy ??= bcrypt.hash('no user has this password', cost);
      // A password over the limit was never stored, so it cannot match; compare anyway to keep the timing.
      const acceptable = Buffer.byteLength(password, 'utf8') <= LIMITS.passwordMaxBytes;
      const matches = await bcrypt.compare(password, hash ?? (await dummy));
      return matches && acceptable && hash !== undefined;
    },
  };
}
