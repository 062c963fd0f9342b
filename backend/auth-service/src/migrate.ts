/**
 * Applies auth-service's migrations and exits (dist/migrate.js, `npm run migrate -w backend/auth-service`):
 * compose's auth-migrate runs it before the service starts. Start-up migrates too,
 * under the same advisory lock, so running both, or several at once, applies each migration once.
 */
import { runMigrateEntry } from '@market/kit';
import { MIGRATIONS_FOLDER } from './data/db';

runMigrateEntry({ service: 'auth-service', migrationsFolder: MIGRATIONS_FOLDER });
