import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiServer } from './support/api-server';
import { errorBody, makeUser, page } from './support/fixtures';
import { renderApp } from './support/render-app';

async function enterPassword(email: string) {
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText('Email'), email);
  await user.type(screen.getByLabelText('Password'), 'the password');
  await user.click(screen.getByRole('button', { name: 'Log in' }));
  return user;
}

describe('two-factor sign-in', () => {
  it('when the password needs a second step, then a wrong code is explained and the right one signs in', async () => {
    const seller = makeUser({ role: 'seller' });
    const server = apiServer()
      .on('POST', '/auth/login', [200, { secondStep: 'code', challenge: 'the-challenge', expiresInSeconds: 300 }])
      .on('POST', '/auth/login/second-step', (request) =>
        (request.body as { code: string }).code === '123456' ? [200, seller] : [401, errorBody('INVALID_CREDENTIALS')],
      )
      .on('GET', '/orders', [200, page([])]);
    renderApp(server, '/login');

    const user = await enterPassword(seller.email);
    expect(await screen.findByRole('heading', { name: 'Two-factor sign-in' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Log out' })).not.toBeInTheDocument();
    await user.type(screen.getByLabelText('Code'), '654321');
    await user.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('That code is not valid.');
    await user.clear(screen.getByLabelText('Code'));
    await user.type(screen.getByLabelText('Code'), '123456');
    await user.click(screen.getByRole('button', { name: 'Log in' }));

    expect(await screen.findByRole('button', { name: 'Log out' })).toBeInTheDocument();
    expect(server.sent('POST', '/auth/login/second-step').map((sent) => sent.body)).toEqual([
      { challenge: 'the-challenge', code: '654321' },
      { challenge: 'the-challenge', code: '123456' },
    ]);
  });

  it('when an admin must set up two-factor sign-in, then the set-up uses the challenge and shows the recovery codes before signing in', async () => {
    const admin = makeUser({ role: 'admin' });
    const recoveryCodes = Array.from({ length: 10 }, (_, i) => `code-${i}aaa-bbbb`);
    const server = apiServer()
      .on('POST', '/auth/login', [200, { secondStep: 'enrol', challenge: 'enrol-challenge', expiresInSeconds: 300 }])
      .on('POST', '/auth/two-factor/setup', [
        200,
        { secret: 'JBSWY3DPEHPK3PXP', otpauthUri: 'otpauth://totp/x', qrCode: { size: 21, path: 'M0 0h1v1h-1z' } },
      ])
      .on('POST', '/auth/two-factor/enable', [200, { recoveryCodes, user: admin }])
      .on('GET', '/auth/users', [200, page([])]);
    renderApp(server, '/login');

    const user = await enterPassword(admin.email);
    await user.click(await screen.findByRole('button', { name: 'Set up two-factor sign-in' }));
    expect(await screen.findByText('JBSWY3DPEHPK3PXP')).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /QR code/ })).toBeInTheDocument();
    await user.type(screen.getByLabelText('Code from the app'), '123456');
    await user.click(screen.getByRole('button', { name: 'Turn on' }));

    expect(await screen.findByRole('list', { name: 'Recovery codes' })).toHaveTextContent(recoveryCodes[9]!);
    expect(screen.queryByRole('button', { name: 'Log out' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'I have saved them' }));
    expect(await screen.findByRole('button', { name: 'Log out' })).toBeInTheDocument();
    expect(server.sent('POST', '/auth/two-factor/setup')[0]?.body).toEqual({ challenge: 'enrol-challenge' });
    expect(server.sent('POST', '/auth/two-factor/enable')[0]?.body).toEqual({
      code: '123456',
      challenge: 'enrol-challenge',
    });
  });
});
