import type { ShippingAddress } from '../api/contracts';
import { countryName } from './countries';

/** An address as it would be written on the parcel. */
export function AddressView({ address }: { address: ShippingAddress }) {
  const lines = [
    address.name,
    address.line1,
    address.line2,
    `${address.postalCode} ${address.city}`,
    address.region,
    countryName(address.country),
  ].filter((line): line is string => Boolean(line));
  return (
    <address className="address">
      {lines.map((line, index) => (
        <span key={index}>{line}</span>
      ))}
      {address.phone && <span>Phone: {address.phone}</span>}
    </address>
  );
}
