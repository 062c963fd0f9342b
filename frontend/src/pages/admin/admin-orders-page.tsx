import { Link } from 'react-router-dom';
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

export default function AdminOrdersPage() {
  usePageTitle('All orders');
  const { result, setPage } = usePagedQuery(queryKeys.allOrders, listAllOrders);

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">All orders</h1>
      <PagedResult
        result={result}
        loadingLabel="Loading orders"
        empty="No orders yet."
        caption="All orders, newest first"
        columns={
          <>
            <th scope="col">Order</th>
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
