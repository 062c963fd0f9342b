import { html, linkTo, renderMail, type MailTemplate, type RenderedMail } from '@market/kit';
import type { TokenPurpose } from '../data/email-token-repository';

interface LinkValues {
  username: string;
  link: string;
}

const resetPassword: MailTemplate<LinkValues> = {
  subject: () => 'Reset your Marketplace password',
  text: ({ username, link }) =>
    [
      `Hello ${username},`,
      '',
      'Someone (we hope you) asked to reset the password of your Marketplace account. Open this link within 30 minutes to choose a new one:',
      '',
      link,
      '',
      'Setting a new password signs you out everywhere. If you did not ask for this, ignore this mail: your password stays as it is.',
    ].join('\n'),
  html: ({ username, link }) =>
    html`<p>Hello ${username},</p>
      <p>
        Someone (we hope you) asked to reset the password of your Marketplace account. Open this link within 30 minutes
        to choose a new one:
      </p>
      <p><a href="${link}">Choose a new password</a></p>
      <p>
        Setting a new password signs you out everywhere. If you did not ask for this, ignore this mail: your password
        stays as it is.
      </p>`,
};

const verifyEmail: MailTemplate<LinkValues> = {
  subject: () => 'Confirm your email address for Marketplace',
  text: ({ username, link }) =>
    [
      `Hello ${username},`,
      '',
      'Open this link to confirm that this address is yours. Until then you can browse and fill your cart, but not place orders or list products:',
      '',
      link,
      '',
      'If you did not sign up for Marketplace, ignore this mail.',
    ].join('\n'),
  html: ({ username, link }) =>
    html`<p>Hello ${username},</p>
      <p>
        Open this link to confirm that this address is yours. Until then you can browse and fill your cart, but not
        place orders or list products:
      </p>
      <p><a href="${link}">Confirm my email address</a></p>
      <p>If you did not sign up for Marketplace, ignore this mail.</p>`,
};

/** The SPA pages the links open; the token travels in the query and the page posts it back. */
const LINKS: Record<TokenPurpose, { path: string; template: MailTemplate<LinkValues> }> = {
  'reset-password': { path: '/reset-password', template: resetPassword },
  'verify-email': { path: '/verify-email', template: verifyEmail },
};

export function renderAccountMail(
  kind: TokenPurpose,
  values: Record<string, string>,
  publicBaseUrl: string,
): RenderedMail {
  const { path, template } = LINKS[kind];
  const link = linkTo(publicBaseUrl, path, { token: values.token ?? '' });
  return renderMail(template, { username: values.username ?? '', link });
}
