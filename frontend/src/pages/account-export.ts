import type { AccountExport, Cart, Order, Page, Product, Role, Sale } from '../api/contracts';

/** Pages of 100 read for the export; a shop account with more than 10,000 orders gets the newest 10,000. */
const PAGE_SIZE = 100;
const MAX_PAGES = 100;

async function allPages<T>(read: (page: number, pageSize: number) => Promise<Page<T>>): Promise<T[]> {
  const rows: T[] = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const { data, pagination } = await read(page, PAGE_SIZE);
    rows.push(...data);
    if (page >= pagination.totalPages) break;
  }
  return rows;
}

export interface AccountData extends AccountExport {
  orders: Order[];
  cart: Cart;
  products?: Product[];
  sales?: Sale[];
}

/**
 * Everything the shop keeps about the signed-in user, read from each service that keeps some:
 * auth-service's account and sessions, the orders and cart from orders-service, and for a seller
 * the products and sales. No service reads another's data, so the browser puts the file together.
 */
export async function collectAccountData(role: Role): Promise<AccountData> {
  const [authApi, ordersApi, cartApi] = await Promise.all([
    import('../api/auth-api'),
    import('../api/orders-api'),
    import('../api/cart-api'),
  ]);
  const [account, orders, cart] = await Promise.all([
    authApi.exportAccount(),
    allPages((page, size) => ordersApi.listMyOrders(page, size)),
    cartApi.fetchCart(),
  ]);
  if (role !== 'seller') return { ...account, orders, cart };
  const productsApi = await import('../api/products-api');
  const [products, sales] = await Promise.all([
    allPages((page, size) => productsApi.listMyProducts({ page, pageSize: size, q: '', sort: 'newest' })),
    allPages((page, size) => ordersApi.listMySales({ page, pageSize: size, from: '', to: '' })),
  ]);
  return { ...account, orders, cart, products, sales };
}
