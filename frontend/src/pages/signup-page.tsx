import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';
import { CONTRACT_RULES, LIMITS, type SignupRequest } from '../api/contracts';
import { describeError } from '../api/error-messages';
import { Field } from '../components/field';
import { ErrorState } from '../components/status-views';
import { usePageTitle } from '../lib/use-page-title';
import {
  checkEmail,
  checkNewPassword,
  checkUsername,
  collectErrors,
  resolverFrom,
  showServerErrors,
} from '../lib/validation';
import { returnPath } from '../session/return-path';
import { useSession } from '../session/session-context';

const FIELDS = ['username', 'email', 'password', 'role'] as const;

const resolver = resolverFrom<SignupRequest>(({ username, email, password }) =>
  collectErrors({ username: checkUsername(username), email: checkEmail(email), password: checkNewPassword(password) }),
);

export default function SignupPage() {
  usePageTitle('Sign up');
  const { user, signup } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const form = useForm<SignupRequest>({
    defaultValues: { username: '', email: '', password: '', role: 'buyer' },
    resolver,
  });
  const [formError, setFormError] = useState<string | null>(null);
  // Set before the request, so the render that sees the new user does not redirect before this page navigates.
  const [busy, setBusy] = useState(false);
  const { errors } = form.formState;

  if (user && !busy) return <Navigate to={returnPath(location.state)} replace />;

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    setBusy(true);
    try {
      const me = await signup({ ...values, username: values.username.trim(), email: values.email.trim() });
      await navigate(me.role === 'seller' ? '/seller' : returnPath(location.state), { replace: true });
    } catch (caught) {
      const described = describeError(caught, { CONFLICT: 'That username or email is already registered.' });
      showServerErrors(form.setError, described.fields, FIELDS);
      setFormError(described.message);
      setBusy(false);
    }
  });

  return (
    <section className="form-page" aria-labelledby="page-title">
      <h1 id="page-title">Create an account</h1>
      {formError && <ErrorState message={formError} />}
      <form noValidate onSubmit={(event) => void onSubmit(event)}>
        <Field
          id="signup-username"
          label="Username"
          error={errors.username?.message}
          hint={`${CONTRACT_RULES.signup.username.minLength} to ${CONTRACT_RULES.signup.username.maxLength} characters, shown to other people.`}
        >
          {(control) => <input {...control} autoComplete="username" {...form.register('username')} />}
        </Field>
        <Field id="signup-email" label="Email" error={errors.email?.message}>
          {(control) => <input {...control} type="email" autoComplete="email" {...form.register('email')} />}
        </Field>
        <Field
          id="signup-password"
          label="Password"
          error={errors.password?.message}
          hint={`At least ${LIMITS.passwordMinBytes} characters.`}
        >
          {(control) => (
            <input {...control} type="password" autoComplete="new-password" {...form.register('password')} />
          )}
        </Field>
        <fieldset className="field" aria-describedby={errors.role ? 'signup-role-error' : undefined}>
          <legend>I want to</legend>
          {(['buyer', 'seller'] as const).map((role) => (
            <label key={role} className="radio">
              <input
                type="radio"
                id={role === 'buyer' ? 'signup-role' : undefined}
                value={role}
                {...form.register('role')}
              />
              {role === 'buyer' ? 'Buy products' : 'Sell products (you can still buy from others)'}
            </label>
          ))}
          {errors.role && (
            <p className="field-error" id="signup-role-error">
              {errors.role.message}
            </p>
          )}
        </fieldset>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
      <p>
        Already have an account?{' '}
        <Link to="/login" state={location.state as unknown}>
          Log in
        </Link>
      </p>
    </section>
  );
}
