import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FAILURE_REASONS } from '../src/api/contracts';
import { describeStatus } from '../src/orders/order-status-text';
import { FakeEventSource } from './support/fake-event-source';
import { apiServer } from './support/api-server';
import { makeOrder, makeUser } from './support/fixtures';
import { renderApp } from './support/render-app';

describe('order status', () => {
  beforeEach(() => {
    FakeEventSource.instances = [];
    vi.stubGlobal('EventSource', FakeEventSource);
  });

  it('when the stream reports PENDING then COMPLETED, then the live region shows each status', async () => {
    const order = makeOrder();
    renderApp(apiServer(), `/orders/${order.id}`, makeUser());
    await vi.waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    const source = FakeEventSource.latest();
    expect(source.url).toBe(`/api/orders/${order.id}/events`);
    expect(source.withCredentials).toBe(true);

    act(() => source.emit('status', order));
    expect(screen.getByTestId('order-status')).toHaveTextContent('Pending');
    expect(screen.getByTestId('order-status')).toHaveAttribute('role', 'status');

    act(() => source.emit('status', { ...order, status: 'COMPLETED', total: '15.00' }));
    expect(screen.getByTestId('order-status')).toHaveTextContent('Completed');
    expect(screen.getByRole('row', { name: /^Total/ })).toHaveTextContent('$15.00');
    expect(source.closed).toBe(true);
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

  it('when the stream fails, then the page polls every two seconds until the order settles', async () => {
    // The query cache polls with setInterval.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const order = makeOrder();
    let status = 'PENDING';
    const server = apiServer().on('GET', `/orders/${order.id}`, () => [200, { ...order, status }]);
    renderApp(server, `/orders/${order.id}`, makeUser());
    await vi.waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));

    await act(async () => FakeEventSource.latest().fail());
    await act(async () => vi.advanceTimersByTimeAsync(10));
    expect(screen.getByTestId('order-status')).toHaveTextContent('Pending');
    expect(screen.getByText(/checking again every 2 seconds/)).toBeInTheDocument();

    status = 'COMPLETED';
    await act(async () => vi.advanceTimersByTimeAsync(2000));
    expect(screen.getByTestId('order-status')).toHaveTextContent('Completed');

    const polls = server.sent('GET', `/orders/${order.id}`).length;
    await act(async () => vi.advanceTimersByTimeAsync(6000));
    expect(server.sent('GET', `/orders/${order.id}`)).toHaveLength(polls);
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
