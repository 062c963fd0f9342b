import { useSearchParams } from 'react-router-dom';
import { describeError } from '../../api/error-messages';
import { listMySales } from '../../api/orders-api';
import { Pagination, parsePage } from '../../components/pagination';
import { EmptyState, ErrorState, LoadingState } from '../../components/status-views';
import { formatDateTime, shortId } from '../../lib/format';
import { formatMoney, multiply } from '../../lib/money';
import { useAsync } from '../../lib/use-async';
import { usePageTitle } from '../../lib/use-page-title';
import { OrderStatusBadge } from '../../orders/order-status-badge';

const PAGE_SIZE = 20;

export default function SalesPage() {
  usePageTitle('My sales');
  const [params, setParams] = useSearchParams();
  const page = parsePage(params.get('page'));
  const result = useAsync((signal) => listMySales(page, PAGE_SIZE, signal), [page]);
  const sales = result.data;

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">My sales</h1>
      {result.status === 'error' && <ErrorState message={describeError(result.error).message} onRetry={result.reload} />}
      {!sales && result.status === 'loading' && <LoadingState label="Loading your sales" />}
      {sales?.data.length === 0 && (
        <EmptyState>
          <p>Nobody has bought your products yet.</p>
        </EmptyState>
      )}
      {sales && sales.data.length > 0 && (
        <>
          <table className="table">
            <caption className="visually-hidden">Items sold, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col">Date</th>
                <th scope="col" className="num">Quantity</th>
                <th scope="col" className="num">Unit price</th>
                <th scope="col" className="num">Subtotal</th>
                <th scope="col">Status</th>
                <th scope="col">Order</th>
              </tr>
            </thead>
            <tbody>
              {sales.data.map((sale) => (
                <tr key={`${sale.orderId}-${sale.productId}`} data-testid="sale-row">
                  <th scope="row">{sale.productName ?? 'Product'}</th>
                  <td>{formatDateTime(sale.createdAt)}</td>
                  <td className="num">{sale.quantity}</td>
                  <td className="num">{formatMoney(sale.unitPrice)}</td>
                  <td className="num">{formatMoney(multiply(sale.unitPrice, sale.quantity))}</td>
                  <td>
                    <OrderStatusBadge status={sale.status} />
                  </td>
                  <td className="mono">{shortId(sale.orderId)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pagination info={sales.pagination} onChange={(next) => setParams({ page: String(next) })} />
        </>
      )}
    </section>
  );
}
