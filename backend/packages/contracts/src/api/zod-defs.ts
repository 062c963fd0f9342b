import type { z } from 'zod';

/** One check of a zod 4 schema (`_zod.def` of an entry of `checks`): the parts the generators read. */
export interface ZodCheckDef {
  check: string;
  format?: string;
  pattern?: RegExp;
  minimum?: number;
  maximum?: number;
  value?: number;
  inclusive?: boolean;
  tx?: (value: string) => string;
}

/**
 * The parts of zod 4's internal definitions (`_zod.def`) that the joi converter (kit) and the SPA
 * rules generator (here) read; both walk the same contracts, so they read them one way.
 */
export interface ZodDef {
  type: string;
  checks?: { _zod: { def: ZodCheckDef } }[];
  format?: string;
  pattern?: RegExp;
  protocol?: RegExp;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  defaultValue?: unknown;
}

export const zodDefOf = (schema: z.ZodType): ZodDef => (schema as unknown as { _zod: { def: ZodDef } })._zod.def;
