import { expect } from '@playwright/test';

/** MailDev's web address in the e2e stack (scripts/test.ts passes it; a local run sets it by hand). */
const mailUrl = () => {
  const url = process.env.E2E_MAIL_URL;
  if (!url) throw new Error('E2E_MAIL_URL is not set: the specs read caught mail from MailDev');
  return url.replace(/\/+$/, '');
};

interface CaughtMail {
  id: string;
  time: string;
  subject: string;
  to: { address: string }[];
  text?: string;
}

async function mailTo(address: string): Promise<CaughtMail[]> {
  const response = await fetch(`${mailUrl()}/api/email`);
  if (!response.ok) throw new Error(`MailDev answered ${response.status}`);
  const all = (await response.json()) as CaughtMail[];
  return all
    .filter((mail) => mail.to.some((to) => to.address.toLowerCase() === address.toLowerCase()))
    .sort((a, b) => b.time.localeCompare(a.time));
}

/**
 * Waits for a mail to `address` holding a link to `path` (e.g. '/verify-email', '/orders/<id>') and returns that link's
 * path and query, to open against the stack's own origin. `skip` mails to the address are ignored
 * (the count seen before the action that sends the next one).
 */
export async function waitForMailLink(address: string, path: string, { skip = 0, timeoutMs = 30_000 } = {}) {
  // The query is optional: a link to a page (an order) has none, a link with a token has one.
  const pattern = new RegExp(`https?://[^\\s"<>]+${path.replace(/[/-]/g, '\\$&')}(?:\\?[^\\s"<>]+)?(?=[\\s"<>]|$)`);
  let link = '';
  await expect
    .poll(
      async () => {
        const mails = await mailTo(address);
        const fresh = mails.slice(0, Math.max(0, mails.length - skip));
        const found = fresh.map((mail) => pattern.exec(mail.text ?? '')?.[0]).find(Boolean);
        link = found ?? '';
        return link;
      },
      { timeout: timeoutMs, message: `a mail to ${address} with a link to ${path}` },
    )
    .not.toBe('');
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
}

/** How many mails `address` has received so far (pass as `skip` to wait for the next one). */
export async function countMailTo(address: string): Promise<number> {
  return (await mailTo(address)).length;
}
