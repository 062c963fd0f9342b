import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { AppError } from '@market/kit';

// One image at a time per call and no cache: uploads are rare, memory matters more than speed.
sharp.cache(false);
sharp.concurrency(1);

/** The widths stored for every image (never enlarged): catalog cards, product page, zoom. */
const VARIANT_WIDTHS = [320, 640, 1280] as const;

type SniffedFormat = 'jpeg' | 'png' | 'webp';

export interface EncodedVariant {
  /** Content-addressed file name: the same bytes always get the same name, so it can be cached forever. */
  key: string;
  bytes: Buffer;
  width: number;
  height: number;
}

const startsWith = (bytes: Buffer, signature: number[], at = 0) =>
  bytes.length >= at + signature.length && signature.every((byte, i) => bytes[at + i] === byte);

/**
 * The format the content itself declares by its magic bytes; the file name and the Content-Type
 * the client sent are never consulted. Anything else (SVG, HTML, GIF, TIFF…) is refused before a
 * decoder sees it, so none of libvips' other loaders is reachable from an upload.
 */
function sniffImageFormat(bytes: Buffer): SniffedFormat | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  return undefined;
}

const rejected = (message: string) => new AppError('IMAGE_REJECTED', message);

/**
 * Decodes an upload and encodes it again as WebP in each of VARIANT_WIDTHS (fewer when the image
 * is narrower). Re-encoding keeps only pixels: EXIF, GPS, ICC comments and whatever a polyglot
 * file carried after the image data are gone. A file whose header claims more than `maxPixels`
 * is refused before its pixels are decoded (a decompression bomb).
 */
export async function encodeVariants(bytes: Buffer, maxPixels: number): Promise<EncodedVariant[]> {
  const format = sniffImageFormat(bytes);
  if (!format) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'the file is not a JPEG, PNG or WebP image');
  const input = () => sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error', animated: false });

  const tooManyPixels = (size: string) =>
    rejected(`the image is ${size} pixels; at most ${maxPixels.toLocaleString('en')} pixels are allowed`);
  let metadata: sharp.Metadata;
  try {
    metadata = await input().metadata();
  } catch (err) {
    if (err instanceof Error && err.message.includes('pixel limit')) throw tooManyPixels('larger than');
    throw rejected('the image could not be read; it may be damaged');
  }
  if (metadata.format !== format) throw rejected(`the file starts like a ${format} image but is not one`);
  const { width = 0, height = 0 } = metadata;
  if (width * height > maxPixels) {
    throw rejected(
      `the image is ${width} × ${height} pixels; at most ${maxPixels.toLocaleString('en')} pixels are allowed`,
    );
  }

  const variants: EncodedVariant[] = [];
  try {
    for (const target of VARIANT_WIDTHS) {
      const { data, info } = await input()
        .autoOrient()
        .resize({ width: target, withoutEnlargement: true })
        .webp({ quality: 80 })
        .toBuffer({ resolveWithObject: true });
      if (variants.some((v) => v.width === info.width)) break;
      const hash = createHash('sha256').update(data).digest('hex').slice(0, 32);
      variants.push({ key: `${hash}.webp`, bytes: data, width: info.width, height: info.height });
    }
  } catch {
    throw rejected('the image could not be decoded; it may be damaged');
  }
  return variants;
}
