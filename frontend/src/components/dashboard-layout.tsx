import { NavLink, Outlet } from 'react-router-dom';

export interface DashboardLink {
  to: string;
  label: string;
  /** Active only on this exact path, not below it. */
  end?: boolean;
}

/** A dashboard's own navigation above the screen its route shows. */
export function DashboardLayout({ label, links }: { label: string; links: readonly DashboardLink[] }) {
  return (
    <div className="dashboard">
      <nav aria-label={label} className="subnav">
        <ul className="nav-list">
          {links.map((link) => (
            <li key={link.to}>
              <NavLink to={link.to} end={link.end ?? false}>
                {link.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </div>
  );
}
