import { describeChange, type CartChange } from './cart-refresh';

/** What the catalog changed in the cart, announced as it appears. */
export function CartChanges({ checking, changes, next }: { checking: boolean; changes: CartChange[]; next: string }) {
  return (
    <div aria-live="polite">
      {checking && <p className="muted">Checking the latest prices and stock…</p>}
      {changes.length > 0 && (
        <div className="notice notice-warning">
          <p>Your cart was updated to match the catalog:</p>
          <ul>
            {changes.map((change, index) => (
              <li key={index}>{describeChange(change)}</li>
            ))}
          </ul>
          <p>{next}</p>
        </div>
      )}
    </div>
  );
}
