import type { Product } from '../../api/contracts';
import { formatMoney } from '../../lib/money';

interface Props {
  fresh: Product;
  onUseLatest: () => void;
}

/** Shown when a save was based on a stale version: what is saved now, and what to do next. */
export function ConflictNotice({ fresh, onUseLatest }: Props) {
  return (
    <div className="notice notice-warning" role="alert" data-testid="conflict-notice">
      <h2>This product changed while you were editing it</h2>
      <p>
        Your changes were not saved, because someone else (a sale, or you in another tab) changed the product first. The
        latest saved values are below and already fill the fields you did not touch; your own edits are kept. Check them
        and save again, or start over from the latest values.
      </p>
      <dl className="fresh-values">
        <dt>Name</dt>
        <dd>{fresh.name}</dd>
        <dt>Price</dt>
        <dd>{formatMoney(fresh.price)}</dd>
        <dt>Stock</dt>
        <dd>{fresh.stock}</dd>
        <dt>Category</dt>
        <dd>{fresh.category}</dd>
        <dt>Description</dt>
        <dd>{fresh.description}</dd>
        <dt>Status</dt>
        <dd>{fresh.status}</dd>
      </dl>
      <button type="button" className="button" onClick={onUseLatest}>
        Discard my edits and use the latest values
      </button>
    </div>
  );
}
