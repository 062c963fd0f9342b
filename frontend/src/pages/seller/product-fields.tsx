import { CATEGORIES, LIMITS } from '../../api/contracts';
import { Field } from '../../components/field';
import type { FieldErrors } from '../../lib/validation';
import type { ProductField, ProductValues } from './product-values';

interface Props {
  values: ProductValues;
  errors: FieldErrors;
  onChange(field: ProductField, value: string): void;
}

export function ProductFields({ values, errors, onChange }: Props) {
  return (
    <>
      <Field id="product-name" label="Name" error={errors.name}>
        {(control) => (
          <input {...control} maxLength={LIMITS.productNameMax} value={values.name} onChange={(e) => onChange('name', e.target.value)} />
        )}
      </Field>
      <Field id="product-description" label="Description" error={errors.description}>
        {(control) => (
          <textarea
            {...control}
            rows={5}
            maxLength={LIMITS.productDescriptionMax}
            value={values.description}
            onChange={(e) => onChange('description', e.target.value)}
          />
        )}
      </Field>
      <Field id="product-category" label="Category" error={errors.category}>
        {(control) => (
          <select {...control} value={values.category} onChange={(e) => onChange('category', e.target.value)}>
            <option value="">Choose a category</option>
            {CATEGORIES.map((category) => (
              <option key={category} value={category}>
                {category.charAt(0).toUpperCase() + category.slice(1)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="product-price" label="Price in US dollars" error={errors.price} hint="For example 19.99">
        {(control) => (
          <input {...control} inputMode="decimal" value={values.price} onChange={(e) => onChange('price', e.target.value)} />
        )}
      </Field>
      <Field id="product-stock" label="Stock" error={errors.stock} hint="How many you can sell right now">
        {(control) => (
          <input
            {...control}
            type="number"
            inputMode="numeric"
            min={0}
            max={LIMITS.stockMax}
            value={values.stock}
            onChange={(e) => onChange('stock', e.target.value)}
          />
        )}
      </Field>
      <Field id="product-imageUrl" label="Image address (optional)" error={errors.imageUrl}>
        {(control) => (
          <input {...control} type="url" value={values.imageUrl} onChange={(e) => onChange('imageUrl', e.target.value)} />
        )}
      </Field>
    </>
  );
}
