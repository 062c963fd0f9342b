import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { CONTRACT_RULES, LIMITS, type Product } from '../../api/contracts';
import { describeError } from '../../api/error-messages';
import { arrangeProductImages, deleteProductImage, uploadProductImage } from '../../api/products-api';
import { queryKeys } from '../../api/query-client';
import { Field } from '../../components/field';
import { LiveNotice, type Notice } from '../../components/live-notice';
import { ProductPicture } from '../../components/product-picture';

const ALT = CONTRACT_RULES.uploadImage.alt;
const ACCEPTED = ['image/jpeg', 'image/png', 'image/webp'];

function checkAlt(alt: string): string | null {
  const trimmed = alt.trim();
  if (!trimmed) return 'Describe the picture for people who cannot see it.';
  if (trimmed.length > ALT.maxLength) return `Use at most ${ALT.maxLength} characters.`;
  return null;
}

const OVERRIDES = {
  FORBIDDEN: 'Only the seller of this product can change its pictures.',
  UNSUPPORTED_MEDIA_TYPE: 'Choose a JPEG, PNG or WebP picture.',
  PAYLOAD_TOO_LARGE: 'The picture file is too large. Choose a smaller one.',
  CONFLICT: 'The pictures changed meanwhile. Reload the page and try again.',
};

/** The pictures of a saved product: upload (with alt text), reorder, rename and remove. */
export function ImageManager({ product }: { product: Product }) {
  const client = useQueryClient();
  const [images, setImages] = useState(product.images);
  const [order, setOrder] = useState(() => product.images.map((image) => ({ id: image.id, alt: image.alt })));
  const [alt, setAlt] = useState('');
  const [altError, setAltError] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const applied = async (fresh: Product, message: string) => {
    setImages(fresh.images);
    setOrder(fresh.images.map((image) => ({ id: image.id, alt: image.alt })));
    setNotice({ text: message, error: false });
    client.setQueryData(queryKeys.product(fresh.id), fresh);
    await client.invalidateQueries({ queryKey: queryKeys.products, refetchType: 'none' });
  };
  const failed = (caught: unknown) => setNotice({ text: describeError(caught, OVERRIDES).message, error: true });

  const upload = useMutation({
    mutationFn: ({ file, text }: { file: File; text: string }) => uploadProductImage(product.id, file, text.trim()),
    onSuccess: async (fresh) => {
      setAlt('');
      if (fileInput.current) fileInput.current.value = '';
      await applied(fresh, 'Picture added.');
    },
    onError: failed,
  });
  const arrange = useMutation({
    mutationFn: () =>
      arrangeProductImages(
        product.id,
        order.map((entry) => ({ ...entry, alt: entry.alt.trim() })),
      ),
    onSuccess: (fresh) => applied(fresh, 'Order and descriptions saved.'),
    onError: failed,
  });
  const remove = useMutation({
    mutationFn: (imageId: string) => deleteProductImage(product.id, imageId),
    onSuccess: (fresh) => applied(fresh, 'Picture removed.'),
    onError: failed,
  });

  const onUpload = (event: FormEvent) => {
    event.preventDefault();
    const file = fileInput.current?.files?.[0];
    const altProblem = checkAlt(alt);
    const fileProblem = !file
      ? 'Choose a picture.'
      : ACCEPTED.includes(file.type)
        ? null
        : 'Choose a JPEG, PNG or WebP picture.';
    setAltError(altProblem);
    setFileError(fileProblem);
    if (file && !altProblem && !fileProblem) upload.mutate({ file, text: alt });
  };

  const move = (index: number, by: -1 | 1) =>
    setOrder((current) => {
      const next = [...current];
      const [moved] = next.splice(index, 1);
      next.splice(index + by, 0, moved!);
      return next;
    });
  const byId = new Map(images.map((image) => [image.id, image]));
  const orderProblems = order.map((entry) => checkAlt(entry.alt));
  const busy = upload.isPending || arrange.isPending || remove.isPending;

  return (
    <section className="image-manager" aria-labelledby="images-title">
      <h2 id="images-title">Pictures</h2>
      <LiveNotice notice={notice} />
      {order.length > 0 && (
        <>
          <ol className="image-list">
            {order.map((entry, index) => {
              const image = byId.get(entry.id);
              if (!image) return null;
              return (
                <li key={entry.id} className="image-row">
                  <ProductPicture image={image} sizes="128px" />
                  <div>
                    <Field
                      id={`image-alt-${entry.id}`}
                      label={`Description of picture ${index + 1}`}
                      error={orderProblems[index] ?? undefined}
                    >
                      {(control) => (
                        <input
                          {...control}
                          value={entry.alt}
                          maxLength={ALT.maxLength}
                          onChange={(event) =>
                            setOrder((current) =>
                              current.map((e) => (e.id === entry.id ? { ...e, alt: event.target.value } : e)),
                            )
                          }
                        />
                      )}
                    </Field>
                    <div className="inline">
                      <button type="button" className="button" disabled={index === 0} onClick={() => move(index, -1)}>
                        Move up<span className="visually-hidden"> picture {index + 1}</span>
                      </button>
                      <button
                        type="button"
                        className="button"
                        disabled={index === order.length - 1}
                        onClick={() => move(index, 1)}
                      >
                        Move down<span className="visually-hidden"> picture {index + 1}</span>
                      </button>
                      <button type="button" className="button" disabled={busy} onClick={() => remove.mutate(entry.id)}>
                        Remove<span className="visually-hidden"> picture {index + 1}</span>
                      </button>
                    </div>
                  </div>
                </li>
              );
            })}
          </ol>
          <button
            type="button"
            className="button"
            disabled={busy || orderProblems.some(Boolean)}
            onClick={() => arrange.mutate()}
          >
            Save order and descriptions
          </button>
        </>
      )}
      {images.length < LIMITS.imagesPerProductMax ? (
        <form noValidate className="product-form" onSubmit={onUpload}>
          <Field
            id="image-file"
            label="Picture"
            hint={`JPEG, PNG or WebP; up to ${LIMITS.imagesPerProductMax} pictures`}
            error={fileError ?? undefined}
          >
            {(control) => <input {...control} ref={fileInput} type="file" accept={ACCEPTED.join(',')} />}
          </Field>
          <Field
            id="image-alt"
            label="Description of the picture"
            hint="What it shows, for people who cannot see it"
            error={altError ?? undefined}
          >
            {(control) => (
              <input {...control} value={alt} maxLength={ALT.maxLength} onChange={(e) => setAlt(e.target.value)} />
            )}
          </Field>
          <button type="submit" className="button button-primary" disabled={busy}>
            {upload.isPending ? 'Uploading…' : 'Add picture'}
          </button>
        </form>
      ) : (
        <p className="muted">This product has {LIMITS.imagesPerProductMax} pictures, the most it can have.</p>
      )}
    </section>
  );
}
