const dateTime = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** Enough of a UUID to tell orders apart on screen; links and the API use the full id. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}
