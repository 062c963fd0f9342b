import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiServer } from './support/api-server';
import { errorBody, makeUser } from './support/fixtures';
import { renderApp } from './support/render-app';

const TOKEN = 'A'.repeat(43);

describe('password reset pages', () => {
  it('when an address is sent, then the page shows the answer that does not say whether an account exists', async () => {
    const server = apiServer().on('POST', '/auth/password-reset', [
      202,
      { message: 'If an account uses this address, a link is on its way.' },
    ]);
    renderApp(server, '/forgot-password');
    const user = userEvent.setup();

    await user.type(await screen.findByLabelText('Email'), 'maria@example.test');
    await user.click(screen.getByRole('button', { name: 'Send the link' }));

    expect(await screen.findByRole('status')).toHaveTextContent('If an account uses this address');
    expect(server.sent('POST', '/auth/password-reset')[0]?.body).toEqual({ email: 'maria@example.test' });
  });

  it('when the link is used or expired, then the page says so and offers a new one', async () => {
    const server = apiServer().on('POST', '/auth/password-reset/complete', [400, errorBody('INVALID_TOKEN', 'used')]);
    renderApp(server, `/reset-password?token=${TOKEN}`);
    const user = userEvent.setup();

    await user.type(await screen.findByLabelText('New password'), 'a brand new horse');
    await user.type(screen.getByLabelText('New password again'), 'a brand new horse');
    await user.click(screen.getByRole('button', { name: 'Set the new password' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('This link is no longer valid');
    expect(screen.getByRole('link', { name: 'Ask for a new link' })).toHaveAttribute('href', '/forgot-password');
    expect(server.sent('POST', '/auth/password-reset/complete')[0]?.body).toEqual({
      token: TOKEN,
      password: 'a brand new horse',
    });
  });

  it('when the two passwords differ, then nothing is sent', async () => {
    const server = apiServer();
    renderApp(server, `/reset-password?token=${TOKEN}`);
    const user = userEvent.setup();

    await user.type(await screen.findByLabelText('New password'), 'a brand new horse');
    await user.type(screen.getByLabelText('New password again'), 'another new horse');
    await user.click(screen.getByRole('button', { name: 'Set the new password' }));

    expect(screen.getByLabelText('New password again')).toHaveAccessibleDescription('The two passwords differ.');
    expect(server.sent('POST', '/auth/password-reset/complete')).toHaveLength(0);
  });
});

describe('email verification', () => {
  it('when an unverified user asks for the link again, then the banner confirms it is on its way', async () => {
    const server = apiServer().on('POST', '/auth/verify-email/resend', [
      202,
      { message: 'A new confirmation link is on its way.' },
    ]);
    renderApp(server, '/', makeUser({ emailVerified: false, email: 'new@example.test' }));
    const user = userEvent.setup();

    const banner = await screen.findByRole('region', { name: 'Email address not confirmed' });
    expect(banner).toHaveTextContent('new@example.test');
    await user.click(screen.getByRole('button', { name: 'Send the link again' }));

    expect(await screen.findByText('A new confirmation link is on its way.')).toBeInTheDocument();
    expect(server.sent('POST', '/auth/verify-email/resend')).toHaveLength(1);
  });

  it('when the link is opened, then the address is confirmed, the session renewed and the banner gone', async () => {
    const unverified = makeUser({ emailVerified: false });
    const server = apiServer()
      .on('POST', '/auth/verify-email', [204, null])
      .on('POST', '/auth/refresh', [200, { ...unverified, emailVerified: true }]);
    renderApp(server, `/verify-email?token=${TOKEN}`, unverified);

    expect(await screen.findByText(/Your email address is confirmed/)).toBeInTheDocument();
    expect(server.sent('POST', '/auth/verify-email')).toHaveLength(1);
    expect(server.sent('POST', '/auth/verify-email')[0]?.body).toEqual({ token: TOKEN });
    expect(screen.queryByRole('region', { name: 'Email address not confirmed' })).not.toBeInTheDocument();
  });

  it('when a verified user browses, then no banner shows', async () => {
    renderApp(apiServer(), '/cart', makeUser({ emailVerified: true }));

    expect(await screen.findByRole('heading', { level: 1 })).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Email address not confirmed' })).not.toBeInTheDocument();
  });
});
