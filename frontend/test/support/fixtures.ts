import type { Address, Order, Product, User } from '../../src/api/contracts';

let counter = 0;
const next = () => (++counter).toString().padStart(4, '0');

export function makeUser(overrides: Partial<User> = {}): User {
  const id = `u${next()}`;
  return { id, username: `user-${id}`, email: `${id}@example.test`, role: 'buyer', emailVerified: true, ...overrides };
}

export function makeProduct(overrides: Partial<Product> = {}): Product {
  const id = `p${next()}`;
  return {
    id,
    sellerId: 'seller-1',
    sellerName: 'Sally Seller',
    name: `Product ${id}`,
    description: 'A fine thing.',
    category: 'books',
    price: '10.00',
    stock: 5,
    images: [],
    status: 'active',
    moderation: null,
    version: 1,
    createdAt: '2025-01-01T10:00:00.000Z',
    updatedAt: '2025-01-01T10:00:00.000Z',
    ...overrides,
  };
}

export function makeOrder(overrides: Partial<Order> = {}): Order {
  return {
    id: `00000000-0000-4000-8000-00000000${next()}`,
    status: 'PENDING',
    reason: null,
    total: null,
    items: [{ productId: 'p-1', productName: 'Blue mug', sellerId: 'seller-1', quantity: 2, unitPrice: '7.50' }],
    parts: [],
    shippingAddress: null,
    createdAt: '2025-01-01T10:00:00.000Z',
    updatedAt: '2025-01-01T10:00:00.000Z',
    ...overrides,
  };
}

export function makeAddress(overrides: Partial<Address> = {}): Address {
  return {
    id: `00000000-0000-4000-9000-00000000${next()}`,
    name: 'Ada Lovelace',
    line1: '12 St James Square',
    line2: null,
    city: 'London',
    postalCode: 'SW1Y 4JH',
    region: null,
    country: 'GB',
    phone: null,
    createdAt: '2025-01-01T10:00:00.000Z',
    updatedAt: '2025-01-01T10:00:00.000Z',
    ...overrides,
  };
}

export function page<T>(data: T[]) {
  return { data, pagination: { page: 1, pageSize: 20, total: data.length, totalPages: 1 } };
}

export function errorBody(code: string, message = 'server text', details?: { field: string; message: string }[]) {
  return { error: { code, message, ...(details ? { details } : {}) } };
}
