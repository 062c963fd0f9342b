// The contracts package index also exports the zod stream schemas; importing these two files keeps zod out of the bundle.
export * from '@market/contracts/src/http';
export * from '@market/contracts/src/errors';
