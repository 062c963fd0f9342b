import { CSRF_HEADER, CSRF_HEADER_VALUE } from '@market/contracts';
import { AppError } from './errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

type Headers = Record<string, string | string[] | undefined>;

/**
 * A state-changing request must carry a custom header, which a cross-site form or a
 * simple cross-site fetch cannot send, and must not be marked cross-site by the browser.
 */
export function assertSameOrigin(method: string, headers: Headers): void {
  if (SAFE_METHODS.has(method.toUpperCase())) return;
  const proof = headers[CSRF_HEADER];
  const site = headers['sec-fetch-site'];
  if (proof !== CSRF_HEADER_VALUE || site === 'cross-site') {
    throw new AppError('CSRF_FAILED', `state-changing requests must send the ${CSRF_HEADER} header from this site`);
  }
}
