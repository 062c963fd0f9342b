import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { fetchEmailPreferences, updateEmailPreferences } from '../api/auth-api';
import type { EmailPreferences as Preferences } from '../api/contracts';
import { describeError } from '../api/error-messages';
import { queryKeys } from '../api/query-client';
import { LiveNotice, type Notice } from '../components/live-notice';

const CHOICES: { key: keyof Preferences; label: string; hint: string }[] = [
  { key: 'orderEmails', label: 'Order updates', hint: 'when an order of yours is confirmed, fails or is cancelled' },
  { key: 'saleEmails', label: 'Sales', hint: 'when someone buys one of your products' },
];

/** Which notification emails the user gets; security emails (password reset, address checks) are always sent. */
export function EmailPreferences() {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: queryKeys.emailPreferences,
    queryFn: ({ signal }) => fetchEmailPreferences(signal),
  });
  const [notice, setNotice] = useState<Notice | null>(null);
  const save = useMutation({
    mutationFn: updateEmailPreferences,
    onSuccess: (saved) => {
      client.setQueryData(queryKeys.emailPreferences, saved);
      setNotice({ text: 'Email preferences saved.', error: false });
    },
    onError: (caught) => setNotice({ text: describeError(caught).message, error: true }),
  });

  return (
    <section aria-labelledby="emails-title">
      <h2 id="emails-title">Emails</h2>
      {query.isPending ? (
        <p>Loading your email preferences…</p>
      ) : query.isError ? (
        <p role="alert">{describeError(query.error).message}</p>
      ) : (
        <fieldset disabled={save.isPending}>
          <legend>Send me an email about</legend>
          {CHOICES.map(({ key, label, hint }) => (
            <div key={key} className="field-checkbox">
              <input
                id={`email-${key}`}
                type="checkbox"
                checked={query.data[key]}
                onChange={(event) => {
                  setNotice(null);
                  save.mutate({ [key]: event.target.checked });
                }}
              />
              <label htmlFor={`email-${key}`}>
                {label} <span className="muted">({hint})</span>
              </label>
            </div>
          ))}
          <p className="muted">Security emails, such as a password reset, are always sent.</p>
        </fieldset>
      )}
      <LiveNotice notice={notice} />
    </section>
  );
}
