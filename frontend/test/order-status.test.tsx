import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FAILURE_REASONS } from '../src/api/contracts';
import type { OrderPart, PartState } from '../src/api/contracts';
import { canCancel, describeStatus, stateLabel } from '../src/orders/order-status-text';
import { FakeEventSource } from './support/fake-event-source';
import { apiServer } from './support/api-server';
import { makeOrder, makeUser } from './support/fixtures';
import { renderApp } from './support/render-app';

const part = (state: PartState, sellerId = 'seller-1'): OrderPart => ({
  sellerId,
  state,
  carrier: state === 'CONFIRMED' ? null : 'DHL',
  trackingNumber: state === 'CONFIRMED' ? null : 'JD0146',
  shippedAt: state === 'CONFIRMED' ? null : '2025-01-02T10:00:00.000Z',
  deliveredAt: state === 'DELIVERED' ? '2025-01-03T10:00:00.000Z' : null,
});

describe('order status', () => {
  beforeEach(() => {
    FakeEventSource.instances = [];
    vi.stubGlobal('EventSource', FakeEventSource);
  });

  it('when the stream reports PENDING, COMPLETED, then the parts shipped and delivered, then the live region shows each and the stream closes at the end', async () => {
    const order = makeOrder();
    renderApp(apiServer(), `/orders/${order.id}`, makeUser());
    await vi.waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    const source = FakeEventSource.latest();
    expect(source.url).toBe(`/api/orders/${order.id}/events`);
    expect(source.withCredentials).toBe(true);

    act(() => source.emit('status', order));
    expect(screen.getByTestId('order-status')).toHaveTextContent('Pending');
    expect(screen.getByTestId('order-status')).toHaveAttribute('role', 'status');

    const confirmed = { ...order, status: 'COMPLETED' as const, total: '15.00', parts: [part('CONFIRMED')] };
    act(() => source.emit('status', confirmed));
    expect(screen.getByTestId('order-status')).toHaveTextContent('Confirmed');
    expect(screen.getByRole('row', { name: /^Total/ })).toHaveTextContent('$15.00');
    expect(source.closed).toBe(false);

    act(() => source.emit('status', { ...confirmed, parts: [part('SHIPPED')] }));
    expect(screen.getByTestId('order-status')).toHaveTextContent('Shipped');
    expect(screen.getByTestId('order-part')).toHaveTextContent('with DHL, tracking number JD0146');
    expect(screen.queryByRole('button', { name: 'Cancel order' })).not.toBeInTheDocument();
    expect(source.closed).toBe(false);

    act(() => source.emit('status', { ...confirmed, parts: [part('DELIVERED')] }));
    expect(screen.getByTestId('order-status')).toHaveTextContent('Delivered');
    expect(source.closed).toBe(true);
  });

  it.each([
    [['CONFIRMED', 'CONFIRMED'], 'Confirmed'],
    [['SHIPPED', 'CONFIRMED'], 'Partly shipped'],
    [['SHIPPED', 'SHIPPED'], 'Shipped'],
    [['DELIVERED', 'SHIPPED'], 'Partly delivered'],
    [['DELIVERED', 'CONFIRMED'], 'Partly delivered'],
    [['DELIVERED', 'DELIVERED'], 'Delivered'],
  ] as const)('when the parts are %j, then the order reads %s', (states, label) => {
    const order = makeOrder({ status: 'COMPLETED', parts: states.map((state, i) => part(state, `seller-${i}`)) });
    expect(stateLabel(order)).toBe(label);
    expect(canCancel(order)).toBe(label === 'Confirmed');
  });

  it('when an order failed for stock, then its label says so in plain words', () => {
    expect(stateLabel(makeOrder({ status: 'FAILED', reason: 'OUT_OF_STOCK' }))).toBe('Failed: out of stock');
  });

  it('when the buyer marks a shipped part received, then it shows as delivered', async () => {
    const order = makeOrder({ status: 'COMPLETED', total: '15.00', parts: [part('SHIPPED')] });
    const server = apiServer().on('POST', `/orders/${order.id}/parts/seller-1/deliver`, [200, part('DELIVERED')]);
    renderApp(server, `/orders/${order.id}`, makeUser());
    await vi.waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    act(() => FakeEventSource.latest().emit('status', order));

    await userEvent.setup().click(screen.getByRole('button', { name: 'I received this' }));

    await vi.waitFor(() => expect(screen.getByTestId('order-status')).toHaveTextContent('Delivered'));
    expect(server.sent('POST', `/orders/${order.id}/parts/seller-1/deliver`)).toHaveLength(1);
  });

  it('when the order fails for stock, then the reason is shown as a sentence', async () => {
    const order = makeOrder();
    renderApp(apiServer(), `/orders/${order.id}`, makeUser());
    await vi.waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));

    act(() => FakeEventSource.latest().emit('status', { ...order, status: 'FAILED', reason: 'OUT_OF_STOCK' }));

    const region = screen.getByTestId('order-status');
    expect(region).toHaveTextContent('Failed');
    expect(region).toHaveTextContent('One of the items does not have enough stock left for this order.');
    expect(screen.queryByRole('button', { name: 'Cancel order' })).not.toBeInTheDocument();
  });

  it.each(FAILURE_REASONS)('when an order fails with %s, then the sentence explains it without the code', (reason) => {
    const text = describeStatus(makeOrder({ status: 'FAILED', reason }));
    expect(text).toMatch(/^The order could not be completed\. \w/);
    expect(text).not.toContain(reason);
  });

  it('when the stream fails, then the page polls every two seconds until the order is final', async () => {
    // The query cache polls with setInterval.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const order = makeOrder();
    let status = 'PENDING';
    const server = apiServer().on('GET', `/orders/${order.id}`, () => [
      200,
      { ...order, status, reason: status === 'FAILED' ? 'OUT_OF_STOCK' : null },
    ]);
    renderApp(server, `/orders/${order.id}`, makeUser());
    await vi.waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));

    await act(async () => FakeEventSource.latest().fail());
    await act(async () => vi.advanceTimersByTimeAsync(10));
    expect(screen.getByTestId('order-status')).toHaveTextContent('Pending');
    expect(screen.getByText(/checking again every 2 seconds/)).toBeInTheDocument();

    status = 'FAILED';
    await act(async () => vi.advanceTimersByTimeAsync(2000));
    expect(screen.getByTestId('order-status')).toHaveTextContent('Failed');

    const polls = server.sent('GET', `/orders/${order.id}`).length;
    await act(async () => vi.advanceTimersByTimeAsync(6000));
    expect(server.sent('GET', `/orders/${order.id}`)).toHaveLength(polls);
  });

  it('when the stream of a confirmed order is refused, then the page polls every thirty seconds until it is delivered', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const order = makeOrder({ status: 'COMPLETED', total: '15.00', parts: [part('CONFIRMED')] });
    let current = order;
    const server = apiServer().on('GET', `/orders/${order.id}`, () => [200, current]);
    renderApp(server, `/orders/${order.id}`, makeUser());
    await vi.waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));

    await act(async () => FakeEventSource.latest().fail());
    await act(async () => vi.advanceTimersByTimeAsync(10));
    expect(screen.getByTestId('order-status')).toHaveTextContent('Confirmed');
    expect(screen.getByText(/checking again every 30 seconds/)).toBeInTheDocument();
    const polls = server.sent('GET', `/orders/${order.id}`).length;

    current = { ...order, parts: [part('SHIPPED')] };
    await act(async () => vi.advanceTimersByTimeAsync(2000));
    expect(server.sent('GET', `/orders/${order.id}`)).toHaveLength(polls);
    await act(async () => vi.advanceTimersByTimeAsync(28_000));
    expect(screen.getByTestId('order-status')).toHaveTextContent('Shipped');

    current = { ...order, parts: [part('DELIVERED')] };
    await act(async () => vi.advanceTimersByTimeAsync(30_000));
    expect(screen.getByTestId('order-status')).toHaveTextContent('Delivered');
    const final = server.sent('GET', `/orders/${order.id}`).length;
    await act(async () => vi.advanceTimersByTimeAsync(90_000));
    expect(server.sent('GET', `/orders/${order.id}`)).toHaveLength(final);
  });

  it('when the buyer cancels a completed order, then it shows as cancelled', async () => {
    const order = makeOrder({ status: 'COMPLETED', total: '15.00' });
    const server = apiServer().on('POST', `/orders/${order.id}/cancel`, [200, { ...order, status: 'CANCELLED' }]);
    renderApp(server, `/orders/${order.id}`, makeUser());
    await vi.waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    act(() => FakeEventSource.latest().emit('status', order));
    const user = userEvent.setup();

    await user.click(screen.getByRole('button', { name: 'Cancel order' }));
    await user.click(screen.getByRole('button', { name: 'Yes, cancel this order' }));

    expect(await screen.findByText('Cancelled')).toBeInTheDocument();
    expect(server.sent('POST', `/orders/${order.id}/cancel`)).toHaveLength(1);
    expect(screen.queryByRole('button', { name: 'Cancel order' })).not.toBeInTheDocument();
  });
});
