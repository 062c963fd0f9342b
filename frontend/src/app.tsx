import { lazy } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { Layout } from './components/layout';
import { CatalogPage } from './pages/catalog-page';
import { LoginPage } from './pages/login-page';
import { NotFoundPage } from './pages/not-found-page';
import { ProductPage } from './pages/product-page';
import { RequireRole } from './session/require-role';
import { SessionProvider } from './session/session-context';

// Pages people land on (catalog, product, login) ship in the first bundle; the rest load on demand.
const SignupPage = lazy(() => import('./pages/signup-page'));
const CartPage = lazy(() => import('./pages/cart-page'));
const OrdersPage = lazy(() => import('./pages/orders-page'));
const OrderPage = lazy(() => import('./pages/order-page'));
const SellerLayout = lazy(() => import('./pages/seller/seller-layout'));
const SellerProductsPage = lazy(() => import('./pages/seller/seller-products-page'));
const ProductFormPage = lazy(() => import('./pages/seller/product-form-page'));
const SalesPage = lazy(() => import('./pages/seller/sales-page'));
const AdminLayout = lazy(() => import('./pages/admin/admin-layout'));
const AdminUsersPage = lazy(() => import('./pages/admin/admin-users-page'));
const AdminOrdersPage = lazy(() => import('./pages/admin/admin-orders-page'));

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<CatalogPage />} />
        <Route path="products/:id" element={<ProductPage />} />
        <Route path="login" element={<LoginPage />} />
        <Route path="signup" element={<SignupPage />} />
        <Route path="cart" element={<RequireRole><CartPage /></RequireRole>} />
        <Route path="orders" element={<RequireRole><OrdersPage /></RequireRole>} />
        <Route path="orders/:id" element={<RequireRole><OrderPage /></RequireRole>} />
        <Route path="seller" element={<RequireRole roles={['seller']}><SellerLayout /></RequireRole>}>
          <Route index element={<SellerProductsPage />} />
          <Route path="products/new" element={<ProductFormPage />} />
          <Route path="products/:id/edit" element={<ProductFormPage />} />
          <Route path="sales" element={<SalesPage />} />
        </Route>
        <Route path="admin" element={<RequireRole roles={['admin']}><AdminLayout /></RequireRole>}>
          <Route index element={<Navigate to="users" replace />} />
          <Route path="users" element={<AdminUsersPage />} />
          <Route path="orders" element={<AdminOrdersPage />} />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <AppRoutes />
      </SessionProvider>
    </BrowserRouter>
  );
}
