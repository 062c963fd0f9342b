import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate } from 'react-router-dom';
import { describeError } from '../api/error-messages';
import { ConfirmButton } from '../components/confirm-button';
import { Field } from '../components/field';
import { LiveNotice, type Notice } from '../components/live-notice';
import { usePageTitle } from '../lib/use-page-title';
import { checkNewPassword, collectErrors, resolverFrom, showServerErrors } from '../lib/validation';
import { useSession } from '../session/session-context';
import { collectAccountData } from './account-export';
import { EmailPreferences } from './email-preferences';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  repeatPassword: string;
}

const PASSWORD_FIELDS = ['currentPassword', 'newPassword'] as const;
/** Here INVALID_CREDENTIALS is about the password typed on this page, not an email and password. */
const WRONG_PASSWORD = { INVALID_CREDENTIALS: 'That password is not right.' } as const;

const passwordResolver = resolverFrom<PasswordForm>(({ currentPassword, newPassword, repeatPassword }) =>
  collectErrors({
    currentPassword: currentPassword ? null : 'Enter your current password.',
    newPassword:
      checkNewPassword(newPassword) ??
      (newPassword === currentPassword ? 'Choose a password different from the current one.' : null),
    repeatPassword: repeatPassword === newPassword ? null : 'The two new passwords differ.',
  }),
);

/** Profile, password, a copy of one's data and deletion: everything about the signed-in user's own account. */
export default function AccountPage() {
  usePageTitle('Your account');
  const { user } = useSession();
  if (!user) return null;
  return (
    <section className="form-page account-page" aria-labelledby="page-title">
      <h1 id="page-title">Your account</h1>
      <section aria-labelledby="profile-title">
        <h2 id="profile-title">Profile</h2>
        <dl className="profile">
          <dt>Username</dt>
          <dd>{user.username}</dd>
          <dt>Email</dt>
          <dd>{user.email}</dd>
          <dt>Account type</dt>
          <dd>{user.role === 'admin' ? 'Administrator' : user.role === 'seller' ? 'Seller' : 'Buyer'}</dd>
        </dl>
      </section>
      <section aria-labelledby="settings-title">
        <h2 id="settings-title">Settings</h2>
        <ul>
          <li>
            <Link to="/account/addresses">Shipping addresses</Link>
          </li>
          <li>
            <Link to="/account/security">Two-factor sign-in</Link>
          </li>
        </ul>
      </section>
      <EmailPreferences />
      <SignOutEverywhere />
      <ChangePassword />
      <ExportData />
      <DeleteAccount />
    </section>
  );
}

function SignOutEverywhere() {
  const { logoutEverywhere } = useSession();
  const navigate = useNavigate();
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);

  const leave = async () => {
    setBusy(true);
    setNotice(null);
    try {
      await logoutEverywhere(() => {
        void navigate('/login', { replace: true, state: { notice: 'You are signed out on every device.' } });
      });
    } catch (caught) {
      setNotice({ text: describeError(caught).message, error: true });
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="sessions-title">
      <h2 id="sessions-title">Sessions</h2>
      <p>Lost a phone, or signed in on a computer that is not yours? End every session of this account at once.</p>
      <ConfirmButton
        label="Sign out on every device"
        confirmLabel="Yes, sign out everywhere"
        onConfirm={() => void leave()}
        disabled={busy}
      />
      <LiveNotice notice={notice} />
    </section>
  );
}

function ChangePassword() {
  const { changePassword } = useSession();
  const form = useForm<PasswordForm>({
    defaultValues: { currentPassword: '', newPassword: '', repeatPassword: '' },
    resolver: passwordResolver,
  });
  const [notice, setNotice] = useState<Notice | null>(null);
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async ({ currentPassword, newPassword }) => {
    setNotice(null);
    try {
      await changePassword(currentPassword, newPassword);
      form.reset();
      setNotice({ text: 'Password changed. Every other device is signed out.', error: false });
    } catch (caught) {
      const described = describeError(caught, WRONG_PASSWORD);
      showServerErrors(form.setError, described.fields, PASSWORD_FIELDS);
      setNotice({ text: described.message, error: true });
    }
  });

  return (
    <section aria-labelledby="password-title">
      <h2 id="password-title">Change password</h2>
      <form noValidate onSubmit={(event) => void onSubmit(event)}>
        <Field id="current-password" label="Current password" error={errors.currentPassword?.message}>
          {(control) => (
            <input {...control} type="password" autoComplete="current-password" {...form.register('currentPassword')} />
          )}
        </Field>
        <Field id="new-password" label="New password" error={errors.newPassword?.message}>
          {(control) => (
            <input {...control} type="password" autoComplete="new-password" {...form.register('newPassword')} />
          )}
        </Field>
        <Field id="repeat-password" label="New password again" error={errors.repeatPassword?.message}>
          {(control) => (
            <input {...control} type="password" autoComplete="new-password" {...form.register('repeatPassword')} />
          )}
        </Field>
        <button type="submit" className="button button-primary" disabled={isSubmitting}>
          {isSubmitting ? 'Changing…' : 'Change password'}
        </button>
      </form>
      <LiveNotice notice={notice} />
    </section>
  );
}

function ExportData() {
  const { user } = useSession();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);

  const download = async () => {
    if (!user) return;
    setBusy(true);
    setNotice(null);
    try {
      const data = await collectAccountData(user.role);
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `market-account-${data.exportedAt.slice(0, 10)}.json`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setNotice({ text: 'Your data was downloaded as a JSON file.', error: false });
    } catch (caught) {
      setNotice({ text: describeError(caught).message, error: true });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="export-title">
      <h2 id="export-title">Your data</h2>
      <p>
        One JSON file with your profile, your sign-in sessions, your orders and your cart
        {user?.role === 'seller' ? ', your products and your sales' : ''}.
      </p>
      <button type="button" className="button" onClick={() => void download()} disabled={busy}>
        {busy ? 'Collecting…' : 'Download my data'}
      </button>
      <LiveNotice notice={notice} />
    </section>
  );
}

function DeleteAccount() {
  const { deleteAccount } = useSession();
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const remove = async () => {
    setError(null);
    if (!password) return setError('Enter your password to delete the account.');
    setBusy(true);
    try {
      await deleteAccount(password, () => {
        void navigate('/', { replace: true, state: { notice: 'Your account was deleted.' } });
      });
    } catch (caught) {
      setError(describeError(caught, WRONG_PASSWORD).message);
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="delete-title" className="danger-zone">
      <h2 id="delete-title">Delete account</h2>
      <p>
        Your name, email and password are erased, with your cart and saved addresses; you are signed out everywhere.
        Orders stay in the sellers&apos; records without your name. This cannot be undone.
      </p>
      <Field id="delete-password" label="Password" error={error ?? undefined}>
        {(control) => (
          <input
            {...control}
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        )}
      </Field>
      <ConfirmButton
        label="Delete my account"
        confirmLabel="Yes, delete it for good"
        onConfirm={() => void remove()}
        disabled={busy}
      />
    </section>
  );
}
