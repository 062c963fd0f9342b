import { NavLink, Outlet } from 'react-router-dom';

export default function SellerLayout() {
  return (
    <div className="dashboard">
      <nav aria-label="Seller dashboard" className="subnav">
        <ul className="nav-list">
          <li>
            <NavLink to="/seller" end>
              My products
            </NavLink>
          </li>
          <li>
            <NavLink to="/seller/products/new">Add a product</NavLink>
          </li>
          <li>
            <NavLink to="/seller/sales">My sales</NavLink>
          </li>
        </ul>
      </nav>
      <Outlet />
    </div>
  );
}
