-- Full-text search replaces the substring (ILIKE) search: a weighted tsvector kept by a generated
-- column (adding it rewrites the table once), a GIN index over it, a name-prefix index for one- and
-- two-character searches, and the vocabulary a misspelt word is corrected against.
-- "C" collation: the btree then answers prefix lookups (word LIKE 'headph%').
CREATE TABLE "search_words" (
	"word" text COLLATE "C" PRIMARY KEY NOT NULL
);
--> statement-breakpoint
DROP INDEX "products_name_trgm_idx";--> statement-breakpoint
DROP INDEX "products_description_trgm_idx";--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english'::regconfig, name), 'A') || setweight(to_tsvector('english'::regconfig, description), 'B')) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "search_words_trgm_idx" ON "search_words" USING gin ("word" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "products_active_search_vector_idx" ON "products" USING gin ("search_vector") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "products_active_name_prefix_idx" ON "products" USING btree (lower("name") text_pattern_ops) WHERE status = 'active';--> statement-breakpoint
-- The words of a name and a description that are worth correcting towards: letters and digits
-- only (so a word is always a plain tsquery term), 3 to 40 characters, at least one letter.
CREATE FUNCTION search_words_of(name text, description text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT w FROM unnest(tsvector_to_array(to_tsvector('simple'::regconfig, name || ' ' || description))) AS w
  WHERE length(w) BETWEEN 3 AND 40 AND w ~ '^[[:alnum:]]+$' AND w ~ '[[:alpha:]]'
$$;--> statement-breakpoint
-- Statement triggers with transition tables: a bulk insert adds its words in one statement, and a
-- sale (which changes stock, not text) adds nothing. SET search_path FROM CURRENT: the function
-- finds search_words wherever this migration put it, whatever the caller's search_path.
CREATE FUNCTION products_add_search_words() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO search_words (word)
      SELECT DISTINCT w FROM new_rows n CROSS JOIN LATERAL search_words_of(n.name, n.description) AS w
      ON CONFLICT DO NOTHING;
  ELSE
    INSERT INTO search_words (word)
      SELECT DISTINCT w FROM new_rows n JOIN old_rows o ON o.id = n.id
        CROSS JOIN LATERAL search_words_of(n.name, n.description) AS w
      WHERE n.name IS DISTINCT FROM o.name OR n.description IS DISTINCT FROM o.description
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER products_search_words_insert AFTER INSERT ON products
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION products_add_search_words();--> statement-breakpoint
CREATE TRIGGER products_search_words_update AFTER UPDATE ON products
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION products_add_search_words();--> statement-breakpoint
-- Existing products' words (an existing database keeps its catalog searchable, misspellings included).
INSERT INTO search_words (word)
  SELECT DISTINCT w FROM products p CROSS JOIN LATERAL search_words_of(p.name, p.description) AS w
  ON CONFLICT DO NOTHING;
