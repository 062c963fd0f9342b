import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import type { Order } from '../api/contracts';
import { describeError } from '../api/error-messages';
import { cancelOrder, listMyOrders } from '../api/orders-api';
import { ConfirmButton } from '../components/confirm-button';
import { Pagination, parsePage } from '../components/pagination';
import { EmptyState, ErrorState, LoadingState } from '../components/status-views';
import { formatDateTime, shortId } from '../lib/format';
import { formatMoney } from '../lib/money';
import { useAsync } from '../lib/use-async';
import { usePageTitle } from '../lib/use-page-title';
import { summarizeItems } from '../orders/order-items-table';
import { OrderStatusBadge } from '../orders/order-status-badge';
import { canCancel } from '../orders/order-status-text';

const PAGE_SIZE = 20;

export default function OrdersPage() {
  usePageTitle('My orders');
  const [params, setParams] = useSearchParams();
  const page = parsePage(params.get('page'));
  const result = useAsync((signal) => listMyOrders(page, PAGE_SIZE, signal), [page]);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  const onCancel = async (order: Order) => {
    setMessage(null);
    try {
      const cancelled = await cancelOrder(order.id);
      if (result.data) {
        result.replace({ ...result.data, data: result.data.data.map((o) => (o.id === order.id ? cancelled : o)) });
      }
      setMessage({ text: `Order ${shortId(order.id)} was cancelled.`, error: false });
    } catch (caught) {
      const text = describeError(caught, { CONFLICT: 'This order can no longer be cancelled.' }).message;
      setMessage({ text, error: true });
    }
  };

  const orders = result.data;
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">My orders</h1>
      <div aria-live="polite">
        {message && <p className={message.error ? 'notice notice-error' : 'notice notice-info'}>{message.text}</p>}
      </div>
      {result.status === 'error' && <ErrorState message={describeError(result.error).message} onRetry={result.reload} />}
      {!orders && result.status === 'loading' && <LoadingState label="Loading your orders" />}
      {orders?.data.length === 0 && (
        <EmptyState>
          <p>You have not ordered anything yet.</p>
          <Link to="/">Browse the catalog</Link>
        </EmptyState>
      )}
      {orders && orders.data.length > 0 && (
        <>
          <table className="table">
            <caption className="visually-hidden">Your orders, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Items</th>
                <th scope="col" className="num">Total</th>
                <th scope="col">Status</th>
                <th scope="col"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {orders.data.map((order) => (
                <tr key={order.id} data-testid="order-row">
                  <th scope="row">
                    <Link to={`/orders/${order.id}`}>Order {shortId(order.id)}</Link>
                    <div className="muted small">{formatDateTime(order.createdAt)}</div>
                  </th>
                  <td>{summarizeItems(order)}</td>
                  <td className="num">{order.total ? formatMoney(order.total) : '—'}</td>
                  <td>
                    <OrderStatusBadge status={order.status} />
                  </td>
                  <td>
                    {canCancel(order) && (
                      <ConfirmButton
                        label={`Cancel order ${shortId(order.id)}`}
                        confirmLabel="Yes, cancel it"
                        onConfirm={() => void onCancel(order)}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pagination info={orders.pagination} onChange={(next) => setParams({ page: String(next) })} />
        </>
      )}
    </section>
  );
}
