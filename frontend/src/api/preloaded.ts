/**
 * Answers index.html started fetching while the JavaScript was still loading: a
 * `<link rel="preload" as="fetch" crossorigin>` per URL (the catalog's first page, the request behind the
 * home page's largest paint). The browser hands a preloaded answer only to a fetch() of the same URL with
 * the same mode and credentials (cors, same-origin), so it is taken with fetch rather than axios, and once:
 * the link is removed, and every later request for the URL goes out as usual.
 *
 * Resolves to undefined when no link names the URL or the answer is not a 2xx JSON body; the caller then
 * asks through the API client, which refreshes an expired session and reads error envelopes.
 */
export async function takePreloaded<T>(url: string, signal?: AbortSignal): Promise<T | undefined> {
  const link = [...document.querySelectorAll<HTMLLinkElement>('link[rel="preload"][as="fetch"]')].find(
    (candidate) => candidate.getAttribute('href') === url,
  );
  if (!link) return undefined;
  link.remove();
  try {
    const response = await fetch(new URL(url, window.location.href), { credentials: 'same-origin', signal });
    if (!response.ok) return undefined;
    return (await response.json()) as T;
  } catch (error) {
    if (signal?.aborted) throw error;
    return undefined;
  }
}
