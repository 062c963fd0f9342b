import type { ReactNode } from 'react';
import type { Order } from '../api/contracts';
import { formatMoney, multiply } from '../lib/money';

export interface ItemLine {
  productId: string;
  name: string;
  quantity: number;
  unitPrice: string;
}

/** Products, quantities, prices and subtotals: an order's items, or the cart being reviewed at checkout. */
export function ItemsTable({ caption, lines, total }: { caption: string; lines: ItemLine[]; total?: ReactNode }) {
  return (
    <table className="table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Product</th>
          <th scope="col" className="num">
            Quantity
          </th>
          <th scope="col" className="num">
            Unit price
          </th>
          <th scope="col" className="num">
            Subtotal
          </th>
        </tr>
      </thead>
      <tbody>
        {lines.map((line) => (
          <tr key={line.productId}>
            <th scope="row">{line.name}</th>
            <td data-label="Quantity" className="num">
              {line.quantity}
            </td>
            <td data-label="Unit price" className="num">
              {formatMoney(line.unitPrice)}
            </td>
            <td data-label="Subtotal" className="num">
              {formatMoney(multiply(line.unitPrice, line.quantity))}
            </td>
          </tr>
        ))}
      </tbody>
      {total !== undefined && (
        <tfoot>
          <tr>
            <th scope="row" colSpan={3}>
              Total
            </th>
            <td className="num">{total}</td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}

export function OrderItemsTable({ order }: { order: Order }) {
  return (
    <ItemsTable
      caption="Items in this order"
      lines={order.items.map((item) => ({ ...item, name: item.productName ?? 'Product' }))}
      total={order.total ? formatMoney(order.total) : 'Confirmed with the order'}
    />
  );
}

export function summarizeItems(order: Order): string {
  return order.items.map((item) => `${item.quantity} × ${item.productName ?? 'product'}`).join(', ');
}
