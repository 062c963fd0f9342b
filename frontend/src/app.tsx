import { lazy } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { Layout } from './components/layout';
import { NotFoundPage } from './pages/not-found-page';
import { RequireRole } from './session/require-role';
import { SessionProvider } from './session/session-context';

// The first bundle holds only the shell (header, session, routes): every page, with axios and the query
// cache it needs, loads on demand. `npm run build` fails when the shell grows past its budget.
const CatalogPage = lazy(() => import('./pages/catalog-page'));
const ProductPage = lazy(() => import('./pages/product-page'));
const LoginPage = lazy(() => import('./pages/login-page'));
const SignupPage = lazy(() => import('./pages/signup-page'));
const CartPage = lazy(() => import('./pages/cart-page'));
const AccountSecurityPage = lazy(() => import('./pages/account-security-page'));
const CheckoutPage = lazy(() => import('./pages/checkout-page'));
const AccountAddressesPage = lazy(() => import('./pages/account-addresses-page'));
const OrdersPage = lazy(() => import('./pages/orders-page'));
const OrderPage = lazy(() => import('./pages/order-page'));
const AccountPage = lazy(() => import('./pages/account-page'));
const UnsubscribePage = lazy(() => import('./pages/unsubscribe-page'));
const SellerLayout = lazy(() => import('./pages/seller/seller-layout'));
const SellerProductsPage = lazy(() => import('./pages/seller/seller-products-page'));
const ProductFormPage = lazy(() => import('./pages/seller/product-form-page'));
const SalesPage = lazy(() => import('./pages/seller/sales-page'));
const AdminLayout = lazy(() => import('./pages/admin/admin-layout'));
const AdminUsersPage = lazy(() => import('./pages/admin/admin-users-page'));
const AdminOrdersPage = lazy(() => import('./pages/admin/admin-orders-page'));
const AdminDeadLettersPage = lazy(() => import('./pages/admin/admin-dead-letters-page'));
const ForgotPasswordPage = lazy(() => import('./pages/forgot-password-page'));
const ResetPasswordPage = lazy(() => import('./pages/reset-password-page'));
const VerifyEmailPage = lazy(() => import('./pages/verify-email-page'));

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<CatalogPage />} />
        <Route path="products/:id" element={<ProductPage />} />
        <Route path="login" element={<LoginPage />} />
        <Route path="signup" element={<SignupPage />} />
        <Route path="forgot-password" element={<ForgotPasswordPage />} />
        {/* The pages the mailed links open; the token is in the query. */}
        <Route path="reset-password" element={<ResetPasswordPage />} />
        <Route path="verify-email" element={<VerifyEmailPage />} />
        <Route path="unsubscribe" element={<UnsubscribePage />} />
        {/* Open to visitors too: their cart lives in the browser until they sign in to order. */}
        <Route path="cart" element={<CartPage />} />
        <Route
          path="account/security"
          element={
            <RequireRole>
              <AccountSecurityPage />
            </RequireRole>
          }
        />
        <Route
          path="checkout"
          element={
            <RequireRole>
              <CheckoutPage />
            </RequireRole>
          }
        />
        <Route
          path="account/addresses"
          element={
            <RequireRole>
              <AccountAddressesPage />
            </RequireRole>
          }
        />
        <Route
          path="orders"
          element={
            <RequireRole>
              <OrdersPage />
            </RequireRole>
          }
        />
        <Route
          path="account"
          element={
            <RequireRole>
              <AccountPage />
            </RequireRole>
          }
        />
        <Route
          path="orders/:id"
          element={
            <RequireRole>
              <OrderPage />
            </RequireRole>
          }
        />
        <Route
          path="seller"
          element={
            <RequireRole roles={['seller']}>
              <SellerLayout />
            </RequireRole>
          }
        >
          <Route index element={<SellerProductsPage />} />
          <Route path="products/new" element={<ProductFormPage />} />
          <Route path="products/:id/edit" element={<ProductFormPage />} />
          <Route path="sales" element={<SalesPage />} />
        </Route>
        <Route
          path="admin"
          element={
            <RequireRole roles={['admin']}>
              <AdminLayout />
            </RequireRole>
          }
        >
          <Route index element={<Navigate to="users" replace />} />
          <Route path="users" element={<AdminUsersPage />} />
          <Route path="orders" element={<AdminOrdersPage />} />
          <Route path="dead-letters" element={<AdminDeadLettersPage />} />
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
