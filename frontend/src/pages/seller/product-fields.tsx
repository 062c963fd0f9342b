import type { FieldErrors, UseFormRegister } from 'react-hook-form';
import { CATEGORIES, LIMITS } from '../../api/contracts';
import { Field } from '../../components/field';
import type { ProductValues } from './product-values';

interface Props {
  register: UseFormRegister<ProductValues>;
  errors: FieldErrors<ProductValues>;
}

export function ProductFields({ register, errors }: Props) {
  return (
    <>
      <Field id="product-name" label="Name" error={errors.name?.message}>
        {(control) => <input {...control} maxLength={LIMITS.productNameMax} {...register('name')} />}
      </Field>
      <Field id="product-description" label="Description" error={errors.description?.message}>
        {(control) => (
          <textarea {...control} rows={5} maxLength={LIMITS.productDescriptionMax} {...register('description')} />
        )}
      </Field>
      <Field id="product-category" label="Category" error={errors.category?.message}>
        {(control) => (
          <select {...control} {...register('category')}>
            <option value="">Choose a category</option>
            {CATEGORIES.map((category) => (
              <option key={category} value={category}>
                {category.charAt(0).toUpperCase() + category.slice(1)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        id="product-price"
        label="Price in US dollars"
        error={errors.price?.message}
        hint="For example 19.99 or 1,250.00"
      >
        {(control) => <input {...control} inputMode="decimal" {...register('price')} />}
      </Field>
      <Field id="product-stock" label="Stock" error={errors.stock?.message} hint="How many you can sell right now">
        {(control) => (
          <input {...control} type="number" inputMode="numeric" min={0} max={LIMITS.stockMax} {...register('stock')} />
        )}
      </Field>
    </>
  );
}
