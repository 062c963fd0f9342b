import { Link } from 'react-router-dom';
import { usePageTitle } from '../lib/use-page-title';

export function NotFoundPage() {
  usePageTitle('Page not found');
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Page not found</h1>
      <p>There is no page at this address.</p>
      <p>
        <Link to="/">Go to the catalog</Link>
      </p>
    </section>
  );
}
