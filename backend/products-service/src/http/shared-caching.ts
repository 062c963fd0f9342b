import type { RequestHandler, Response } from 'express';

/**
 * nginx keeps a shared copy of an answer for as many seconds as `X-Accel-Expires` says, and
 * never passes that header on to the browser. Every answer of the products API starts as not
 * shareable; a route marks one shareable only when it is exactly what an anonymous visitor gets.
 */
export const notSharedByDefault: RequestHandler = (req, res, next) => {
  res.set('X-Accel-Expires', '0');
  // A seller's own list and every change are never kept by a browser either.
  if (req.method !== 'GET' || req.path.startsWith('/mine')) res.set('Cache-Control', 'no-store');
  next();
};

/**
 * The same for every caller: nginx may serve it to anyone for `seconds` (0: not at all), and a
 * browser revalidates it each time (Express's ETag answers 304 when nothing changed).
 */
export function markShareable(res: Response, seconds: number): void {
  res.set('X-Accel-Expires', String(seconds));
  res.set('Cache-Control', 'no-cache');
}

/** Depends on who asks (an archived product its seller still sees): only this browser may keep it. */
export function markPrivate(res: Response): void {
  res.set('X-Accel-Expires', '0');
  res.set('Cache-Control', 'private, no-cache');
}
