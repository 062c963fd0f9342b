-- Trigram indexes back the catalog's substring search; pg_trgm is a trusted extension,
-- so the database owner can create it without superuser rights.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
