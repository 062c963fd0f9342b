import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ProductsConfig } from '../config';

/** Where image files live. Keys are content-addressed file names (`<hash>.webp`), never paths. */
export interface ImageStore {
  put(key: string, bytes: Buffer): Promise<void>;
  remove(key: string): Promise<void>;
}

/** Names never change content, so a browser, nginx or a CDN may keep them for a year. */
const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

const KEY_PATTERN = /^[a-f0-9]{32}\.webp$/;

function checkedKey(key: string): string {
  if (!KEY_PATTERN.test(key)) throw new Error(`not an image key: ${key}`);
  return key;
}

/** A folder on a volume; nginx serves it. A file appears whole (written aside, then renamed) or not at all. */
export function diskImageStore(dir: string): ImageStore {
  const root = path.resolve(dir);
  let ready: Promise<unknown> | undefined;
  return {
    async put(key, bytes) {
      ready ??= mkdir(root, { recursive: true });
      await ready;
      const target = path.join(root, checkedKey(key));
      const temporary = path.join(root, `.${randomUUID()}.tmp`);
      await writeFile(temporary, bytes, { mode: 0o644 });
      await rename(temporary, target);
    },
    async remove(key) {
      await rm(path.join(root, checkedKey(key)), { force: true });
    },
  };
}

interface S3StoreOptions {
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

/** An S3-compatible bucket; IMAGE_PUBLIC_BASE_URL then points at the bucket or a CDN before it. */
function s3ImageStore(options: S3StoreOptions): ImageStore {
  const client = new S3Client({
    endpoint: options.endpoint,
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    // Checksums only where S3 requires them: S3-compatible servers do not all know the newer headers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    async put(key, bytes) {
      await client.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: checkedKey(key),
          Body: bytes,
          ContentType: 'image/webp',
          CacheControl: IMMUTABLE_CACHE_CONTROL,
        }),
      );
    },
    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket: options.bucket, Key: checkedKey(key) }));
    },
  };
}

export function imageStoreFor(config: ProductsConfig): ImageStore {
  if (config.IMAGE_STORE === 'disk') return diskImageStore(config.IMAGE_DIR);
  // loadConfig has checked that these are set for the s3 store.
  return s3ImageStore({
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    bucket: config.S3_BUCKET!,
    accessKeyId: config.S3_ACCESS_KEY_ID!,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY!,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
  });
}
