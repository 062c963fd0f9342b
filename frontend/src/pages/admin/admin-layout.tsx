import { NavLink, Outlet } from 'react-router-dom';

export default function AdminLayout() {
  return (
    <div className="dashboard">
      <nav aria-label="Administration" className="subnav">
        <ul className="nav-list">
          <li>
            <NavLink to="/admin/users">Users</NavLink>
          </li>
          <li>
            <NavLink to="/admin/orders">All orders</NavLink>
          </li>
        </ul>
      </nav>
      <Outlet />
    </div>
  );
}
