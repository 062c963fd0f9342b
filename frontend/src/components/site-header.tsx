import { useState } from 'react';
import { Link, NavLink, useNavigate } from 'react-router-dom';
import { useCart } from '../cart/use-cart';
import { useSession } from '../session/session-context';

export function SiteHeader() {
  const { user, logout } = useSession();
  const { count } = useCart();
  const navigate = useNavigate();
  const [leaving, setLeaving] = useState(false);

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
    </header>
  );
}
