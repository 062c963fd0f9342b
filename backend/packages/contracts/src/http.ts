/** JSON shapes of the public HTTP API (DESIGN section 5), shared by the services and the SPA. */

export const ROLES = ['buyer', 'seller', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const SIGNUP_ROLES = ['buyer', 'seller'] as const;
export type SignupRole = (typeof SIGNUP_ROLES)[number];

/** Header a cross-site form cannot send; required on every state-changing request. */
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_HEADER_VALUE = 'marketplace';

export const ACCESS_COOKIE = 'access_token';
export const REFRESH_COOKIE = 'refresh_token';

export const LIMITS = {
  usernameMin: 3,
  usernameMax: 32,
  emailMax: 254,
  passwordMinBytes: 10,
  passwordMaxBytes: 72,
  productNameMax: 120,
  productDescriptionMax: 5000,
  imageUrlMax: 2048,
  priceMax: '999999.99',
  stockMax: 1_000_000,
  /** Letters or digits a search needs at least, so the trigram index can answer it. */
  searchMinLettersOrDigits: 3,
  searchMax: 100,
  pageSizeMax: 100,
  quantityMin: 1,
  quantityMax: 99,
  orderLinesMax: 50,
  idempotencyKeyMax: 128,
} as const;

export const CATEGORIES = [
  'books',
  'clothing',
  'electronics',
  'garden',
  'home',
  'sports',
  'toys',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Money travels as a decimal string with exactly two places, e.g. "19.99". */
export type Money = string;
export const MONEY_PATTERN = /^(0|[1-9]\d{0,8})\.\d{2}$/;

export interface User {
  id: string;
  username: string;
  email: string;
  role: Role;
}

export interface AdminUser extends User {
  disabled: boolean;
  createdAt: string;
}

export interface SignupRequest {
  username: string;
  email: string;
  password: string;
  role: SignupRole;
}

export interface LoginRequest {
  email: string;
  password: string;
}

export interface DemoLoginRequest {
  who: 'buyer' | 'seller';
}

export interface UpdateUserRequest {
  role?: Role;
  disabled?: boolean;
}

export type ProductStatus = 'active' | 'archived';
export const PRODUCT_SORTS = ['newest', 'price_asc', 'price_desc', 'name'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

export interface Product {
  id: string;
  sellerId: string;
  sellerName: string;
  name: string;
  description: string;
  category: Category;
  price: Money;
  stock: number;
  imageUrl: string | null;
  status: ProductStatus;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface CreateProductRequest {
  name: string;
  description: string;
  category: Category;
  price: Money;
  stock: number;
  imageUrl?: string | null;
}

export interface UpdateProductRequest extends Partial<CreateProductRequest> {
  /** The version the edit was based on; a stale one is answered 409. */
  version: number;
}

export const ORDER_STATUSES = ['PENDING', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const FAILURE_REASONS = [
  'OUT_OF_STOCK',
  'PRICE_CHANGED',
  'PRODUCT_UNAVAILABLE',
  'OWN_PRODUCT',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

export interface OrderItem {
  productId: string;
  productName: string | null;
  sellerId: string | null;
  quantity: number;
  unitPrice: Money;
}

export interface Order {
  id: string;
  status: OrderStatus;
  reason: FailureReason | null;
  total: Money | null;
  items: OrderItem[];
  createdAt: string;
  updatedAt: string;
}

export interface PlaceOrderRequest {
  items: { productId: string; quantity: number; unitPrice: Money }[];
}

export interface Sale {
  orderId: string;
  productId: string;
  productName: string | null;
  quantity: number;
  unitPrice: Money;
  status: OrderStatus;
  createdAt: string;
}

export interface Pagination {
  page: number;
  pageSize: number;
  total: number;
  totalPages: number;
  /**
   * True when counting stopped at `total`: more than `total` items match, so at least one more
   * page follows this one and `totalPages` counts only the pages up to `total`. Absent or false:
   * `total` is exact. Lists over very large sets (the public catalog) cap their count to stay fast.
   */
  totalCapped?: boolean;
}

export interface Page<T> {
  data: T[];
  pagination: Pagination;
}

/** Fixed ids of the demo accounts, so every service's demo seed agrees without reading another's database. */
export const DEMO_USERS = {
  buyer: { id: '00000000-0000-4000-8000-000000000001', username: 'demo-buyer', email: 'buyer@demo.local' },
  seller: { id: '00000000-0000-4000-8000-000000000002', username: 'demo-seller', email: 'seller@demo.local' },
  admin: { id: '00000000-0000-4000-8000-000000000003', username: 'admin' },
  /** Owns part of the demo catalog; has no login. */
  otherSeller: { id: '00000000-0000-4000-8000-000000000004', username: 'acme-outlet' },
} as const;
