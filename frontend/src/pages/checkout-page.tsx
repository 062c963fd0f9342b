import { useEffect, useRef } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useAddresses } from '../addresses/use-addresses';
import { describeError } from '../api/error-messages';
import { useCart } from '../cart/use-cart';
import { AddressStep } from '../checkout/address-step';
import { ReviewStep } from '../checkout/review-step';
import { EmptyState, ErrorState, LoadingState } from '../components/status-views';
import { usePageTitle } from '../lib/use-page-title';

const STEPS = ['Shipping address', 'Review and place'] as const;

/**
 * Checkout in two steps, each with its own URL so a reload or the back button keeps the place:
 * /checkout (choose the address) and /checkout?step=review&address=<id>.
 */
export default function CheckoutPage() {
  const [params, setParams] = useSearchParams();
  const { lines } = useCart();
  const { query } = useAddresses();
  const chosenId = params.get('address');
  const chosen = query.data?.find((address) => address.id === chosenId) ?? null;
  // The review step needs an address still saved; otherwise the buyer chooses again.
  const step = params.get('step') === 'review' && chosen ? 1 : 0;
  usePageTitle(`Checkout: ${STEPS[step]}`);
  const heading = useRef<HTMLHeadingElement>(null);
  const shownStep = useRef(step);
  useEffect(() => {
    // A new step is a new page to a screen reader: start reading it from the top.
    if (shownStep.current !== step) heading.current?.focus();
    shownStep.current = step;
  }, [step]);

  let content;
  if (lines.length === 0) {
    content = (
      <EmptyState>
        <p>Your cart is empty, so there is nothing to check out.</p>
        <Link to="/">Browse the catalog</Link>
      </EmptyState>
    );
  } else if (query.isPending) {
    content = <LoadingState label="Loading your addresses" />;
  } else if (query.isError) {
    content = <ErrorState message={describeError(query.error).message} onRetry={() => void query.refetch()} />;
  } else if (step === 1 && chosen) {
    content = <ReviewStep address={chosen} />;
  } else {
    content = (
      <AddressStep
        addresses={query.data}
        chosen={chosen?.id ?? null}
        onContinue={(address) => setParams({ step: 'review', address })}
      />
    );
  }

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" ref={heading} tabIndex={-1}>
        Checkout
      </h1>
      <ol className="steps" aria-label="Checkout steps">
        {STEPS.map((name, index) => (
          <li key={name} aria-current={index === step ? 'step' : undefined}>
            {name}
          </li>
        ))}
      </ol>
      {content}
    </section>
  );
}
