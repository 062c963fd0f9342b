import { z } from 'zod';
import { LIMITS } from '../http';
import { id, money, text, timestamp } from './common';

/**
 * A line of a buyer's cart as the buyer last saw it: the name, price, stock and seller are what the
 * catalog showed (the SPA refreshes them; the order still sends the price and the catalog decides).
 */
export const CartLine = z.strictObject({
  productId: id(),
  quantity: z.number().int().min(LIMITS.quantityMin).max(LIMITS.quantityMax),
  name: text().min(1).max(LIMITS.productNameMax),
  unitPrice: money(),
  stock: z.number().int().min(0).max(LIMITS.stockMax),
  sellerId: id(),
});
export type CartLine = z.output<typeof CartLine>;

const cartLines = () => z.array(CartLine).max(LIMITS.orderLinesMax);

export const Cart = z.strictObject({
  lines: cartLines(),
  version: z.number().int().meta({ description: 'Send it back with the next PUT; 0 for a cart never saved' }),
  updatedAt: timestamp().nullable(),
});
export type Cart = z.output<typeof Cart>;

export const SaveCartRequest = z.strictObject({
  lines: cartLines(),
  version: z
    .number()
    .int()
    .min(0)
    // The saved cart's version is one more, and must still fit PostgreSQL's integer.
    .max(2_147_483_646)
    .meta({ description: 'The version this cart was built on; another device saving first makes it a 409' }),
});
export type SaveCartRequest = z.input<typeof SaveCartRequest>;
