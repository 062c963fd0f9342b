import express, { type Request, type Router } from 'express';
import type { UnsubscribeRequest, UpdateEmailPreferencesRequest } from '@market/contracts';
import { authenticate, validate, type AuthUser } from '@market/kit';
import type { AccessTokens } from '../domain/access-tokens';
import type { EmailPreferencesService } from '../domain/email-preferences';
import { validators } from './schemas';

const callerId = (req: Request) => (req.user as AuthUser).id;

/** The caller's notification-email preferences, and the unsubscribe link of those emails (no session needed). */
export function emailPreferenceRoutes(deps: {
  preferences: EmailPreferencesService;
  accessTokens: AccessTokens;
}): Router {
  const router = express.Router({ caseSensitive: true, strict: true });
  const { preferences } = deps;
  const signedIn = authenticate(deps.accessTokens.verify);

  router.get('/account/email-preferences', signedIn, async (req, res) => {
    res.json(await preferences.read(callerId(req)));
  });

  router.put('/account/email-preferences', signedIn, validate(validators.updateEmailPreferences), async (req, res) => {
    res.json(await preferences.update(callerId(req), req.body as UpdateEmailPreferencesRequest));
  });

  router.post('/unsubscribe', validate(validators.unsubscribe), async (req, res) => {
    res.json(await preferences.unsubscribe((req.body as UnsubscribeRequest).token));
  });

  return router;
}
