import {
  ArrangeImagesRequest,
  CreateProductRequest,
  Product,
  ProductPage,
  productsApi,
  UpdateProductRequest,
} from '@market/contracts';
import { buildOpenApiDocument } from '@market/kit';

/** Generated from the contract the routes validate with; served at /api/products/openapi.json. */
export const openApiDocument = buildOpenApiDocument({
  title: 'Marketplace products-service',
  description: 'The catalog: public search and seller management with optimistic concurrency.',
  security: ['accessCookie', 'bearer', 'csrfHeader'],
  operations: productsApi,
  schemas: { Product, ProductPage, CreateProductRequest, UpdateProductRequest, ArrangeImagesRequest },
});
