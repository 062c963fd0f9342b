import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { bundleBudget } from './build/bundle-budget';

export default defineConfig({
  plugins: [react(), bundleBudget()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: false,
    target: 'es2022',
    rollupOptions: {
      output: {
        // Libraries change far less often than the app: their own hashed files stay cached across deploys.
        // Split by when they are needed, so the shell's first paint does not wait for the data or form ones.
        manualChunks: (id) => {
          if (!id.includes('/node_modules/')) return undefined;
          if (/\/node_modules\/(axios|@tanstack)\//.test(id)) return 'vendor-data';
          if (id.includes('/node_modules/react-hook-form/')) return 'vendor-forms';
          return 'vendor';
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      // The whole stack (nginx + services) answers on 8080; the dev server only adds hot reload.
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  test: {
    restoreMocks: true,
    testTimeout: 20_000,
    projects: [
      // The SPA in jsdom, its network answered by MSW (test/setup.ts).
      {
        extends: true,
        test: {
          name: 'spa',
          environment: 'jsdom',
          include: ['test/**/*.test.{ts,tsx}'],
          setupFiles: ['test/setup.ts'],
        },
      },
      // Build tooling is plain Node code.
      { extends: true, test: { name: 'build', environment: 'node', include: ['build/**/*.test.ts'] } },
    ],
  },
});
