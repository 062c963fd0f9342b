import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { completePasswordReset } from '../api/auth-api';
import { describeError } from '../api/error-messages';
import { Field } from '../components/field';
import { ErrorState } from '../components/status-views';
import { usePageTitle } from '../lib/use-page-title';
import { checkNewPassword, collectErrors, resolverFrom, showServerErrors } from '../lib/validation';

interface Values {
  password: string;
  confirm: string;
}

const resolver = resolverFrom<Values>(({ password, confirm }) =>
  collectErrors({
    password: checkNewPassword(password),
    confirm: password === confirm ? null : 'The two passwords differ.',
  }),
);

/** Opened from the mailed link: sets a new password with the link's token; every session then ends. */
export default function ResetPasswordPage() {
  usePageTitle('Choose a new password');
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const form = useForm<Values>({ defaultValues: { password: '', confirm: '' }, resolver });
  const [formError, setFormError] = useState<string | null>(null);
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async ({ password }) => {
    setFormError(null);
    try {
      await completePasswordReset(token, password);
      await navigate('/login', {
        replace: true,
        state: { notice: 'Your password is changed and every session has ended. Log in with the new password.' },
      });
    } catch (caught) {
      const described = describeError(caught);
      showServerErrors(form.setError, described.fields, ['password'] as const);
      setFormError(described.message);
    }
  });

  return (
    <section className="form-page" aria-labelledby="page-title">
      <h1 id="page-title">Choose a new password</h1>
      {formError && <ErrorState message={formError} />}
      {formError && (
        <p>
          <Link to="/forgot-password">Ask for a new link</Link>
        </p>
      )}
      <form noValidate onSubmit={(event) => void onSubmit(event)}>
        <Field id="reset-password" label="New password" error={errors.password?.message}>
          {(control) => (
            <input {...control} type="password" autoComplete="new-password" {...form.register('password')} />
          )}
        </Field>
        <Field id="reset-confirm" label="New password again" error={errors.confirm?.message}>
          {(control) => (
            <input {...control} type="password" autoComplete="new-password" {...form.register('confirm')} />
          )}
        </Field>
        <button type="submit" className="button button-primary" disabled={isSubmitting}>
          {isSubmitting ? 'Saving…' : 'Set the new password'}
        </button>
      </form>
    </section>
  );
}
