import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { LIMITS, type Sale } from '../../api/contracts';
import { describeError } from '../../api/error-messages';
import { deliverPart, shipPart } from '../../api/orders-api';
import { queryKeys } from '../../api/query-client';
import { Field } from '../../components/field';
import { ErrorState } from '../../components/status-views';

const PART_ERRORS = {
  CONFLICT: 'This order changed meanwhile (cancelled, or already delivered). Reload to see it.',
  NOT_FOUND: 'This order is no longer there.',
};

/** The form a seller fills to ship their part of an order: carrier and tracking number. */
function ShipForm({ sale, sellerId, onDone }: { sale: Sale; sellerId: string; onDone: () => void }) {
  const client = useQueryClient();
  const id = useId();
  const [carrier, setCarrier] = useState('');
  const [tracking, setTracking] = useState('');
  const ship = useMutation({
    mutationFn: () => shipPart(sale.orderId, sellerId, { carrier: carrier.trim(), trackingNumber: tracking.trim() }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: queryKeys.orders });
      onDone();
    },
  });
  const error = ship.isError ? describeError(ship.error, PART_ERRORS) : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    ship.mutate();
  };
  return (
    <form className="ship-form" onSubmit={submit} aria-label={`Ship order ${sale.orderId.slice(0, 8)}`}>
      <Field id={`${id}-carrier`} label="Carrier" error={error?.fields.carrier}>
        {(control) => (
          <input
            {...control}
            value={carrier}
            onChange={(e) => setCarrier(e.target.value)}
            maxLength={LIMITS.carrierMax}
            required
            autoComplete="off"
          />
        )}
      </Field>
      <Field id={`${id}-tracking`} label="Tracking number" error={error?.fields.trackingNumber}>
        {(control) => (
          <input
            {...control}
            value={tracking}
            onChange={(e) => setTracking(e.target.value)}
            maxLength={LIMITS.trackingNumberMax}
            required
            autoComplete="off"
          />
        )}
      </Field>
      {error && <ErrorState message={error.message} />}
      <button type="submit" className="button button-primary" disabled={ship.isPending}>
        Mark as shipped
      </button>{' '}
      <button type="button" className="button" onClick={onDone}>
        Not now
      </button>
    </form>
  );
}

/** What the seller can do next with their part of the sale's order: ship it, or mark it delivered. */
export function PartActions({ sale, sellerId }: { sale: Sale; sellerId: string }) {
  const client = useQueryClient();
  const [shipping, setShipping] = useState(false);
  const deliver = useMutation({
    mutationFn: () => deliverPart(sale.orderId, sellerId),
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.orders }),
  });
  if (sale.partState === 'CONFIRMED') {
    return shipping ? (
      <ShipForm sale={sale} sellerId={sellerId} onDone={() => setShipping(false)} />
    ) : (
      <button type="button" className="button" onClick={() => setShipping(true)}>
        Ship…
      </button>
    );
  }
  if (sale.partState === 'SHIPPED') {
    return (
      <>
        {deliver.isError && <ErrorState message={describeError(deliver.error, PART_ERRORS).message} />}
        <button type="button" className="button" disabled={deliver.isPending} onClick={() => deliver.mutate()}>
          Mark as delivered
        </button>
      </>
    );
  }
  return null;
}
