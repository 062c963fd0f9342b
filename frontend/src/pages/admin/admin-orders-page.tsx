import { Link, useSearchParams } from 'react-router-dom';
import { describeError } from '../../api/error-messages';
import { listAllOrders } from '../../api/orders-api';
import { Pagination, parsePage } from '../../components/pagination';
import { EmptyState, ErrorState, LoadingState } from '../../components/status-views';
import { formatDateTime, shortId } from '../../lib/format';
import { formatMoney } from '../../lib/money';
import { useAsync } from '../../lib/use-async';
import { usePageTitle } from '../../lib/use-page-title';
import { summarizeItems } from '../../orders/order-items-table';
import { OrderStatusBadge } from '../../orders/order-status-badge';
import { describeReason } from '../../orders/order-status-text';

const PAGE_SIZE = 20;

export default function AdminOrdersPage() {
  usePageTitle('All orders');
  const [params, setParams] = useSearchParams();
  const page = parsePage(params.get('page'));
  const result = useAsync((signal) => listAllOrders(page, PAGE_SIZE, signal), [page]);
  const orders = result.data;

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">All orders</h1>
      {result.status === 'error' && <ErrorState message={describeError(result.error).message} onRetry={result.reload} />}
      {!orders && result.status === 'loading' && <LoadingState label="Loading orders" />}
      {orders?.data.length === 0 && <EmptyState>No orders yet.</EmptyState>}
      {orders && orders.data.length > 0 && (
        <>
          <table className="table">
            <caption className="visually-hidden">All orders, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Placed</th>
                <th scope="col">Items</th>
                <th scope="col" className="num">Total</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {orders.data.map((order) => (
                <tr key={order.id}>
                  <th scope="row">
                    <Link to={`/orders/${order.id}`}>Order {shortId(order.id)}</Link>
                  </th>
                  <td>{formatDateTime(order.createdAt)}</td>
                  <td>{summarizeItems(order)}</td>
                  <td className="num">{order.total ? formatMoney(order.total) : '—'}</td>
                  <td>
                    <OrderStatusBadge status={order.status} />
                    {order.status === 'FAILED' && <div className="muted small">{describeReason(order.reason)}</div>}
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
