import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { createAddress, updateAddress } from '../api/addresses-api';
import type { Address } from '../api/contracts';
import { describeError } from '../api/error-messages';
import { queryKeys } from '../api/query-client';
import { Field } from '../components/field';
import { ErrorState } from '../components/status-views';
import { resolverFrom, showServerErrors } from '../lib/validation';
import { ADDRESS_FIELDS, checkAddress, EMPTY_ADDRESS, valuesFromAddress, type AddressValues } from './address-values';
import { COUNTRIES } from './countries';

const resolver = resolverFrom<AddressValues>((values) => checkAddress(values).errors);
const OVERRIDES = { NOT_FOUND: 'This address was deleted in the meantime. Add it again.' };

interface Props {
  /** The address to edit; none to add one. */
  address?: Address | undefined;
  onSaved: (address: Address) => void;
  onCancel: () => void;
}

/** Adds or edits a saved address; the fields follow the server's rules and show its messages. */
export function AddressForm({ address, onSaved, onCancel }: Props) {
  const client = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<AddressValues>({
    defaultValues: address ? valuesFromAddress(address) : EMPTY_ADDRESS,
    resolver,
  });
  const { errors } = form.formState;
  const prefix = address ? `address-${address.id}` : 'address-new';

  const save = useMutation({
    mutationFn: (values: AddressValues) => {
      const body = checkAddress(values).body;
      if (!body) throw new Error('the form resolver lets only valid values through');
      return address ? updateAddress(address.id, body) : createAddress(body);
    },
    onSuccess: async (saved) => {
      await client.invalidateQueries({ queryKey: queryKeys.addresses });
      onSaved(saved);
    },
    onError: (caught) => {
      const described = describeError(caught, OVERRIDES);
      showServerErrors(form.setError, described.fields, ADDRESS_FIELDS);
      setFormError(described.message);
    },
  });

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    await save.mutateAsync(values).catch(() => undefined); // onError above says what went wrong
  });

  const text = (name: keyof AddressValues, label: string, autoComplete: string, hint?: string) => (
    <Field id={`${prefix}-${name}`} label={label} error={errors[name]?.message} {...(hint && { hint })}>
      {(control) => <input {...control} autoComplete={autoComplete} {...form.register(name)} />}
    </Field>
  );

  const busy = form.formState.isSubmitting;
  return (
    <form
      noValidate
      className="address-form"
      aria-label={address ? 'Edit address' : 'New address'}
      onSubmit={(event) => void onSubmit(event)}
    >
      {formError && <ErrorState message={formError} />}
      {text('name', 'Full name of the recipient', 'shipping name')}
      {text('line1', 'Street and house number', 'shipping address-line1')}
      {text('line2', 'Apartment, floor, building (optional)', 'shipping address-line2')}
      <div className="field-row">
        {text('postalCode', 'Postal code', 'shipping postal-code')}
        {text('city', 'Town or city', 'shipping address-level2')}
      </div>
      {text('region', 'State, province or county (optional)', 'shipping address-level1')}
      <Field id={`${prefix}-country`} label="Country" error={errors.country?.message}>
        {(control) => (
          <select {...control} autoComplete="shipping country" {...form.register('country')}>
            <option value="">Choose a country</option>
            {COUNTRIES.map((country) => (
              <option key={country.code} value={country.code}>
                {country.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      {text('phone', 'Phone (optional)', 'shipping tel', 'Only for the carrier, if they need to reach you')}
      <div className="inline">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : address ? 'Save address' : 'Add address'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
