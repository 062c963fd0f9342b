import { useState, type FormEvent } from 'react';
import { ORDER_STATUSES, type OrderStatus } from '../../api/contracts';
import { stateLabel } from '../../orders/order-status-text';

export interface AdminOrderFilters {
  status: OrderStatus | '';
  from: string;
  to: string;
  buyer: string;
  sellerId: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The filters an address names; anything the API would refuse is dropped. */
export function filtersOf(params: URLSearchParams): AdminOrderFilters {
  const status = ORDER_STATUSES.find((s) => s === params.get('status')) ?? '';
  const day = (key: string) => (DAY.test(params.get(key) ?? '') ? params.get(key)! : '');
  const sellerId = params.get('sellerId') ?? '';
  return {
    status,
    from: day('from'),
    to: day('to'),
    buyer: (params.get('buyer') ?? '').trim().slice(0, 36),
    sellerId: UUID.test(sellerId) ? sellerId : '',
  };
}

interface Props {
  filters: AdminOrderFilters;
  onApply: (filters: AdminOrderFilters) => void;
}

/** Status, dates, buyer and seller, applied together by the "Filter" button. */
export function AdminOrdersFilters({ filters, onApply }: Props) {
  const [draft, setDraft] = useState(filters);
  const [sellerError, setSellerError] = useState(false);
  const set = (key: keyof AdminOrderFilters) => (event: { target: { value: string } }) =>
    setDraft((current) => ({ ...current, [key]: event.target.value }));
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const sellerId = draft.sellerId.trim();
    const bad = sellerId !== '' && !UUID.test(sellerId);
    setSellerError(bad);
    if (!bad) onApply({ ...draft, buyer: draft.buyer.trim(), sellerId });
  };
  return (
    <form className="filters" onSubmit={onSubmit} aria-label="Filter orders">
      <div className="field">
        <label htmlFor="orders-status">Status</label>
        <select id="orders-status" value={draft.status} onChange={set('status')}>
          <option value="">Any</option>
          {ORDER_STATUSES.map((status) => (
            <option key={status} value={status}>
              {stateLabel({ status, reason: null, parts: [] })}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="orders-from">From (UTC)</label>
        <input id="orders-from" type="date" value={draft.from} onChange={set('from')} />
      </div>
      <div className="field">
        <label htmlFor="orders-to">To (UTC)</label>
        <input id="orders-to" type="date" value={draft.to} onChange={set('to')} />
      </div>
      <div className="field">
        <label htmlFor="orders-buyer">Buyer (username or id)</label>
        <input id="orders-buyer" value={draft.buyer} maxLength={36} onChange={set('buyer')} />
      </div>
      <div className={sellerError ? 'field field-invalid' : 'field'}>
        <label htmlFor="orders-seller">Seller id</label>
        <input
          id="orders-seller"
          value={draft.sellerId}
          maxLength={36}
          aria-invalid={sellerError}
          aria-describedby={sellerError ? 'orders-seller-error' : undefined}
          onChange={set('sellerId')}
        />
        {sellerError && (
          <p className="field-error" id="orders-seller-error">
            Paste the seller&apos;s full id, like 3f2b…-…
          </p>
        )}
      </div>
      <button type="submit" className="button button-primary">
        Filter
      </button>
    </form>
  );
}
