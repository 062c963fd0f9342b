import type { FailureReason, OrderEventLine, OrderStatusChanged } from '@market/contracts';
import { html, linkTo, renderMail, type MailTemplate, type RenderedMail } from '@market/kit';

/** Why an order failed, in the words a buyer understands. */
const REASON_IN_WORDS: Record<FailureReason, string> = {
  OUT_OF_STOCK: 'one of the products no longer had enough stock for your quantity',
  PRICE_CHANGED: 'a price changed after you added it to your cart; check the new price and order again',
  PRODUCT_UNAVAILABLE: 'one of the products is no longer sold',
  OWN_PRODUCT: 'the order included a product of your own, which you cannot buy',
  TIMED_OUT: 'the shop could not confirm the stock in time; nothing was taken from stock',
};

export interface Links {
  view: string;
  unsubscribe: string;
}

const shortId = (id: string) => id.slice(0, 8);
const lineText = (line: OrderEventLine) => `- ${line.quantity} × ${line.product_name} at ${line.unit_price}`;
const lineHtml = (line: OrderEventLine) => html`<li>${line.quantity} × ${line.product_name} at ${line.unit_price}</li>`;

const footerText = (links: Links, kind: string) =>
  `\n\nYou get this email because ${kind} emails are on for your account. Turn them off: ${links.unsubscribe}\n`;
const footerHtml = (links: Links, kind: string) =>
  html`<p style="font-size: 0.85em; color: #555">
    You get this email because ${kind} emails are on for your account.
    <a href="${links.unsubscribe}">Turn them off</a>.
  </p>`;

interface OutcomeValues {
  username: string;
  event: OrderStatusChanged;
  links: Links;
}

const outcomeLine = ({ event }: OutcomeValues): string => {
  if (event.status === 'COMPLETED') return `Your order ${shortId(event.order_id)} is confirmed. Total: ${event.total}.`;
  if (event.status === 'CANCELLED')
    return `Your order ${shortId(event.order_id)} was cancelled; its stock was given back.`;
  const reason = event.reason === '' ? 'PRODUCT_UNAVAILABLE' : event.reason;
  return `Your order ${shortId(event.order_id)} could not be placed: ${REASON_IN_WORDS[reason]}.`;
};

const subjects: Record<string, string> = {
  COMPLETED: 'Your order is confirmed',
  FAILED: 'Your order could not be placed',
  CANCELLED: 'Your order was cancelled',
};

/** The buyer's mail on an order's outcome (COMPLETED, FAILED, CANCELLED). */
const orderOutcome: MailTemplate<OutcomeValues> = {
  subject: ({ event }) => `${subjects[event.status] ?? 'Your order'} (${shortId(event.order_id)})`,
  text: (values) => {
    const lines = values.event.sellers.flatMap((s) => s.lines).map(lineText);
    return (
      `Hello ${values.username},\n\n${outcomeLine(values)}\n` +
      (lines.length > 0 ? `\n${lines.join('\n')}\n` : '') +
      `\nSee the order: ${values.links.view}` +
      footerText(values.links, 'order')
    );
  },
  html: (values) => {
    const lines = values.event.sellers.flatMap((s) => s.lines).map(lineHtml);
    return html`<p>Hello ${values.username},</p>
      <p>${outcomeLine(values)}</p>
      ${
        lines.length > 0
          ? html`<ul>
              ${lines}
            </ul>`
          : html``
      }
      <p><a href="${values.links.view}">See the order</a></p>
      ${footerHtml(values.links, 'order')}`;
  },
};

interface SaleValues {
  username: string;
  orderId: string;
  lines: OrderEventLine[];
  links: Links;
}

/** A seller's mail on a sale: the lines of their own products in the order, never the buyer's address. */
const sale: MailTemplate<SaleValues> = {
  subject: ({ orderId }) => `You made a sale (order ${shortId(orderId)})`,
  text: (values) =>
    `Hello ${values.username},\n\nOrder ${shortId(values.orderId)} bought:\n${values.lines.map(lineText).join('\n')}\n` +
    `\nSee your sales: ${values.links.view}` +
    footerText(values.links, 'sale'),
  html: (values) =>
    html`<p>Hello ${values.username},</p>
      <p>Order ${shortId(values.orderId)} bought:</p>
      <ul>
        ${values.lines.map(lineHtml)}
      </ul>
      <p><a href="${values.links.view}">See your sales</a></p>
      ${footerHtml(values.links, 'sale')}`,
};

export const renderOrderOutcome = (values: OutcomeValues): RenderedMail => renderMail(orderOutcome, values);
export const renderSale = (values: SaleValues): RenderedMail => renderMail(sale, values);

/** The SPA pages the mails link to. */
export const orderLink = (base: string, orderId: string) => linkTo(base, `/orders/${orderId}`);
export const salesLink = (base: string) => linkTo(base, '/seller/sales');
export const unsubscribeLink = (base: string, token: string) => linkTo(base, '/unsubscribe', { token });
