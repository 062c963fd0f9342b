// The per-container env files of docker-compose.yml for a throwaway stack (CI's compose smoke job): the
// sections of .env.example, each container's example values, with every `change-me` secret replaced by
// one fresh random password (letters and digits, as init-roles.sh wants), the token key placeholders
// by a fresh EC P-256 key pair and the TOTP encryption key by 32 fresh random bytes (base64). Never for production, where Ansible renders the files from the vault.
import { generateKeyPairSync, randomBytes } from 'node:crypto';

/** Sections of .env.example that are not a container's env file. */
const NOT_CONTAINERS = new Set(['compose', 'local']);

export interface ComposeEnvSecrets {
  password: string;
  privateKey: string;
  publicKey: string;
  /** TOTP_ENCRYPTION_KEYS: base64 of 32 bytes, not a password. */
  encryptionKey: string;
}

export function freshSecrets(): ComposeEnvSecrets {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    password: randomBytes(24).toString('hex'),
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    encryptionKey: randomBytes(32).toString('base64'),
  };
}

/** A PEM on one line with `\n` escapes, as the services' configs read it (and the Ansible templates write it). */
const oneLine = (pem: string) => pem.trim().replace(/\n/g, '\\n');

/** container → the text of its env file, from the text of .env.example. */
export function composeEnvFiles(example: string, secrets: ComposeEnvSecrets): Record<string, string> {
  const files: Record<string, string[]> = {};
  let section = '';
  for (const line of example.split('\n')) {
    const header = /^# \[([a-z-]+)\]$/.exec(line);
    if (header) {
      section = header[1]!;
      continue;
    }
    if (!section || NOT_CONTAINERS.has(section) || !/^[A-Z][A-Z0-9_]*=/.test(line)) continue;
    const filled = line
      .replace(
        /'-----BEGIN PRIVATE KEY-----\\nchange-me\\n-----END PRIVATE KEY-----'/,
        `'${oneLine(secrets.privateKey)}'`,
      )
      .replace(/'-----BEGIN PUBLIC KEY-----\\nchange-me\\n-----END PUBLIC KEY-----'/, `'${oneLine(secrets.publicKey)}'`)
      .replace(/^TOTP_ENCRYPTION_KEYS=change-me$/, `TOTP_ENCRYPTION_KEYS=${secrets.encryptionKey}`)
      .replace(/change-me/g, secrets.password);
    (files[section] ??= []).push(filled);
  }
  return Object.fromEntries(Object.entries(files).map(([name, lines]) => [name, `${lines.join('\n')}\n`]));
}
