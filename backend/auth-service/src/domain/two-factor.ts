import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type Redis from 'ioredis';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import type { TwoFactorSetup, TwoFactorStatus, User } from '@market/contracts';
import { AppError, type Logger } from '@market/kit';
import type { Db } from '../data/db';
import {
  claimStep,
  deleteTwoFactor,
  findTwoFactor,
  replaceRecoveryCodes,
  savePendingSecret,
  unusedRecoveryCodes,
  useRecoveryCode,
} from '../data/two-factor-repository';
import { consumeAll, redisLimiter } from './rate-limits';
import type { SecretBox } from './secret-box';

const RECOVERY_CODE_COUNT = 10;
// 32 letters and digits without 0/o, 1/l/i: 12 of them are 60 bits, read aloud without doubt.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

const wrongCode = () => new AppError('INVALID_CREDENTIALS', 'that code is not valid (each code works once)');
const notEnabled = () => new AppError('CONFLICT', 'two-factor sign-in is not turned on for this account', 409);

const totpFor = (secret: string, label: string, issuer: string) =>
  new TOTP({ issuer, label, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });

function newRecoveryCode(): string {
  const chars = Array.from({ length: 12 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4, 8).join('')}-${chars.slice(8).join('')}`;
}

/**
 * sha256 with a salt per code, not bcrypt: a code is 60 random bits, far beyond guessing even
 * unsalted, and bcrypt would cost ten hashes per attempt. The salt keeps equal codes of two users
 * (and precomputed tables) apart.
 */
const hashRecoveryCode = (code: string, salt: string) =>
  createHash('sha256')
    .update(`${salt}:${code.toLowerCase().replace(/[^a-z0-9]/g, '')}`)
    .digest('hex');

/** An SVG path of the QR code's dark modules: drawn inline by the SPA, so no image source is needed. */
function qrCodeOf(text: string): TwoFactorSetup['qrCode'] {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  let path = '';
  for (let row = 0; row < modules.size; row += 1)
    for (let col = 0; col < modules.size; col += 1) if (modules.get(row, col)) path += `M${col} ${row}h1v1h-1z`;
  return { size: modules.size, path };
}

/**
 * TOTP (RFC 6238) enrolment, verification and recovery codes. Codes are counted per user and per
 * address (the login limits), and a code is accepted once: its step must be later than the last
 * accepted one.
 */
export function createTwoFactor(deps: {
  db: Db;
  redis: Redis;
  logger: Logger;
  /** Seals the secrets before they are stored (TOTP_ENCRYPTION_KEYS). */
  secrets: SecretBox;
  issuer: string;
  limits: { prefix: string; perUser: number; perIp: number; windowSeconds: number };
  requiredForAdmins: boolean;
  /** The demo admin of `npm start` (DEMO_MODE only): may sign in without a second factor. */
  exemptAdminEmail?: string;
}) {
  const { db, redis, logger, limits } = deps;
  const byUser = redisLimiter({ redis, ...limits, name: 'totp:user', points: limits.perUser });
  const byIp = redisLimiter({ redis, ...limits, name: 'totp:ip', points: limits.perIp });

  const required = (user: Pick<User, 'role' | 'email'>) =>
    deps.requiredForAdmins && user.role === 'admin' && user.email !== deps.exemptAdminEmail;

  /** Accepts a current TOTP code once; false for a wrong, stale or already used one. */
  async function acceptTotp(userId: string, secret: string, code: string): Promise<boolean> {
    const totp = totpFor(secret, userId, deps.issuer);
    const delta = totp.validate({ token: code, window: 1 });
    if (delta === null) return false;
    return claimStep(userId, totp.counter() + delta, db);
  }

  async function acceptRecoveryCode(userId: string, code: string): Promise<boolean> {
    for (const row of await unusedRecoveryCodes(userId, db)) {
      const matches = timingSafeEqual(
        Buffer.from(hashRecoveryCode(code, row.salt), 'hex'),
        Buffer.from(row.codeHash, 'hex'),
      );
      if (matches) return useRecoveryCode(row.id, db);
    }
    return false;
  }

  /**
   * Counts the attempt first (parallel guesses cannot all pass), then accepts a 6-digit TOTP code,
   * or, once enabled, a recovery code. A success hands the user's attempts back.
   */
  async function verify(userId: string, code: string, ip: string, options: { enrolling: boolean }): Promise<void> {
    await consumeAll('two-factor codes', [
      [byUser, userId],
      [byIp, ip],
    ]);
    const row = await findTwoFactor(userId, db);
    // Enrolment confirms a pending secret with a TOTP code; everything else needs an enabled one.
    if (!row || (row.enabledAt === null) !== options.enrolling) throw notEnabled();
    // Apps show "123 456"; a pasted code may keep the space.
    const digits = code.replace(/\s/g, '');
    const isTotp = /^\d{6}$/.test(digits);
    const ok = isTotp
      ? await acceptTotp(userId, deps.secrets.open(row.secret, userId), digits)
      : !options.enrolling && (await acceptRecoveryCode(userId, code));
    if (!ok) {
      logger.warn({ userId, ip, kind: isTotp ? 'totp' : 'recovery' }, 'two-factor code refused');
      throw wrongCode();
    }
    if (!isTotp) logger.info({ userId }, 'recovery code used');
    await byUser.delete(userId);
  }

  return {
    required,

    /** What a right password leads to: a code, an enrolment (admins who must have TOTP), or nothing. */
    async secondStepFor(user: User): Promise<'code' | 'enrol' | undefined> {
      const row = await findTwoFactor(user.id, db);
      if (row?.enabledAt) return 'code';
      return required(user) ? 'enrol' : undefined;
    },

    async status(user: User): Promise<TwoFactorStatus> {
      const row = await findTwoFactor(user.id, db);
      const enabled = Boolean(row?.enabledAt);
      return {
        enabled,
        required: required(user),
        recoveryCodesLeft: enabled ? (await unusedRecoveryCodes(user.id, db)).length : 0,
      };
    },

    /** A new pending secret (replacing an unconfirmed one); refused while one is enabled. */
    async begin(user: User): Promise<TwoFactorSetup> {
      const secret = new Secret({ size: 20 }).base32;
      if (!(await savePendingSecret(user.id, deps.secrets.seal(secret, user.id), db)))
        throw new AppError('CONFLICT', 'two-factor sign-in is already on; turn it off first to set it up again', 409);
      const otpauthUri = totpFor(secret, user.email, deps.issuer).toString();
      return { secret, otpauthUri, qrCode: qrCodeOf(otpauthUri) };
    },

    /** The first valid code turns TOTP on; answers the recovery codes, shown this once. */
    async confirm(userId: string, code: string, ip: string): Promise<string[]> {
      const row = await findTwoFactor(userId, db);
      if (!row) throw new AppError('CONFLICT', 'start the set-up first', 409);
      if (row.enabledAt) throw new AppError('CONFLICT', 'two-factor sign-in is already on', 409);
      await verify(userId, code, ip, { enrolling: true });
      const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
      const hashed = codes.map((value) => {
        const salt = randomBytes(16).toString('hex');
        return { salt, codeHash: hashRecoveryCode(value, salt) };
      });
      await replaceRecoveryCodes(userId, hashed, db);
      logger.info({ userId }, 'two-factor sign-in turned on');
      return codes;
    },

    /** The second step of a sign-in: a current code or an unused recovery code. */
    verifySignIn: (userId: string, code: string, ip: string) => verify(userId, code, ip, { enrolling: false }),

    /** Needs a current code or a recovery code, so a session left open cannot turn it off. */
    async disable(userId: string, code: string, ip: string): Promise<void> {
      await verify(userId, code, ip, { enrolling: false });
      await db.transaction((tx) => deleteTwoFactor(userId, tx));
      logger.info({ userId }, 'two-factor sign-in turned off');
    },
  };
}

export type TwoFactor = ReturnType<typeof createTwoFactor>;
