import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiServer } from './support/api-server';
import { errorBody, makeUser } from './support/fixtures';
import { renderApp } from './support/render-app';

describe('email preferences', () => {
  it('when the user turns sale emails off on the account page, then only that choice is sent and the box stays cleared', async () => {
    const seller = makeUser({ role: 'seller' });
    const server = apiServer()
      .on('GET', '/auth/account/email-preferences', [200, { saleEmails: true, orderEmails: true }])
      .on('PUT', '/auth/account/email-preferences', [200, { saleEmails: false, orderEmails: true }]);
    renderApp(server, '/account', seller);

    const sales = await screen.findByRole('checkbox', { name: /Sales/ });
    expect(sales).toBeChecked();
    await userEvent.setup().click(sales);

    expect(await screen.findByText('Email preferences saved.')).toBeInTheDocument();
    expect(screen.getByRole('checkbox', { name: /Sales/ })).not.toBeChecked();
    expect(screen.getByRole('checkbox', { name: /Order updates/ })).toBeChecked();
    expect(server.sent('PUT', '/auth/account/email-preferences').map((sent) => sent.body)).toEqual([
      { saleEmails: false },
    ]);
  });
});

describe('the unsubscribe page', () => {
  it('when the link is followed and confirmed, then its token is sent once and the kind turned off is named', async () => {
    const server = apiServer().on('POST', '/auth/unsubscribe', [200, { kind: 'order' }]);
    renderApp(server, '/unsubscribe?token=the-signed-token');

    // Nothing happens on opening (mail scanners open links); only the button acts.
    expect(server.sent('POST', '/auth/unsubscribe')).toHaveLength(0);
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Unsubscribe' }));

    expect(await screen.findByRole('status')).toHaveTextContent('no longer get emails about order updates');
    expect(server.sent('POST', '/auth/unsubscribe').map((sent) => sent.body)).toEqual([{ token: 'the-signed-token' }]);
  });

  it('when the link was altered, then the page says it is not valid', async () => {
    const server = apiServer().on('POST', '/auth/unsubscribe', [404, errorBody('NOT_FOUND')]);
    renderApp(server, '/unsubscribe?token=altered-token');

    await userEvent.setup().click(await screen.findByRole('button', { name: 'Unsubscribe' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('This unsubscribe link is not valid.');
  });
});
