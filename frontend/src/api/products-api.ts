import { catalogReadHeaders, noteCatalogChange } from './catalog-freshness';
import { api } from './http-client';
import { takePreloaded } from './preloaded';
import type {
  CreateProductRequest,
  MyProductSort,
  Page,
  Product,
  ProductSearchPage,
  ProductSort,
  UpdateProductRequest,
} from './contracts';

export interface ProductQuery {
  q?: string;
  category?: string;
  sort?: ProductSort;
  minPrice?: string;
  maxPrice?: string;
  inStock?: boolean;
  page: number;
  pageSize: number;
}

/**
 * Empty values and a false in-stock flag are left out, so the API applies its defaults. The catalog's
 * first page (`sort=newest&page=1&pageSize=12`) is what index.html preloads: that answer is taken first.
 */
export async function listProducts(query: ProductQuery, signal?: AbortSignal): Promise<ProductSearchPage> {
  const params = Object.fromEntries(
    Object.entries(query)
      .filter(([, value]) => value !== undefined && value !== '' && value !== false)
      .map(([key, value]) => [key, String(value)]),
  );
  const headers = catalogReadHeaders();
  // index.html preloaded the first page as a shared copy may answer it: taken only when a fresh answer is not required.
  const preloaded =
    Object.keys(headers).length === 0
      ? await takePreloaded<ProductSearchPage>(`/api/products?${new URLSearchParams(params)}`, signal)
      : undefined;
  return preloaded ?? (await api.get<ProductSearchPage>('/products', { params, signal, headers })).data;
}

export async function getProduct(id: string, signal?: AbortSignal): Promise<Product> {
  return (await api.get<Product>(`/products/${encodeURIComponent(id)}`, { signal, headers: catalogReadHeaders() }))
    .data;
}

export async function listCategories(signal?: AbortSignal): Promise<string[]> {
  return (await api.get<{ data: string[] }>('/products/categories', { signal })).data.data;
}

export async function listMyProducts(
  query: { page: number; pageSize: number; q: string; sort: MyProductSort },
  signal?: AbortSignal,
): Promise<Page<Product>> {
  const params = { ...query, q: query.q || undefined };
  return (await api.get<Page<Product>>('/products/mine', { params, signal })).data;
}

/** A product this browser changed: the catalog's reads skip nginx's shared copies for a while. */
function changed(product: Product): Product {
  noteCatalogChange();
  return product;
}

export async function createProduct(body: CreateProductRequest): Promise<Product> {
  return changed((await api.post<Product>('/products', body)).data);
}

export async function updateProduct(id: string, body: UpdateProductRequest): Promise<Product> {
  return changed((await api.patch<Product>(`/products/${encodeURIComponent(id)}`, body)).data);
}

export async function archiveProduct(id: string): Promise<Product> {
  return changed((await api.delete<Product>(`/products/${encodeURIComponent(id)}`)).data);
}

/** Back in the catalog: an archived product (its seller) or an unlisted one (an admin). */
export async function relistProduct(id: string): Promise<Product> {
  return changed((await api.post<Product>(`/products/${encodeURIComponent(id)}/relist`)).data);
}

/** An admin takes a product out of the catalog; its seller reads the reason. */
export async function unlistProduct(id: string, reason: string): Promise<Product> {
  return changed((await api.post<Product>(`/products/${encodeURIComponent(id)}/unlist`, { reason })).data);
}

/** multipart/form-data: axios sets the type and boundary for a FormData body. */
export async function uploadProductImage(id: string, file: Blob, alt: string): Promise<Product> {
  const form = new FormData();
  form.append('alt', alt);
  form.append('image', file);
  return changed((await api.post<Product>(`/products/${encodeURIComponent(id)}/images`, form)).data);
}

export async function arrangeProductImages(id: string, images: { id: string; alt: string }[]): Promise<Product> {
  return changed((await api.put<Product>(`/products/${encodeURIComponent(id)}/images`, { images })).data);
}

export async function deleteProductImage(id: string, imageId: string): Promise<Product> {
  return changed(
    (await api.delete<Product>(`/products/${encodeURIComponent(id)}/images/${encodeURIComponent(imageId)}`)).data,
  );
}
