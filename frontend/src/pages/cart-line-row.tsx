import { Link } from 'react-router-dom';
import { maxQuantity, type CartLine } from '../cart/cart-lines';
import { formatMoney, multiply } from '../lib/money';

interface Props {
  line: CartLine;
  disabled: boolean;
  onQuantity: (quantity: number) => void;
  onRemove: () => void;
}

export function CartLineRow({ line, disabled, onQuantity, onRemove }: Props) {
  const cap = maxQuantity(line.stock);
  const inputId = `qty-${line.productId}`;
  return (
    <tr>
      <th scope="row">
        <Link to={`/products/${line.productId}`}>{line.name}</Link>
      </th>
      <td data-label="Price" className="num">
        {formatMoney(line.unitPrice)}
      </td>
      <td data-label="Quantity">
        <label htmlFor={inputId} className="visually-hidden">
          Quantity of {line.name}
        </label>
        <input
          id={inputId}
          className="qty-input"
          type="number"
          inputMode="numeric"
          min={1}
          max={cap}
          value={line.quantity}
          disabled={disabled}
          aria-describedby={`${inputId}-cap`}
          onChange={(event) => onQuantity(Number(event.target.value))}
        />
        <span id={`${inputId}-cap`} className="muted small">
          {' '}
          max {cap}
        </span>
      </td>
      <td data-label="Subtotal" className="num">
        {formatMoney(multiply(line.unitPrice, line.quantity))}
      </td>
      <td>
        <button type="button" className="button button-link" disabled={disabled} onClick={onRemove}>
          Remove<span className="visually-hidden"> {line.name}</span>
        </button>
      </td>
    </tr>
  );
}
