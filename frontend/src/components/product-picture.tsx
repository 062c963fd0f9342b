import type { ProductImage } from '../api/contracts';

/**
 * One product image: every stored size in `srcset` so the browser picks by layout width, the
 * largest one's width and height so the box is reserved before it loads (no layout shift).
 */
export function ProductPicture({
  image,
  sizes,
  eager = false,
  priority = false,
  className,
}: {
  image: ProductImage;
  /** The `sizes` attribute: how wide the image is drawn, e.g. "(max-width: 600px) 100vw, 320px". */
  sizes: string;
  /** Above the fold (the first cards, the product page's main image): load at once. */
  eager?: boolean;
  /** The picture likely to be the largest paint (the first card, the product's main picture): fetched first. */
  priority?: boolean;
  className?: string;
}) {
  const largest = image.variants[image.variants.length - 1]!;
  const smallest = image.variants[0]!;
  return (
    <img
      className={className}
      src={smallest.url}
      srcSet={image.variants.map((variant) => `${variant.url} ${variant.width}w`).join(', ')}
      sizes={sizes}
      width={largest.width}
      height={largest.height}
      alt={image.alt}
      loading={eager || priority ? 'eager' : 'lazy'}
      fetchPriority={priority ? 'high' : undefined}
      decoding="async"
    />
  );
}
