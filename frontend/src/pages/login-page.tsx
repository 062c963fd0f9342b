import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';
import type { LoginRequest, SecondStepRequired } from '../api/contracts';
import { describeError } from '../api/error-messages';
import { Field } from '../components/field';
import { ErrorState } from '../components/status-views';
import { usePageTitle } from '../lib/use-page-title';
import { checkEmail, collectErrors, resolverFrom, showServerErrors } from '../lib/validation';
import { returnPath } from '../session/return-path';
import { useSession } from '../session/session-context';
import { DemoLogin } from './demo-login';
import { SecondStep } from './login-second-step';

const FIELDS = ['email', 'password'] as const;

const resolver = resolverFrom<LoginRequest>(({ email, password }) =>
  collectErrors({ email: checkEmail(email), password: password ? null : 'Enter your password.' }),
);

export default function LoginPage() {
  usePageTitle('Log in');
  const { user, login } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const from = returnPath(location.state);
  const form = useForm<LoginRequest>({ defaultValues: { email: '', password: '' }, resolver });
  const [formError, setFormError] = useState<string | null>(null);
  // Set before the request, so the render that sees the new user does not redirect before this page navigates.
  const [busy, setBusy] = useState(false);
  const [secondStep, setSecondStep] = useState<SecondStepRequired | null>(null);
  const { errors } = form.formState;

  if (user && !busy) return <Navigate to={from} replace />;
  if (secondStep)
    return (
      <SecondStep
        step={secondStep}
        onDone={() => void navigate(from, { replace: true })}
        onRestart={() => {
          setSecondStep(null);
          setBusy(false);
        }}
      />
    );

  const onSubmit = form.handleSubmit(async ({ email, password }) => {
    setFormError(null);
    setBusy(true);
    try {
      const answer = await login({ email: email.trim(), password });
      if ('secondStep' in answer) return setSecondStep(answer);
      await navigate(from, { replace: true });
    } catch (caught) {
      const described = describeError(caught);
      showServerErrors(form.setError, described.fields, FIELDS);
      setFormError(described.message);
      setBusy(false);
    }
  });

  return (
    <section className="form-page" aria-labelledby="page-title">
      <h1 id="page-title">Log in</h1>
      {formError && <ErrorState message={formError} />}
      <form noValidate onSubmit={(event) => void onSubmit(event)}>
        <Field id="login-email" label="Email" error={errors.email?.message}>
          {(control) => <input {...control} type="email" autoComplete="email" {...form.register('email')} />}
        </Field>
        <Field id="login-password" label="Password" error={errors.password?.message}>
          {(control) => (
            <input {...control} type="password" autoComplete="current-password" {...form.register('password')} />
          )}
        </Field>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <p>
        <Link to="/forgot-password">Forgot password?</Link>
      </p>
      <p>
        New here?{' '}
        <Link to="/signup" state={location.state as unknown}>
          Create an account
        </Link>
      </p>
      <DemoLogin onDone={() => void navigate(from, { replace: true })} />
    </section>
  );
}
