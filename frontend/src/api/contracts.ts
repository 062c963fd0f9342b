// The one import point of the contracts. The constants come from files without zod; the shapes'
// types come from the zod definitions as types only, so zod never reaches the bundle.
export * from '@market/contracts/src/http';
export * from '@market/contracts/src/errors';
export type * from '@market/contracts/src/api';
export * from './contract-rules.generated';
