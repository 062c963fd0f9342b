/**
 * Applies notifications-service's migrations and exits (dist/migrate.js, `npm run migrate -w backend/notifications-service`):
 * compose's products-migrate runs it before the service and its workers start. Start-up migrates too,
 * under the same advisory lock, so running both, or several at once, applies each migration once.
 */
import { runMigrateEntry } from '@market/kit';
import { MIGRATIONS_FOLDER } from './data/db';

runMigrateEntry({ service: 'notifications-service', migrationsFolder: MIGRATIONS_FOLDER });
