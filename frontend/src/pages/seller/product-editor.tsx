import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import type { Product, UpdateProductRequest } from '../../api/contracts';
import { describeError } from '../../api/error-messages';
import { createProduct, getProduct, updateProduct } from '../../api/products-api';
import { ErrorState } from '../../components/status-views';
import { focusFirstError, type FieldErrors } from '../../lib/validation';
import { ConflictNotice } from './conflict-notice';
import { ProductFields } from './product-fields';
import {
  checkProduct,
  editedFields,
  EMPTY_VALUES,
  PRODUCT_FIELDS,
  valuesFromProduct,
  type ProductField,
  type ProductValues,
} from './product-values';

const OVERRIDES = {
  FORBIDDEN: 'Only the seller of this product can change it.',
  NOT_FOUND: 'This product no longer exists.',
};

type Outcome =
  | { kind: 'saved'; product: Product; verb: 'Created' | 'Saved' }
  | { kind: 'unchanged' }
  | { kind: 'invalid'; errors: FieldErrors };

/** Create (no product) or edit; an edit sends only the edited fields plus the version it started from. */
export function ProductEditor({ product }: { product: Product | null }) {
  const navigate = useNavigate();
  const [base, setBase] = useState(product);
  const [pristine, setPristine] = useState<ProductValues>(product ? valuesFromProduct(product) : EMPTY_VALUES);
  const [values, setValues] = useState<ProductValues>(pristine);
  const [conflict, setConflict] = useState<Product | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onChange = (field: ProductField, value: string) => setValues((current) => ({ ...current, [field]: value }));

  const rebaseOn = (fresh: Product) => {
    const freshValues = valuesFromProduct(fresh);
    const kept = Object.fromEntries(editedFields(values, pristine).map((field) => [field, values[field]]));
    setBase(fresh);
    setPristine(freshValues);
    setValues({ ...freshValues, ...kept });
    setConflict(fresh);
  };

  const save = async (): Promise<Outcome> => {
    const checked = checkProduct(values);
    if (!checked.body) return { kind: 'invalid', errors: checked.errors };
    if (!base) return { kind: 'saved', product: await createProduct(checked.body), verb: 'Created' };
    const body: UpdateProductRequest = { version: base.version };
    for (const field of editedFields(values, pristine)) Object.assign(body, { [field]: checked.body[field] });
    if (Object.keys(body).length === 1) return { kind: 'unchanged' };
    return { kind: 'saved', product: await updateProduct(base.id, body), verb: 'Saved' };
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    setBusy(true);
    try {
      const outcome = await save();
      if (outcome.kind === 'saved') {
        navigate('/seller', { state: { notice: `${outcome.verb} “${outcome.product.name}”.` } });
      } else if (outcome.kind === 'unchanged') {
        setErrors({});
        setFormError('Nothing to save: no field was changed.');
      } else {
        setErrors(outcome.errors);
        focusFirstError(outcome.errors, PRODUCT_FIELDS, 'product');
      }
    } catch (caught) {
      const described = describeError(caught, OVERRIDES);
      setErrors(described.fields);
      setFormError(described.message);
      if (described.code === 'VERSION_CONFLICT' && base) {
        try {
          rebaseOn(await getProduct(base.id));
        } catch (reloadError) {
          setFormError(`${described.message} ${describeError(reloadError, OVERRIDES).message}`);
        }
      }
    } finally {
      setBusy(false);
    }
  };

  const useLatest = () => {
    if (!conflict) return;
    setValues(valuesFromProduct(conflict));
    setPristine(valuesFromProduct(conflict));
    setConflict(null);
    setFormError(null);
  };

  return (
    <>
      {conflict ? <ConflictNotice fresh={conflict} onUseLatest={useLatest} /> : formError && <ErrorState message={formError} />}
      <form noValidate className="product-form" onSubmit={(event) => void onSubmit(event)}>
        <ProductFields values={values} errors={errors} onChange={onChange} />
        <div className="inline">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Saving…' : base ? 'Save changes' : 'Create product'}
          </button>
          <button type="button" className="button" onClick={() => navigate('/seller')}>
            Cancel
          </button>
        </div>
      </form>
    </>
  );
}
