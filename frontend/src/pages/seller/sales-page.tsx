import { AddressView } from '../../addresses/address-view';
import { listMySales } from '../../api/orders-api';
import { queryKeys } from '../../api/query-client';
import { PagedResult } from '../../components/paged-result';
import { formatDateTime, shortId } from '../../lib/format';
import { formatMoney, multiply } from '../../lib/money';
import { usePagedQuery } from '../../lib/use-paged-query';
import { usePageTitle } from '../../lib/use-page-title';
import { OrderStatusBadge } from '../../orders/order-status-badge';

export default function SalesPage() {
  usePageTitle('My sales');
  const { result, setPage } = usePagedQuery(queryKeys.sales, listMySales);

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">My sales</h1>
      <PagedResult
        result={result}
        loadingLabel="Loading your sales"
        empty={<p>Nobody has bought your products yet.</p>}
        caption="Items sold, newest first"
        columns={
          <>
            <th scope="col">Product</th>
            <th scope="col">Date</th>
            <th scope="col" className="num">
              Quantity
            </th>
            <th scope="col" className="num">
              Unit price
            </th>
            <th scope="col" className="num">
              Subtotal
            </th>
            <th scope="col">Status</th>
            <th scope="col">Ship to</th>
            <th scope="col">Order</th>
          </>
        }
        renderRow={(sale) => (
          <tr key={`${sale.orderId}-${sale.productId}`} data-testid="sale-row">
            <th scope="row">{sale.productName ?? 'Product'}</th>
            <td data-label="Date">{formatDateTime(sale.createdAt)}</td>
            <td data-label="Quantity" className="num">
              {sale.quantity}
            </td>
            <td data-label="Unit price" className="num">
              {formatMoney(sale.unitPrice)}
            </td>
            <td data-label="Subtotal" className="num">
              {formatMoney(multiply(sale.unitPrice, sale.quantity))}
            </td>
            <td data-label="Status">
              <OrderStatusBadge status={sale.status} />
            </td>
            <td data-label="Ship to">
              {sale.shippingAddress ? (
                <AddressView address={sale.shippingAddress} />
              ) : (
                <span className="muted">No address given</span>
              )}
            </td>
            <td data-label="Order" className="mono">
              {shortId(sale.orderId)}
            </td>
          </tr>
        )}
        onPage={setPage}
      />
    </section>
  );
}
