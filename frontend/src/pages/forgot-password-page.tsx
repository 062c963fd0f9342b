import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link } from 'react-router-dom';
import { requestPasswordReset } from '../api/auth-api';
import { describeError } from '../api/error-messages';
import { Field } from '../components/field';
import { ErrorState } from '../components/status-views';
import { usePageTitle } from '../lib/use-page-title';
import { checkEmail, collectErrors, resolverFrom } from '../lib/validation';

interface Values {
  email: string;
}

const resolver = resolverFrom<Values>(({ email }) => collectErrors({ email: checkEmail(email) }));

/** Asks for a reset link; the answer is the same whether the address has an account or not. */
export default function ForgotPasswordPage() {
  usePageTitle('Forgot password');
  const form = useForm<Values>({ defaultValues: { email: '' }, resolver });
  const [sent, setSent] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async ({ email }) => {
    setFormError(null);
    try {
      setSent((await requestPasswordReset(email.trim())).message);
    } catch (caught) {
      setFormError(describeError(caught).message);
    }
  });

  return (
    <section className="form-page" aria-labelledby="page-title">
      <h1 id="page-title">Forgot password</h1>
      {sent ? (
        <p className="notice notice-info" role="status">
          {sent}
        </p>
      ) : (
        <>
          <p>Enter the email address of your account and we will mail you a link to choose a new password.</p>
          {formError && <ErrorState message={formError} />}
          <form noValidate onSubmit={(event) => void onSubmit(event)}>
            <Field id="forgot-email" label="Email" error={errors.email?.message}>
              {(control) => <input {...control} type="email" autoComplete="email" {...form.register('email')} />}
            </Field>
            <button type="submit" className="button button-primary" disabled={isSubmitting}>
              {isSubmitting ? 'Sending…' : 'Send the link'}
            </button>
          </form>
        </>
      )}
      <p>
        <Link to="/login">Back to log in</Link>
      </p>
    </section>
  );
}
