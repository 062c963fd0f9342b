import { useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';
import { LIMITS, type SignupRole } from '../api/contracts';
import { describeError } from '../api/error-messages';
import { Field } from '../components/field';
import { ErrorState } from '../components/status-views';
import { usePageTitle } from '../lib/use-page-title';
import { checkEmail, checkNewPassword, checkUsername, collectErrors, focusFirstError, type FieldErrors } from '../lib/validation';
import { returnPath } from '../session/return-path';
import { useSession } from '../session/session-context';

const FIELDS = ['username', 'email', 'password', 'role'] as const;

export default function SignupPage() {
  usePageTitle('Sign up');
  const { user, signup } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const [form, setForm] = useState({ username: '', email: '', password: '', role: 'buyer' as SignupRole });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (user && !busy) return <Navigate to={returnPath(location.state)} replace />;

  const set = (field: keyof typeof form) => (value: string) => setForm((current) => ({ ...current, [field]: value }));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const found = collectErrors({
      username: checkUsername(form.username),
      email: checkEmail(form.email),
      password: checkNewPassword(form.password),
    });
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0) return focusFirstError(found, FIELDS, 'signup');
    setBusy(true);
    try {
      const me = await signup({ ...form, username: form.username.trim(), email: form.email.trim() });
      navigate(me.role === 'seller' ? '/seller' : returnPath(location.state), { replace: true });
    } catch (caught) {
      const described = describeError(caught, { CONFLICT: 'That username or email is already registered.' });
      setErrors(described.fields);
      setFormError(described.message);
      setBusy(false);
    }
  };

  return (
    <section className="form-page" aria-labelledby="page-title">
      <h1 id="page-title">Create an account</h1>
      {formError && <ErrorState message={formError} />}
      <form noValidate onSubmit={(event) => void onSubmit(event)}>
        <Field id="signup-username" label="Username" error={errors.username} hint={`${LIMITS.usernameMin} to ${LIMITS.usernameMax} characters, shown to other people.`}>
          {(control) => (
            <input {...control} autoComplete="username" value={form.username} onChange={(e) => set('username')(e.target.value)} />
          )}
        </Field>
        <Field id="signup-email" label="Email" error={errors.email}>
          {(control) => (
            <input {...control} type="email" autoComplete="email" value={form.email} onChange={(e) => set('email')(e.target.value)} />
          )}
        </Field>
        <Field id="signup-password" label="Password" error={errors.password} hint={`At least ${LIMITS.passwordMinBytes} characters.`}>
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="new-password"
              value={form.password}
              onChange={(e) => set('password')(e.target.value)}
            />
          )}
        </Field>
        <fieldset className="field" aria-describedby={errors.role ? 'signup-role-error' : undefined}>
          <legend>I want to</legend>
          {(['buyer', 'seller'] as const).map((role) => (
            <label key={role} className="radio">
              <input
                type="radio"
                name="role"
                id={role === 'buyer' ? 'signup-role' : undefined}
                value={role}
                checked={form.role === role}
                onChange={() => set('role')(role)}
              />
              {role === 'buyer' ? 'Buy products' : 'Sell products (you can still buy from others)'}
            </label>
          ))}
          {errors.role && (
            <p className="field-error" id="signup-role-error">
              {errors.role}
            </p>
          )}
        </fieldset>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
      <p>
        Already have an account? <Link to="/login" state={location.state}>Log in</Link>
      </p>
    </section>
  );
}
