import express, { type RequestHandler, type Router } from 'express';
import multer from 'multer';
import {
  AppError,
  authenticate,
  jsonBody,
  requireJsonBody,
  requireRole,
  validate,
  type AuthUser,
  type TokenVerifier,
} from '@market/kit';
import type { Db } from '../data/db';
import { productToChange } from '../domain/catalog';
import type { ProductImages } from '../domain/product-images';
import { validators } from './schemas';

export interface ImageRouteDeps {
  db: Db;
  images: ProductImages;
  verify: TokenVerifier;
  maxBytes: number;
}

const userOf = (req: { user?: AuthUser }): AuthUser => req.user as AuthUser;

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;

/** multer's refusals, in the shared envelope. */
function uploadError(err: unknown, maxBytes: number): unknown {
  if (!(err instanceof multer.MulterError)) return err;
  if (err.code === 'LIMIT_FILE_SIZE') {
    return new AppError('PAYLOAD_TOO_LARGE', `the image is larger than ${megabytes(maxBytes)}`);
  }
  return new AppError('VALIDATION_FAILED', 'send one file in the field image and its alt text in alt', 400, [
    { field: err.field ?? '(body)', message: err.message },
  ]);
}

/** Seller routes for a product's images; the upload is multipart, the others JSON. */
export function imageRoutes({ db, images, verify, maxBytes }: ImageRouteDeps): Router {
  const router = express.Router();
  const seller = [authenticate(verify), requireRole('seller', 'admin')];
  const parse = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 1, fieldSize: 4096, parts: 2, headerPairs: 20 },
  }).single('image');

  // Checked before the body is read: nobody uploads megabytes to a product they may not change.
  const ownerOnly: RequestHandler = async (req, _res, next) => {
    await productToChange(db, userOf(req), String(req.params.id));
    next();
  };
  const multipartOnly: RequestHandler = (req, _res, next) => {
    if (req.is('multipart/form-data') !== 'multipart/form-data') {
      throw new AppError(
        'UNSUPPORTED_MEDIA_TYPE',
        'send the image as multipart/form-data with the fields image and alt',
      );
    }
    next();
  };
  const readUpload: RequestHandler = (req, res, next) => {
    parse(req, res, (err: unknown) => next(err === undefined ? undefined : uploadError(err, maxBytes)));
  };
  const fileRequired: RequestHandler = (req, _res, next) => {
    if (!req.file) {
      throw new AppError('VALIDATION_FAILED', 'some fields are not valid', 400, [
        { field: 'image', message: 'image is required: attach a JPEG, PNG or WebP file' },
      ]);
    }
    next();
  };

  router.post(
    '/:id/images',
    ...seller,
    validate({ params: validators.uploadImage.params! }),
    ownerOnly,
    multipartOnly,
    readUpload,
    fileRequired,
    validate({ body: validators.uploadImage.body! }),
    async (req, res) => {
      const { alt } = req.body as { alt: string };
      const product = await images.add(userOf(req), String(req.params.id), req.file!.buffer, alt);
      res.status(201).json(product);
    },
  );

  router.put(
    '/:id/images',
    ...seller,
    requireJsonBody,
    jsonBody('16kb'),
    validate(validators.arrangeImages),
    async (req, res) => {
      const { images: order } = req.body as { images: { id: string; alt: string }[] };
      res.json(await images.arrange(userOf(req), String(req.params.id), order));
    },
  );

  router.delete('/:id/images/:imageId', ...seller, validate(validators.deleteImage), async (req, res) => {
    res.json(await images.remove(userOf(req), String(req.params.id), String(req.params.imageId)));
  });

  return router;
}
