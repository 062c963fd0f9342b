import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useNavigate } from 'react-router-dom';
import type { Product, UpdateProductRequest } from '../../api/contracts';
import { describeError } from '../../api/error-messages';
import { createProduct, getProduct, updateProduct } from '../../api/products-api';
import { queryKeys } from '../../api/query-client';
import { ErrorState } from '../../components/status-views';
import { useUnsavedChangesWarning } from '../../lib/use-unsaved-changes';
import { resolverFrom, showServerErrors } from '../../lib/validation';
import { ConflictNotice } from './conflict-notice';
import { ProductFields } from './product-fields';
import {
  checkProduct,
  editedFields,
  EMPTY_VALUES,
  PRODUCT_FIELDS,
  valuesFromProduct,
  type ProductValues,
} from './product-values';

const OVERRIDES = {
  FORBIDDEN: 'Only the seller of this product can change it.',
  NOT_FOUND: 'This product no longer exists.',
};

const resolver = resolverFrom<ProductValues>((values) => checkProduct(values).errors);

type Outcome = { kind: 'saved'; product: Product; verb: 'Created' | 'Saved' } | { kind: 'unchanged' };

/** Create (no product) or edit; an edit sends only the edited fields plus the version it started from. */
export function ProductEditor({ product }: { product: Product | null }) {
  const navigate = useNavigate();
  const client = useQueryClient();
  const [base, setBase] = useState(product);
  const [pristine, setPristine] = useState<ProductValues>(product ? valuesFromProduct(product) : EMPTY_VALUES);
  const [conflict, setConflict] = useState<Product | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<ProductValues>({ defaultValues: pristine, resolver });

  const rebaseOn = (fresh: Product) => {
    const values = form.getValues();
    const freshValues = valuesFromProduct(fresh);
    const kept = Object.fromEntries(editedFields(values, pristine).map((field) => [field, values[field]]));
    setBase(fresh);
    setPristine(freshValues);
    form.reset({ ...freshValues, ...kept });
    setConflict(fresh);
  };

  const save = useMutation({
    mutationFn: async (values: ProductValues): Promise<Outcome> => {
      const body = checkProduct(values).body;
      if (!body) throw new Error('the form resolver lets only valid values through');
      if (!base) return { kind: 'saved', product: await createProduct(body), verb: 'Created' };
      const change: UpdateProductRequest = { version: base.version };
      for (const field of editedFields(values, pristine)) Object.assign(change, { [field]: body[field] });
      if (Object.keys(change).length === 1) return { kind: 'unchanged' };
      return { kind: 'saved', product: await updateProduct(base.id, change), verb: 'Saved' };
    },
    onSuccess: async (outcome) => {
      if (outcome.kind === 'unchanged') return setFormError('Nothing to save: no field was changed.');
      client.setQueryData(queryKeys.product(outcome.product.id), outcome.product);
      // The seller's list and the catalog show the change.
      await client.invalidateQueries({ queryKey: queryKeys.products });
      await navigate('/seller', { state: { notice: `${outcome.verb} “${outcome.product.name}”.` } });
    },
    onError: async (caught) => {
      const described = describeError(caught, OVERRIDES);
      showServerErrors(form.setError, described.fields, PRODUCT_FIELDS);
      setFormError(described.message);
      if (described.code !== 'VERSION_CONFLICT' || !base) return;
      try {
        rebaseOn(
          await client.fetchQuery({
            queryKey: queryKeys.product(base.id),
            queryFn: () => getProduct(base.id),
            staleTime: 0,
          }),
        );
      } catch (reloadError) {
        setFormError(`${described.message} ${describeError(reloadError, OVERRIDES).message}`);
      }
    },
  });

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    await save.mutateAsync(values).catch(() => undefined); // onError above tells the seller
  });

  const useLatest = () => {
    if (!conflict) return;
    setPristine(valuesFromProduct(conflict));
    form.reset(valuesFromProduct(conflict));
    setConflict(null);
    setFormError(null);
  };

  const busy = form.formState.isSubmitting;
  useUnsavedChangesWarning(!save.isSuccess && editedFields(form.watch(), pristine).length > 0);
  return (
    <>
      {conflict ? (
        <ConflictNotice fresh={conflict} onUseLatest={useLatest} />
      ) : (
        formError && <ErrorState message={formError} />
      )}
      <form noValidate className="product-form" onSubmit={(event) => void onSubmit(event)}>
        <ProductFields register={form.register} errors={form.formState.errors} />
        <div className="inline">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Saving…' : base ? 'Save changes' : 'Create product'}
          </button>
          <button type="button" className="button" onClick={() => void navigate('/seller')}>
            Cancel
          </button>
        </div>
      </form>
    </>
  );
}
