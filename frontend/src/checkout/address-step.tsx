import { useState } from 'react';
import { Link } from 'react-router-dom';
import { AddressForm } from '../addresses/address-form';
import { AddressView } from '../addresses/address-view';
import type { Address } from '../api/contracts';
import { LIMITS } from '../api/contracts';

interface Props {
  addresses: Address[];
  /** The address chosen before (from the URL), if still saved. */
  chosen: string | null;
  onContinue: (addressId: string) => void;
}

/** Step 1: choose one of the saved addresses, or add or edit one in place. */
export function AddressStep({ addresses, chosen, onContinue }: Props) {
  const [selected, setSelected] = useState<string | null>(chosen ?? addresses[0]?.id ?? null);
  // 'new', the id of the address being edited, or null; a buyer without addresses starts with the form.
  const [editing, setEditing] = useState<string | null>(addresses.length === 0 ? 'new' : null);
  const [missing, setMissing] = useState(false);

  // A chosen address deleted in another tab falls back to the first one (a new one is chosen once it is listed).
  const current = addresses.some((address) => address.id === selected) ? selected : (addresses[0]?.id ?? null);

  const saved = (address: Address) => {
    setEditing(null);
    setSelected(address.id);
    setMissing(false);
  };

  const proceed = () => {
    if (!current) return setMissing(true);
    onContinue(current);
  };

  return (
    <>
      {addresses.length > 0 && (
        <fieldset className="address-choice" aria-describedby={missing ? 'address-missing' : undefined}>
          <legend>Ship to</legend>
          {addresses.map((address) =>
            editing === address.id ? (
              <div key={address.id} className="address-card">
                <AddressForm address={address} onSaved={saved} onCancel={() => setEditing(null)} />
              </div>
            ) : (
              <div key={address.id} className="address-card address-option">
                <input
                  type="radio"
                  name="address"
                  id={`ship-to-${address.id}`}
                  value={address.id}
                  checked={current === address.id}
                  onChange={() => setSelected(address.id)}
                />
                <label htmlFor={`ship-to-${address.id}`}>
                  <AddressView address={address} />
                </label>
                <button
                  type="button"
                  className="button"
                  aria-label={`Edit the address of ${address.name}, ${address.line1}`}
                  onClick={() => setEditing(address.id)}
                >
                  Edit
                </button>
              </div>
            ),
          )}
        </fieldset>
      )}
      {missing && (
        <p className="field-error" id="address-missing" role="alert">
          Choose an address or add one.
        </p>
      )}
      {editing === 'new' ? (
        <>
          <h2>New address</h2>
          <AddressForm onSaved={saved} onCancel={() => setEditing(null)} />
        </>
      ) : (
        addresses.length < LIMITS.addressesPerUserMax && (
          <p>
            <button type="button" className="button" onClick={() => setEditing('new')}>
              Add a new address
            </button>
          </p>
        )
      )}
      {editing === null && (
        <p>
          <button type="button" className="button button-primary" onClick={proceed}>
            Continue to review
          </button>
        </p>
      )}
      <p className="muted small">
        <Link to="/account/addresses">Manage your saved addresses</Link>
      </p>
    </>
  );
}
