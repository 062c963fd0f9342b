import { useMutation } from '@tanstack/react-query';
import type { Order, OrderPart } from '../api/contracts';
import { describeError } from '../api/error-messages';
import { deliverPart } from '../api/orders-api';
import { ErrorState } from '../components/status-views';
import { formatDateTime } from '../lib/format';
import { useSession } from '../session/session-context';
import { PartStateBadge } from './order-status-badge';

const PART_CONFLICTS = { CONFLICT: 'This delivery was already marked as received.' };

function Part({ order, part, onChange }: { order: Order; part: OrderPart; onChange: (order: Order) => void }) {
  // An admin reads the order; only its buyer (or the seller, in My sales) marks a delivery received.
  const isAdmin = useSession().user?.role === 'admin';
  const received = useMutation({
    mutationFn: () => deliverPart(order.id, part.sellerId),
    onSuccess: (updated) =>
      onChange({ ...order, parts: order.parts.map((p) => (p.sellerId === updated.sellerId ? updated : p)) }),
  });
  const items = order.items.filter((item) => item.sellerId === part.sellerId);
  return (
    <li className="order-part" data-testid="order-part">
      <p>
        <PartStateBadge state={part.state} reader="buyer" />{' '}
        {items.map((item) => `${item.quantity} × ${item.productName ?? 'product'}`).join(', ')}
      </p>
      {part.shippedAt && (
        <p className="muted small">
          Shipped {formatDateTime(part.shippedAt)} with {part.carrier}, tracking number{' '}
          <span className="mono">{part.trackingNumber}</span>
          {part.deliveredAt && `; delivered ${formatDateTime(part.deliveredAt)}`}
        </p>
      )}
      {received.isError && <ErrorState message={describeError(received.error, PART_CONFLICTS).message} />}
      {part.state === 'SHIPPED' && !isAdmin && (
        <button type="button" className="button" disabled={received.isPending} onClick={() => received.mutate()}>
          I received this
        </button>
      )}
    </li>
  );
}

/** A COMPLETED order's deliveries, one per seller, each marked received by the buyer once it arrives. */
export function OrderParts({ order, onChange }: { order: Order; onChange: (order: Order) => void }) {
  if (order.parts.length === 0) return null;
  return (
    <section aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">{order.parts.length === 1 ? 'Delivery' : `Deliveries (${order.parts.length})`}</h2>
      <ul className="order-parts">
        {order.parts.map((part) => (
          <Part key={part.sellerId} order={order} part={part} onChange={onChange} />
        ))}
      </ul>
    </section>
  );
}
