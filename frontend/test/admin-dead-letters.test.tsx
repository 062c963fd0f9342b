import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { DeadLetter } from '../src/api/contracts';
import { apiServer, type ApiRequest } from './support/api-server';
import { errorBody, makeUser } from './support/fixtures';
import { renderApp } from './support/render-app';

const ORDERS = 'orders_stream';
const INVENTORY = 'inventory_stream';
const BASE = '/orders/admin/dead-letters';

function makeDeadLetter(n: number, overrides: Partial<DeadLetter> = {}): DeadLetter {
  const orderId = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    id: `17330000000${String(n).padStart(2, '0')}-0`,
    stream: ORDERS,
    originalId: `17320000000${String(n).padStart(2, '0')}-0`,
    group: 'products',
    reason: `failed 5 times: database unavailable (${n})`,
    deliveries: 5,
    deadAt: '2026-01-01T10:00:00.000Z',
    type: 'order.cancelled',
    orderId,
    eventId: `event-${n}`,
    fields: { type: 'order.cancelled', order_id: orderId, event_id: `event-${n}` },
    ...overrides,
  };
}

/** An orders service holding dead letters per stream (newest first), answering like the admin API. */
function deadLetterServer(initial: Record<string, DeadLetter[]>) {
  const held: Record<string, DeadLetter[]> = { [ORDERS]: [], [INVENTORY]: [], ...initial };
  const server = apiServer();
  const entry = (request: ApiRequest) => ({
    stream: String(request.pathParams.stream),
    id: String(request.pathParams.id),
  });
  const take = (stream: string, id: string) => {
    const index = held[stream]!.findIndex((l) => l.id === id);
    return index < 0 ? undefined : held[stream]!.splice(index, 1)[0];
  };
  server
    .on('GET', BASE, () => [
      200,
      { data: Object.entries(held).map(([stream, letters]) => ({ stream, count: letters.length })) },
    ])
    .on('GET', `${BASE}/:stream`, (request) => {
      const stream = String(request.pathParams.stream);
      const pageSize = Number(request.params.pageSize);
      const cursor = request.params.cursor;
      const all = held[stream]!;
      const start = cursor ? all.findIndex((l) => l.id === cursor) + 1 : 0;
      const data = all.slice(start, start + pageSize);
      const next = start + pageSize < all.length ? data.at(-1)!.id : null;
      return [200, { data, pagination: { pageSize, total: all.length, next } }];
    })
    .on('POST', `${BASE}/:stream/:id/replay`, (request) => {
      const { stream, id } = entry(request);
      return take(stream, id) ? [200, { id, stream, replayedAs: '1733999999999-0' }] : [404, errorBody('NOT_FOUND')];
    })
    .on('DELETE', `${BASE}/:stream/:id`, (request) => {
      const { stream, id } = entry(request);
      return take(stream, id) ? [204] : [404, errorBody('NOT_FOUND')];
    });
  return { server, held };
}

const admin = () => makeUser({ role: 'admin' });
const rows = () => screen.findAllByTestId('dead-letter-row');

describe('admin dead letters', () => {
  it('when an admin opens the page, then each stream shows its count and the first lists reason, group, deliveries, time, order and event type', async () => {
    const letter = makeDeadLetter(1);
    const { server } = deadLetterServer({
      [ORDERS]: [letter],
      [INVENTORY]: [makeDeadLetter(2, { stream: INVENTORY })],
    });
    renderApp(server, '/admin/dead-letters', admin());

    const [row] = await rows();
    const [event, order, group, deliveries, reason] = within(row!).getAllByRole('cell');
    expect(screen.getByRole('heading', { level: 1, name: 'Dead letters' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: `${ORDERS} (1)` })).toHaveAttribute('aria-current', 'page');
    expect(screen.getByRole('link', { name: `${INVENTORY} (1)` })).not.toHaveAttribute('aria-current');
    expect(screen.getByRole('link', { name: 'Dead letters' })).toHaveAttribute('aria-current', 'page');
    expect(within(row!).getByRole('rowheader')).toHaveTextContent(`${letter.id}Jan 1, 2026`);
    expect(event).toHaveTextContent('order.cancelled');
    expect(within(order!).getByRole('link', { name: 'Order 00000000' })).toHaveAttribute(
      'href',
      `/orders/${letter.orderId}`,
    );
    expect(group).toHaveTextContent('products');
    expect(deliveries).toHaveTextContent('5');
    expect(reason).toHaveTextContent(letter.reason);
    expect(server.requests.find((r) => r.url === `${BASE}/${ORDERS}`)?.params).toMatchObject({
      pageSize: '20',
      order: 'newest',
    });
  });

  it('when the admin picks the other stream, then its dead letters are listed', async () => {
    const { server } = deadLetterServer({
      [INVENTORY]: [makeDeadLetter(3, { stream: INVENTORY, type: 'inventory.result', group: 'orders' })],
    });
    renderApp(server, '/admin/dead-letters', admin());
    expect(await screen.findByText(`No dead letters on ${ORDERS}: nothing waits for an operator.`)).toBeInTheDocument();

    await userEvent.click(screen.getByRole('link', { name: `${INVENTORY} (1)` }));

    const [row] = await rows();
    expect(within(row!).getByText('inventory.result')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 2, name: INVENTORY })).toBeInTheDocument();
  });

  it('when the admin confirms a replay, then it is sent once, announced, and the list and counts reload', async () => {
    const letter = makeDeadLetter(4);
    const { server } = deadLetterServer({ [ORDERS]: [letter, makeDeadLetter(5)] });
    renderApp(server, '/admin/dead-letters', admin());
    await rows();

    await userEvent.click(screen.getByRole('button', { name: `Replay ${letter.id}` }));
    expect(server.sent('POST', `${BASE}/${ORDERS}/${letter.id}/replay`)).toHaveLength(0);
    await userEvent.click(screen.getByRole('button', { name: `Confirm replay of ${letter.id}` }));

    expect(
      await screen.findByText(/^Replayed 1733000000004-0 onto orders_stream as 1733999999999-0\./),
    ).toBeInTheDocument();
    expect(server.sent('POST', `${BASE}/${ORDERS}/${letter.id}/replay`)).toHaveLength(1);
    expect(server.sent('POST', `${BASE}/${ORDERS}/${letter.id}/replay`)[0]!.headers.get('x-requested-with')).toBe(
      'marketplace',
    );
    expect(await screen.findByRole('link', { name: `${ORDERS} (1)` })).toBeInTheDocument();
    expect(await rows()).toHaveLength(1);
  });

  it('when the admin drops but then keeps it, then nothing is sent; confirming drops it', async () => {
    const letter = makeDeadLetter(6);
    const { server, held } = deadLetterServer({ [ORDERS]: [letter] });
    renderApp(server, '/admin/dead-letters', admin());
    await rows();

    await userEvent.click(screen.getByRole('button', { name: `Drop ${letter.id}` }));
    await userEvent.click(screen.getByRole('button', { name: 'Keep' }));
    expect(server.sent('DELETE', `${BASE}/${ORDERS}/${letter.id}`)).toHaveLength(0);
    expect(screen.getByRole('button', { name: `Drop ${letter.id}` })).toHaveFocus();

    await userEvent.click(screen.getByRole('button', { name: `Drop ${letter.id}` }));
    await userEvent.click(screen.getByRole('button', { name: `Confirm drop of ${letter.id}` }));

    expect(await screen.findByText(`Dropped ${letter.id} for good.`)).toBeInTheDocument();
    expect(await screen.findByText(`No dead letters on ${ORDERS}: nothing waits for an operator.`)).toBeInTheDocument();
    expect(held[ORDERS]).toEqual([]);
  });

  it('when another operator replayed it first, then the page says so and shows the list as it is now', async () => {
    const letter = makeDeadLetter(7);
    const { server, held } = deadLetterServer({ [ORDERS]: [letter] });
    renderApp(server, '/admin/dead-letters', admin());
    await rows();
    held[ORDERS] = [];

    await userEvent.click(screen.getByRole('button', { name: `Replay ${letter.id}` }));
    await userEvent.click(screen.getByRole('button', { name: `Confirm replay of ${letter.id}` }));

    expect(
      await screen.findByText(`${letter.id} is no longer a dead letter: someone replayed or dropped it already.`),
    ).toBeInTheDocument();
    expect(await screen.findByText(`No dead letters on ${ORDERS}: nothing waits for an operator.`)).toBeInTheDocument();
  });

  it('when there are more than one page, then Next and Previous page through them by cursor', async () => {
    const letters = Array.from({ length: 25 }, (_, i) => makeDeadLetter(30 + i));
    const { server } = deadLetterServer({ [ORDERS]: letters });
    renderApp(server, '/admin/dead-letters', admin());
    expect(await rows()).toHaveLength(20);
    expect(screen.getByText('Page 1 of 2')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Previous page' })).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));

    expect(await screen.findByText('Page 2 of 2')).toBeInTheDocument();
    expect(await rows()).toHaveLength(5);
    expect(server.requests.at(-1)!.params).toMatchObject({ cursor: letters[19]!.id });
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Previous page' }));
    expect(await screen.findByText('Page 1 of 2')).toBeInTheDocument();
  });

  it('when the list cannot be read, then the error is shown with a way to try again', async () => {
    const { server } = deadLetterServer({});
    server.on('GET', BASE, [503, errorBody('SERVICE_UNAVAILABLE')]);
    renderApp(server, '/admin/dead-letters', admin());

    expect(await screen.findByRole('alert')).toHaveTextContent('The service is temporarily unavailable.');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('when a buyer opens the page, then it is not allowed and no dead letter is asked for', async () => {
    const { server } = deadLetterServer({ [ORDERS]: [makeDeadLetter(8)] });
    renderApp(server, '/admin/dead-letters', makeUser({ role: 'buyer' }));

    expect(await screen.findByRole('heading', { name: 'Not allowed' })).toBeInTheDocument();
    expect(server.requests.some((r) => r.url.startsWith(BASE))).toBe(false);
  });
});
