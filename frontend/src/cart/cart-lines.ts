import { CONTRACT_RULES, type Money, type Product } from '../api/contracts';

/** The server's rules for an order's lines, generated from the contracts. */
const ORDER_LINES = CONTRACT_RULES.placeOrder.items;
import { fromCents, toCents } from '../lib/money';

export interface CartLine {
  productId: string;
  name: string;
  /** The price the buyer saw; the order sends it and the server refuses it if it is stale. */
  unitPrice: Money;
  quantity: number;
  /** Stock when last seen, used to cap the quantity. */
  stock: number;
  sellerId: string;
}

export function maxQuantity(stock: number): number {
  return Math.max(0, Math.min(stock, ORDER_LINES.items.quantity.max));
}

export function lineFromProduct(product: Product, quantity: number): CartLine {
  return {
    productId: product.id,
    name: product.name,
    unitPrice: product.price,
    quantity,
    stock: product.stock,
    sellerId: product.sellerId,
  };
}

export interface AddResult {
  lines: CartLine[];
  /** How many were really added after capping at stock; 0 means nothing more fits. */
  added: number;
}

export function addLine(lines: CartLine[], product: Product, quantity: number): AddResult {
  const existing = lines.find((line) => line.productId === product.id);
  if (!existing && lines.length >= ORDER_LINES.maxItems) return { lines, added: 0 };
  const before = existing?.quantity ?? 0;
  const after = Math.min(before + quantity, maxQuantity(product.stock));
  if (after <= 0) return { lines: lines.filter((line) => line.productId !== product.id), added: 0 };
  const line = lineFromProduct(product, after);
  const next = existing ? lines.map((l) => (l.productId === product.id ? line : l)) : [...lines, line];
  return { lines: next, added: Math.max(0, after - before) };
}

export function setLineQuantity(lines: CartLine[], productId: string, quantity: number): CartLine[] {
  return lines.map((line) => {
    if (line.productId !== productId) return line;
    const capped = Math.max(1, Math.min(Math.trunc(quantity) || 1, maxQuantity(line.stock)));
    return { ...line, quantity: capped };
  });
}

export function removeLine(lines: CartLine[], productId: string): CartLine[] {
  return lines.filter((line) => line.productId !== productId);
}

export function cartTotal(lines: CartLine[]): Money {
  return fromCents(lines.reduce((sum, line) => sum + toCents(line.unitPrice) * line.quantity, 0));
}

export function cartCount(lines: CartLine[]): number {
  return lines.reduce((sum, line) => sum + line.quantity, 0);
}

/**
 * The account's cart with a guest cart added at sign-in: the same product's quantities summed (up to
 * the per-line maximum; the cart page caps them at the stock), other products appended while there
 * is room. `dropped` counts the guest's products that did not fit.
 */
export function mergeLines(account: CartLine[], guest: CartLine[]): { lines: CartLine[]; dropped: number } {
  const lines = [...account];
  let dropped = 0;
  for (const line of guest) {
    const at = lines.findIndex((l) => l.productId === line.productId);
    if (at >= 0) {
      const quantity = Math.min(lines[at]!.quantity + line.quantity, ORDER_LINES.items.quantity.max);
      lines[at] = { ...lines[at]!, quantity };
    } else if (lines.length < ORDER_LINES.maxItems) {
      lines.push(line);
    } else {
      dropped += 1;
    }
  }
  return { lines, dropped };
}
