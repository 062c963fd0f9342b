import { useState } from 'react';
import { AddressForm } from '../addresses/address-form';
import { AddressView } from '../addresses/address-view';
import { useAddresses } from '../addresses/use-addresses';
import { LIMITS } from '../api/contracts';
import { describeError } from '../api/error-messages';
import { ConfirmButton } from '../components/confirm-button';
import { EmptyState, ErrorState, LoadingState } from '../components/status-views';
import { usePageTitle } from '../lib/use-page-title';

/** The address book: the addresses checkout offers, added, edited and deleted here or there. */
export default function AccountAddressesPage() {
  usePageTitle('Your addresses');
  const { query, remove } = useAddresses();
  // 'new', an address id being edited, or null.
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const addresses = query.data ?? [];
  const full = addresses.length >= LIMITS.addressesPerUserMax;

  const done = (message: string) => {
    setEditing(null);
    setNotice(message);
  };

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Your addresses</h1>
      <p className="muted">
        Checkout offers these addresses. Orders already placed keep the address they were placed with.
      </p>
      <div aria-live="polite">{notice && <p className="notice notice-info">{notice}</p>}</div>
      {remove.isError && (
        <ErrorState message={describeError(remove.error, { NOT_FOUND: 'This address was already deleted.' }).message} />
      )}
      {query.isPending && <LoadingState label="Loading your addresses" />}
      {query.isError && (
        <ErrorState message={describeError(query.error).message} onRetry={() => void query.refetch()} />
      )}
      {query.isSuccess && addresses.length === 0 && editing !== 'new' && (
        <EmptyState>
          <p>You have no saved addresses yet.</p>
        </EmptyState>
      )}
      <ul className="address-list">
        {addresses.map((address) => (
          <li key={address.id} className="address-card">
            {editing === address.id ? (
              <AddressForm address={address} onSaved={() => done('Address saved.')} onCancel={() => setEditing(null)} />
            ) : (
              <>
                <AddressView address={address} />
                <div className="inline">
                  <button
                    type="button"
                    className="button"
                    aria-label={`Edit the address of ${address.name}, ${address.line1}`}
                    onClick={() => setEditing(address.id)}
                  >
                    Edit
                  </button>
                  <ConfirmButton
                    label="Delete"
                    confirmLabel={`Yes, delete ${address.line1}`}
                    disabled={remove.isPending}
                    onConfirm={() => remove.mutate(address.id, { onSuccess: () => setNotice('Address deleted.') })}
                  />
                </div>
              </>
            )}
          </li>
        ))}
      </ul>
      {editing === 'new' ? (
        <>
          <h2>New address</h2>
          <AddressForm onSaved={() => done('Address added.')} onCancel={() => setEditing(null)} />
        </>
      ) : (
        query.isSuccess &&
        (full ? (
          <p className="muted">
            You have saved {LIMITS.addressesPerUserMax} addresses, the most you can keep. Delete one to add another.
          </p>
        ) : (
          <button type="button" className="button button-primary" onClick={() => setEditing('new')}>
            Add an address
          </button>
        ))
      )}
    </section>
  );
}
