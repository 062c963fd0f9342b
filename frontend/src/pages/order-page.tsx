import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { describeError, isBadLink } from '../api/error-messages';
import { cancelOrder } from '../api/orders-api';
import { queryKeys } from '../api/query-client';
import { AddressView } from '../addresses/address-view';
import { ConfirmButton } from '../components/confirm-button';
import { ErrorState, MissingPage } from '../components/status-views';
import { formatDateTime, shortId } from '../lib/format';
import { usePageTitle } from '../lib/use-page-title';
import { OrderItemsTable } from '../orders/order-items-table';
import { OrderParts } from '../orders/order-parts';
import { OrderStatusBadge } from '../orders/order-status-badge';
import { canCancel, describeForAdmin, describeStatus } from '../orders/order-status-text';
import { pollInterval, useOrderStatus } from '../orders/use-order-status';
import { useSession } from '../session/session-context';

export default function OrderPage() {
  const { id = '' } = useParams();
  const { order, error, mode, replace } = useOrderStatus(id);
  const { user } = useSession();
  // An admin reading another buyer's order: the buyer's wording ("Your order…") and Cancel are not theirs.
  const someoneElses = Boolean(order?.buyer && order.buyer.id !== user?.id);
  usePageTitle(error !== null && !order && isBadLink(error) ? 'Order not found' : `Order ${shortId(id)}`);
  const client = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => cancelOrder(id),
    onSuccess: (cancelled) => {
      replace(cancelled);
      // My orders and the catalog's stock follow.
      void client.invalidateQueries({
        queryKey: queryKeys.orders,
        predicate: (query) => query.queryKey[1] !== 'detail',
      });
      void client.invalidateQueries({ queryKey: queryKeys.products });
    },
  });
  const cancelError = cancel.isError
    ? describeError(cancel.error, {
        CONFLICT: 'This order can no longer be cancelled: part of it has already shipped or it was cancelled.',
      }).message
    : null;

  if (error !== null && !order && isBadLink(error)) {
    return (
      <MissingPage title="Order not found" back={{ to: '/orders', label: 'Go to my orders' }}>
        There is no order at this address, or it is not one of yours.
      </MissingPage>
    );
  }

  return (
    <section aria-labelledby="page-title">
      <p>{someoneElses ? <Link to="/admin/orders">← All orders</Link> : <Link to="/orders">← All my orders</Link>}</p>
      <h1 id="page-title">Order {shortId(id)}</h1>
      {/* Present from the first render so screen readers announce every later status change. */}
      <div className="order-status" role="status" aria-atomic="true" data-testid="order-status">
        {order ? (
          <>
            <OrderStatusBadge order={order} />{' '}
            <span>{someoneElses ? describeForAdmin(order) : describeStatus(order)}</span>
          </>
        ) : (
          !error && 'Loading the order status…'
        )}
      </div>
      {mode === 'polling' && order && (
        <p className="muted small">
          Live updates are unavailable; checking again every {pollInterval(order) / 1000} seconds.
        </p>
      )}
      {error !== null && !order && <ErrorState message={describeError(error).message} />}
      {order && (
        <>
          {someoneElses && order.buyer && (
            <p data-testid="order-buyer">Buyer: {order.buyer.username ?? shortId(order.buyer.id)}</p>
          )}
          <p className="muted">Placed {formatDateTime(order.createdAt)}</p>
          <OrderItemsTable order={order} />
          {order.shippingAddress && (
            <>
              <h2>Shipping address</h2>
              <AddressView address={order.shippingAddress} />
            </>
          )}
          <OrderParts order={order} onChange={replace} />
          {cancelError && <ErrorState message={cancelError} />}
          {canCancel(order) && !someoneElses && (
            <ConfirmButton
              label="Cancel order"
              confirmLabel="Yes, cancel this order"
              disabled={cancel.isPending}
              onConfirm={() => cancel.mutate()}
            />
          )}
          {order.status === 'FAILED' && (
            <p>
              <Link to="/">Back to the catalog</Link>
            </p>
          )}
        </>
      )}
    </section>
  );
}
