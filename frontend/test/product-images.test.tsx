import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ProductImage } from '../src/api/contracts';
import { apiServer } from './support/api-server';
import { makeProduct, makeUser, page } from './support/fixtures';
import { renderApp } from './support/render-app';

const picture = (id: string, alt: string): ProductImage => ({
  id,
  alt,
  variants: [
    { url: `/images/${id}-320.webp`, width: 320, height: 240 },
    { url: `/images/${id}-640.webp`, width: 640, height: 480 },
  ],
});

describe('product pictures', () => {
  it('when the catalog lists products with pictures, then each card shows its first picture with srcset, size and alt text, lazily below the first row', async () => {
    const products = Array.from({ length: 5 }, (_, i) =>
      makeProduct({ name: `Lamp ${i}`, images: [picture(`img${i}`, `Lamp ${i} seen from the side`)] }),
    );
    const server = apiServer()
      .on('GET', '/products/categories', [200, { data: ['home'] }])
      .on('GET', '/products', [200, page(products)]);
    renderApp(server, '/');

    const first = await screen.findByRole('img', { name: 'Lamp 0 seen from the side' });
    const fifth = screen.getByRole('img', { name: 'Lamp 4 seen from the side' });

    expect(first).toHaveAttribute('srcset', '/images/img0-320.webp 320w, /images/img0-640.webp 640w');
    expect(first).toHaveAttribute('width', '640');
    expect(first).toHaveAttribute('height', '480');
    expect(first).toHaveAttribute('sizes');
    expect(first).toHaveAttribute('loading', 'eager');
    expect(first).toHaveAttribute('fetchpriority', 'high');
    expect(screen.getByRole('img', { name: 'Lamp 1 seen from the side' })).not.toHaveAttribute('fetchpriority');
    expect(fifth).toHaveAttribute('loading', 'lazy');
  });

  // The upload itself (multipart through XMLHttpRequest) is covered end to end in e2e/product-images.spec.ts:
  // jsdom's FormData does not pass through the mocked network.
  it('when the seller adds a picture without a description or a file of another type, then each field says so and nothing is sent', async () => {
    const seller = makeUser({ role: 'seller', id: 'seller-1' });
    const product = makeProduct({
      name: 'Desk',
      sellerId: seller.id,
      images: [picture('old1', 'Oak desk, side view')],
    });
    const server = apiServer().on('GET', `/products/${product.id}`, [200, product]);
    renderApp(server, `/seller/products/${product.id}/edit`, seller);
    const user = userEvent.setup({ applyAccept: false });
    const gif = new File([new Uint8Array([0x47, 0x49, 0x46])], 'desk.gif', { type: 'image/gif' });

    expect(await screen.findByRole('img', { name: 'Oak desk, side view' })).toBeInTheDocument();
    await user.upload(screen.getByLabelText('Picture'), gif);
    await user.click(screen.getByRole('button', { name: 'Add picture' }));

    expect(screen.getByLabelText('Description of the picture')).toHaveAccessibleDescription(
      /Describe the picture for people who cannot see it\./,
    );
    expect(screen.getByLabelText('Picture')).toHaveAccessibleDescription(/Choose a JPEG, PNG or WebP picture\./);
    expect(server.sent('POST', `/products/${product.id}/images`)).toHaveLength(0);
  });
});
