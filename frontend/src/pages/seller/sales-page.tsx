import { useSearchParams } from 'react-router-dom';
import { AddressView } from '../../addresses/address-view';
import type { Sale } from '../../api/contracts';
import { listMySales, salesExportUrl } from '../../api/orders-api';
import { queryKeys } from '../../api/query-client';
import { PagedResult } from '../../components/paged-result';
import { formatDateTime, shortId } from '../../lib/format';
import { formatMoney, multiply } from '../../lib/money';
import { usePagedQuery } from '../../lib/use-paged-query';
import { usePageTitle } from '../../lib/use-page-title';
import { PartStateBadge } from '../../orders/order-status-badge';
import { useSession } from '../../session/session-context';
import { PartActions } from './part-actions';
import { parsePeriod, SalesTotals } from './sales-totals';

/** An order's lines of this seller are one part: its actions go on the first of them on the page. */
function firstLineOfEachOrder(sales: Sale[]): Set<Sale> {
  const orders = new Set<string>();
  return new Set(sales.filter((sale) => !orders.has(sale.orderId) && orders.add(sale.orderId)));
}

/** A `YYYY-MM-DD` from the address, or '' (the API refuses anything else). */
const dayOf = (value: string | null) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : '');

export default function SalesPage() {
  usePageTitle('My sales');
  const [params, setParams] = useSearchParams();
  const range = { from: dayOf(params.get('from')), to: dayOf(params.get('to')) };
  const period = parsePeriod(params.get('period'));
  const { result, setPage } = usePagedQuery(
    (page) => queryKeys.sales({ page, ...range }),
    (page, pageSize, signal) => listMySales({ page, pageSize, ...range }, signal),
  );
  // Dates and period live in the address, so a reload or a shared link shows the same figures.
  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    next.delete('page');
    setParams(next, { replace: true });
  };
  const filtered = Boolean(range.from || range.to);
  const { user } = useSession();
  const firstLines = firstLineOfEachOrder(result.data?.data ?? []);

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">My sales</h1>
      <fieldset className="filters">
        <legend>Dates (UTC), both included</legend>
        <div className="field">
          <label htmlFor="sales-from">From</label>
          <input
            id="sales-from"
            type="date"
            value={range.from}
            max={range.to || undefined}
            onChange={(event) => update({ from: event.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="sales-to">To</label>
          <input
            id="sales-to"
            type="date"
            value={range.to}
            min={range.from || undefined}
            onChange={(event) => update({ to: event.target.value })}
          />
        </div>
        {filtered && (
          <button type="button" className="button" onClick={() => update({ from: '', to: '' })}>
            All dates
          </button>
        )}
        <a className="button" href={salesExportUrl(range)} download>
          Download {filtered ? 'these sales' : 'all sales'} as CSV
        </a>
      </fieldset>
      <SalesTotals range={range} period={period} onPeriod={(next) => update({ period: next === 'day' ? '' : next })} />
      <h2>Items sold</h2>
      <PagedResult
        result={result}
        loadingLabel="Loading your sales"
        empty={
          !result.isPlaceholderData && (
            <p>{filtered ? 'You sold nothing between these dates.' : 'Nobody has bought your products yet.'}</p>
          )
        }
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
