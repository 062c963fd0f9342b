import type { Order } from '../api/contracts';
import { formatMoney, multiply } from '../lib/money';

export function OrderItemsTable({ order }: { order: Order }) {
  return (
    <table className="table">
      <caption className="visually-hidden">Items in this order</caption>
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
        {order.items.map((item) => (
          <tr key={item.productId}>
            <th scope="row">{item.productName ?? 'Product'}</th>
            <td data-label="Quantity" className="num">
              {item.quantity}
            </td>
            <td data-label="Unit price" className="num">
              {formatMoney(item.unitPrice)}
            </td>
            <td data-label="Subtotal" className="num">
              {formatMoney(multiply(item.unitPrice, item.quantity))}
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={3}>
            Total
          </th>
          <td className="num">{order.total ? formatMoney(order.total) : 'Confirmed with the order'}</td>
        </tr>
      </tfoot>
    </table>
  );
}

export function summarizeItems(order: Order): string {
  return order.items.map((item) => `${item.quantity} × ${item.productName ?? 'product'}`).join(', ');
}
