/** HTML whose interpolated values have been escaped; only `html` builds one. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

type HtmlValue = SafeHtml | string | number | readonly SafeHtml[];

/**
 * Tagged template for a mail's HTML body: every interpolated value is escaped unless it is itself
 * built by `html`, so a user name or a product name can never add markup or a link.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    const rendered = Array.isArray(value)
      ? value.map((v: SafeHtml) => v.value).join('')
      : value instanceof SafeHtml
        ? value.value
        : escapeHtml(String(value));
    out += rendered + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

/** A link into the SPA: PUBLIC_BASE_URL, a path of our own, query values encoded. */
export function linkTo(publicBaseUrl: string, path: string, query: Record<string, string> = {}): string {
  if (!path.startsWith('/')) throw new Error(`a link path starts with "/": ${path}`);
  const url = new URL(publicBaseUrl.replace(/\/+$/, '') + path);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return url.toString();
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** One mail kind: a subject, a plain-text body and an HTML body from the same values. */
export interface MailTemplate<V> {
  subject(values: V): string;
  text(values: V): string;
  html(values: V): SafeHtml;
}

/** Renders a template; the HTML body is wrapped in a minimal document with the subject as its title. */
export function renderMail<V>(template: MailTemplate<V>, values: V): RenderedMail {
  const subject = template.subject(values).replace(/[\r\n]+/g, ' ');
  const body = template.html(values);
  const document = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>${subject}</title>
      </head>
      <body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a">
        ${body}
      </body>
    </html>`;
  return { subject, text: template.text(values), html: document.value };
}
