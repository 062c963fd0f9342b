import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  AddressFields,
  clientRulesOf,
  CreateProductRequest,
  ListProductsQuery,
  ListUsersQuery,
  LoginRequest,
  PlaceOrderRequest,
  SignupRequest,
  UploadImageFields,
} from '@market/contracts';

/** The SPA's copy of the request rules: generated here, committed, and checked against the contract on every run. */
const GENERATED = path.join(__dirname, '../../../../frontend/src/api/contract-rules.generated.ts');

function render(): string {
  const rules = {
    signup: clientRulesOf(SignupRequest),
    login: clientRulesOf(LoginRequest),
    createProduct: clientRulesOf(CreateProductRequest),
    searchProducts: clientRulesOf(ListProductsQuery),
    listUsers: clientRulesOf(ListUsersQuery),
    placeOrder: clientRulesOf(PlaceOrderRequest),
    uploadImage: clientRulesOf(UploadImageFields),
    address: clientRulesOf(AddressFields),
  };
  return [
    '// Generated from the zod contracts (backend/packages/contracts) by `npm run generate:client-rules`; do not edit.',
    '// The contracts test fails when this file and the contracts disagree.',
    `export const CONTRACT_RULES = ${JSON.stringify(rules, null, 2)} as const;`,
    '',
  ].join('\n');
}

describe("the SPA's generated request rules", () => {
  it('when the contracts are read, then the generated file holds exactly their limits, patterns and messages', () => {
    const expected = render();
    if (process.env.UPDATE_CLIENT_RULES === '1') writeFileSync(GENERATED, expected);
    expect(readFileSync(GENERATED, 'utf8')).toBe(expected);
  });

  it('when a field has a trim, bounds, a pattern and a message, then its rule carries all of them', () => {
    expect(clientRulesOf(SignupRequest).username).toEqual({
      required: true,
      trim: true,
      minLength: 3,
      maxLength: 32,
      pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$',
      messages: {
        'string.pattern.base':
          'username may hold letters, digits, dots, dashes and underscores, and must start with a letter or digit',
      },
    });
    expect(clientRulesOf(PlaceOrderRequest).items).toMatchObject({
      minItems: 1,
      maxItems: 50,
      items: { quantity: { integer: true, min: 1, max: 99 } },
    });
  });
});
