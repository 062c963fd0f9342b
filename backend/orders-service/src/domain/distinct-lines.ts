import { AppError } from '@market/kit';

/** An order or a cart names each product once; a repeated line is refused, naming it (`<list>.<i>.productId`). */
export function assertDistinctProducts(lines: readonly { productId: string }[], list: string): void {
  const seen = new Set<string>();
  const details = [];
  for (const [i, line] of lines.entries()) {
    const id = line.productId.toLowerCase();
    if (seen.has(id))
      details.push({
        field: `${list}.${i}.productId`,
        message: 'repeats an earlier line; change its quantity instead',
      });
    seen.add(id);
  }
  if (details.length > 0) throw new AppError('VALIDATION_FAILED', 'some fields are not valid', 400, details);
}
