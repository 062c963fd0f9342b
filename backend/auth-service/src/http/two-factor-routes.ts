import express, { type Request, type RequestHandler, type Router } from 'express';
import type {
  SecondStepRequest,
  TwoFactorDisableRequest,
  TwoFactorEnabled,
  TwoFactorEnableRequest,
} from '@market/contracts';
import { authenticate, validate } from '@market/kit';
import type { AccessTokens } from '../domain/access-tokens';
import type { Accounts } from '../domain/accounts';
import type { Challenges } from '../domain/second-step-challenges';
import type { TwoFactor } from '../domain/two-factor';
import { clientAddress } from './client-address';
import { setSessionCookies, type CookiePolicy } from './cookies';
import { validators } from './schemas';

export interface TwoFactorRouteDeps {
  accounts: Accounts;
  twoFactor: TwoFactor;
  challenges: Challenges;
  accessTokens: AccessTokens;
  cookies: CookiePolicy;
}

const userIdOf = (req: Request) => (req.user as { id: string }).id;

/** The second step of a sign-in, and setting two-factor sign-in up and off. */
export function twoFactorRoutes(deps: TwoFactorRouteDeps): Router {
  const router = express.Router({ caseSensitive: true, strict: true });
  const { accounts, twoFactor, challenges, cookies } = deps;
  const signedIn = authenticate(deps.accessTokens.verify);
  /**
   * Setting up needs a session, or, for an admin who must enrol before signing in, the challenge
   * of that sign-in: the only thing such an admin can do before TOTP is on.
   */
  const signedInOrEnrolling: RequestHandler = (req, res, next) => {
    const challenge = (req.body as { challenge?: string } | undefined)?.challenge;
    if (challenge === undefined) return signedIn(req, res, next);
    req.user = { id: challenges.verify(challenge, 'enrol') } as Request['user'];
    next();
  };

  router.post('/login/second-step', validate(validators.loginSecondStep), async (req, res) => {
    const { challenge, code } = req.body as SecondStepRequest;
    const session = await challenges.complete(challenge, 'code', async (userId) => {
      await twoFactor.verifySignIn(userId, code, clientAddress(req));
      return accounts.loginAs(userId, 'second step');
    });
    setSessionCookies(res, session, cookies);
    res.json(session.user);
  });

  router.get('/two-factor', signedIn, async (req, res) => {
    res.json(await twoFactor.status(await accounts.me(userIdOf(req))));
  });

  router.post('/two-factor/setup', validate(validators.twoFactorSetup), signedInOrEnrolling, async (req, res) => {
    res.json(await twoFactor.begin(await accounts.me(userIdOf(req))));
  });

  router.post('/two-factor/enable', validate(validators.twoFactorEnable), signedInOrEnrolling, async (req, res) => {
    const { code, challenge } = req.body as TwoFactorEnableRequest;
    const userId = userIdOf(req);
    const confirm = () => twoFactor.confirm(userId, code, clientAddress(req));
    if (challenge === undefined) {
      res.json({ recoveryCodes: await confirm() } satisfies TwoFactorEnabled);
      return;
    }
    // An enrolment during sign-in ends that sign-in: its challenge signs in once.
    const { recoveryCodes, session } = await challenges.complete(challenge, 'enrol', async () => ({
      recoveryCodes: await confirm(),
      session: await accounts.loginAs(userId, 'two-factor set-up'),
    }));
    setSessionCookies(res, session, cookies);
    res.json({ recoveryCodes, user: session.user } satisfies TwoFactorEnabled);
  });

  router.post('/two-factor/disable', validate(validators.twoFactorDisable), signedIn, async (req, res) => {
    await twoFactor.disable(userIdOf(req), (req.body as TwoFactorDisableRequest).code, clientAddress(req));
    res.status(204).end();
  });

  return router;
}
