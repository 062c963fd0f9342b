import { DashboardLayout, type DashboardLink } from '../../components/dashboard-layout';

const LINKS: readonly DashboardLink[] = [
  { to: '/seller', label: 'My products', end: true },
  { to: '/seller/products/new', label: 'Add a product' },
  { to: '/seller/sales', label: 'My sales' },
];

export default function SellerLayout() {
  return <DashboardLayout label="Seller dashboard" links={LINKS} />;
}
