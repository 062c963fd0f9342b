import { migrateConfigShape, parseConfig } from './config';
import { runMigrations } from './db';
import { runService } from './run-service';

export interface MigrateEntryOptions {
  /** The service whose database this migrates, e.g. `orders-service`; the logger's `service` field. */
  service: string;
  migrationsFolder: string;
}

/**
 * A service's `migrate` entry (dist/migrate.js; compose's one-shot <name>-migrate, later a
 * Kubernetes Job): applies the migrations under the same advisory lock as start-up, logs one line
 * and exits 0; a bad configuration or a failed migration exits 1.
 */
export function runMigrateEntry(options: MigrateEntryOptions): void {
  runService({
    name: `${options.service} migrate`,
    service: options.service,
    loadConfig: () => parseConfig(migrateConfigShape),
    start: async (config, logger) => {
      const report = await runMigrations(
        config.DATABASE_MIGRATION_URL ?? config.DATABASE_URL,
        options.migrationsFolder,
        { logger },
      );
      const outcome = report.applied > 0 ? `applied ${report.applied} migration(s)` : 'nothing to apply';
      logger.info(report, `migrations: ${outcome}, ${report.total} in the database`);
    },
  });
}
