import { useSearchParams } from 'react-router-dom';
import { listMySales, salesExportUrl } from '../../api/orders-api';
import { queryKeys } from '../../api/query-client';
import { PagedResult } from '../../components/paged-result';
import { formatDateTime, shortId } from '../../lib/format';
import { formatMoney, multiply } from '../../lib/money';
import { usePagedQuery } from '../../lib/use-paged-query';
import { usePageTitle } from '../../lib/use-page-title';
import { OrderStatusBadge } from '../../orders/order-status-badge';
import { parsePeriod, SalesTotals } from './sales-totals';

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
