import express, { type Request, type Router } from 'express';
import type { ChangePasswordRequest, DeleteAccountRequest } from '@market/contracts';
import { authenticate, validate, type AuthUser } from '@market/kit';
import type { AccessTokens } from '../domain/access-tokens';
import type { AccountSettings } from '../domain/account-settings';
import { clientAddress } from './client-address';
import { clearSessionCookies, setSessionCookies, type CookiePolicy } from './cookies';
import { validators } from './schemas';

/** `authenticate` ran first, so the user is there. */
const callerId = (req: Request) => (req.user as AuthUser).id;

/** The signed-in user's own account: password, data export, deletion. */
export function accountRoutes(deps: {
  settings: AccountSettings;
  accessTokens: AccessTokens;
  cookies: CookiePolicy;
}): Router {
  const router = express.Router({ caseSensitive: true, strict: true });
  const { settings, cookies } = deps;
  const signedIn = authenticate(deps.accessTokens.verify);

  router.post('/password', signedIn, validate(validators.changePassword), async (req, res) => {
    const { currentPassword, newPassword } = req.body as ChangePasswordRequest;
    const session = await settings.changePassword({
      userId: callerId(req),
      currentPassword,
      newPassword,
      ip: clientAddress(req),
    });
    setSessionCookies(res, session, cookies);
    res.json(session.user);
  });

  router.get('/account/export', signedIn, async (req, res) => {
    res.set('Content-Disposition', 'attachment; filename="account.json"');
    res.json(await settings.exportData(callerId(req)));
  });

  router.delete('/account', signedIn, validate(validators.deleteAccount), async (req, res) => {
    const { password } = req.body as DeleteAccountRequest;
    await settings.deleteAccount({ userId: callerId(req), password, ip: clientAddress(req) });
    clearSessionCookies(res, cookies);
    res.status(204).end();
  });

  return router;
}
