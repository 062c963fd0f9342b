import { useEffect, useRef, useState } from 'react';
import { Link, NavLink, useLocation, useNavigate } from 'react-router-dom';
import { useCart } from '../cart/use-cart';
import { useSession } from '../session/session-context';

export function SiteHeader() {
  const { user, logout } = useSession();
  const { count } = useCart();
  const navigate = useNavigate();
  const [leaving, setLeaving] = useState(false);
  // On a narrow screen the links and the account sit behind a menu button (styles.css shows them inline
  // from 48rem up and hides the button). The menu stays open only on the page it was opened on, so
  // following any of its links (the current page's too) closes it.
  const { key: here } = useLocation();
  const [openOn, setOpenOn] = useState<string | null>(null);
  const menuOpen = openOn === here;
  const menuButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpenOn(null);
      menuButton.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [menuOpen]);

  const onLogout = async () => {
    setLeaving(true);
    try {
      await logout(() => void navigate('/', { state: { notice: 'You have logged out.' } }));
    } catch {
      // The cookies may outlive a failed call, but this browser no longer shows the account.
    } finally {
      setLeaving(false);
    }
  };

  return (
    <header className="site-header">
      <div className="site-header-inner">
        <Link to="/" className="brand">
          Marketplace
        </Link>
        <button
          ref={menuButton}
          type="button"
          className="button menu-button"
          aria-expanded={menuOpen}
          aria-controls="site-menu"
          onClick={() => setOpenOn(menuOpen ? null : here)}
        >
          Menu
        </button>
        <div id="site-menu" className={menuOpen ? 'site-menu site-menu-open' : 'site-menu'}>
          <nav aria-label="Main">
            <ul className="nav-list">
              <li>
                <NavLink to="/" end>
                  Catalog
                </NavLink>
              </li>
              <li>
                <NavLink to="/cart">Cart ({count})</NavLink>
              </li>
              {user && (
                <li>
                  <NavLink to="/orders">My orders</NavLink>
                </li>
              )}
              {user && (
                <li>
                  <NavLink to="/account">Account</NavLink>
                </li>
              )}
              {user?.role === 'seller' && (
                <li>
                  <NavLink to="/seller">Seller dashboard</NavLink>
                </li>
              )}
              {user?.role === 'admin' && (
                <li>
                  <NavLink to="/admin">Admin</NavLink>
                </li>
              )}
            </ul>
          </nav>
          <div className="account">
            {user ? (
              <>
                <span>
                  Signed in as <strong>{user.username}</strong> ({user.role})
                </span>
                <button type="button" className="button" onClick={() => void onLogout()} disabled={leaving}>
                  Log out
                </button>
              </>
            ) : (
              <>
                <Link to="/login">Log in</Link>
                <Link to="/signup" className="button button-primary">
                  Sign up
                </Link>
              </>
            )}
          </div>
        </div>
      </div>
    </header>
  );
}
