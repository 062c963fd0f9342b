import { LIMITS, type Product } from '@market/contracts';
import { AppError, notFound, type AuthUser, type Logger } from '@market/kit';
import type { Db } from '../data/db';
import {
  arrangeImages,
  deleteImage,
  imagesOfProducts,
  insertImage,
  keysStillUsed,
  lockProductForImages,
} from '../data/image-repository';
import type { ImageStore } from '../data/image-store';
import { findProduct } from '../data/product-repository';
import { productToChange, shapeProducts } from './catalog';
import { encodeVariants } from './image-processing';

export interface ProductImagesDeps {
  db: Db;
  store: ImageStore;
  logger: Logger;
  imageBaseUrl: string;
  maxPixels: number;
}

const tooMany = () =>
  new AppError(
    'TOO_MANY_IMAGES',
    `a product may have at most ${LIMITS.imagesPerProductMax} images; remove one before adding another`,
  );

/** Adding, arranging and removing a product's images: only its seller or an admin. */
export function createProductImages({ db, store, logger, imageBaseUrl, maxPixels }: ProductImagesDeps) {
  async function productNow(productId: string): Promise<Product> {
    const row = await findProduct(db, productId);
    if (!row) throw notFound('product');
    return (await shapeProducts(db, [row], imageBaseUrl))[0]!;
  }

  const countOf = async (productId: string) => (await imagesOfProducts(db, [productId])).get(productId)?.length ?? 0;

  return {
    async add(user: AuthUser, productId: string, file: Buffer, alt: string): Promise<Product> {
      await productToChange(db, user, productId);
      // Refused before the (slow) encoding when already full; counted again under the lock below.
      if ((await countOf(productId)) >= LIMITS.imagesPerProductMax) throw tooMany();
      const variants = await encodeVariants(file, maxPixels);
      // Files first: a row never points at a missing file. A file whose row is never written (the
      // limit reached meanwhile) is removed again below.
      await Promise.all(variants.map((variant) => store.put(variant.key, variant.bytes)));
      try {
        await db.transaction(async (tx) => {
          await lockProductForImages(tx, productId);
          const existing = (await imagesOfProducts(tx, [productId])).get(productId) ?? [];
          if (existing.length >= LIMITS.imagesPerProductMax) throw tooMany();
          const position = Math.max(-1, ...existing.map((image) => image.position)) + 1;
          await insertImage(tx, {
            productId,
            position,
            alt,
            variants: variants.map(({ key, width, height }) => ({ key, width, height })),
          });
        });
      } catch (err) {
        await removeUnused(variants.map((variant) => variant.key));
        throw err;
      }
      return productNow(productId);
    },

    /** `images` must name every current image exactly once: the new order and each alt text. */
    async arrange(user: AuthUser, productId: string, images: { id: string; alt: string }[]): Promise<Product> {
      await productToChange(db, user, productId);
      await db.transaction(async (tx) => {
        await lockProductForImages(tx, productId);
        const current = (await imagesOfProducts(tx, [productId])).get(productId) ?? [];
        const wanted = new Set(images.map((image) => image.id));
        if (wanted.size !== images.length || wanted.size !== current.length || current.some((c) => !wanted.has(c.id))) {
          throw new AppError(
            'CONFLICT',
            `list each of the product's ${current.length} images exactly once; reload the product and try again`,
          );
        }
        await arrangeImages(tx, productId, images);
      });
      return productNow(productId);
    },

    async remove(user: AuthUser, productId: string, imageId: string): Promise<Product> {
      await productToChange(db, user, productId);
      const removed = await deleteImage(db, productId, imageId);
      if (!removed) throw notFound('image');
      await removeUnused(
        removed.variants.map((variant) => variant.key),
        removed.id,
      );
      return productNow(productId);
    },
  };

  /** Deletes the files no other image uses; a failure only leaves an unused file behind. */
  async function removeUnused(keys: string[], exceptImageId?: string): Promise<void> {
    try {
      const used = await keysStillUsed(db, keys, exceptImageId);
      await Promise.all(keys.filter((key) => !used.has(key)).map((key) => store.remove(key)));
    } catch (err) {
      logger.warn({ err, keys }, 'could not remove image files; they stay unused in the store');
    }
  }
}

export type ProductImages = ReturnType<typeof createProductImages>;
