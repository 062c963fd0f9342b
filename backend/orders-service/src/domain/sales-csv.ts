import type { SaleRecord } from '../data/sales-repository';

/** A cell a spreadsheet would run as a formula (or a DDE call) starts with one of these. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell (RFC 4180): a text a spreadsheet would read as a formula gets a leading single quote
 * (OWASP's advice), then a cell holding a quote, a comma or a line break is quoted with its quotes doubled.
 */
function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const HEADER = ['Date (UTC)', 'Order', 'Product', 'Product id', 'Quantity', 'Unit price', 'Subtotal', 'Status'];

/** Cents of `quantity × price` as an exact decimal string; prices are NUMERIC(…, 2) strings. */
function subtotal(unitPrice: string, quantity: number): string {
  const digits = (BigInt(unitPrice.replace('.', '')) * BigInt(quantity)).toString().padStart(3, '0');
  return `${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** The seller's sales as CSV, lines ended by CRLF as RFC 4180 has them. */
export function salesCsv(sales: SaleRecord[]): string {
  const lines = sales.map((s) => [
    s.createdAt.toISOString(),
    s.orderId,
    s.productName ?? '',
    s.productId,
    String(s.quantity),
    s.unitPrice,
    subtotal(s.unitPrice, s.quantity),
    s.status,
  ]);
  return [HEADER, ...lines].map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
