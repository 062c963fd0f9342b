import type { Express } from 'express';
import sharp from 'sharp';
import request from 'supertest';
import { CSRF, cookie, type TestUser } from './test-app';

/** A real photo-like JPEG carrying EXIF (camera, copyright, GPS-ish comment) to be stripped. */
export async function jpegWithExif(width = 1600, height = 1000): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .jpeg({ quality: 70 })
    .withExif({ IFD0: { Make: 'SecretCam', Copyright: 'Seller Home Address 12' } })
    .toBuffer();
}

export async function pngOf(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 0, g: 90, b: 200, alpha: 1 } } })
    .png()
    .toBuffer();
}

/**
 * A small JPEG whose frame header claims `width` × `height`: a few hundred bytes that would
 * decode into gigabytes (a decompression bomb).
 */
export async function jpegClaiming(width: number, height: number): Promise<Buffer> {
  const bytes = Buffer.from(await jpegWithExif(16, 16));
  for (let i = 0; i < bytes.length - 8; i++) {
    if (bytes[i] === 0xff && (bytes[i + 1] === 0xc0 || bytes[i + 1] === 0xc2)) {
      bytes.writeUInt16BE(height, i + 5);
      bytes.writeUInt16BE(width, i + 7);
      return bytes;
    }
  }
  throw new Error('no frame header found');
}

export interface UploadedProduct {
  id: string;
  images: { id: string; alt: string; variants: { url: string; width: number; height: number }[] }[];
}

/** Uploads `file` (with any name and declared type the test wants) as multipart/form-data. */
export function upload(
  app: Express,
  user: TestUser,
  productId: string,
  file: Buffer,
  options: { alt?: string; filename?: string; contentType?: string } = {},
) {
  const req = request(app).post(`/api/products/${productId}/images`).set('Cookie', cookie(user)).set(CSRF);
  if (options.alt !== undefined) void req.field('alt', options.alt);
  return req.attach('image', file, {
    filename: options.filename ?? 'photo.jpg',
    contentType: options.contentType ?? 'image/jpeg',
  });
}
