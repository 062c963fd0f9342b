import type { Cart } from '../api/contracts';
import { mergeLines } from './cart-lines';
import { GUEST, onCartChanged, readCart, readCartVersion, writeCart, writeCartVersion } from './cart-storage';

// Loaded when a buyer signs in, so the catalog's first paint does not wait for the HTTP client.
const loadCartApi = () => import('../api/cart-api');

/** A change is saved this long after the last one, so typing a quantity sends one request. */
const SAVE_DELAY_MS = 400;

const CART_RELOADED_NOTICE = 'Your cart was changed on another device, so it was loaded again.';

export interface CartSyncOptions {
  /** Says something the buyer should know: the cart was reloaded, or a guest line did not fit. */
  notify?: (message: string) => void;
}

/**
 * Keeps a signed-in buyer's cart the same on every device. This browser's copy answers the views at
 * once; the server's copy (GET/PUT /api/cart) is the one devices share. At start, the server's cart
 * is loaded and the guest cart of this browser added to it; each change made here is saved (after a
 * short pause) on top of the version it was built on; when another device saved first (409), the
 * server's cart is loaded again. A failed save is tried again at the next change or when the tab
 * comes back into view, which also loads changes made elsewhere. Returns the stop function.
 */
export function startCartSync(userId: string, { notify }: CartSyncOptions = {}): () => void {
  let stopped = false;
  // Stopping (sign-out, another user) abandons the requests still out.
  const abandon = new AbortController();
  let unsaved = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Loads and saves run one after another, each on the state the previous one left.
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (task: () => Promise<void>) => {
    queue = queue.then(task).catch(() => {
      // A network failure leaves the cart as it is here; the next change or visit tries again.
    });
  };

  const adopt = (cart: Cart) => {
    writeCartVersion(userId, cart.version);
    writeCart(userId, cart.lines, { fromServer: true });
  };

  async function load(): Promise<void> {
    if (stopped) return;
    const { fetchCart } = await loadCartApi();
    const cart = await fetchCart(abandon.signal);
    if (stopped) return;
    const guest = readCart(GUEST);
    if (guest.length > 0) {
      const { lines, dropped } = mergeLines(cart.lines, guest);
      writeCartVersion(userId, cart.version);
      writeCart(GUEST, [], { fromServer: true });
      writeCart(userId, lines);
      if (dropped > 0)
        notify?.(
          `${dropped} of the products you added before signing in did not fit: a cart holds at most ${lines.length} products.`,
        );
      return;
    }
    // A change made here and not saved yet wins over the copy it was built on; it is saved next.
    if (!unsaved) adopt(cart);
  }

  async function save(): Promise<void> {
    if (stopped || !unsaved) return;
    unsaved = false;
    const { saveCart, isCartConflict } = await loadCartApi();
    try {
      const saved = await saveCart({ lines: readCart(userId), version: readCartVersion(userId) }, abandon.signal);
      if (!stopped) writeCartVersion(userId, saved.version);
    } catch (error) {
      if (!isCartConflict(error)) {
        unsaved = !stopped;
        throw error;
      }
      await load();
      notify?.(CART_RELOADED_NOTICE);
    }
  }

  const stopListening = onCartChanged((owner) => {
    if (owner !== userId || stopped) return;
    unsaved = true;
    clearTimeout(timer);
    timer = setTimeout(() => enqueue(save), SAVE_DELAY_MS);
  });
  const onVisible = () => {
    if (document.visibilityState !== 'visible') return;
    enqueue(unsaved ? save : load);
  };
  document.addEventListener('visibilitychange', onVisible);
  enqueue(load);

  return () => {
    stopped = true;
    abandon.abort();
    clearTimeout(timer);
    stopListening();
    document.removeEventListener('visibilitychange', onVisible);
  };
}
