import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { LIMITS, type Product } from '../api/contracts';
import { describeError } from '../api/error-messages';
import { relistProduct, unlistProduct } from '../api/products-api';
import { queryKeys } from '../api/query-client';
import { LiveNotice, type Notice } from '../components/live-notice';

/** What an admin sees under a product: unlist it with a reason, or relist it. Loaded only for admins. */
export default function ModerationPanel({ product }: { product: Product }) {
  const client = useQueryClient();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const done = (changed: Product, text: string) => {
    client.setQueryData(queryKeys.product(changed.id), changed);
    void client.invalidateQueries({ queryKey: queryKeys.products });
    setNotice({ text, error: false });
  };
  const unlist = useMutation({
    mutationFn: (why: string) => unlistProduct(product.id, why),
    onMutate: () => setNotice(null),
    onSuccess: (changed) => {
      setReason('');
      done(changed, 'The product is unlisted. Its seller sees your reason.');
    },
    onError: (caught) => setNotice({ text: describeError(caught).message, error: true }),
  });
  const relist = useMutation({
    mutationFn: () => relistProduct(product.id),
    onMutate: () => setNotice(null),
    onSuccess: (changed) => done(changed, 'The product is back in the catalog.'),
    onError: (caught) => setNotice({ text: describeError(caught).message, error: true }),
  });

  const onUnlist = (event: FormEvent) => {
    event.preventDefault();
    const why = reason.trim();
    if (why.length < LIMITS.moderationReasonMin) {
      setError(`Tell the seller why, in at least ${LIMITS.moderationReasonMin} characters.`);
      return;
    }
    setError(null);
    unlist.mutate(why);
  };

  return (
    <section aria-labelledby="moderation-title" className="moderation">
      <h2 id="moderation-title">Moderation</h2>
      <LiveNotice notice={notice} />
      {product.status === 'active' ? (
        <form onSubmit={onUnlist} noValidate>
          <div className={error ? 'field field-invalid' : 'field'}>
            <label htmlFor="unlist-reason">Reason for unlisting (the seller reads it)</label>
            <textarea
              id="unlist-reason"
              rows={3}
              value={reason}
              maxLength={LIMITS.moderationReasonMax}
              aria-invalid={Boolean(error)}
              aria-describedby={error ? 'unlist-reason-error' : undefined}
              onChange={(event) => setReason(event.target.value)}
            />
            {error && (
              <p className="field-error" id="unlist-reason-error">
                {error}
              </p>
            )}
          </div>
          <button type="submit" className="button button-danger" disabled={unlist.isPending}>
            Unlist this product
          </button>
        </form>
      ) : (
        <button type="button" className="button" disabled={relist.isPending} onClick={() => relist.mutate()}>
          Put back in the catalog
        </button>
      )}
    </section>
  );
}
