import { DashboardLayout, type DashboardLink } from '../../components/dashboard-layout';

const LINKS: readonly DashboardLink[] = [
  { to: '/admin/users', label: 'Users' },
  { to: '/admin/orders', label: 'All orders' },
  { to: '/admin/dead-letters', label: 'Dead letters' },
];

export default function AdminLayout() {
  return <DashboardLayout label="Administration" links={LINKS} />;
}
