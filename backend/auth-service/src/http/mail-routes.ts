import express, { type Router } from 'express';
import type { EmailVerificationRequest, PasswordResetCompletion, PasswordResetRequest } from '@market/contracts';
import { authenticate, validate, type AuthUser } from '@market/kit';
import type { AccessTokens } from '../domain/access-tokens';
import type { EmailVerification } from '../domain/email-verification';
import type { PasswordReset } from '../domain/password-reset';
import { clientAddress } from './client-address';
import { validators } from './schemas';

const ACCEPTED = {
  passwordReset:
    'If an account uses this address, a link to choose a new password is on its way. It works for 30 minutes.',
  verification: 'A new confirmation link is on its way to your address.',
};

/** The flows that go through a mailed link: password reset and email verification. */
export function mailRoutes(deps: {
  passwordReset: PasswordReset;
  verification: EmailVerification;
  accessTokens: AccessTokens;
}): Router {
  const router = express.Router({ caseSensitive: true, strict: true });
  const { passwordReset, verification } = deps;

  router.post('/password-reset', validate(validators.requestPasswordReset), async (req, res) => {
    const { email } = req.body as PasswordResetRequest;
    await passwordReset.request({ email, ip: clientAddress(req) });
    res.status(202).json({ message: ACCEPTED.passwordReset });
  });

  router.post('/password-reset/complete', validate(validators.completePasswordReset), async (req, res) => {
    await passwordReset.complete(req.body as PasswordResetCompletion);
    res.status(204).end();
  });

  router.post('/verify-email', validate(validators.verifyEmail), async (req, res) => {
    await verification.verify((req.body as EmailVerificationRequest).token);
    res.status(204).end();
  });

  router.post('/verify-email/resend', authenticate(deps.accessTokens.verify), async (req, res) => {
    await verification.resend((req.user as AuthUser).id);
    res.status(202).json({ message: ACCEPTED.verification });
  });

  return router;
}
