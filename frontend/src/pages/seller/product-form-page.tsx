import { useParams } from 'react-router-dom';
import { describeError } from '../../api/error-messages';
import { getProduct } from '../../api/products-api';
import { ErrorState, LoadingState } from '../../components/status-views';
import { useAsync } from '../../lib/use-async';
import { usePageTitle } from '../../lib/use-page-title';
import { ProductEditor } from './product-editor';

export default function ProductFormPage() {
  const { id } = useParams();
  const title = id ? 'Edit product' : 'Add a product';
  usePageTitle(title);
  const loaded = useAsync((signal) => (id ? getProduct(id, signal) : Promise.resolve(null)), [id]);

  return (
    <section className="form-page" aria-labelledby="page-title">
      <h1 id="page-title">{title}</h1>
      {loaded.status === 'loading' && <LoadingState label="Loading product" />}
      {loaded.status === 'error' && (
        <ErrorState
          message={describeError(loaded.error, { NOT_FOUND: 'This product does not exist.' }).message}
          onRetry={loaded.reload}
        />
      )}
      {loaded.status === 'ready' && <ProductEditor key={id ?? 'new'} product={loaded.data} />}
    </section>
  );
}
