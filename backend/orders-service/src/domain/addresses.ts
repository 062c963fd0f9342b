import { LIMITS, type Address, type AddressFields, type AddressList, type ShippingAddress } from '@market/contracts';
import { AppError, newId, notFound } from '@market/kit';
import {
  deleteAddress,
  insertAddress,
  listAddresses,
  updateAddress,
  type AddressRecord,
} from '../data/address-repository';
import type { Db } from '../data/db';

/** Trimmed, an empty optional field as null: the contract checked the rest. */
function cleaned(fields: AddressFields): ShippingAddress {
  const optional = (value: string | undefined) => value?.trim() || null;
  return {
    name: fields.name.trim(),
    line1: fields.line1.trim(),
    line2: optional(fields.line2),
    city: fields.city.trim(),
    postalCode: fields.postalCode.trim().toUpperCase(),
    region: optional(fields.region),
    country: fields.country,
    phone: optional(fields.phone),
  };
}

const toAddress = (record: AddressRecord): Address => ({
  ...record,
  createdAt: record.createdAt.toISOString(),
  updatedAt: record.updatedAt.toISOString(),
});

export async function readAddresses(db: Db, userId: string): Promise<AddressList> {
  return { data: (await listAddresses(db, userId)).map(toAddress) };
}

export async function addAddress(db: Db, userId: string, fields: AddressFields): Promise<Address> {
  const saved = await insertAddress(db, userId, newId(), cleaned(fields), LIMITS.addressesPerUserMax);
  if (!saved) {
    throw new AppError(
      'TOO_MANY_ADDRESSES',
      `you can save at most ${LIMITS.addressesPerUserMax} addresses; delete one you no longer use first`,
    );
  }
  return toAddress(saved);
}

/** Orders placed with the address keep their own copy: editing it changes none of them. */
export async function changeAddress(db: Db, userId: string, id: string, fields: AddressFields): Promise<Address> {
  const saved = await updateAddress(db, userId, id, cleaned(fields));
  if (!saved) throw notFound('address');
  return toAddress(saved);
}

export async function removeAddress(db: Db, userId: string, id: string): Promise<void> {
  if (!(await deleteAddress(db, userId, id))) throw notFound('address');
}
