import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { Order } from '../api/contracts';
import { describeError } from '../api/error-messages';
import { cancelOrder, listMyOrders } from '../api/orders-api';
import { queryKeys, replaceInPages } from '../api/query-client';
import { ConfirmButton } from '../components/confirm-button';
import { LiveNotice, type Notice } from '../components/live-notice';
import { PagedResult } from '../components/paged-result';
import { formatDateTime, shortId } from '../lib/format';
import { formatMoney } from '../lib/money';
import { usePagedQuery } from '../lib/use-paged-query';
import { usePageTitle } from '../lib/use-page-title';
import { summarizeItems } from '../orders/order-items-table';
import { OrderStatusBadge } from '../orders/order-status-badge';
import { canCancel } from '../orders/order-status-text';

export default function OrdersPage() {
  usePageTitle('My orders');
  const { result, setPage } = usePagedQuery(queryKeys.myOrders, listMyOrders);
  const [message, setMessage] = useState<Notice | null>(null);
  const client = useQueryClient();
  const cancel = useMutation({
    mutationFn: (order: Order) => cancelOrder(order.id),
    onMutate: () => setMessage(null),
    onSuccess: (cancelled) => {
      replaceInPages(client, queryKeys.orders, cancelled);
      client.setQueryData(queryKeys.order(cancelled.id), cancelled);
      void client.invalidateQueries({ queryKey: queryKeys.orders });
      // The stock came back to the catalog.
      void client.invalidateQueries({ queryKey: queryKeys.products });
      setMessage({ text: `Order ${shortId(cancelled.id)} was cancelled.`, error: false });
    },
    onError: (caught) => {
      const text = describeError(caught, { CONFLICT: 'This order can no longer be cancelled.' }).message;
      setMessage({ text, error: true });
    },
  });

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">My orders</h1>
      <LiveNotice notice={message} />
      <PagedResult
        result={result}
        loadingLabel="Loading your orders"
        empty={
          <>
            <p>You have not ordered anything yet.</p>
            <Link to="/">Browse the catalog</Link>
          </>
        }
        caption="Your orders, newest first"
        columns={
          <>
            <th scope="col">Order</th>
            <th scope="col">Items</th>
            <th scope="col" className="num">
              Total
            </th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </>
        }
        renderRow={(order) => (
          <tr key={order.id} data-testid="order-row">
            <th scope="row">
              <Link to={`/orders/${order.id}`}>Order {shortId(order.id)}</Link>
              <div className="muted small">{formatDateTime(order.createdAt)}</div>
            </th>
            <td data-label="Items">{summarizeItems(order)}</td>
            <td data-label="Total" className="num">
              {order.total ? formatMoney(order.total) : '—'}
            </td>
            <td data-label="Status">
              <OrderStatusBadge order={order} />
            </td>
            <td>
              {canCancel(order) && (
                <ConfirmButton
                  label={`Cancel order ${shortId(order.id)}`}
                  confirmLabel="Yes, cancel it"
                  onConfirm={() => cancel.mutate(order)}
                />
              )}
            </td>
          </tr>
        )}
        onPage={setPage}
      />
    </section>
  );
}
