import { Link, useSearchParams } from 'react-router-dom';
import type { Order } from '../../api/contracts';
import { listAllOrders } from '../../api/orders-api';
import { queryKeys } from '../../api/query-client';
import { PagedResult } from '../../components/paged-result';
import { formatDateTime, shortId } from '../../lib/format';
import { formatMoney } from '../../lib/money';
import { usePagedQuery } from '../../lib/use-paged-query';
import { usePageTitle } from '../../lib/use-page-title';
import { summarizeItems } from '../../orders/order-items-table';
import { OrderStatusBadge } from '../../orders/order-status-badge';
import { describeReason } from '../../orders/order-status-text';
import { AdminOrdersFilters, filtersOf, type AdminOrderFilters } from './admin-orders-filters';

/** The distinct sellers of an order's lines, by short id (the orders database keeps no seller names). */
function sellersOf(order: Order): string {
  const ids = [...new Set(order.items.flatMap((item) => (item.sellerId ? [item.sellerId] : [])))];
  return ids.length > 0 ? ids.map(shortId).join(', ') : '—';
}

export default function AdminOrdersPage() {
  usePageTitle('All orders');
  const [params, setParams] = useSearchParams();
  const filters = filtersOf(params);
  const { result, setPage } = usePagedQuery(
    (page) => queryKeys.allOrders({ page, ...filters }),
    (page, pageSize, signal) => listAllOrders({ page, pageSize, ...filters }, signal),
  );
  const filtered = Object.values(filters).some(Boolean);
  const apply = (next: AdminOrderFilters) =>
    setParams(Object.fromEntries(Object.entries(next).filter(([, value]) => value !== '')));

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">All orders</h1>
      <AdminOrdersFilters key={params.toString()} filters={filters} onApply={apply} />
      <PagedResult
        result={result}
        numbered
        loadingLabel="Loading orders"
        empty={!result.isPlaceholderData && (filtered ? 'No order matches these filters.' : 'No orders yet.')}
        caption="All orders, newest first"
        columns={
          <>
            <th scope="col">Order</th>
            <th scope="col">Buyer</th>
            <th scope="col">Sellers</th>
            <th scope="col">Placed</th>
            <th scope="col">Items</th>
            <th scope="col" className="num">
              Total
            </th>
            <th scope="col">Status</th>
          </>
        }
        renderRow={(order) => (
          <tr key={order.id}>
            <th scope="row">
              <Link to={`/orders/${order.id}`}>Order {shortId(order.id)}</Link>
            </th>
            <td data-label="Buyer">{order.buyer ? (order.buyer.username ?? shortId(order.buyer.id)) : '—'}</td>
            <td data-label="Sellers" className="mono">
              {sellersOf(order)}
            </td>
            <td data-label="Placed">{formatDateTime(order.createdAt)}</td>
            <td data-label="Items">{summarizeItems(order)}</td>
            <td data-label="Total" className="num">
              {order.total ? formatMoney(order.total) : '—'}
            </td>
            <td data-label="Status">
              <OrderStatusBadge order={order} />
              {order.status === 'FAILED' && <div className="muted small">{describeReason(order.reason)}</div>}
            </td>
          </tr>
        )}
        onPage={setPage}
      />
    </section>
  );
}
