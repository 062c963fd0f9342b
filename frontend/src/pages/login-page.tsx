import { useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';
import { describeError } from '../api/error-messages';
import { Field } from '../components/field';
import { ErrorState } from '../components/status-views';
import { usePageTitle } from '../lib/use-page-title';
import { checkEmail, collectErrors, focusFirstError, type FieldErrors } from '../lib/validation';
import { returnPath } from '../session/return-path';
import { useSession } from '../session/session-context';
import { DemoLogin } from './demo-login';

const FIELDS = ['email', 'password'] as const;

export function LoginPage() {
  usePageTitle('Log in');
  const { user, login } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const from = returnPath(location.state);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (user && !busy) return <Navigate to={from} replace />;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const found = collectErrors({ email: checkEmail(email), password: password ? null : 'Enter your password.' });
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0) return focusFirstError(found, FIELDS, 'login');
    setBusy(true);
    try {
      await login({ email: email.trim(), password });
      navigate(from, { replace: true });
    } catch (caught) {
      const described = describeError(caught);
      setErrors(described.fields);
      setFormError(described.message);
      setBusy(false);
    }
  };

  return (
    <section className="form-page" aria-labelledby="page-title">
      <h1 id="page-title">Log in</h1>
      {formError && <ErrorState message={formError} />}
      <form noValidate onSubmit={(event) => void onSubmit(event)}>
        <Field id="login-email" label="Email" error={errors.email}>
          {(control) => (
            <input {...control} type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />
          )}
        </Field>
        <Field id="login-password" label="Password" error={errors.password}>
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <p>
        New here? <Link to="/signup" state={location.state}>Create an account</Link>
      </p>
      <DemoLogin onDone={() => navigate(from, { replace: true })} />
    </section>
  );
}
