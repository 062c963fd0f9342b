import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { SalesPeriod } from '../../api/contracts';
import { describeError } from '../../api/error-messages';
import { getSalesTotals, type DayRange } from '../../api/orders-api';
import { queryKeys } from '../../api/query-client';
import { ErrorState, LoadingState } from '../../components/status-views';
import { formatMoney } from '../../lib/money';

const PERIODS: Record<SalesPeriod, string> = { day: 'Day', week: 'Week', month: 'Month' };

export function parsePeriod(value: string | null): SalesPeriod {
  return value === 'week' || value === 'month' ? value : 'day';
}

const monthFormat = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const dayFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' });

/** "May 4, 2026", "Week of May 4, 2026" or "May 2026" for a period starting on that UTC day. */
export function describePeriod(period: SalesPeriod, start: string): string {
  const date = new Date(`${start}T00:00:00Z`);
  if (period === 'month') return monthFormat.format(date);
  return period === 'week' ? `Week of ${dayFormat.format(date)}` : dayFormat.format(date);
}

interface Props {
  range: DayRange;
  period: SalesPeriod;
  onPeriod: (period: SalesPeriod) => void;
}

/** Orders, items and revenue per day, week or month over the chosen dates, newest first. */
export function SalesTotals({ range, period, onPeriod }: Props) {
  const query = { ...range, period };
  const result = useQuery({
    queryKey: queryKeys.salesTotals(query),
    queryFn: ({ signal }) => getSalesTotals(query, signal),
    placeholderData: keepPreviousData,
  });
  const totals = result.data;

  return (
    <section aria-labelledby="sales-totals-title" className="sales-totals">
      <h2 id="sales-totals-title">Totals</h2>
      <div className="field">
        <label htmlFor="sales-period">Totals per</label>
        <select id="sales-period" value={period} onChange={(event) => onPeriod(parsePeriod(event.target.value))}>
          {Object.entries(PERIODS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      {result.isError && <ErrorState message={describeError(result.error).message} />}
      {!totals && result.isPending && <LoadingState label="Adding up your sales" />}
      {totals && (
        <>
          <p data-testid="sales-overall">
            {totals.overall.orders} {totals.overall.orders === 1 ? 'order' : 'orders'}, {totals.overall.quantity}{' '}
            {totals.overall.quantity === 1 ? 'item' : 'items'}, {formatMoney(totals.overall.revenue)} in all.
          </p>
          {totals.data.length > 0 && (
            <table className="table">
              <caption className="visually-hidden">Sales per {PERIODS[period].toLowerCase()}, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">{PERIODS[period]}</th>
                  <th scope="col" className="num">
                    Orders
                  </th>
                  <th scope="col" className="num">
                    Items
                  </th>
                  <th scope="col" className="num">
                    Revenue
                  </th>
                </tr>
              </thead>
              <tbody>
                {totals.data.map((row) => (
                  <tr key={row.periodStart} data-testid="sales-total-row">
                    <th scope="row">{describePeriod(period, row.periodStart)}</th>
                    <td data-label="Orders" className="num">
                      {row.orders}
                    </td>
                    <td data-label="Items" className="num">
                      {row.quantity}
                    </td>
                    <td data-label="Revenue" className="num">
                      {formatMoney(row.revenue)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
