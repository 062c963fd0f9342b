import { AddressView } from '../../addresses/address-view';
import type { Sale } from '../../api/contracts';
import { listMySales } from '../../api/orders-api';
import { queryKeys } from '../../api/query-client';
import { PagedResult } from '../../components/paged-result';
import { formatDateTime, shortId } from '../../lib/format';
import { formatMoney, multiply } from '../../lib/money';
import { usePagedQuery } from '../../lib/use-paged-query';
import { usePageTitle } from '../../lib/use-page-title';
import { PartStateBadge } from '../../orders/order-status-badge';
import { useSession } from '../../session/session-context';
import { PartActions } from './part-actions';

/** An order's lines of this seller are one part: its actions go on the first of them on the page. */
function firstLineOfEachOrder(sales: Sale[]): Set<Sale> {
  const orders = new Set<string>();
  return new Set(sales.filter((sale) => !orders.has(sale.orderId) && orders.add(sale.orderId)));
}

export default function SalesPage() {
  usePageTitle('My sales');
  const { result, setPage } = usePagedQuery(queryKeys.sales, listMySales);
  const { user } = useSession();
  const firstLines = firstLineOfEachOrder(result.data?.data ?? []);

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
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
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
              <PartStateBadge state={sale.partState} reader="seller" />
              {sale.carrier && (
                <div className="muted small">
                  {sale.carrier}, <span className="mono">{sale.trackingNumber}</span>
                </div>
              )}
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
            <td>{user && firstLines.has(sale) && <PartActions sale={sale} sellerId={user.id} />}</td>
          </tr>
        )}
        onPage={setPage}
      />
    </section>
  );
}
