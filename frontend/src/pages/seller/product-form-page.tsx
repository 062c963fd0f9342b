import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router-dom';
import { describeError } from '../../api/error-messages';
import { getProduct } from '../../api/products-api';
import { queryKeys } from '../../api/query-client';
import { ErrorState, LoadingState } from '../../components/status-views';
import { usePageTitle } from '../../lib/use-page-title';
import { ImageManager } from './image-manager';
import { ProductEditor } from './product-editor';

export default function ProductFormPage() {
  const { id } = useParams();
  const title = id ? 'Edit product' : 'Add a product';
  usePageTitle(title);
  // An edit starts from the product as saved now, never from a cached copy: its version guards the save.
  const loaded = useQuery({
    queryKey: queryKeys.product(id ?? ''),
    queryFn: ({ signal }) => getProduct(id ?? '', signal),
    enabled: Boolean(id),
    refetchOnMount: 'always',
    refetchOnWindowFocus: false,
  });
  const ready = !id || (loaded.isFetchedAfterMount && loaded.isSuccess);

  return (
    <section className="form-page" aria-labelledby="page-title">
      <h1 id="page-title">{title}</h1>
      {!ready && !loaded.isError && <LoadingState label="Loading product" />}
      {loaded.isError && (
        <ErrorState
          message={describeError(loaded.error, { NOT_FOUND: 'This product does not exist.' }).message}
          onRetry={() => void loaded.refetch()}
        />
      )}
      {ready && <ProductEditor key={id ?? 'new'} product={id ? (loaded.data ?? null) : null} />}
      {ready && id && loaded.data && <ImageManager key={`images-${id}`} product={loaded.data} />}
      {!id && <p className="muted">Create the product first; then you can add pictures to it.</p>}
    </section>
  );
}
